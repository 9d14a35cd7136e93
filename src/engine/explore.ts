import { Dbm } from './dbm.ts';
import { INF, le, lt } from './bound.ts';
import type { ClockGuard, ClockSpec, Edge, TimedSystem } from './timedSystem.ts';
import { mergeIntervals, type Interval } from './interval.ts';

/** What to look for while exploring: properties as predicates on edges and states. */
export interface Checks<S, L> {
  /** Property ids, in report order. */
  readonly ids: readonly string[];
  /** Ids of the properties this edge violates (a drop, an injected reset…). */
  edge?(source: S, edge: Edge<S, L>): readonly string[];
  /** Ids of the properties this state violates. */
  state?(s: S): readonly string[];
  /**
   * Index (into the clocks of `s`) of the clock whose value is the
   * violation's window, e.g. the connection's idle-gap observer clock. For an
   * edge it is read on the source side after the guard; for a state, on entry.
   */
  windowClock?(s: S, property: string, edge: Edge<S, L> | undefined): number | undefined;
}

/** Exploration limits and options. */
export interface ExploreOptions {
  readonly order?: 'bfs' | 'dfs';
  /** Stop (as incomplete) after this many symbolic states. */
  readonly maxStates?: number;
  /** Stop (as incomplete) after this many milliseconds. */
  readonly timeBudgetMs?: number;
  /** Stop at the first violation of every property (no windows beyond the first). */
  readonly stopAtFirst?: boolean;
  /** Called every `progressEvery` states. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
  /** A clock in ms (injected so the engine stays pure); defaults to Date.now. */
  readonly now?: () => number;
  /** A heap probe in bytes (the CLI passes process.memoryUsage). */
  readonly heap?: () => number;
  /** Stop (as incomplete) once the heap probe reads more than this many bytes (probed every 1024 states; needs `heap`). */
  readonly maxHeapBytes?: number;
  /** Called for every symbolic state kept (for reachable-graph reports and diagnostics). */
  readonly onState?: (id: number, s: unknown, zone: Dbm) => void;
  /** Called for every edge taken between kept states (`to` is the covering state's id when included). */
  readonly onEdge?: (from: number, to: number | undefined, label: unknown) => void;
}

/** Progress of a run. */
export interface Progress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly statesPerSecond: number;
}

/** One step of a symbolic path. */
export interface PathStep<S, L> {
  /** The edge taken (absent for the initial step). */
  readonly edge?: Edge<S, L>;
  readonly state: S;
  /** The zone after the step and the following delay. */
  readonly zone: Dbm;
  readonly clocks: readonly ClockSpec[];
}

/** A property's verdict. */
export type PropertyVerdict<S, L> =
  | { readonly id: string; readonly status: 'holds' }
  | { readonly id: string; readonly status: 'incomplete' }
  | {
      readonly id: string;
      readonly status: 'violated';
      /** The BFS path to the first violation found (shortest up to zone subsumption: a covered waiting zone is not expanded). */
      readonly path: readonly PathStep<S, L>[];
      /** The index in `path` of the violating step. */
      readonly at: number;
      /** Values of the window clock over all violations found, as a union of intervals. */
      readonly window: readonly Interval[];
    };

/** Statistics of a run. */
export interface ExploreStats {
  readonly states: number;
  readonly transitions: number;
  readonly discreteStates: number;
  readonly maxDepth: number;
  readonly ms: number;
  readonly peakHeapBytes?: number;
}

/** The result of an exploration: never a pass when a limit cut it short. */
export interface ExploreResult<S, L> {
  readonly complete: boolean;
  /** True when `stopAtFirst` ended the run with states still waiting (windows may be partial). */
  readonly stoppedEarly?: true;
  readonly stopReason?: 'max-states' | 'time-budget' | 'max-heap';
  readonly verdicts: readonly PropertyVerdict<S, L>[];
  readonly stats: ExploreStats;
}

/** Applies a guard to a zone whose clock k is DBM clock k+1. False when empty. */
export function applyGuard(z: Dbm, guard: readonly ClockGuard[]): boolean {
  for (const g of guard) {
    const x = g.clock + 1;
    switch (g.op) {
      case '<':
        if (!z.constrainInPlace(x, 0, lt(g.value))) return false;
        break;
      case '<=':
        if (!z.constrainInPlace(x, 0, le(g.value))) return false;
        break;
      case '==':
        if (!z.constrainInPlace(x, 0, le(g.value))) return false;
        if (!z.constrainInPlace(0, x, le(-g.value))) return false;
        break;
      case '>=':
        if (!z.constrainInPlace(0, x, le(-g.value))) return false;
        break;
      case '>':
        if (!z.constrainInPlace(0, x, lt(-g.value))) return false;
        break;
    }
  }
  return true;
}

