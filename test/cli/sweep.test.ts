import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepDocument } from '../../src/sweep/sweepDocument.ts';
import { runInProcess, type InProcessRun as Run } from './runInProcess.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-sweep-'));
const file = (name: string): string => join(tmp, name);
const read = (name: string): SweepDocument => JSON.parse(readFileSync(file(name), 'utf8')) as SweepDocument;

// no-mid-path-drop only: the violated points take ~0.5 s each, the holding ones ~10 ms
const SWEEP = ['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=60..600', '--property', 'no-mid-path-drop'];

const runs = new Map<string, Run>();
function run(name: string): Run {
  const r = runs.get(name);
  if (!r) throw new Error(`no run named ${name}`);
  return r;
}

beforeAll(async () => {
  const first: [string, string[], Record<string, string>?][] = [
    ['whole', [...SWEEP, '--out', file('whole.json')]],
    ['shard1', [...SWEEP, '--shard', '1/2', '--out', file('shard1.json')], { MIDPATH_PROGRESS: 'bar' }],
    ['shard2', [...SWEEP, '--shard', '2/2', '--out', file('shard2.json')]],
    ['noEquals', ['sweep', 'kb-16099', '--vary', 'client.keepalive.idle:60..600']],
    ['badRange', ['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=60-600']],
    ['unknownField', ['sweep', 'kb-16099', '--vary', 'client.keepalive.idel=60..600']],
    ['noVary', ['sweep', 'kb-16099']],
    ['outOfRange', ['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=60..40000']],
    ['belowMinimum', ['sweep', 'kb-16099', '--vary', 'path[0].idleTimeout=30..600', '--vary', 'client.keepalive.idle=60..600']],
    ['help', ['sweep', '--help']],
  ];
  // in this process (runCli), not the binary: what is under test is sweep and merge, not start-up; test/cli/cli.test.ts runs the binary
  const done = await Promise.all(first.map(async ([name, args, env]) => [name, await runInProcess(args, env)] as const));
  for (const [name, r] of done) runs.set(name, r);
  const second: [string, string[]][] = [
    ['merge', ['merge', file('shard1.json'), file('shard2.json'), '--out', file('merged.json')]],
    ['partial', ['merge', file('shard2.json')]],
    ['mergeMissing', ['merge', file('nope.json')]],
  ];
  for (const [name, r] of await Promise.all(second.map(async ([name, args]) => [name, await runInProcess(args)] as const))) runs.set(name, r);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('midpath sweep', () => {
  it('finds that kb-16099 holds no-mid-path-drop iff client keepalive idle ≤ 350 (the GWLB boundary is open)', () => {
    const r = run('whole');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no-mid-path-drop  holds iff client.keepalive.idle ≤ 350 (holds at 350, violated at 351)');
    expect(r.stdout).toContain('monotone');
    expect(r.stdout).toMatch(/note: client\.keepalive is off in the scenario; setting its idle turns keepalive on/);
    const doc = read('whole.json');
    expect(doc.format).toBe('midpath-sweep/1');
    expect(doc.findings).toEqual([
      {
        property: 'no-mid-path-drop',
        at: [],
        checked: doc.points.length,
        monotone: true,
        runs: [
          { from: 60, to: 350, holds: true },
          { from: 351, to: 600, holds: false },
        ],
      },
    ]);
    // bisection, not a scan: 5 samples and ~log2(135) narrowing checks
    expect(doc.points.length).toBeLessThanOrEqual(15);
    expect(doc.coverage).toEqual({ shards: 1, done: [1], complete: true });
  });

  it('prints a line per check when stderr is not a terminal, a redrawn bar with MIDPATH_PROGRESS=bar', () => {
    expect(run('whole').stderr).toMatch(/^sweep kb-16099: check 1: client\.keepalive\.idle=60: holds no-mid-path-drop \(\d+\.\d\d s\)$/m);
    const bar = run('shard1').stderr;
    expect(bar).toContain('\r\x1b[2K');
    expect(bar).toMatch(/\[█+░*\] \d\/2 units · \d+ checks · client\.keepalive\.idle=\d+/);
    expect(bar).not.toContain('\n');
  });

  it('shards 1/2 and 2/2, merged, give exactly the unsharded result', () => {
    expect(run('shard1').code).toBe(0);
    expect(run('shard2').code).toBe(0);
    expect(run('shard1').stdout).toMatch(/^partial: shard 1 of 2; missing 2\./m);
    const m = run('merge');
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('holds iff client.keepalive.idle ≤ 350 (holds at 350, violated at 351)');
    const { coverage, stats: _ms, ...merged } = read('merged.json');
    const { stats: _ws, coverage: _wc, ...whole } = read('whole.json');
    expect(merged).toEqual(whole);
    expect(coverage).toEqual({ shards: 2, done: [1, 2], complete: true });
    // neither shard alone did all the work
    for (const s of ['shard1.json', 'shard2.json']) expect(read(s).points.length).toBeLessThan(whole.points.length);
  });

  it('merging some of the shards is a partial result: exit 3, naming the missing shard', () => {
    const r = run('partial');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('midpath merge: shard 1/2 missing: the result is partial\n');
    expect(run('mergeMissing')).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.json: no such file') as string });
  });

  it.each([
    ['noEquals', "midpath sweep: --vary 'client.keepalive.idle:60..600': expected <field>=<from>..<to>"],
    ['badRange', "midpath sweep: --vary 'client.keepalive.idle=60-600': the range '60-600' is not <from>..<to> in whole numbers"],
    ['unknownField', "midpath sweep: --vary client.keepalive.idel: client.keepalive has no field 'idel' (did you mean idle?)"],
    ['noVary', 'midpath sweep: missing --vary <field>=<from>..<to>'],
  ])('refuses bad --vary syntax (%s) with one line naming the problem, exit 2', (name, message) => {
    const r = run(name);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a value out of range before any check, as a scenario error naming the field (exit 2)', () => {
    const r = run('outOfRange');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kb-16099 with client\.keepalive\.idle=40000: client\.keepalive\.idle: 40000 is above/);
    expect(r.stderr).not.toContain('check 1');
    const low = run('belowMinimum');
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/path\[0\]\.idleTimeout=30, client\.keepalive\.idle=60: path\[0\]\.idleTimeout: 30 is below the AWS minimum 60/);
    for (const x of [r, low]) expect(`${x.stdout}${x.stderr}`).not.toMatch(/^\s+at /m);
  });

  it('has --help', () => {
    expect(run('help').code).toBe(0);
    expect(run('help').stdout).toMatch(/^Usage: midpath sweep <scenario-file\|preset> --vary/);
  });
});
