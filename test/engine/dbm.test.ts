import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { INF, LE_ZERO, boundValue, isStrict, le, lt } from '../../src/engine/bound.ts';
import { Dbm } from '../../src/engine/dbm.ts';
import { fuzzParams } from './fixtures/fuzz.ts';

/** True when the clock values `p` (p[k] is DBM clock k + 1) satisfy every entry of the zone. */
function contains(z: Dbm, p: readonly number[]): boolean {
  const v = (i: number) => (i === 0 ? 0 : p[i - 1]!);
  for (let i = 0; i < z.n; i++) {
    for (let j = 0; j < z.n; j++) {
      const b = z.get(i, j);
      if (b === INF) continue;
      const d = v(i) - v(j);
      const c = boundValue(b);
      if (isStrict(b) ? !(d < c) : !(d <= c)) return false;
    }
  }
  return true;
}

/** A constraint `x_i - x_j ≺ c` over DBM indices. */
interface Constraint {
  readonly i: number;
  readonly j: number;
  readonly b: number;
}

function satisfies(p: readonly number[], k: Constraint): boolean {
  const v = (i: number) => (i === 0 ? 0 : p[i - 1]!);
  const d = v(k.i) - v(k.j);
  return isStrict(k.b) ? d < boundValue(k.b) : d <= boundValue(k.b);
}

/** The universe constrained by each constraint in turn; undefined when it becomes empty. */
function zoneOf(n: number, cs: readonly Constraint[]): Dbm | undefined {
  const z = Dbm.universe(n + 1);
  for (const k of cs) if (!z.constrainInPlace(k.i, k.j, k.b)) return undefined;
  return z;
}

/** Every point of the grid `step`·ℕ in [0, top]^n. */
function grid(n: number, top: number, step: number): number[][] {
  const axis = Array.from({ length: Math.floor(top / step) + 1 }, (_, k) => k * step);
  let out: number[][] = [[]];
  for (let d = 0; d < n; d++) out = out.flatMap((p) => axis.map((a) => [...p, a]));
  return out;
}

/** Constraints with constants in [-maxC, maxC], multiplied by `mult`. */
const constraintArb = (n: number, maxC: number, mult = 1): fc.Arbitrary<Constraint> =>
  fc
    .tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: -maxC, max: maxC }), fc.boolean())
    .filter(([i, j]) => i !== j)
    .map(([i, j, c, strict]) => ({ i, j, b: strict ? lt(c * mult) : le(c * mult) }));

/** A point on the half grid in [0, 6]^n and constraints it satisfies (built around it). */
const pointAndConstraints = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.array(fc.integer({ min: 0, max: 12 }).map((h) => h / 2), { minLength: n, maxLength: n }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 8 }),
  ),
).map(([n, p, raw]) => {
  const v = (i: number) => (i === 0 ? 0 : p[i - 1]!);
  const cs: Constraint[] = raw
    .filter(([i, j]) => i !== j)
    .map(([i, j, slack, strict]) => {
      const d = v(i) - v(j);
      const c = Math.ceil(d) + slack;
      return { i, j, b: strict && c > d ? lt(c) : le(c) };
    });
  return { n, p, cs };
});