/** Applies every clock invariant of a state. False when empty. */
export function applyInvariants(z: Dbm, clocks: readonly ClockSpec[]): boolean {
  for (let k = 0; k < clocks.length; k++) {
    const inv = clocks[k]!.invariant;
    if (inv !== undefined && !z.constrainInPlace(k + 1, 0, le(inv))) return false;
  }
  return true;
}

/**
 * Takes an edge symbolically: guard, clock remap (resets), target invariants,
 * delay (unless the target is urgent), invariants again. Returns the
 * un-extrapolated successor zone, or undefined when the edge is disabled.
 */
export function successorZone<S, L>(
  sys: TimedSystem<S, L>,
  zone: Dbm,
  edge: Edge<S, L>,
): { guarded: Dbm; next: Dbm } | undefined {
  const guarded = edge.guard.length === 0 ? zone : zone.clone();
  if (edge.guard.length > 0 && !applyGuard(guarded, edge.guard)) return undefined;
  const next = guarded.remap(edge.clockMap);
  const tclocks = sys.clocks(edge.target);
  if (!applyInvariants(next, tclocks)) return undefined;
  if (!sys.urgent(edge.target)) {
    next.upInPlace();
    if (!applyInvariants(next, tclocks)) return undefined;
  }
  return { guarded, next };
}

/** The initial zone of a system: all clocks 0, then delay unless urgent. */
export function initialZone<S, L>(sys: TimedSystem<S, L>, s: S): Dbm | undefined {
  const clocks = sys.clocks(s);
  const z = Dbm.zero(clocks.length + 1);
  if (!applyInvariants(z, clocks)) return undefined;
  if (!sys.urgent(s)) {
    z.upInPlace();
    if (!applyInvariants(z, clocks)) return undefined;
  }
  return z;
}

function maxVector(clocks: readonly ClockSpec[]): Float64Array {
  const v = new Float64Array(clocks.length + 1);
  for (let k = 0; k < clocks.length; k++) v[k + 1] = clocks[k]!.max;
  return v;
}

/** Indices of clocks with `dropAbove` whose every value in the zone is above it, or undefined. */
export function droppable(clocks: readonly ClockSpec[], z: Dbm): number[] | undefined {
  let out: number[] | undefined;
  for (let k = 0; k < clocks.length; k++) {
    const d = clocks[k]!.dropAbove;
    if (d !== undefined && z.get(0, k + 1) <= lt(-d)) (out ??= []).push(k);
  }
  return out;
}

/** 0..n-1 without the dropped indices. */
export function keepList(n: number, dropped: readonly number[]): number[] {
  const keep: number[] = [];
  for (let k = 0; k < n; k++) if (!dropped.includes(k)) keep.push(k);
  return keep;
}

function windowOf(z: Dbm, clock: number): Interval {
  const iv = z.interval(clock + 1);
  return { from: iv.lo, fromInclusive: !iv.loStrict, to: iv.hi === INF ? null : iv.hi, toInclusive: iv.hi !== INF && !iv.hiStrict };
}

/**
 * Explores the zone graph of a timed system exhaustively (breadth-first by
 * default, so counterexamples are short: shortest up to subsumption, since a
 * waiting zone covered by a later zone of the same state is not expanded, as
 * in UPPAAL's passed-waiting list), with maximal-constant
 * extrapolation and zone inclusion, checking the given properties on every
 * edge and state. Violations are results, never exceptions.
 */
