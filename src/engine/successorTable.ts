import { le, lt } from './bound.ts';
import type { ClockGuard, Edge, LazyEdge, TimedSystem } from './timedSystem.ts';

/**
 * The discrete part of a {@link TimedSystem} compiled into integer tables,
 * built lazily as the explorer reaches states and reused by every later
 * exploration of the same system object ({@link SuccessorTable.of}):
 * discrete states interned by key to ids; per state its DBM dimension,
 * invariant bounds, extrapolation constants, urgency and droppable clocks;
 * per edge its source and target ids, its guard as DBM constraints
 * `x_i - x_j ≺ b` and its clock map as DBM indices. The explorer's hot loop
 * then reads only numbers; the system is asked for each state's successors
 * once. Exact: the tables are a pure function of the system (its states'
 * keys determine their clocks and successors, timedSystem.ts).
 *
 * When the system offers {@link TimedSystem.lazySuccessors}, an edge's
 * target (and its clock map) is interned only when the explorer first finds
 * its guard satisfied ({@link SuccessorTable.materialize}): on KB 16099 about
 * 60 % of the edges never are, and their targets are never built.
 */
export class SuccessorTable<S, L> {
  private static readonly tables = new WeakMap<object, SuccessorTable<unknown, unknown>>();

  /** The table of a system, created on first use and kept as long as the system lives. */
  static of<S, L>(sys: TimedSystem<S, L>): SuccessorTable<S, L> {
    let t = SuccessorTable.tables.get(sys) as SuccessorTable<S, L> | undefined;
    if (!t) {
      t = new SuccessorTable(sys);
      SuccessorTable.tables.set(sys, t as SuccessorTable<unknown, unknown>);
    }
    return t;
  }

  private readonly ids = new Map<string, number>();
  /** Per state: the first state object seen with its key. */
  readonly state: S[] = [];
  /** Per state: DBM dimension (clocks + 1). */
  readonly dim: number[] = [];
  /** Per state: 1 when time may not pass. */
  readonly urgent: number[] = [];
  /** Per state: invariant constraints as pairs (DBM clock index, bound `≤ invariant`). */
  readonly invariants: (readonly number[])[] = [];
  /** Per state: extrapolation constants, index 0 being 0. */
  readonly max: Float64Array[] = [];
  /** Per state: pairs (clock index, bound `< -dropAbove`) of clocks with `dropAbove`, or undefined. */
  readonly drop: (readonly number[] | undefined)[] = [];
  /** Per state: its edge ids, once asked for. */
  private readonly out: (readonly number[] | undefined)[] = [];

  /** Per edge: the edge object (for paths, labels and property checks); undefined until materialized. */
  readonly edge: (Edge<S, L> | undefined)[] = [];
  readonly source: number[] = [];
  /** Per edge: the target state id, or -1 until {@link materialize} builds it. */
  readonly target: number[] = [];
  /** Per edge not yet materialized: the lazy edge to build it from. */
  private readonly lazy: (LazyEdge<S, L> | undefined)[] = [];
  /** Per edge: guard constraints as triples (i, j, bound) of `x_i - x_j ≺ bound`, in the guard's order. */
  readonly guard: (readonly number[])[] = [];
  /** Per edge: target DBM index → source DBM index (0 for a clock reset on the edge; entry 0 is 0); empty until materialized. */
  readonly srcOf: Int32Array[] = [];
  private readonly reducedEdges: (Map<string, number> | undefined)[] = [];

  /** The largest node count and arena size (entries) an exploration of this table reached: the next one starts with that room. */
  nodeHint = 0;
  arenaHint = 0;

  private constructor(readonly sys: TimedSystem<S, L>) {}

  /** Number of discrete states interned so far. */
  get size(): number {
    return this.state.length;
  }

  /** The id of a discrete state (interning it on first sight). */
  intern(s: S): number {
    const k = this.sys.key(s);
    const hit = this.ids.get(k);
    if (hit !== undefined) return hit;
    const id = this.state.length;
    this.ids.set(k, id);
    this.state.push(s);
    const clocks = this.sys.clocks(s);
    this.dim.push(clocks.length + 1);
    this.urgent.push(this.sys.urgent(s) ? 1 : 0);
    const inv: number[] = [];
    const max = new Float64Array(clocks.length + 1);
    let drop: number[] | undefined;
    for (let k2 = 0; k2 < clocks.length; k2++) {
      const c = clocks[k2]!;
      max[k2 + 1] = c.max;
      if (c.invariant !== undefined) inv.push(k2 + 1, le(c.invariant));
      if (c.dropAbove !== undefined) (drop ??= []).push(k2, lt(-c.dropAbove));
    }
    this.invariants.push(inv);
    this.max.push(max);
    this.drop.push(this.sys.dropClocks ? drop : undefined);
    this.out.push(undefined);
    return id;
  }

