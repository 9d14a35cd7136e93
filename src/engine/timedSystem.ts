/**
 * The generic timed transition system the symbolic explorer explores. It
 * knows nothing of TCP: a system has discrete states, each with an ordered
 * list of active clocks; edges carry clock guards and say which clocks of the
 * target continue which clocks of the source (the rest start at 0).
 *
 * This is how xstate's `after` timers become timed-automaton clocks
 * (design.md, "Time"): a raise starts a clock with invariant `x ≤ delay`,
 * the delayed event is an edge guarded by `x ≥ delay`, a cancel drops the
 * clock. Clocks exist only while active, so inactive clocks never split
 * zones (active-clock reduction).
 */

/** One clock of a discrete state. */
export interface ClockSpec {
  /** Stable name, shown in traces (e.g. `gwlb.flow0:idle`). */
  readonly name: string;
  /** Largest constant this clock is compared with (for extrapolation). */
  readonly max: number;
  /** Invariant `x ≤ invariant` while this clock is active (an eager timer), if any. */
  readonly invariant?: number;
  /**
   * The clock matters only while `x ≤ dropAbove` (it is only ever compared
   * as `x > dropAbove`): once every valuation of the zone has
   * `x > dropAbove`, the explorer removes it with {@link TimedSystem.dropClocks}.
   * Exact, and it keeps such clocks from splitting zones forever.
   */
  readonly dropAbove?: number;
}

/** Comparison of a guard. */
export type GuardOp = '<' | '<=' | '==' | '>=' | '>';

/** A guard `clock op value`, the clock given by its index in the source state's clock list. */
export interface ClockGuard {
  readonly clock: number;
  readonly op: GuardOp;
  readonly value: number;
}

/** A discrete edge. */
export interface Edge<S, L> {
  readonly label: L;
  readonly target: S;
  /** Conjunction of guards over the source clocks. */
  readonly guard: readonly ClockGuard[];
  /**
   * One entry per clock of the target: the index of the source clock it
   * continues, or -1 when it starts at 0 (is reset) on this edge.
   */
  readonly clockMap: readonly number[];
}

/**
 * An edge whose target is built only when asked for: the guard is known,
 * the target (its key, clocks and clock map) is computed by `materialize`,
 * once (the same object every call). A system offers these through
 * {@link TimedSystem.lazySuccessors} so that an explorer can skip building
 * the targets of edges whose guard no zone ever satisfies.
 */
export interface LazyEdge<S, L> {
  readonly guard: readonly ClockGuard[];
  materialize(): Edge<S, L>;
}

/** A timed transition system. */
export interface TimedSystem<S, L> {
  /** The initial discrete state; its clocks all start at 0. */
  initial(): S;
  /** The ordered clocks of a state. Two states with equal keys have equal clock lists. */
  clocks(s: S): readonly ClockSpec[];
  /** A canonical key of the discrete part of a state. */
  key(s: S): string;
  /** True when time may not pass in this state (segments in flight). */
  urgent(s: S): boolean;
  /** The discrete edges leaving a state. */
  successors(s: S): readonly Edge<S, L>[];
  /**
   * The same edges as {@link successors}, in the same order, with targets
   * built on demand (`materialize()` returns the very objects `successors`
   * returns). Optional: an explorer falls back to `successors`.
   */
  lazySuccessors?(s: S): readonly LazyEdge<S, L>[];
  /** The same state without the given clocks (indices, ascending); needed when any clock has `dropAbove`. */
  dropClocks?(s: S, clocks: readonly number[]): S;
}
