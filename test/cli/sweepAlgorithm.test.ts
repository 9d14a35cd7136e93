import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findingSentence, relationSentence } from '../../src/cli/formatSweep.ts';
import { parseShard, parseVary } from '../../src/cli/parseVary.ts';
import { UsageError } from '../../src/cli/usageError.ts';
import { presets } from '../../src/index.ts';
import { parseFieldPath, setField } from '../../src/sweep/fieldPath.ts';
import { findings, samplePoints, sweepPoints, type SweepSpec, type Verdicts } from '../../src/sweep/sweep.ts';
import { mergeSweepDocuments, parseSweepDocument, sweepDocument, type SweepDocument } from '../../src/sweep/sweepDocument.ts';

const kb = presets.load('kb-16099');

/** A fake check: each property holds where its predicate says. */
function fake(preds: Record<string, (v: readonly number[]) => boolean>): (v: readonly number[]) => Verdicts {
  return (v) => Object.fromEntries(Object.entries(preds).map(([id, f]) => [id, f(v)]));
}

/** A sweep over [from, to] with the given samples, as one unsharded document. */
function runAll(spec: SweepSpec, evaluate: (v: readonly number[]) => Verdicts, count = 1): SweepDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const shard = { index: i + 1, count };
    const points = sweepPoints(spec, shard, evaluate);
    return sweepDocument({ scenario: kb, source: 'kb-16099', spec, shard, notes: [], points, ms: 0 });
  });
}

const withoutRunInfo = (d: SweepDocument): Omit<SweepDocument, 'coverage' | 'stats'> => {
  const { coverage: _c, stats: _s, ...rest } = d;
  return rest;
};

const range = fc
  .tuple(fc.integer({ min: -50, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }))
  .map(([from, width]) => ({ from, to: from + width }));

describe('sweepPoints', () => {
  test.prop([range, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 2, max: 9 }), fc.boolean()])(
    'finds the exact flip of a monotone verdict, within samples + log2(width) + 1 checks',
    ({ from, to }, seed, samples, holdsLow) => {
      const t = from - 1 + (seed % (to - from + 2)); // last value on the low side: from-1..to
      let checks = 0;
      const spec: SweepSpec = { axes: [{ field: 'x', from, to }], samples, properties: ['p'] };
      const [doc] = runAll(spec, (v) => {
        checks++;
        return { p: v[0]! <= t === holdsLow };
      });
      const [f] = doc!.findings;
      if (t < from || t >= to) expect(f!.runs).toHaveLength(1);
      else {
        expect(f!.runs.map((r) => [r.to, r.holds])[0]).toEqual([t, holdsLow]);
        expect(f!.runs[1]).toMatchObject({ from: t + 1, holds: !holdsLow });
      }
      expect(f!.monotone).toBe(true);
      expect(checks).toBeLessThanOrEqual(samples + Math.ceil(Math.log2(to - from)) + 1);
    },
  );

  test.prop([range, fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 6 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 6 })])(
    'sharded runs merge to exactly the unsharded result, and every flip found is exact',
    ({ from, to }, cuts, samples, shards) => {
      // a verdict that flips at every cut: not monotone in general
      const p = (v: readonly number[]): boolean => cuts.filter((c) => v[0]! > from + (c % (to - from + 1))).length % 2 === 0;
      const q = (v: readonly number[]): boolean => v[0]! * 3 <= from + to * 2;
      const spec: SweepSpec = { axes: [{ field: 'x', from, to }], samples, properties: ['p', 'q'] };
      const [whole] = runAll(spec, fake({ p, q }));
      const parts = runAll(spec, fake({ p, q }), shards);
      const merged = mergeSweepDocuments(parts.map((doc, i) => ({ name: `shard${i + 1}.json`, doc })));
      expect(withoutRunInfo(merged)).toEqual(withoutRunInfo(whole!));
      expect(merged.coverage).toEqual({ shards, done: Array.from({ length: shards }, (_, i) => i + 1), complete: true });
      for (const f of whole!.findings) {
        for (let i = 0; i + 1 < f.runs.length; i++) expect(f.runs[i + 1]!.from - f.runs[i]!.to).toBe(1);
        for (const r of f.runs) expect([p, q][f.property === 'p' ? 0 : 1]!([r.from])).toBe(r.holds);
        expect(f.monotone).toBe(f.runs.length <= 2);
      }
    },
  );

  it('with two axes bisects the second for each sample of the first, and sees the relation', () => {
    const spec: SweepSpec = { axes: [{ field: 'a', from: 60, to: 390 }, { field: 'b', from: 60, to: 600 }], samples: 5, properties: ['p'] };
    const [doc] = runAll(spec, fake({ p: ([a, b]) => b! <= a! }));
    expect(doc!.findings.map((f) => [f.at[0], f.runs[0]!.to])).toEqual(samplePoints(60, 390, 5).map((a) => [a, a]));
    expect(relationSentence(doc!.findings, 'a', 'b')).toBe('holds iff b ≤ a (at every a checked)');
    const merged = mergeSweepDocuments(runAll(spec, fake({ p: ([a, b]) => b! <= a! }), 3).map((d, i) => ({ name: `${i}`, doc: d })));
    expect(withoutRunInfo(merged)).toEqual(withoutRunInfo(doc!));
  });

  it('says which side holds, and lists every flip when not monotone', () => {
    const [up] = runAll({ axes: [{ field: 'x', from: 0, to: 100 }], samples: 5, properties: ['p'] }, fake({ p: ([x]) => x! >= 40 }));
    expect(findingSentence(up!.findings[0]!, 'x')).toBe('holds iff x ≥ 40 (violated at 39, holds at 40)');
    const [band] = runAll({ axes: [{ field: 'x', from: 0, to: 100 }], samples: 5, properties: ['p'] }, fake({ p: ([x]) => x! >= 20 && x! <= 60 }));
    expect(band!.findings[0]!.monotone).toBe(false);
    expect(findingSentence(band!.findings[0]!, 'x')).toMatch(/^not monotone in x: violated 0\.\.19, holds 20\.\.60, violated 61\.\.100/);
  });
});