  /** The edge ids leaving state `id` (asks the system once per state). */
  edgesOf(id: number): readonly number[] {
    const hit = this.out[id];
    if (hit) return hit;
    const list: number[] = [];
    const s = this.state[id]!;
    if (this.sys.lazySuccessors) {
      for (const e of this.sys.lazySuccessors(s)) list.push(this.addLazyEdge(id, e));
    } else {
      for (const e of this.sys.successors(s)) list.push(this.addEdge(id, e));
    }
    this.out[id] = list;
    return list;
  }

  /**
   * The target id of edge `e`, building the edge's target and clock map on
   * first use (a lazy edge, see the class comment).
   */
  materialize(e: number): number {
    const t = this.target[e]!;
    if (t >= 0) return t;
    const full = this.lazy[e]!.materialize();
    this.lazy[e] = undefined;
    this.edge[e] = full;
    this.srcOf[e] = srcOfMap(full.clockMap);
    const tid = this.intern(full.target);
    this.target[e] = tid;
    return tid;
  }

  private addEdge(source: number, e: Edge<S, L>): number {
    const id = this.edge.length;
    this.edge.push(e);
    this.lazy.push(undefined);
    this.source.push(source);
    this.target.push(this.intern(e.target));
    this.guard.push(guardConstraints(e.guard));
    this.srcOf.push(srcOfMap(e.clockMap));
    this.reducedEdges.push(undefined);
    return id;
  }

  private addLazyEdge(source: number, e: LazyEdge<S, L>): number {
    const id = this.edge.length;
    this.edge.push(undefined);
    this.lazy.push(e);
    this.source.push(source);
    this.target.push(-1);
    this.guard.push(guardConstraints(e.guard));
    this.srcOf.push(NO_MAP);
    this.reducedEdges.push(undefined);
    return id;
  }

  /**
   * The edge `e` leading to its target without the given clocks (indices,
   * ascending; TimedSystem.dropClocks), as an edge id, cached per edge and
   * drop set.
   */
  reduced(e: number, dropped: readonly number[]): number {
    let m = this.reducedEdges[e];
    if (!m) {
      m = new Map();
      this.reducedEdges[e] = m;
    }
    const k = dropped.join(',');
    const hit = m.get(k);
    if (hit !== undefined) return hit;
    this.materialize(e);
    const edge = this.edge[e]!;
    const keep: number[] = [];
    for (let j = 0; j < edge.clockMap.length; j++) if (!dropped.includes(j)) keep.push(j);
    const r = this.addEdge(this.source[e]!, { ...edge, target: this.sys.dropClocks!(edge.target, dropped), clockMap: keep.map((j) => edge.clockMap[j]!) });
    m.set(k, r);
    return r;
  }
}

const NO_MAP = new Int32Array(0);

/** A clock map as DBM indices: target DBM index → source DBM index (0 for a reset clock; entry 0 is 0). */
function srcOfMap(clockMap: readonly number[]): Int32Array {
  const src = new Int32Array(clockMap.length + 1);
  for (let k = 0; k < clockMap.length; k++) src[k + 1] = clockMap[k]! < 0 ? 0 : clockMap[k]! + 1;
  return src;
}

/** A guard as DBM constraints (i, j, bound): `x_i - x_j ≺ bound`, clock k being DBM index k + 1. */
export function guardConstraints(guard: readonly ClockGuard[]): number[] {
  const out: number[] = [];
  for (const g of guard) {
    const x = g.clock + 1;
    switch (g.op) {
      case '<':
        out.push(x, 0, lt(g.value));
        break;
      case '<=':
        out.push(x, 0, le(g.value));
        break;
      case '==':
        out.push(x, 0, le(g.value), 0, x, le(-g.value));
        break;
      case '>=':
        out.push(0, x, le(-g.value));
        break;
      case '>':
        out.push(0, x, lt(-g.value));
        break;
    }
  }
  return out;
}
