import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessRun } from './runInProcess.ts';
import { escapeText } from '../../src/cli/escapeText.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-hostile-'));
const out = join(tmp, 'out');
/** The fields of a trace file these tests edit. */
interface StepDoc {
  kind: string;
  actor: string;
  text: string;
  hops?: { chosenTarget?: number }[];
  segment?: { conn: number };
}
interface TraceDoc {
  steps: StepDoc[];
  topology: { connections: number; path: { appliances: { count: number } }[] };
}
/** The fields of a sweep file these tests edit. */
interface SweepDoc {
  axes: { field: string; from: number; to: number }[];
  coverage: { shards: number; done: number[]; complete: boolean };
  points: { values: number[] }[];
  notes: string[];
}
let trace: TraceDoc;
let sweep: SweepDoc;

beforeAll(async () => {
  const r = await runInProcess(['check', 'kb-16099', '--property', 'no-mid-path-drop', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  trace = JSON.parse(readFileSync(join(out, 'kb-16099.no-mid-path-drop.trace.json'), 'utf8'));
  const s = await runInProcess(['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=300..310', '--samples', '2', '--property', 'no-mid-path-drop', '--json'], { MIDPATH_PROGRESS: 'off' });
  expect(s.code, s.stderr).toBe(0);
  sweep = JSON.parse(s.stdout);
}, 180_000);

let n = 0;
function write(doc: unknown, raw?: string): string {
  const path = join(tmp, `f${n++}.json`);
  writeFileSync(path, raw ?? JSON.stringify(doc));
  return path;
}
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** A refusal as the issue asks: exit 2, the field named, no stack trace, no raw control character. */
function expectRefusal(r: InProcessRun, field: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(field);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
}

/** Index of the first step with a new-flow choice, and of its hop. */
function choiceStep(t: TraceDoc): [number, number] {
  for (const [i, st] of t.steps.entries()) {
    const h = (st.hops ?? []).findIndex((x) => x.chosenTarget !== undefined);
    if (h >= 0) return [i, h];
  }
  throw new Error('no choice in the trace');
}

describe('hostile traces get exit 2 with the field named', () => {
  it('an out-of-range chosenTarget (one the scenario lacks, and one no scenario has)', async () => {
    const [i, h] = choiceStep(trace);
    const t = clone(trace);
    t.steps[i]!.hops![h]!.chosenTarget = 7;
    expectRefusal(await runInProcess(['trace', write(t), '--replay']), `steps[${i}].hops[${h}].chosenTarget: appliance 7, but the scenario has 2`);
    t.steps[i]!.hops![h]!.chosenTarget = 4294967296;
    expectRefusal(await runInProcess(['trace', write(t), '--replay']), `steps[${i}].hops[${h}].chosenTarget`);
  });

  it('an unknown actor of a timer or an application action', async () => {
    const t = clone(trace);
    const timer = t.steps.findIndex((s) => s.kind === 'timer');
    t.steps[timer]!.actor = 'gwlb.flow9\u001b[2J';
    const r = await runInProcess(['trace', write(t), '--replay']);
    expectRefusal(r, `steps[${timer}].actor`);
    expect(r.stderr).toContain('\\u001b[2J');
    const a = clone(trace);
    const app = a.steps.findIndex((s) => s.kind === 'app');
    a.steps[app]!.actor = 'client5';
    expectRefusal(await runInProcess(['trace', write(a), '--replay']), `steps[${app}].actor`);
  });

  it('a topology no scenario could give', async () => {
    const t = clone(trace);
    t.topology.connections = 50;
    expectRefusal(await runInProcess(['trace', write(t), '--replay']), 'topology.connections');
    const u = clone(trace);
    u.topology.path[0]!.appliances.count = 1e9;
    expectRefusal(await runInProcess(['trace', write(u), '--replay']), 'appliances.count');
  });

  it('a connection the scenario does not have', async () => {
    const t = clone(trace);
    const seg = t.steps.findIndex((s) => s.segment !== undefined);
    t.steps[seg]!.segment!.conn = 2;
    expectRefusal(await runInProcess(['trace', write(t), '--replay']), `steps[${seg}].segment.conn`);
  });

  it('prints the timeline of a trace with control characters escaped', async () => {
    const t = clone(trace);
    t.steps[1]!.text = 'evil \u001b]0;pwned\u0007 text';
    const r = await runInProcess(['trace', write(t)]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(r.stdout).toContain('evil \\x1b]0;pwned\\x07 text');
  });
});

describe('hostile sweep files get exit 2 with the field named', () => {
  for (const shards of [4294967296, 50000000, 1001]) {
    it(`coverage.shards: ${shards}`, async () => {
      const d = clone(sweep);
      d.coverage.shards = shards;
      expectRefusal(await runInProcess(['merge', write(d)]), 'coverage.shards');
    });
  }

  it('samples: 101', async () => {
    const d = clone(sweep) as SweepDoc & { samples: number };
    d.samples = 101;
    expectRefusal(await runInProcess(['merge', write(d)]), 'samples');
  });

  it('a shard listed twice, or above the shard count', async () => {
    const d = clone(sweep);
    d.coverage = { shards: 2, done: [1, 1], complete: false };
    expectRefusal(await runInProcess(['merge', write(d)]), 'coverage.done[1]: shard 1 is listed twice');
    d.coverage = { shards: 2, done: [3], complete: false };
    expectRefusal(await runInProcess(['merge', write(d)]), 'coverage.done[0]');
  });

  it('a point outside its axis, and an inverted axis', async () => {
    const d = clone(sweep);
    d.points[0]!.values = [99999];
    expectRefusal(await runInProcess(['merge', write(d)]), 'points[0].values[0]: 99999 is outside client.keepalive.idle');
    const e = clone(sweep);
    e.axes[0] = { ...e.axes[0]!, from: 500 };
    expectRefusal(await runInProcess(['merge', write(e)]), 'axes[0]');
  });

  it('text that is not JSON, without quoting it', async () => {
    const r = await runInProcess(['merge', write(undefined, 'TOKEN=abc123 {')]);
    expectRefusal(r, 'not JSON');
    expect(r.stderr).not.toContain('abc123');
  });

  it('prints notes from a file with control characters escaped, and accepts a BOM', async () => {
    const d = clone(sweep);
    d.notes = ['see \u001b[31mred'];
    const r = await runInProcess(['merge', write(undefined, `\uFEFF${JSON.stringify(d)}`)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('note: see \\x1b[31mred');
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe('command-line text is printed escaped too', () => {
  it('an unknown option with control characters', async () => {
    const r = await runInProcess(['check', 'kb-16099', '--\u001b[2Jx']);
    expectRefusal(r, "unknown option '--\\x1b[2Jx'");
  });

  it('escapeText leaves ordinary text alone and escapes C0, C1 and bidirectional controls', () => {
    expect(escapeText('idle gap ∈ (350, ∞) s ✔ a\\b')).toBe('idle gap ∈ (350, ∞) s ✔ a\\b');
    expect(escapeText('a\nb\u0000c\u009bd\u202ee')).toBe('a\\nb\\x00c\\x9bd\\u202ee');
  });
});
