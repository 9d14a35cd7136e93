import type { Checks } from './explore.ts';
import type { ClockSpec, Edge, GuardOp, TimedSystem } from './timedSystem.ts';

/**
 * Options of the brute-force discrete-time explorer.
 */
export interface DiscreteExploreOptions {
  /**
   * The time step, in the system's time unit (ms in midpath). Every guard
   * constant and invariant must be a multiple of it. Use the unit itself for
   * closed guards and half of it when strict guards (`<`, `>`) matter; see
   * {@link discreteExplore}.
   */
  readonly tick: number;
  readonly order?: 'bfs' | 'dfs';
  /** Stop (as incomplete) after this many concrete states. */
  readonly maxStates?: number;
}

/** One step of a discrete counterexample: wait `delay` time units, then take the edge labelled `label`. */
export interface DiscreteStep<L> {
  readonly delay: number;
  readonly label: L;
}

/**
 * A value of the window clock seen at a violation, in the system's time
 * unit. `above: true` means "any value above the clock's max" (the value was
 * capped, see {@link discreteExplore}) and `value` is then `max + tick`.
 */
export interface WindowSample {
  readonly value: number;
  readonly above: boolean;
}

/** A property's verdict on the discrete-time semantics. */
export type DiscreteVerdict<L> =
  | { readonly id: string; readonly status: 'holds' }
  | { readonly id: string; readonly status: 'incomplete' }
  | {
      readonly id: string;
      readonly status: 'violated';
      /** A shortest (in edges and ticks, BFS) sequence of delays and edges reaching the first violation found. */
      readonly trace: readonly DiscreteStep<L>[];
      /** Every window-clock value seen at a violation, sorted by value. */
      readonly windowSamples: readonly WindowSample[];
    };

/** The result of a discrete-time exploration; never a pass when cut short. */
export interface DiscreteExploreResult<L> {
  readonly complete: boolean;
  readonly stopReason?: 'max-states';
  readonly verdicts: readonly DiscreteVerdict<L>[];
  /** `sys.key(s)` of every reachable discrete state. */
  readonly keys: ReadonlySet<string>;
  /** Number of distinct concrete states (discrete state, capped integer clock valuation). */
  readonly states: number;
  /** Number of moves taken (edges and ticks), including those into already-seen states. */
  readonly transitions: number;
}

/** A guard or invariant constant in ticks; throws when it is not on the grid. */
function inTicks(value: number, tick: number, what: string): number {
  const t = value / tick;
  if (!Number.isInteger(t)) {
    throw new RangeError(`discreteExplore: ${what} ${value} is not a multiple of tick ${tick}; choose a tick that divides every guard and invariant constant (e.g. their gcd, halved for strict guards).`);
  }
  return t;
}

/** The capped value of a clock: one tick above the largest constant it is compared with. */
function capOf(c: ClockSpec, tick: number): number {
  const top = Math.max(c.max, c.invariant ?? 0);
  return Math.ceil(top / tick) + 1;
}

function holds(v: number, op: GuardOp, c: number): boolean {
  switch (op) {
    case '<':
      return v < c;
    case '<=':
      return v <= c;
    case '==':
      return v === c;
    case '>=':
      return v >= c;
    case '>':
      return v > c;
  }
}

function invariantsHold(clocks: readonly ClockSpec[], v: readonly number[], tick: number): boolean {
  for (let k = 0; k < clocks.length; k++) {
    const inv = clocks[k]!.invariant;
    if (inv !== undefined && v[k]! > inTicks(inv, tick, `invariant of ${clocks[k]!.name}`)) return false;
  }
  return true;
}