export function explore<S, L>(sys: TimedSystem<S, L>, checks: Checks<S, L>, options: ExploreOptions = {}): ExploreResult<S, L> {
  const now = options.now ?? Date.now;
  const start = now();
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const budget = options.timeBudgetMs ?? Number.POSITIVE_INFINITY;
  const every = options.progressEvery ?? 10_000;

  const nodeState: S[] = [];
  const nodeZone: Dbm[] = [];
  const nodeParent: number[] = [];
  const nodeEdge: (Edge<S, L> | undefined)[] = [];
  const nodeDepth: number[] = [];
  const passed = new Map<string, number[]>();
  /** Nodes whose zone a later node's zone includes: their successors are covered by that node's. */
  const covered = new Set<number>();
  const edgeVerdicts = new WeakMap<Edge<S, L>, readonly string[]>();
  /** State verdicts depend only on the discrete state: computed once per state object. */
  const stateCache = new Map<S, readonly string[]>();
  const stateVerdicts = (s: S): readonly string[] => {
    let v = stateCache.get(s);
    if (v === undefined) {
      v = checks.state ? checks.state(s) : [];
      stateCache.set(s, v);
    }
    return v;
  };
  const reducedEdges = new WeakMap<Edge<S, L>, Map<string, Edge<S, L>>>();
  /** The edge that leads to the target without the dropped clocks (cached per edge and drop set). */
  const reduced = (edge: Edge<S, L>, dropped: readonly number[]): Edge<S, L> => {
    let m = reducedEdges.get(edge);
    if (!m) {
      m = new Map();
      reducedEdges.set(edge, m);
    }
    const k = dropped.join(',');
    let e = m.get(k);
    if (!e) {
      const keep = keepList(edge.clockMap.length, dropped);
      e = { ...edge, target: sys.dropClocks!(edge.target, dropped), clockMap: keep.map((j) => edge.clockMap[j]!) };
      m.set(k, e);
    }
    return e;
  };
  const maxVectors = new WeakMap<readonly ClockSpec[], Float64Array>();
  const maxOf = (clocks: readonly ClockSpec[]): Float64Array => {
    let v = maxVectors.get(clocks);
    if (!v) {
      v = maxVector(clocks);
      maxVectors.set(clocks, v);
    }
    return v;
  };

  const firstViolation = new Map<string, { node: number }>();
  const windows = new Map<string, Interval[]>();
  let transitions = 0;
  let maxDepth = 0;
  let peakHeap = options.heap ? options.heap() : 0;
  let stopReason: 'max-states' | 'time-budget' | 'max-heap' | undefined;
  const maxHeap = options.heap && options.maxHeapBytes !== undefined ? options.maxHeapBytes : Number.POSITIVE_INFINITY;

  const addNode = (s: S, z: Dbm, parent: number, edge: Edge<S, L> | undefined, depth: number): number | undefined => {
    const k = sys.key(s);
    let list = passed.get(k);
    if (list) {
      for (const idx of list) if (z.includedIn(nodeZone[idx]!)) return undefined;
      // Zones the new one covers leave the passed list; if still waiting, they need not be explored.
      list = list.filter((idx) => {
        if (!nodeZone[idx]!.includedIn(z)) return true;
        covered.add(idx);
        return false;
      });
      passed.set(k, list);
    } else {
      list = [];
      passed.set(k, list);
    }
    const id = nodeState.length;
    nodeState.push(s);
    nodeZone.push(z);
    nodeParent.push(parent);
    nodeEdge.push(edge);
    nodeDepth.push(depth);
    list.push(id);
    if (depth > maxDepth) maxDepth = depth;
    options.onState?.(id, s, z);
    return id;
  };

  const record = (prop: string, node: number, w: Interval | undefined) => {
    if (!firstViolation.has(prop)) firstViolation.set(prop, { node });
    if (w) {
      const l = windows.get(prop) ?? [];
      l.push(w);
      windows.set(prop, l);
    }
  };

  const checkState = (s: S, node: number, entryZone: Dbm, via: Edge<S, L> | undefined) => {
    if (!checks.state) return;
    for (const prop of stateVerdicts(s)) {
      const wc = checks.windowClock?.(s, prop, via);
      record(prop, node, wc === undefined ? undefined : windowOf(entryZone, wc));
    }
  };

  const s0 = sys.initial();
  const z0 = initialZone(sys, s0);
  const work: number[] = [];
  if (z0) {
    z0.extrapolateInPlace(maxVector(sys.clocks(s0)));
    const id = addNode(s0, z0, -1, undefined, 0)!;
    checkState(s0, id, z0, undefined);
    work.push(id);
  }
  const allFound = () => options.stopAtFirst === true && checks.ids.every((p) => firstViolation.has(p));

  let head = 0;
  let processed = 0;
  let stoppedEarly = false;
  while (options.order === 'dfs' ? work.length > 0 : head < work.length) {
    if (allFound()) {
      stoppedEarly = true;
      break;
    }
    if (nodeState.length >= maxStates) {
      stopReason = 'max-states';
      break;
    }
    if ((processed & 1023) === 0 && now() - start > budget) {
      stopReason = 'time-budget';
      break;
    }
    if ((processed & 1023) === 0 && maxHeap < Number.POSITIVE_INFINITY) {
      const used = options.heap!();
      if (used > peakHeap) peakHeap = used;
      if (used > maxHeap) {
        stopReason = 'max-heap';
        break;
      }
    }
    const cur = options.order === 'dfs' ? work.pop()! : work[head++]!;
    if (covered.has(cur)) continue;
    processed++;
    const s = nodeState[cur]!;
    const z = nodeZone[cur]!;
    const depth = nodeDepth[cur]!;
    for (const edge of sys.successors(s)) {
      const succ = successorZone(sys, z, edge);
      if (!succ) continue;
      transitions++;
      // Edge verdicts depend only on the discrete source and the edge: cache them on the edge.
      let violated = edgeVerdicts.get(edge);
      if (violated === undefined) {
        violated = checks.edge ? checks.edge(s, edge) : [];
        edgeVerdicts.set(edge, violated);
      }
      let { next } = succ;
      let kept: Edge<S, L> = edge;
      const dropped = sys.dropClocks ? droppable(sys.clocks(edge.target), next) : undefined;
      if (dropped) {
        kept = reduced(edge, dropped);
        next = next.remap(keepList(sys.clocks(edge.target).length, dropped));
      }
      // State checks read the window on the zone after the step, before extrapolation.
      const entry = checks.state && stateVerdicts(kept.target).length > 0 ? next.clone() : next;
      next.extrapolateInPlace(maxOf(sys.clocks(kept.target)));
      const id = addNode(kept.target, next, cur, kept, depth + 1);
      options.onEdge?.(cur, id, edge.label);
      for (const prop of violated) {
        const wc = checks.windowClock?.(s, prop, edge);
        // A violating edge that leads to an already-covered state still counts; its path ends at the parent.
        record(prop, id ?? cur, wc === undefined ? undefined : windowOf(succ.guarded, wc));
        if (id === undefined && firstViolation.get(prop)?.node === cur) {
          // remember the edge for the counterexample by adding an explicit node
          const extra = nodeState.length;
          nodeState.push(kept.target);
          nodeZone.push(next);
          nodeParent.push(cur);
          nodeEdge.push(kept);
          nodeDepth.push(depth + 1);
          firstViolation.set(prop, { node: extra });
        }
      }
      if (id !== undefined) {
        checkState(kept.target, id, entry, kept);
        work.push(id);
      }
    }
    if (options.onProgress && processed % every === 0) {
      if (options.heap) peakHeap = Math.max(peakHeap, options.heap());
      const ms = Math.max(1, now() - start);
      options.onProgress({ states: nodeState.length, transitions, depth, statesPerSecond: (nodeState.length * 1000) / ms });
    }
  }
  if (options.heap) peakHeap = Math.max(peakHeap, options.heap());

  const complete = stopReason === undefined;
  const verdicts: PropertyVerdict<S, L>[] = checks.ids.map((id) => {
    const v = firstViolation.get(id);
    if (!v) return complete ? { id, status: 'holds' as const } : { id, status: 'incomplete' as const };
    const path: PathStep<S, L>[] = [];
    for (let n = v.node; n >= 0; n = nodeParent[n]!) {
      const e = nodeEdge[n];
      const st = nodeState[n]!;
      path.push(e ? { edge: e, state: st, zone: nodeZone[n]!, clocks: sys.clocks(st) } : { state: st, zone: nodeZone[n]!, clocks: sys.clocks(st) });
    }
    path.reverse();
    return { id, status: 'violated' as const, path, at: path.length - 1, window: mergeIntervals(windows.get(id) ?? []) };
  });
  const stats: ExploreStats = {
    states: nodeState.length,
    transitions,
    discreteStates: passed.size,
    maxDepth,
    ms: now() - start,
    ...(options.heap ? { peakHeapBytes: peakHeap } : {}),
  };
  const early = stoppedEarly ? { stoppedEarly: true as const } : {};
  return stopReason ? { complete: false, stopReason, verdicts, stats, ...early } : { complete, verdicts, stats, ...early };
}
