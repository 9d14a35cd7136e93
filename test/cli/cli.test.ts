import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetNames, presetPath } from '../../src/scenarios/presets.ts';
import { isWellFormedXml } from './isWellFormedXml.ts';
import { runMidpath, type Run } from './runMidpath.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-cli-'));
const out = join(tmp, 'out');
const junit = join(tmp, 'junit.xml');
const foreign = join(tmp, 'foreign');

/** A preset's text without its `$schema` line (which is relative to the presets folder). */
function presetText(name: string): string {
  return readFileSync(presetPath(name), 'utf8').replace(/^\$schema:.*\n/m, '');
}

/** Bad scenario files, each with the words its message must contain. */
const BAD: { file: string; text?: string; names: string }[] = [
  { file: 'malformed.yaml', text: 'name: x\npath: [\n  - type: gwlb\n', names: 'YAML syntax error' },
  { file: 'timeout59.yaml', text: presetText('kb-16099').replace('idleTimeout: 350', 'idleTimeout: 59'), names: 'path[0].idleTimeout: 59' },
  { file: 'unknownField.yaml', text: `${presetText('kb-16099')}colour: blue\n`, names: 'colour: unknown field' },
  { file: 'unknownHop.yaml', text: presetText('kb-16099').replace('type: gwlb', 'type: f5-bigip'), names: "path[0].type: 'f5-bigip'" },
  { file: 'missing.yaml', names: 'no such file' },
];

const runs = new Map<string, Run>();
/** The run started under `name` in beforeAll. */
function run(name: string): Run {
  const r = runs.get(name);
  if (!r) throw new Error(`no run named ${name}`);
  return r;
}

beforeAll(async () => {
  for (const b of BAD) if (b.text !== undefined) writeFileSync(join(tmp, b.file), b.text);
  // kb-16099-server-idle-325 holds no-mid-path-drop; claiming it is violated must fail (exit 1)
  writeFileSync(join(tmp, 'wrongExpect.yaml'), presetText('kb-16099-server-idle-325').replace('no-mid-path-drop: holds', 'no-mid-path-drop: violated'));
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'results.json'), 'my own notes\n');
  const first: [string, string[]][] = [
    ['json', ['check', 'kb-16099', '--json', '--out', out, '--junit', junit]],
    ['human', ['check', 'kb-16099', '--property', 'no-mid-path-drop']],
    ['wrongExpect', ['check', join(tmp, 'wrongExpect.yaml')]],
    ['limit', ['check', 'kb-16099-keepalive-325', '--max-states', '10', '--json']],
    ['bad', ['check', ...BAD.map((b) => join(tmp, b.file))]],
    ['unknownOption', ['check', 'kb-16099', '--bogus']],
    ['unknownProperty', ['check', 'kb-16099', '--property', 'no-mid-path-dorp']],
    ['unknownCommand', ['grpah']],
    ['presets', ['presets']],
    ['help', ['check', '--help']],
    ['foreign', ['check', 'kb-16099-keepalive-325', '--out', foreign]],
    ['badTrace', ['trace', join(tmp, 'timeout59.yaml')]],
  ];
  const done = await Promise.all(first.map(async ([name, args]) => [name, await runMidpath(args)] as const));
  for (const [name, r] of done) runs.set(name, r);
  // needs the trace that the first run wrote
  runs.set('replay', await runMidpath(['trace', join(out, 'kb-16099.no-mid-path-drop.trace.json'), '--replay']));
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** No stack trace: no `    at …` frame lines. */
function expectNoStack(r: Run): void {
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at /m);
}