/**
 * Explores a {@link TimedSystem} by brute force over discrete time: an
 * independent cross-check of the zone explorer ({@link explore}) that shares
 * none of its zone code (no DBMs, no extrapolation, no inclusion).
 *
 * A state is a discrete state plus one integer per active clock, counting
 * ticks of length `tick`. A value above the clock's `max` (or invariant, if
 * larger) is capped at that bound plus one tick, the region-style
 * abstraction: no guard or invariant can tell such values apart, so the
 * state space is finite and the capping loses nothing. (Like the zone
 * explorer's extrapolation, this relies on the {@link ClockSpec} contract that
 * a clock's `max` bounds every constant it is compared with, on every state
 * the clock survives into.)
 *
 * Moves: a discrete edge whose guard holds on the current values (clocks the
 * edge's `clockMap` does not continue start at 0, and the target's
 * invariants must hold), or a tick that adds one to every clock, allowed when
 * the state is not urgent and every invariant `x ≤ inv` still holds after it.
 * Breadth-first by default, so traces are shortest in moves.
 *
 * Why the grid matters. Every discrete run is a dense-time run, so whatever
 * this explorer reaches the zone explorer must reach too: on any grid it can
 * miss states, never invent them. The converse holds when every guard and
 * invariant is closed (`≤`, `≥`, `==`) and `tick` divides every constant:
 * integer time then reaches every discrete state that real time does
 * (digitisation: Henzinger, Manna & Pnueli, "What good are digital
 * clocks?", ICALP 1992). A strict guard breaks this: `350 < x < 351` holds at
 * no integer. Running on a doubled grid (`tick = unit / 2`) makes `x > 350`
 * true at 350.5, which suffices when one strict comparison at a time decides
 * reachability (the Fischer and observer toy models). Strict bounds chained
 * across clocks can need a finer grid still: after `0 < x < 1` resets `x` at
 * t1, `z < 2 ∧ x > 1` at t2 needs 0 < t1 < t2 - 1 < 1: two distinct values
 * strictly between consecutive integers, which halves lack and thirds have
 * (t1 = 1/3, t2 = 5/3). A grid of
 * `unit / (n + 1)` for n clocks gives every ordering of fractional parts a
 * point (and is what the tests cross-check against the zone explorer on
 * random chains); to stay in exact arithmetic, multiply the constants by
 * n + 1 and keep `tick = 1` rather than passing a `tick` such as 1/3.
 *
 * Checks are those of {@link explore}: an edge check on every edge taken, a
 * state check on every state entered (and the initial one); the window clock
 * is read on the source values for an edge and on entry for a state.
 */
