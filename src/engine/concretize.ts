import { Dbm } from './dbm.ts';
import { boundValue, INF, isStrict } from './bound.ts';
import { applyGuard, applyInvariants } from './explore.ts';
import type { Edge, TimedSystem } from './timedSystem.ts';

/** A concrete time (ms since the start) for each step of a symbolic path. */
export interface ConcreteTiming {
  /** times[i] is when step i happened; times[0] = 0 is the initial state. */
  readonly times: readonly number[];
}

/**
 * Chooses concrete times for a symbolic path (a sequence of edges from the
 * initial state), inside its zones, preferring whole `unit`s (seconds when
 * the engine counts ms) and, among those, the earliest.
 *
 * How (linear in the path): first backwards, over the path's own clocks, the
 * zone `W[k]` of valuations in which step k can be taken and the rest of the
 * path after it (its guard and the state's invariant, intersected with the
 * valuations that reach `W[k+1]` through step k's resets and a delay). Then
 * forwards, on concrete clock values: each delay is the earliest whole unit of
 * absolute time (else the earliest value) among the delays that put the
 * valuation into `W[k]`. A timed automaton's future depends only on its
 * current valuation, so that set of delays is exactly the set of choices that
 * the rest of the path can still follow: no backtracking, and the same times
 * as fixing each delay inside one zone over every step's time stamp
 * (test/engine/concretize.test.ts compares the two), without that zone's
 * cubic cost in the number of steps.
 *
 * Returns undefined when the path is infeasible (a midpath bug).
 */
export function concretize<S, L>(sys: TimedSystem<S, L>, edges: readonly Edge<S, L>[], unit = 1000): ConcreteTiming | undefined {
  const states: S[] = [sys.initial()];
  for (const edge of edges) states.push(edge.target);
  const clocks = states.map((s) => sys.clocks(s));
  const last = edges.length;
  // Backwards: W[k] over the clocks of states[k].
  const W: Dbm[] = new Array<Dbm>(last + 1);
  const end = Dbm.universe(clocks[last]!.length + 1);
  if (!applyInvariants(end, clocks[last]!)) return undefined;
  W[last] = end;
  for (let k = last - 1; k >= 0; k--) {
    const edge = edges[k]!;
    // valuations on entering states[k+1] from which W[k+1] is reached (by a delay, unless urgent)
    const entry = W[k + 1]!.clone();
    if (!sys.urgent(states[k + 1]!)) entry.downInPlace();
    const before = entry.unmap(edge.clockMap, clocks[k]!.length);
    if (!before || !applyGuard(before, edge.guard) || !applyInvariants(before, clocks[k]!)) return undefined;
    W[k] = before;
  }
  // Forwards: concrete clock values u (ms), one delay per step.
  const times: number[] = [0];
  let u: number[] = clocks[0]!.map(() => 0);
  let now = 0;
  for (let k = 0; k < last; k++) {
    const d = delays(W[k]!, u);
    if (!d) return undefined;
    let delta = 0;
    if (!sys.urgent(states[k]!)) delta = chooseDelta(now, d.lo, d.loStrict, d.hi, d.hiStrict, unit);
    else if (!inside(0, d.lo, d.loStrict, d.hi, d.hiStrict)) return undefined;
    now += delta;
    times.push(now);
    const map = edges[k]!.clockMap;
    const moved = u;
    u = map.map((src) => (src < 0 ? 0 : moved[src]! + delta));
  }
  return { times };
}

/**
 * The delays d ≥ 0 that put the valuation `u` (of clocks 1…n−1 of `z`, as
 * numbers) into the zone `z`, an interval; undefined when there is none.
 * Differences between clocks do not change with a delay: `u` must already
 * meet them.
 */
function delays(z: Dbm, u: readonly number[]): { lo: number; loStrict: boolean; hi: number; hiStrict: boolean } | undefined {
  let lo = 0;
  let loStrict = false;
  let hi = INF;
  let hiStrict = true;
  for (let i = 1; i < z.n; i++) {
    const upper = z.get(i, 0); // x_i ≤ c
    if (upper !== INF) {
      const v = boundValue(upper) - u[i - 1]!;
      const s = isStrict(upper);
      if (v < hi || (v === hi && s && !hiStrict)) {
        hi = v;
        hiStrict = s;
      }
    }
    const lower = z.get(0, i); // −x_i ≤ c
    if (lower !== INF) {
      const v = -boundValue(lower) - u[i - 1]!;
      const s = isStrict(lower);
      if (v > lo || (v === lo && s && !loStrict)) {
        lo = v;
        loStrict = s;
      }
    }
    for (let j = 1; j < z.n; j++) {
      const b = z.get(i, j); // x_i − x_j ≤ c
      if (i === j || b === INF) continue;
      const diff = u[i - 1]! - u[j - 1]!;
      if (isStrict(b) ? !(diff < boundValue(b)) : !(diff <= boundValue(b))) return undefined;
    }
  }
  if (lo > hi || (lo === hi && (loStrict || hiStrict))) return undefined;
  return { lo, loStrict, hi, hiStrict };
}

/**
 * The instants of a path: one for the start and one per step taken from a
 * state where time may pass (steps from urgent states happen when the step
 * before them did).
 */
export function concretizeInstants<S, L>(sys: TimedSystem<S, L>, edges: readonly Edge<S, L>[]): number {
  let n = 1;
  let state = sys.initial();
  for (const edge of edges) {
    if (!sys.urgent(state)) n++;
    state = edge.target;
  }
  return n;
}

function inside(v: number, lo: number, loStrict: boolean, hi: number, hiStrict: boolean): boolean {
  return (loStrict ? v > lo : v >= lo) && (hiStrict ? v < hi : v <= hi);
}

/**
 * The rule that picks a delay from the interval of delays the rest of the
 * path allows (lower and upper bound, each strict or not), after absolute
 * time `prev`: the earliest whole `unit` of absolute time inside it, else its
 * lower end, else just above it. Exported for the earlier form that
 * test/engine/fixtures/concretizeStampClocks.ts keeps, so that the two differ
 * only in how they find the interval.
 */
export function chooseDelta(prev: number, lo: number, loStrict: boolean, hi: number, hiStrict: boolean, unit: number): number {
  // earliest whole unit of absolute time inside the interval
  const firstWhole = Math.ceil((prev + lo) / unit) * unit - prev;
  for (const c of [firstWhole, firstWhole + unit]) if (inside(c, lo, loStrict, hi, hiStrict)) return c;
  if (!loStrict) return lo;
  if (inside(lo + 1, lo, loStrict, hi, hiStrict)) return lo + 1;
  return hi === INF ? lo + 0.5 : (lo + hi) / 2;
}