describe('Dbm', () => {
  it('starts at zero or in the universe', () => {
    const z = Dbm.zero(3);
    expect(z.interval(1)).toEqual({ lo: 0, loStrict: false, hi: 0, hiStrict: false });
    expect(z.get(1, 2)).toBe(LE_ZERO);
    const u = Dbm.universe(3);
    expect(u.interval(2)).toEqual({ lo: 0, loStrict: false, hi: INF, hiStrict: true });
    expect(u.get(1, 2)).toBe(INF);
    expect(u.isEmpty()).toBe(false);
  });

  it('constrains and derives implied bounds (canonical form)', () => {
    const z = Dbm.universe(3);
    expect(z.constrainInPlace(1, 2, le(2))).toBe(true); // x - y ≤ 2
    expect(z.constrainInPlace(2, 0, lt(1))).toBe(true); // y < 1
    expect(z.interval(1)).toEqual({ lo: 0, loStrict: false, hi: 3, hiStrict: true }); // x < 3
    const again = z.clone();
    expect(again.canonicalizeInPlace()).toBe(true);
    expect(again.equals(z)).toBe(true);
  });

  it('keeps a looser constraint from changing anything', () => {
    const z = Dbm.universe(2);
    z.constrainInPlace(1, 0, le(3));
    const before = z.key();
    expect(z.constrainInPlace(1, 0, le(5))).toBe(true);
    expect(z.key()).toBe(before);
  });

  it('detects emptiness: x ≥ 3 ∧ x < 3 is empty, x ≥ 3 ∧ x ≤ 3 is the point 3', () => {
    const open = Dbm.universe(2);
    expect(open.constrainInPlace(0, 1, le(-3))).toBe(true);
    expect(open.constrainInPlace(1, 0, lt(3))).toBe(false);
    expect(open.isEmpty()).toBe(true);
    const closed = Dbm.universe(2);
    closed.constrainInPlace(0, 1, le(-3));
    expect(closed.constrainInPlace(1, 0, le(3))).toBe(true);
    expect(closed.interval(1)).toEqual({ lo: 3, loStrict: false, hi: 3, hiStrict: false });
    // emptiness through a chain: x - y < 0, y - x < 0... via the full closure
    const chain = Dbm.universe(3);
    chain.constrainInPlace(1, 2, lt(0));
    expect(chain.constrainInPlace(2, 1, le(0))).toBe(false);
  });

  it('lets time pass: up drops upper bounds and keeps differences', () => {
    const z = Dbm.zero(3);
    z.constrainInPlace(0, 0, LE_ZERO);
    const y = z.clone();
    y.resetInPlace(2);
    y.upInPlace();
    expect(y.interval(1).hi).toBe(INF);
    expect(y.get(1, 2)).toBe(le(0));
    expect(y.get(2, 1)).toBe(le(0));
  });

  it('resets a clock to 0 and keeps the others', () => {
    const z = Dbm.zero(3);
    z.upInPlace();
    z.constrainInPlace(0, 1, le(-2)); // x ≥ 2 (so y ≥ 2, x = y)
    z.constrainInPlace(1, 0, le(3)); // x ≤ 3
    z.resetInPlace(1); // x := 0
    expect(z.interval(1)).toEqual({ lo: 0, loStrict: false, hi: 0, hiStrict: false });
    expect(z.interval(2)).toEqual({ lo: 2, loStrict: false, hi: 3, hiStrict: false });
    expect(z.get(2, 1)).toBe(le(3)); // y - x ≤ 3
    expect(z.get(1, 2)).toBe(le(-2)); // x - y ≤ -2
  });

  it('remaps: projects clocks away, permutes, and adds fresh clocks at 0', () => {
    const z = Dbm.universe(3);
    z.constrainInPlace(1, 0, le(4)); // x ≤ 4
    z.constrainInPlace(0, 2, lt(-1)); // y > 1
    z.constrainInPlace(1, 2, le(0)); // x ≤ y
    const swapped = z.remap([1, 0]); // [y, x]
    expect(swapped.interval(1)).toEqual(z.interval(2));
    expect(swapped.interval(2)).toEqual(z.interval(1));
    expect(swapped.get(2, 1)).toBe(z.get(1, 2));
    const onlyY = z.remap([1]);
    expect(onlyY.n).toBe(2);
    expect(onlyY.interval(1)).toEqual(z.interval(2));
    const fresh = z.remap([0, -1]); // [x, f], f = 0
    expect(fresh.interval(2)).toEqual({ lo: 0, loStrict: false, hi: 0, hiStrict: false });
    expect(fresh.get(1, 2)).toBe(le(4)); // x - f ≤ 4
    expect(fresh.get(2, 1)).toBe(z.get(0, 1)); // f - x = -x
    const two = Dbm.zero(1).remap([-1, -1]);
    expect(two.equals(Dbm.zero(3))).toBe(true);
  });

  it('extrapolates by maximal constants: bounds above M go, lower bounds above M become > M', () => {
    const z = Dbm.zero(2);
    z.upInPlace();
    z.constrainInPlace(0, 1, le(-7)); // x ≥ 7
    z.constrainInPlace(1, 0, le(9)); // x ≤ 9
    z.extrapolateInPlace(Float64Array.from([0, 5]));
    expect(z.interval(1)).toEqual({ lo: 5, loStrict: true, hi: INF, hiStrict: true });
    const small = Dbm.zero(2);
    small.upInPlace();
    small.constrainInPlace(1, 0, le(3));
    const before = small.key();
    small.extrapolateInPlace(Float64Array.from([0, 5]));
    expect(small.key()).toBe(before);
  });

  it('extrapolates the classic Extra_M way: a clock equal to one with a larger M keeps its bounds', () => {
    const z = Dbm.zero(3);
    z.upInPlace();
    z.constrainInPlace(0, 1, le(-7)); // x = y ≥ 7
    z.constrainInPlace(1, 0, le(9)); // x ≤ 9
    z.extrapolateInPlace(Float64Array.from([0, 5, 20]));
    // x's own bounds are dropped, but x - y ≤ 0 and y ≤ 9 (exact, M_y = 20) restore them on closure.
    expect(z.interval(1)).toEqual({ lo: 7, loStrict: false, hi: 9, hiStrict: false });
    expect(z.interval(2)).toEqual({ lo: 7, loStrict: false, hi: 9, hiStrict: false });
  });

  it('compares zones by inclusion and equality', () => {
    const inner = Dbm.universe(2);
    inner.constrainInPlace(0, 1, le(-1));
    inner.constrainInPlace(1, 0, le(2));
    const outer = Dbm.universe(2);
    outer.constrainInPlace(1, 0, le(3));
    expect(inner.includedIn(outer)).toBe(true);
    expect(outer.includedIn(inner)).toBe(false);
    expect(inner.includedIn(inner.clone())).toBe(true);
    expect(inner.equals(inner.clone())).toBe(true);
    expect(inner.equals(outer)).toBe(false);
    expect(inner.key()).toBe(inner.clone().key());
    expect(inner.key()).not.toBe(outer.key());
  });

  it('describes a zone over clock names, scaled', () => {
    const z = Dbm.zero(3);
    z.upInPlace();
    z.constrainInPlace(1, 0, le(350_000));
    z.resetInPlace(2);
    expect(z.describe(['gwlb:idle', 'fw:idle'], 1000)).toEqual(['0 ≤ gwlb:idle ≤ 350', '0 ≤ fw:idle ≤ 0', '0 ≤ gwlb:idle - fw:idle ≤ 350']);
  });

  test.prop([pointAndConstraints], fuzzParams)('keeps a point that satisfies every constraint inside the canonical zone', ({ n, p, cs }) => {
    const z = zoneOf(n, cs);
    expect(z).toBeDefined();
    expect(contains(z!, p)).toBe(true);
    // and the zone says no more than the constraints: the canonical closure is implied by them
    const c = z!.clone();
    expect(c.canonicalizeInPlace()).toBe(true);
    expect(contains(c, p)).toBe(true);
  });

  test.prop([fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(fc.constant(n), fc.array(constraintArb(n, 4), { maxLength: 8 })))], fuzzParams)(
    'canonicalises idempotently: incremental constraints leave nothing for Floyd–Warshall',
    ([n, cs]) => {
      const z = zoneOf(n, cs);
      if (!z) return;
      const c = z.clone();
      expect(c.canonicalizeInPlace()).toBe(true);
      expect(c.equals(z)).toBe(true);
      expect(c.canonicalizeInPlace()).toBe(true);
      expect(c.equals(z)).toBe(true);
    },
  );

  // With n ≤ 2 clocks and integer constants, every non-empty zone (and every
  // non-empty difference of zones) holds a point on the grid of thirds, so
  // sampling that grid decides emptiness and inclusion exactly. To keep the
  // arithmetic exact, constants are multiples of 3 and points are integers.
  const two = fc.integer({ min: 1, max: 2 }).chain((n) =>
    fc.tuple(fc.constant(n), fc.array(constraintArb(n, 4, 3), { maxLength: 6 }), fc.array(constraintArb(n, 4, 3), { maxLength: 6 })),
  );

  test.prop([two], fuzzParams)('agrees with point sampling on emptiness and inclusion', ([n, as, bs]) => {
    const points = grid(n, 30, 1); // constants reach 12 and differences chain two of them
    const inA = points.filter((p) => as.every((k) => satisfies(p, k)));
    const inB = points.filter((p) => bs.every((k) => satisfies(p, k)));
    const a = zoneOf(n, as);
    const b = zoneOf(n, bs);
    expect(a === undefined).toBe(inA.length === 0);
    expect(b === undefined).toBe(inB.length === 0);
    if (!a || !b) return;
    for (const p of points) expect(contains(a, p)).toBe(as.every((k) => satisfies(p, k)));
    const sampled = inA.every((p) => contains(b, p));
    expect(a.includedIn(b)).toBe(sampled);
  });

  test.prop([pointAndConstraints, fc.integer({ min: 0, max: 8 }).map((h) => h / 2), fc.nat()], fuzzParams)(
    'keeps points through up, reset, remap and extrapolation (soundness)',
    ({ n, p, cs }, delay, pick) => {
      const z = zoneOf(n, cs)!;
      const up = z.clone();
      up.upInPlace();
      expect(contains(up, p.map((x) => x + delay))).toBe(true);
      const k = pick % n;
      const reset = z.clone();
      reset.resetInPlace(k + 1);
      expect(contains(reset, p.map((x, i) => (i === k ? 0 : x)))).toBe(true);
      const map = Array.from({ length: n }, (_, i) => (i === k ? -1 : n - 1 - i));
      expect(contains(z.remap(map), map.map((src) => (src < 0 ? 0 : p[src]!)))).toBe(true);
      const ex = z.clone();
      ex.extrapolateInPlace(Float64Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : (pick + i) % 4)));
      expect(z.includedIn(ex)).toBe(true);
      expect(contains(ex, p)).toBe(true);
    },
  );

  test.prop([two], fuzzParams)('lets up add exactly the delayed points', ([n, as]) => {
    const a = zoneOf(n, as);
    if (!a) return;
    const up = a.clone();
    up.upInPlace();
    for (const q of grid(n, 15, 1)) {
      // q ∈ up(A) iff q - d ∈ A for some real d ≥ 0. The d that work form an
      // interval with integer ends (q and the constants are integers), so
      // trying every half-integer d is exact.
      let reach = false;
      for (let h = 0; !reach && q.every((x) => x - h / 2 >= 0); h++) reach = contains(a, q.map((x) => x - h / 2));
      expect(contains(up, q)).toBe(reach);
    }
  });

  test.prop([two], fuzzParams)('lets down keep exactly the points a delay takes into the zone', ([n, as]) => {
    const a = zoneOf(n, as);
    if (!a) return;
    const down = a.clone();
    down.downInPlace();
    for (const q of grid(n, 15, 1)) {
      // q ∈ down(A) iff q + d ∈ A for some real d ≥ 0: as for up, half-integer delays are
      // exact, and a delay past 15 is never needed (the constants reach 12).
      let reach = false;
      for (let h = 0; !reach && h <= 30; h++) reach = contains(a, q.map((x) => x + h / 2));
      expect(contains(down, q)).toBe(reach);
    }
  });

  test.prop(
    [
      two,
      fc.integer({ min: 1, max: 3 }).chain((sources) => fc.tuple(fc.constant(sources), fc.array(fc.integer({ min: -1, max: sources - 1 }), { minLength: 3, maxLength: 3 }))),
    ],
    fuzzParams,
  )('lets unmap keep exactly the source points the clock map takes into the zone', ([n, as], [sources, fullMap]) => {
    const a = zoneOf(n, as);
    if (!a) return;
    const map = fullMap.slice(0, n); // target clock k continues source clock map[k], or is reset (-1)
    const pre = a.unmap(map, sources);
    // half-integer points: strict and non-strict bounds with integer constants differ on them
    const points = grid(sources, sources === 3 ? 12 : 14, sources === 3 ? 1 : 0.5);
    const image = (p: readonly number[]) => map.map((src) => (src < 0 ? 0 : p[src]!));
    const inside = points.filter((p) => contains(a, image(p)));
    if (!pre) {
      expect(inside).toEqual([]);
      return;
    }
    for (const p of points) expect(contains(pre, p), `${p}`).toBe(contains(a, image(p)));
  });
});