export function discreteExplore<S, L>(
  sys: TimedSystem<S, L>,
  checks: Checks<S, L>,
  options: DiscreteExploreOptions,
): DiscreteExploreResult<L> {
  const { tick } = options;
  if (!(tick > 0) || !Number.isFinite(tick)) throw new RangeError(`discreteExplore: tick must be a positive finite number, got ${tick}`);
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;

  const stateOf: S[] = [];
  const valuesOf: number[][] = [];
  const parentOf: number[] = [];
  /** The edge label that led here, or undefined for a tick (or the initial state). */
  const moveOf: ({ label: L } | undefined)[] = [];
  const seen = new Map<string, number>();
  const keys = new Set<string>();
  const firstViolation = new Map<string, number>();
  const samples = new Map<string, Map<string, WindowSample>>();
  let transitions = 0;
  let stopReason: 'max-states' | undefined;

  const add = (s: S, v: number[], parent: number, move: { label: L } | undefined): number | undefined => {
    const dk = sys.key(s);
    const k = `${dk}|${v.join(',')}`;
    if (seen.has(k)) return undefined;
    const id = stateOf.length;
    seen.set(k, id);
    keys.add(dk);
    stateOf.push(s);
    valuesOf.push(v);
    parentOf.push(parent);
    moveOf.push(move);
    return id;
  };

  const record = (prop: string, node: number, clocks: readonly ClockSpec[], v: readonly number[], wc: number | undefined) => {
    if (!firstViolation.has(prop)) firstViolation.set(prop, node);
    if (wc === undefined) return;
    const c = clocks[wc];
    const ticks = v[wc];
    if (c === undefined || ticks === undefined) return;
    const above = ticks >= capOf(c, tick);
    const sample: WindowSample = { value: ticks * tick, above };
    const m = samples.get(prop) ?? new Map<string, WindowSample>();
    m.set(`${sample.value}${above ? '+' : ''}`, sample);
    samples.set(prop, m);
  };

  const checkState = (s: S, node: number, v: readonly number[], via: Edge<S, L> | undefined) => {
    if (!checks.state) return;
    const clocks = sys.clocks(s);
    for (const prop of checks.state(s)) record(prop, node, clocks, v, checks.windowClock?.(s, prop, via));
  };

  /** Removes clocks past their `dropAbove` (as the zone explorer does; see ClockSpec.dropAbove). */
  const dropPast = (st: S, vals: number[]): [S, number[]] => {
    if (!sys.dropClocks) return [st, vals];
    const cl = sys.clocks(st);
    const dropped: number[] = [];
    for (let k = 0; k < cl.length; k++) {
      const d = cl[k]!.dropAbove;
      if (d !== undefined && vals[k]! * tick > d) dropped.push(k);
    }
    if (dropped.length === 0) return [st, vals];
    return [sys.dropClocks(st, dropped), vals.filter((_, k) => !dropped.includes(k))];
  };

  const s0 = sys.initial();
  const clocks0 = sys.clocks(s0);
  const v0 = clocks0.map(() => 0);
  const work: number[] = [];
  if (invariantsHold(clocks0, v0, tick)) {
    const id = add(s0, v0, -1, undefined)!;
    checkState(s0, id, v0, undefined);
    work.push(id);
  }

  let head = 0;
  while (options.order === 'dfs' ? work.length > 0 : head < work.length) {
    if (seen.size >= maxStates) {
      stopReason = 'max-states';
      break;
    }
    const cur = options.order === 'dfs' ? work.pop()! : work[head++]!;
    const s = stateOf[cur]!;
    const v = valuesOf[cur]!;
    const clocks = sys.clocks(s);

    for (const edge of sys.successors(s)) {
      const enabled = edge.guard.every((g) => {
        const c = clocks[g.clock];
        if (c === undefined) throw new RangeError(`discreteExplore: guard on clock ${g.clock} of ${sys.key(s)}, which has ${clocks.length} clocks`);
        return holds(v[g.clock]!, g.op, inTicks(g.value, tick, `guard constant on ${c.name}`));
      });
      if (!enabled) continue;
      const tclocks = sys.clocks(edge.target);
      const next0 = edge.clockMap.map((src, k) => (src < 0 ? 0 : Math.min(v[src]!, capOf(tclocks[k]!, tick))));
      if (!invariantsHold(tclocks, next0, tick)) continue;
      transitions++;
      const violated = checks.edge ? checks.edge(s, edge) : [];
      const [target, next] = dropPast(edge.target, next0);
      const id = add(target, next, cur, { label: edge.label });
      for (const prop of violated) {
        let node = id;
        if (node === undefined && !firstViolation.has(prop)) {
          // The target was seen before; keep an explicit node so the trace ends with this edge.
          node = stateOf.length;
          stateOf.push(target);
          valuesOf.push(next);
          parentOf.push(cur);
          moveOf.push({ label: edge.label });
        }
        record(prop, node ?? cur, clocks, v, checks.windowClock?.(s, prop, edge));
      }
      if (id !== undefined) {
        checkState(target, id, next, edge);
        work.push(id);
      }
    }

    if (!sys.urgent(s)) {
      const later0 = v.map((x, k) => Math.min(x + 1, capOf(clocks[k]!, tick)));
      if (invariantsHold(clocks, later0, tick)) {
        transitions++;
        const [s2, later] = dropPast(s, later0);
        const id = add(s2, later, cur, undefined);
        if (id !== undefined) work.push(id);
      }
    }
  }

  const complete = stopReason === undefined;
  const verdicts: DiscreteVerdict<L>[] = checks.ids.map((id) => {
    const node = firstViolation.get(id);
    if (node === undefined) return complete ? { id, status: 'holds' as const } : { id, status: 'incomplete' as const };
    const trace: DiscreteStep<L>[] = [];
    let ticks = 0;
    const moves: ({ label: L } | undefined)[] = [];
    for (let n = node; parentOf[n]! >= 0; n = parentOf[n]!) moves.push(moveOf[n]);
    moves.reverse();
    for (const m of moves) {
      if (m === undefined) ticks++;
      else {
        trace.push({ delay: ticks * tick, label: m.label });
        ticks = 0;
      }
    }
    const windowSamples = [...(samples.get(id)?.values() ?? [])].sort((a, b) => a.value - b.value || Number(a.above) - Number(b.above));
    return { id, status: 'violated' as const, trace, windowSamples };
  });
  const base = { verdicts, keys, states: seen.size, transitions };
  return stopReason ? { complete: false, stopReason, ...base } : { complete: true, ...base };
}
