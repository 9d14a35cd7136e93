import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { le, lt } from '../../src/engine/bound.ts';
import { Dbm } from '../../src/engine/dbm.ts';
import { constrainAt, extrapolateAt, includedAt, remapAt, upAt } from '../../src/engine/flatDbm.ts';
import { fuzzParams } from './fixtures/fuzz.ts';

/** The flat zone operations at an offset of a shared array against the Dbm class, on random zones. */
const n = 4;
const constraint = fc.record({
  i: fc.integer({ min: 0, max: n - 1 }),
  j: fc.integer({ min: 0, max: n - 1 }),
  c: fc.integer({ min: -6, max: 6 }),
  strict: fc.boolean(),
});
type C = { i: number; j: number; c: number; strict: boolean };
const bound = (k: C) => (k.strict ? lt(k.c) : le(k.c));

/** A canonical zone built by `Dbm` from the universe, time elapse and constraints (undefined when empty). */
function zoneOf(cs: readonly C[]): Dbm | undefined {
  const z = Dbm.zero(n);
  z.upInPlace();
  for (const k of cs) if (k.i !== k.j && !z.constrainInPlace(k.i, k.j, bound(k))) return undefined;
  return z;
}
/** The same zone written into a shared arena at `off`. */
function place(z: Dbm, arena: Float64Array, off: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) arena[off + i * n + j] = z.get(i, j);
}
const read = (arena: Float64Array, off: number, dim: number) => Array.from(arena.subarray(off, off + dim * dim));
const all = (z: Dbm) => Array.from({ length: z.n * z.n }, (_, k) => z.get(Math.floor(k / z.n), k % z.n));

describe('flat DBM operations = Dbm methods', () => {
  test.prop([fc.array(constraint, { maxLength: 5 }), fc.array(constraint, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 40 })], fuzzParams)(
    'constrain, up and extrapolate at an offset give the Dbm result (and the same emptiness)',
    (base, extra, off) => {
      const z = zoneOf(base);
      if (!z) return;
      const arena = new Float64Array(off + n * n + 7).fill(-99);
      place(z, arena, off);
      const ref = z.clone();
      for (const k of extra) {
        if (k.i === k.j) continue;
        const a = constrainAt(arena, off, n, k.i, k.j, bound(k));
        const b = ref.constrainInPlace(k.i, k.j, bound(k));
        expect(a).toBe(b);
        if (!a) return;
        expect(read(arena, off, n)).toEqual(all(ref));
      }
      upAt(arena, off, n);
      ref.upInPlace();
      const max = new Float64Array([0, 2, 3, 5]);
      extrapolateAt(arena, off, n, max);
      ref.extrapolateInPlace(max);
      expect(read(arena, off, n)).toEqual(all(ref));
      expect(arena[off - 1] ?? -99).toBe(-99); // nothing written before the zone
      expect(arena[off + n * n]).toBe(-99); // nor after it
    },
  );

  test.prop([fc.array(constraint, { maxLength: 5 }), fc.array(fc.integer({ min: -1, max: n - 2 }), { minLength: 0, maxLength: 4 })], fuzzParams)('remap into another array gives Dbm.remap', (base, map) => {
    const z = zoneOf(base);
    if (!z) return;
    const arena = new Float64Array(n * n);
    place(z, arena, 0);
    const n2 = map.length + 1;
    const src = new Int32Array(n2);
    for (let k = 0; k < map.length; k++) src[k + 1] = map[k]! < 0 ? 0 : map[k]! + 1;
    const out = new Float64Array(3 + n2 * n2);
    remapAt(arena, 0, n, src, out, 3, n2);
    expect(read(out, 3, n2)).toEqual(all(z.remap(map)));
  });

  test.prop([fc.array(constraint, { maxLength: 4 }), fc.array(constraint, { maxLength: 4 })], fuzzParams)('inclusion at offsets gives Dbm.includedIn', (ca, cb) => {
    const a = zoneOf(ca);
    const b = zoneOf(cb);
    if (!a || !b) return;
    const arena = new Float64Array(5 + 2 * n * n);
    place(a, arena, 5);
    place(b, arena, 5 + n * n);
    expect(includedAt(arena, 5, 5 + n * n, n * n)).toBe(a.includedIn(b));
    expect(includedAt(arena, 5 + n * n, 5, n * n)).toBe(b.includedIn(a));
  });
});
