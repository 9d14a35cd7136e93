import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/runCli.ts';
import { check, meetsExpectations } from '../../src/check.ts';
import { UnknownPropertyError, type PropertyId } from '../../src/properties/catalogue.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import type { Expectations, Scenario } from '../../src/scenarios/scenario.ts';

/*
 * Issue 11 §4: a verdict nobody expected never passes. A property that the
 * scenario's `expect` does not name must hold; `any` ignores one on purpose;
 * the human output, the JSON and the JUnit file say the same.
 */

const dir = mkdtempSync(join(tmpdir(), 'midpath-expect-'));
const kb = loadPreset('kb-16099');

async function runCheck(name: string, expectations: Expectations) {
  const s: Scenario = { ...kb, name, expect: expectations };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(s));
  const junit = join(dir, `${name}.junit.xml`);
  let human = '';
  const humanCode = await runCli(['check', file, '--junit', junit], { out: (t) => (human += t), err: () => {}, env: {} });
  let json = '';
  const jsonCode = await runCli(['check', file, '--json'], { out: (t) => (json += t), err: () => {}, env: {} });
  const doc = JSON.parse(json) as { scenarios: { results: { property: string; outcome: string }[] }[] };
  const outcomes = Object.fromEntries(doc.scenarios[0]!.results.map((r) => [r.property, r.outcome]));
  return { humanCode, jsonCode, human, outcomes, junit: readFileSync(junit, 'utf8') };
}

const failures = (xml: string) => [...xml.matchAll(/name="([^"]+)">\s*<failure/g)].map((m) => m[1]);
const skipped = (xml: string) => [...xml.matchAll(/name="([^"]+)">\s*<skipped/g)].map((m) => m[1]);

describe('properties not named in expect must hold', { timeout: 60_000 }, () => {
  it('one expect entry does not switch off the others: a drop nobody expected fails in the human output, the JSON and JUnit', async () => {
    const r = await runCheck('only-reset-expected', { 'no-mid-path-reset': 'holds' });
    expect(r.humanCode).toBe(1);
    expect(r.jsonCode).toBe(1);
    expect(r.human).toContain('DOES NOT MEET EXPECTATIONS');
    expect(r.human).toMatch(/no-mid-path-drop\s+violated, UNEXPECTED \(not in expect, so it must hold/);
    expect(r.outcomes).toEqual({ 'no-mid-path-drop': 'unmet', 'no-mid-path-reset': 'met', 'no-half-open': 'unmet', 'clean-close': 'unmet' });
    expect(failures(r.junit)).toEqual(['no-mid-path-drop', 'no-half-open', 'clean-close']);
  });

  it('`any` ignores a property on purpose, and all three outputs say it was not checked', async () => {
    const r = await runCheck('drop-expected-rest-any', { 'no-mid-path-drop': 'violated', 'no-half-open': 'any', 'clean-close': 'any' });
    expect(r.humanCode).toBe(0);
    expect(r.human).toContain('meets expectations');
    expect(r.human).toMatch(/no-half-open\s+violated, not checked \(expect: any\)/);
    expect(r.outcomes).toEqual({ 'no-mid-path-drop': 'met', 'no-mid-path-reset': 'met', 'no-half-open': 'unchecked', 'clean-close': 'unchecked' });
    expect(failures(r.junit)).toEqual([]);
    expect(skipped(r.junit)).toEqual(['no-half-open', 'clean-close']);
  });

  it('meetsExpectations agrees: unnamed properties must hold', () => {
    const r = check({ ...kb, expect: { 'no-mid-path-drop': 'violated' } }, { replay: false });
    expect(meetsExpectations(r)).toBe(false);
    expect(meetsExpectations({ ...r, results: r.results.map((x) => (x.holds ? x : { ...x, expected: x.expected ?? 'any' })) })).toBe(true);
  });
});

describe('check(s, { properties })', () => {
  it('rejects an unknown id at run time with the CLI’s did-you-mean message', () => {
    // as a JavaScript caller (or a value read from a file) would pass it
    const typo = ['no-midpath-drop'] as unknown as PropertyId[];
    expect(() => check(kb, { properties: typo })).toThrow(UnknownPropertyError);
    expect(() => check(kb, { properties: typo })).toThrow("properties: 'no-midpath-drop': unknown property (did you mean no-mid-path-drop?); known: no-mid-path-drop, no-mid-path-reset, no-half-open, clean-close");
  });

  it('types property ids as a union (a typo does not compile)', () => {
    // @ts-expect-error 'no-midpath-drop' is not a PropertyId
    const bad = () => check(kb, { properties: ['no-midpath-drop'] });
    expect(bad).toThrow(UnknownPropertyError);
  });

  it('says the same as the CLI', async () => {
    let err = '';
    const code = await runCli(['check', 'kb-16099', '--property', 'no-midpath-drop'], { out: () => {}, err: (t) => (err += t), env: {} });
    expect(code).toBe(2);
    expect(err).toContain('--property no-midpath-drop: unknown property (did you mean no-mid-path-drop?); known: no-mid-path-drop, no-mid-path-reset, no-half-open, clean-close');
  });
});

describe('partialWindow', () => {
  it('is set when stopAtFirst actually stopped the run early', () => {
    const r = check(kb, { properties: ['no-mid-path-drop'], stopAtFirst: true, replay: false });
    expect(r.results[0]).toMatchObject({ holds: false, partialWindow: true });
  });

  it('is not set when the run explored everything although stopAtFirst was asked (a property that holds keeps it going)', () => {
    const r = check(kb, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], stopAtFirst: true, replay: false });
    expect(r.complete).toBe(true);
    expect(r.results[0]).toMatchObject({ property: 'no-mid-path-drop', holds: false });
    expect(r.results[0]!.partialWindow).toBeUndefined();
    expect(r.results[0]!.window?.idleGap).toEqual({ from: 350, fromInclusive: false, to: null, toInclusive: false });
  });
});
