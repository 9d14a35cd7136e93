import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { check, type ScenarioResult } from '../../src/check.ts';
import { junitErrorXml, junitXml } from '../../src/reporting/junitXml.ts';
import { loadPreset, presetPath } from '../../src/scenarios/presets.ts';
import { runInProcess } from './runInProcess.ts';

const XSD = readFileSync(new URL('../fixtures/junit.xsd', import.meta.url), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'midpath-junit-'));

/** Validates XML against the xUnit plugin's JUnit schema (test/fixtures/junit.xsd) with libxml2 (xmllint-wasm). */
async function schemaErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return r.errors.map((e) => e.message);
}

const kb = check(loadPreset('kb-16099'), { properties: ['no-mid-path-drop', 'no-mid-path-reset'] });
const unmet: ScenarioResult = { ...kb, results: kb.results.map((r) => ({ ...r, expected: 'holds' as const })) };
const cut = check(loadPreset('kb-16099'), { maxStates: 5 });
const hostile: ScenarioResult = { ...kb, name: `a<b&"c'>\u0007` };
// a property the scenario marks `any` is skipped (one not named must hold, issue 11 §4)
const unchecked: ScenarioResult = { ...kb, results: [kb.results[0]!, { ...kb.results[1]!, expected: 'any' as const }] };

describe('JUnit validates against the JUnit schema of Jenkins’ xUnit plugin', () => {
  it('the schema refuses a testsuite without errors (as midpath’s first files had)', async () => {
    const old = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="midpath" tests="1" failures="0">\n  <testsuite name="x" tests="1" failures="0" time="0.1">\n    <testcase classname="midpath.x" name="p"/>\n  </testsuite>\n</testsuites>\n';
    expect((await schemaErrors(old)).join('\n')).toMatch(/attribute 'errors' is required/);
  });

  for (const [name, results] of [
    ['met expectations', [kb]],
    ['an unmet expectation with its counterexample', [unmet]],
    ['a run cut short (errors)', [cut]],
    ['hostile names', [hostile]],
    ['a property marked any (skipped)', [unchecked]],
    ['several scenarios', [kb, unmet, cut]],
  ] as const) {
    it(name, async () => {
      const xml = junitXml(results);
      expect(await schemaErrors(xml)).toEqual([]);
      // valid, and not by leaving things out: one suite per scenario, one test case per property checked
      expect(xml.match(/<testsuite /g)).toHaveLength(results.length);
      expect(xml.match(/<testcase /g)).toHaveLength(results.reduce((n, r) => n + r.results.length, 0));
    });
  }

  it('counts failures, errors and skipped per suite and in total', () => {
    const xml = junitXml([unmet, cut, unchecked]);
    expect(xml).toMatch(/<testsuites name="midpath" tests="\d+" failures="1" errors="4" time=/);
    expect(xml).toContain('<error type="incomplete" message="incomplete: a limit cut the run short before this property was decided"');
    expect(xml).toContain('<skipped message="expect: any (not checked)"');
  });

  it('the error file of a run that failed on bad input', async () => {
    expect(await schemaErrors(junitErrorXml('check', 'bad-input', 'x.yaml: <no such file> & more'))).toEqual([]);
  });
});

describe('a run that fails writes a JUnit file with that error, so CI never reads a stale one', () => {
  it('check: a bad scenario and an unknown option', async () => {
    const junit = join(tmp, 'check.xml');
    expect((await runInProcess(['check', 'kb-16099-keepalive-325', '--junit', junit])).code).toBe(0);
    expect(readFileSync(junit, 'utf8')).not.toContain('<error');
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\npath: []\n');
    expect((await runInProcess(['check', bad, '--junit', junit])).code).toBe(2);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<error type="bad-input" message="[^"]*bad\.yaml[^"]*path/);
    expect(await schemaErrors(xml)).toEqual([]);
    expect((await runInProcess(['check', 'kb-16099', '--bogus', '--junit', junit])).code).toBe(2);
    expect(readFileSync(junit, 'utf8')).toMatch(/<error type="bad-input" message="unknown option &#39;--bogus&#39;/);
    expect(readFileSync(bad, 'utf8')).toBe('name: bad\npath: []\n');
  });

  it('check: a refused output folder, and sweep: a point cut short by a limit', async () => {
    const junit = join(tmp, 'refused.xml');
    const foreign = join(tmp, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'results.json'), 'mine');
    expect((await runInProcess(['check', 'kb-16099-keepalive-325', '--out', foreign, '--junit', junit])).code).toBe(2);
    expect(readFileSync(junit, 'utf8')).toMatch(/<error type="bad-input" message="[^"]*results\.json: exists and was not written by midpath/);
    const limit = join(tmp, 'limit.xml');
    const r = await runInProcess(['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=300..400', '--samples', '2', '--max-states', '10', '--junit', limit], { MIDPATH_PROGRESS: 'off' });
    expect(r.code).toBe(3);
    const xml = readFileSync(limit, 'utf8');
    expect(xml).toMatch(/<error type="incomplete" message="the check at client\.keepalive\.idle=\d+ did not finish: the state limit \(10 states\)/);
    expect(await schemaErrors(xml)).toEqual([]);
  });

  it('sweep accepts --junit, and writes its error on bad input', async () => {
    const junit = join(tmp, 'sweep.xml');
    const r = await runInProcess(['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=300..400', '--samples', '2', '--property', 'no-mid-path-drop', '--junit', junit], { MIDPATH_PROGRESS: 'off' });
    expect(r.code, r.stderr).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="sweep kb-16099" tests="1" failures="0" errors="0"/);
    expect(xml).toMatch(/<system-out>holds iff client\.keepalive\.idle/);
    expect(await schemaErrors(xml)).toEqual([]);
    const bad = await runInProcess(['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=0..400', '--junit', junit], { MIDPATH_PROGRESS: 'off' });
    expect(bad.code).toBe(2);
    expect(readFileSync(junit, 'utf8')).toContain('<error type="bad-input"');
  }, 180_000);

  it('start accepts --junit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'midpath-start-'));
    const junit = join(dir, 'start.xml');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runInProcess(['start', '--junit', junit]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const xml = readFileSync(junit, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain(`<testsuite name="kb-16099"`);
    expect(readFileSync(presetPath('kb-16099'), 'utf8')).toContain('name: kb-16099');
  }, 120_000);
});