describe('merge', () => {
  it('refuses shards of different sweeps and points they disagree on', () => {
    const spec: SweepSpec = { axes: [{ field: 'x', from: 0, to: 10 }], samples: 3, properties: ['p'] };
    const [a, b] = runAll(spec, fake({ p: ([x]) => x! < 5 }), 2);
    const other = runAll({ ...spec, axes: [{ field: 'x', from: 0, to: 11 }] }, fake({ p: () => true }), 2)[1]!;
    expect(() => mergeSweepDocuments([{ name: 'a', doc: a! }, { name: 'b', doc: other }])).toThrow(/b: a different sweep than a \(axes/);
    const lying = { ...b!, points: b!.points.map((p) => ({ ...p, holds: { p: !p.holds['p'] } })) };
    expect(() => mergeSweepDocuments([{ name: 'a', doc: a! }, { name: 'b', doc: lying }])).toThrow(/b: disagrees with an earlier file about x=5/);
    expect(mergeSweepDocuments([{ name: 'a', doc: a! }]).coverage).toEqual({ shards: 2, done: [1], complete: false });
  });

  it('reads back what it writes, and refuses other JSON', () => {
    const [doc] = runAll({ axes: [{ field: 'x', from: 0, to: 10 }], samples: 3, properties: ['p'] }, fake({ p: ([x]) => x! < 5 }));
    expect(parseSweepDocument(JSON.stringify(doc), 'f.json')).toEqual(doc);
    expect(() => parseSweepDocument('{"scenarios":[]}', 'f.json')).toThrow(/f\.json: not a midpath sweep file/);
    expect(() => parseSweepDocument('nope', 'f.json')).toThrow(/f\.json: not JSON/);
  });
});

describe('field paths', () => {
  it('parses dotted paths with indexes', () => {
    expect(parseFieldPath('path[0].appliances.tcpTimeout')).toEqual({ ok: true, value: ['path', 0, 'appliances', 'tcpTimeout'] });
    expect(parseFieldPath('path.0.idleTimeout')).toEqual({ ok: true, value: ['path', 0, 'idleTimeout'] });
    expect(parseFieldPath('client..idle').ok).toBe(false);
    expect(parseFieldPath('[0].x').ok).toBe(false);
    expect(parseFieldPath('a b').ok).toBe(false);
  });

  it('sets a field on a copy; a timer of keepalive off turns keepalive on, with a note', () => {
    const set = setField(kb, ['client', 'keepalive', 'idle'], 300);
    expect(set.ok && set.value.value).toMatchObject({ client: { keepalive: { idle: 300, interval: 75, probes: 9 } } });
    expect(set.ok && set.value.note).toMatch(/client\.keepalive is off/);
    expect(kb.client.keepalive).toBe('off');
    const it = setField(kb, ['path', 0, 'idleTimeout'], 600);
    expect(it.ok && it.value.value).toMatchObject({ path: [{ idleTimeout: 600 }] });
  });

  it('names a missing field, with the closest one', () => {
    expect(setField(kb, ['client', 'keepalive', 'idel'], 1)).toEqual({ ok: false, message: expect.stringContaining("has no field 'idel'") as string });
    expect(setField(kb, ['client', 'idleClos'], 1)).toMatchObject({ ok: false, message: expect.stringContaining('did you mean idleClose?') as string });
    expect(setField(kb, ['path', 3, 'idleTimeout'], 1)).toMatchObject({ ok: false, message: 'path has 1 entry; [3] is past its end' });
  });

  it('parses --vary and --shard, naming what is wrong', () => {
    expect(parseVary('sweep', 'path.0.idleTimeout=60..6000')).toMatchObject({ field: 'path[0].idleTimeout', from: 60, to: 6000 });
    for (const [arg, words] of [
      ['client.keepalive.idle', 'expected <field>=<from>..<to>'],
      ['client.keepalive.idle=60-600', "the range '60-600' is not <from>..<to>"],
      ['client.keepalive.idle=600..60', 'the range must go up'],
      ['client..idle=1..2', 'empty part'],
    ] as const) {
      expect(() => parseVary('sweep', arg)).toThrow(UsageError);
      expect(() => parseVary('sweep', arg)).toThrow(words);
    }
    expect(parseShard('sweep', '2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b']) expect(() => parseShard('sweep', bad)).toThrow(/expected k\/n/);
  });
});

describe('samplePoints', () => {
  test.prop([range, fc.integer({ min: 2, max: 20 })])('spreads distinct ascending values from..to', ({ from, to }, n) => {
    const s = samplePoints(from, to, n);
    expect(s[0]).toBe(from);
    expect(s[s.length - 1]).toBe(to);
    expect(s.length).toBeLessThanOrEqual(n);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]!);
  });
});

// findings are a pure function of the points, whatever order they come in
test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { minLength: 1 })])('findings ignore point order', (raw) => {
  const uniq = [...new Map(raw.map(([v, h]) => [v, h])).entries()].map(([v, h]) => ({ values: [v], holds: { p: h } }));
  expect(findings(['p'], [...uniq].reverse())).toEqual(findings(['p'], uniq));
});