describe('midpath check', () => {
  it('exits 0 and prints one JSON document when kb-16099 shows what it expects', () => {
    const r = run('json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['scenarios']);
    const s = doc.scenarios[0]!;
    expect(Object.keys(s)).toEqual(['name', 'complete', 'results', 'stats']);
    expect(s['name']).toBe('kb-16099');
    expect(s['complete']).toBe(true);
    const stats = s['stats'] as Record<string, unknown>;
    expect(Object.keys(stats)).toEqual(['states', 'transitions', 'ms']);
    for (const v of Object.values(stats)) expect(typeof v).toBe('number');
    const results = s['results'] as Record<string, unknown>[];
    expect(results.map((x) => x['property'])).toEqual(['no-mid-path-drop', 'no-mid-path-reset', 'no-half-open', 'clean-close']);
    const drop = results[0]!;
    expect(drop['holds']).toBe(false);
    expect(drop['expected']).toBe('violated');
    expect(drop['replayed']).toBe(true);
    expect((drop['window'] as { idleGap: unknown }).idleGap).toEqual({ from: 350, fromInclusive: false, to: null, toInclusive: false });
    expect((drop['counterexample'] as { format: string }).format).toBe('midpath-trace/1');
    // not named in expect, so it must hold: it does (issue 11 §4)
    expect(results[1]).toEqual({ property: 'no-mid-path-reset', holds: true, outcome: 'met' });
  });

  it('prints the violation as a timeline in the KB terms, marked and replayed', () => {
    const r = run('human');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✘ no-mid-path-drop');
    expect(r.stdout).toContain('idle gap ∈ (350, ∞) s');
    expect(r.stdout).toMatch(/400 s {2}server0 sends fin: gwlb\.flow0 \(new flow → appliance1\) → appliance1\.c0 DROPS it \(non-syn-no-session\) {2}◀ violates no-mid-path-drop/);
    expect(r.stdout).toContain('350 s  gwlb.flow0: timer idleTimeout fired');
    expect(r.stdout).toContain('replayed on the simulator: reproduced');
  });

  it('checks only the properties --property selects', () => {
    const r = run('human');
    expect(r.stdout).toContain('no-mid-path-drop');
    expect(r.stdout).not.toMatch(/no-mid-path-reset|no-half-open|clean-close/);
  });

  it('exits 1 when a scenario does not show what its expect says', () => {
    const r = run('wrongExpect');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DOES NOT MEET EXPECTATIONS');
    expect(r.stdout).toContain('UNEXPECTED (expected violated)');
  });

  it('exits 3 and reports incomplete when --max-states cuts the run short', () => {
    const r = run('limit');
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { scenarios: { complete: boolean; results: { holds: boolean; incomplete?: boolean }[] }[] };
    expect(doc.scenarios[0]!.complete).toBe(false);
    expect(doc.scenarios[0]!.results.every((x) => !x.holds && x.incomplete === true)).toBe(true);
  });

  it('writes trace.json, pcapng and results.json for each violation with --out', () => {
    const files = readdirSync(out).sort();
    expect(files).toContain('results.json');
    for (const p of ['no-mid-path-drop', 'no-half-open', 'clean-close']) {
      expect(files).toContain(`kb-16099.${p}.trace.json`);
      expect(files).toContain(`kb-16099.${p}.pcapng`);
    }
    expect(files).not.toContain('kb-16099.no-mid-path-reset.trace.json');
    const trace = JSON.parse(readFileSync(join(out, 'kb-16099.no-mid-path-drop.trace.json'), 'utf8')) as { property: string; steps: unknown[] };
    expect(trace.property).toBe('no-mid-path-drop');
    const pcap = readFileSync(join(out, 'kb-16099.no-mid-path-drop.pcapng'));
    expect([...pcap.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(JSON.parse(run('json').stdout));
  });

  it('never overwrites a file it did not write', () => {
    const r = run('foreign');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to overwrite');
    expect(readFileSync(join(foreign, 'results.json'), 'utf8')).toBe('my own notes\n');
  });

  it('writes well-formed JUnit XML, one testcase per scenario and property', () => {
    const xml = readFileSync(junit, 'utf8');
    expect(isWellFormedXml(xml)).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('classname="midpath.kb-16099" name="no-half-open"');
  });

  it('refuses every bad scenario file with exit 2, naming the field, without a stack trace', () => {
    const r = run('bad');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const b of BAD) expect(r.stderr).toContain(`${b.file}: ${b.names}`);
    expect(r.stderr).toMatch(/idleTimeout: 59 is below the AWS minimum 60.*\(line \d+\)/);
    expectNoStack(r);
  });

  it('answers usage errors with one line and exit 2', () => {
    for (const name of ['unknownOption', 'unknownProperty']) {
      const r = run(name);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expectNoStack(r);
    }
    expect(run('unknownOption').stderr).toContain("unknown option '--bogus'");
    expect(run('unknownProperty').stderr).toContain('did you mean no-mid-path-drop?');
  });

  it('prints its options with --help', () => {
    const r = run('help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--max-states N');
  });
});

describe('midpath commands', () => {
  it('answers an unknown command with the usage and exit 2', () => {
    const r = run('unknownCommand');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'grpah'");
    expect(r.stderr).toContain('Usage: midpath <command>');
  });

  it('lists every preset (the six KB presets, then the incidents), one line each', () => {
    const r = run('presets');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(presetNames().length);
    expect(lines.slice(0, 6).map((l) => l.split(' ')[0]!.startsWith('kb-16099'))).toEqual(Array(6).fill(true));
    expect(lines.map((l) => l.split(' ')[0])).toEqual(presetNames());
    for (const l of lines) expect(l).toContain(' — ');
  });

  it('prints a stored trace and reproduces it with --replay', () => {
    const r = run('replay');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('appliance1.c0 DROPS it (non-syn-no-session)');
    expect(r.stdout).toContain('reproduced, it still fails');
  });

  it('refuses a file that is not a trace with exit 2', () => {
    const r = run('badTrace');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not JSON');
    expectNoStack(r);
  });
});
