import { Dbm } from './dbm.ts';
import * as bound from './bound.ts';
import { boundValue, isStrict, le, lt } from './bound.ts';
import { constrainAt, extrapolateAt, includedAt, remapAt, upAt } from './flatDbm.ts';
import { SuccessorTable } from './successorTable.ts';
import type { ClockGuard, ClockSpec, Edge, TimedSystem } from './timedSystem.ts';
import { mergeIntervals, type Interval } from './interval.ts';

// bound.ts's codes as literals, checked once when this module loads (see flatDbm.ts):
// the hot loop reads them per entry.
const INF = Number.POSITIVE_INFINITY;
const LE_ZERO = 1;
if (bound.INF !== INF || bound.LE_ZERO !== LE_ZERO) throw new Error('explore.ts: its bound codes differ from bound.ts');

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

/** 0..n-1 without the dropped indices. */
export function keepList(n: number, dropped: readonly number[]): number[] {
  const keep: number[] = [];
  for (let k = 0; k < n; k++) if (!dropped.includes(k)) keep.push(k);
  return keep;
}


/** The window interval of clock `clock` (a system clock index) of the DBM at `o`. */
function windowAt(m: Float64Array, o: number, n: number, clock: number): Interval {
  const lower = m[o + clock + 1]!;
  const upper = m[o + (clock + 1) * n]!;
  return {
    from: 0 - boundValue(lower), // not -boundValue: a lower bound ≤ 0 must read as 0, not -0
    fromInclusive: !isStrict(lower),
    to: upper === INF ? null : boundValue(upper),
    toInclusive: upper !== INF && !isStrict(upper),
  };
}

/** A larger arena holding the first `top` entries of `a`, with room for `need` more. */
function grow(a: Float64Array, top: number, need: number): Float64Array {
  const b = new Float64Array(Math.max(a.length * 2, top + need));
  b.set(a.subarray(0, top));
  return b;
}

/** Copies `len` entries of `a` from `from` into `b` at 0. */
function copyOut(a: Float64Array, from: number, b: Float64Array, len: number): void {
  for (let k = 0; k < len; k++) b[k] = a[from + k]!;
}

const NONE: readonly string[] = [];

/** Fields of a node row (explore's node table). */
const NODE_FIELDS = 6;
const F_STATE = 0;
const F_OFF = 1;
const F_PARENT = 2;
const F_EDGE = 3;
const F_DEPTH = 4;
const F_COVERED = 5;

/** Per (system, checks) pair: the check results, which depend only on discrete states and edges. */
interface CheckCache {
  readonly edgeVerdicts: (readonly string[] | undefined)[];
  readonly edgeWindowClocks: ((number | undefined)[] | undefined)[];
  readonly stateVerdicts: (readonly string[] | undefined)[];
  readonly stateWindowClocks: ((number | undefined)[] | undefined)[];
}
const checkCaches = new WeakMap<object, WeakMap<object, CheckCache>>();
function checkCacheOf(table: object, checks: object): CheckCache {
  let perTable = checkCaches.get(table);
  if (!perTable) {
    perTable = new WeakMap();
    checkCaches.set(table, perTable);
  }
  let c = perTable.get(checks);
  if (!c) {
    c = { edgeVerdicts: [], edgeWindowClocks: [], stateVerdicts: [], stateWindowClocks: [] };
    perTable.set(checks, c);
  }
  return c;
}

/**
 * Explores the zone graph of a timed system exhaustively (breadth-first by
 * default, so counterexamples are short: shortest up to subsumption, since a
 * waiting zone covered by a later zone of the same state is not expanded, as
 * in UPPAAL's passed-waiting list), with maximal-constant
 * extrapolation and zone inclusion, checking the given properties on every
 * edge and state. Violations are results, never exceptions.
 *
 * Implementation (issue 15): the discrete part is read from the system's
 * {@link SuccessorTable} (integer ids, guards and clock maps as DBM indices,
 * kept across explorations of the same system object, as are the check
 * results per discrete state and edge for the same `checks` object); every
 * zone lives in one growing `Float64Array` arena (flatDbm.ts); a successor
 * is built in place at the arena's top and kept only if no zone of its
 * state includes it; a guard is first checked constraint by constraint
 * against the source zone, so a disabled edge costs no copy. Same zones,
 * states, transitions, verdicts, windows and paths as the plain `Dbm`
 * explorer it replaced (test/engine/arenaExplore.test.ts).
 */
export function explore<S, L>(sys: TimedSystem<S, L>, checks: Checks<S, L>, options: ExploreOptions = {}): ExploreResult<S, L> {
  const now = options.now ?? Date.now;
  const start = now();
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const budget = options.timeBudgetMs ?? Number.POSITIVE_INFINITY;
  const every = options.progressEvery ?? 10_000;
  const dfs = options.order === 'dfs';
  const onState = options.onState;
  const onEdge = options.onEdge;
  const T = SuccessorTable.of(sys);
  const tDim = T.dim;
  const tUrgent = T.urgent;
  const tInv = T.invariants;
  const tMax = T.max;
  const tDrop = T.drop;
  const tTarget = T.target;
  const tGuard = T.guard;
  const tSrc = T.srcOf;
  const tEdge = T.edge;
  const cache = checkCacheOf(T, checks);
  const edgeVerdicts = cache.edgeVerdicts;
  const stateVerdictCache = cache.stateVerdicts;

  /** Every zone, row-major at its node's offset; the candidate successor is built at `top`. */
  // Sized from the last exploration of this table, else 8 MB: pages never written cost no memory.
  let A: Float64Array = new Float64Array(Math.max(1 << 20, T.arenaHint));
  let top = 0;
  /** Scratch for a guarded source zone. */
  let G: Float64Array = new Float64Array(256);

  // ---- nodes (symbolic states) ----
  // One Int32Array row of NODE_FIELDS per node (no per-node garbage-collected objects):
  // discrete state id, zone offset in the arena, parent node, edge that reached it, depth,
  // and 1 when a later node's zone includes its zone (its successors are covered by that node's).
  let N = new Int32Array(NODE_FIELDS * Math.max(1024, T.nodeHint));
  let nodeCount = 0;
  /** Per discrete state id: the nodes of its passed list. */
  const passed: (number[] | undefined)[] = [];
  let discreteStates = 0;

  const s0 = sys.initial();
  /** The state object of a node (the target of the edge that reached it, exactly as the system built it). */
  const stateObj = (node: number): S => {
    const e = N[node * NODE_FIELDS + F_EDGE]!;
    return e < 0 ? s0 : tEdge[e]!.target;
  };
  const stateVerdicts = (id: number, s: S): readonly string[] => {
    let v = stateVerdictCache[id];
    if (v === undefined) {
      v = checks.state ? checks.state(s) : NONE;
      stateVerdictCache[id] = v;
    }
    return v;
  };

  const firstViolation = new Map<string, { node: number }>();
  let transitions = 0;
  let maxDepth = 0;
  let peakHeap = options.heap ? options.heap() : 0;
  let stopReason: 'max-states' | 'time-budget' | 'max-heap' | undefined;
  const maxHeap = options.heap && options.maxHeapBytes !== undefined ? options.maxHeapBytes : Number.POSITIVE_INFINITY;

  /** Per property: the union of the windows so far (sorted, disjoint) and windows not yet merged into it. */
  const merged = new Map<string, Interval[]>();
  const pending = new Map<string, Interval[]>();
  const record = (prop: string, node: number) => {
    if (!firstViolation.has(prop)) firstViolation.set(prop, { node });
  };
  /** Adds the window of `clock` in the DBM at `o` to `prop`'s union, unless the union already covers it. */
  const recordWindow = (prop: string, m: Float64Array, o: number, n: number, clock: number) => {
    const lower = m[o + clock + 1]!;
    const upper = m[o + (clock + 1) * n]!;
    const from = 0 - boundValue(lower);
    const fromIn = !isStrict(lower);
    const to = upper === INF ? null : boundValue(upper);
    const toIn = upper !== INF && !isStrict(upper);
    const u = merged.get(prop);
    if (u) {
      for (const iv of u) {
        const startsIn = iv.from < from || (iv.from === from && (iv.fromInclusive || !fromIn));
        const endsIn = iv.to === null || (to !== null && (to < iv.to || (to === iv.to && (iv.toInclusive || !toIn))));
        if (startsIn && endsIn) return;
      }
    }
    let p = pending.get(prop);
    if (!p) {
      p = [];
      pending.set(prop, p);
    }
    p.push({ from, fromInclusive: fromIn, to, toInclusive: toIn });
    if (p.length >= 16) {
      merged.set(prop, mergeIntervals([...(u ?? []), ...p]));
      p.length = 0;
    }
  };
  const addWindow = (prop: string, w: Interval) => {
    let p = pending.get(prop);
    if (!p) {
      p = [];
      pending.set(prop, p);
    }
    p.push(w);
    if (p.length >= 16) {
      merged.set(prop, mergeIntervals([...(merged.get(prop) ?? []), ...p]));
      p.length = 0;
    }
  };
  const windowsOf = (prop: string): Interval[] => mergeIntervals([...(merged.get(prop) ?? []), ...(pending.get(prop) ?? [])]);
  const pushNode = (t: number, off: number, parent: number, edge: number, depth: number): number => {
    const id = nodeCount++;
    if (nodeCount * NODE_FIELDS > N.length) {
      const bigger = new Int32Array(N.length * 2);
      bigger.set(N);
      N = bigger;
    }
    const r = id * NODE_FIELDS;
    N[r + F_STATE] = t;
    N[r + F_OFF] = off;
    N[r + F_PARENT] = parent;
    N[r + F_EDGE] = edge;
    N[r + F_DEPTH] = depth;
    N[r + F_COVERED] = 0;
    return id;
  };

  /** The waiting list: node ids, a queue (BFS, from `head`) or a stack (DFS). */
  let W = new Int32Array(Math.max(1024, T.nodeHint));
  let wlen = 0;
  const enqueue = (id: number) => {
    if (wlen === W.length) {
      const bigger = new Int32Array(W.length * 2);
      bigger.set(W);
      W = bigger;
    }
    W[wlen++] = id;
  };
  {
    const sid = T.intern(s0);
    const n = tDim[sid]!;
    const len = n * n;
    A.fill(LE_ZERO, 0, len);
    const inv = tInv[sid]!;
    let ok = true;
    for (let k = 0; ok && k < inv.length; k += 2) ok = constrainAt(A, 0, n, inv[k]!, 0, inv[k + 1]!);
    if (ok && tUrgent[sid] === 0) {
      upAt(A, 0, n);
      for (let k = 0; ok && k < inv.length; k += 2) ok = constrainAt(A, 0, n, inv[k]!, 0, inv[k + 1]!);
    }
    if (ok) {
      extrapolateAt(A, 0, n, tMax[sid]!);
      passed[sid] = [0];
      discreteStates++;
      pushNode(sid, 0, -1, -1, 0);
      top = len;
      if (onState) onState(0, s0, Dbm.fromMatrix(n, A.slice(0, len)));
      if (checks.state) {
        for (const prop of stateVerdicts(sid, s0)) {
          const wc = checks.windowClock?.(s0, prop, undefined);
          record(prop, 0);
          if (wc !== undefined) recordWindow(prop, A, 0, n, wc);
        }
      }
      enqueue(0);
    }
  }
  const allFound = () => options.stopAtFirst === true && checks.ids.every((p) => firstViolation.has(p));

  /**
   * Records the violations of an edge taken from node `cur` (`id`: the node it
   * reached, undefined when an existing zone included it). Rare, so kept out of
   * {@link expand}: new type feedback here does not throw away expand's optimised code.
   */
  const edgeViolations = (cur: number, e: number, id: number | undefined, kt: number, ke: number, len: number, depth: number, violated: readonly string[], guarded: Float64Array | undefined, go: number, n: number, zo: number, g: readonly number[]): void => {
    let wcs = cache.edgeWindowClocks[e];
    if (!wcs) {
      const s = stateObj(cur);
      const edgeObj = tEdge[e]!;
      wcs = violated.map((prop) => checks.windowClock?.(s, prop, edgeObj));
      cache.edgeWindowClocks[e] = wcs;
    }
    let gm: Float64Array;
    if (guarded === undefined) {
      // the scratch no longer holds the guarded source zone: rebuild it
      const nn = n * n;
      if (G.length < nn) G = new Float64Array(nn * 2);
      gm = G;
      go = 0;
      copyOut(A, zo, G, nn);
      for (let k = 0; k < g.length; k += 3) constrainAt(G, 0, n, g[k]!, g[k + 1]!, g[k + 2]!);
    } else gm = guarded;
    let extraOff = -1;
    for (let k = 0; k < violated.length; k++) {
      const prop = violated[k]!;
      const wc = wcs[k];
      // A violating edge that leads to an already-covered state still counts; its path ends at the parent.
      record(prop, id ?? cur);
      if (wc !== undefined) recordWindow(prop, gm, go, n, wc);
      if (id === undefined && firstViolation.get(prop)?.node === cur) {
        // remember the edge for the counterexample by adding an explicit node (in no passed list)
        if (extraOff < 0) {
          extraOff = top;
          top += len;
        }
        firstViolation.set(prop, { node: pushNode(kt, extraOff, cur, ke, depth + 1) });
      }
    }
  };

  /** Reads the windows of the state verdicts `sv` on the candidate zone at the arena's top (before extrapolation). */
  const readEntryWindows = (ke: number, kn: number, sv: readonly string[]): void => {
    let wcs = cache.stateWindowClocks[ke];
    if (!wcs) {
      const kept = tEdge[ke]!;
      wcs = sv.map((prop) => checks.windowClock?.(kept.target, prop, kept));
      cache.stateWindowClocks[ke] = wcs;
    }
    entryWindows = wcs.map((wc) => (wc === undefined ? undefined : windowAt(A, top, kn, wc)));
  };

  /** Records the state verdicts of a node just kept, with the windows read on entry ({@link expand}). */
  const stateViolations = (id: number, sv: readonly string[]): void => {
    for (let k = 0; k < sv.length; k++) {
      record(sv[k]!, id);
      const w = entryWindows[k];
      if (w) addWindow(sv[k]!, w);
    }
  };

  /** Expands node `cur`: every edge of its discrete state, from its zone (the hot loop; its own function so that it compiles on its own). */
  const expand = (cur: number): void => {
    const row = cur * NODE_FIELDS;
    const sid = N[row + F_STATE]!;
    const depth = N[row + F_DEPTH]!;
    const n = tDim[sid]!;
    const nn = n * n;
    const zo = N[row + F_OFF]!;
    const edges = T.edgesOf(sid);
    for (let q = 0; q < edges.length; q++) {
      const e = edges[q]!;
      // Guard: each constraint against the source zone first (no copy for a disabled edge).
      const g = tGuard[e]!;
      const gl = g.length;
      let enabled = true;
      for (let k = 0; k < gl; k += 3) {
        const i = g[k]!;
        const j = g[k + 1]!;
        const b = g[k + 2]!;
        const ji = A[zo + j * n + i]!;
        if (ji !== INF && ji + b - ((ji & 1) | (b & 1)) < LE_ZERO) {
          enabled = false;
          break;
        }
      }
      if (!enabled) continue;
      let t = tTarget[e]!;
      if (t < 0) t = T.materialize(e); // the target is built the first time a guard lets the edge through
      const n2 = tDim[t]!;
      if (top + n2 * n2 > A.length) A = grow(A, top, n2 * n2); // no other growth until the next edge
      let gm: Float64Array = A;
      let go = zo;
      if (gl > 0) {
        if (G.length < nn) G = new Float64Array(nn * 2);
        gm = G;
        go = 0;
        copyOut(A, zo, G, nn);
        for (let k = 0; enabled && k < gl; k += 3) enabled = constrainAt(G, 0, n, g[k]!, g[k + 1]!, g[k + 2]!);
        if (!enabled) continue;
      }
      // Clock map (resets), target invariants, delay unless urgent, invariants again: at the arena's top.
      remapAt(gm, go, n, tSrc[e]!, A, top, n2);
      const inv = tInv[t]!;
      for (let k = 0; enabled && k < inv.length; k += 2) enabled = constrainAt(A, top, n2, inv[k]!, 0, inv[k + 1]!);
      if (!enabled) continue;
      if (tUrgent[t] === 0) {
        upAt(A, top, n2);
        for (let k = 0; enabled && k < inv.length; k += 2) enabled = constrainAt(A, top, n2, inv[k]!, 0, inv[k + 1]!);
        if (!enabled) continue;
      }
      transitions++;
      // Edge verdicts depend only on the discrete source and the edge: cached per edge.
      let violated = edgeVerdicts[e];
      if (violated === undefined) {
        violated = checks.edge ? checks.edge(stateObj(cur), tEdge[e]!) : NONE;
        edgeVerdicts[e] = violated;
      }
      let ke = e;
      let kt = t;
      let kn = n2;
      const drop = tDrop[t];
      if (drop) {
        let dropped: number[] | undefined;
        for (let k = 0; k < drop.length; k += 2) if (A[top + drop[k]! + 1]! <= drop[k + 1]!) (dropped ??= []).push(drop[k]!);
        if (dropped) {
          ke = T.reduced(e, dropped);
          kt = tTarget[ke]!;
          kn = tDim[kt]!;
          const keep = keepList(n2 - 1, dropped);
          const src = new Int32Array(keep.length + 1);
          for (let k = 0; k < keep.length; k++) src[k + 1] = keep[k]! + 1;
          const len = n2 * n2;
          if (G.length < len) G = new Float64Array(len * 2);
          copyOut(A, top, G, len);
          remapAt(G, 0, n2, src, A, top, kn);
          go = -1; // the scratch no longer holds the guarded zone: recomputed below if a window needs it
        }
      }
      // State checks read the window on the zone after the step, before extrapolation.
      const sv = checks.state ? stateVerdicts(kt, tEdge[ke]!.target) : NONE;
      // read before extrapolation: recorded now, attributed to the node below if it is kept
      if (sv.length > 0) readEntryWindows(ke, kn, sv);
      extrapolateAt(A, top, kn, tMax[kt]!);
      // Inclusion against the passed list of the target (UPPAAL passed-waiting).
      const len = kn * kn;
      let list = passed[kt];
      let id: number | undefined;
      let included = false;
      if (list) {
        for (let r = 0; r < list.length; r++) {
          if (includedAt(A, top, N[list[r]! * NODE_FIELDS + F_OFF]!, len)) {
            included = true;
            break;
          }
        }
        if (!included) {
          // Zones the new one covers leave the passed list; if still waiting, they need not be explored.
          let w = 0;
          for (let r = 0; r < list.length; r++) {
            const idx = list[r]!;
            if (includedAt(A, N[idx * NODE_FIELDS + F_OFF]!, top, len)) N[idx * NODE_FIELDS + F_COVERED] = 1;
            else list[w++] = idx;
          }
          list.length = w;
        }
      } else {
        list = [];
        passed[kt] = list;
        discreteStates++;
      }
      if (!included) {
        id = pushNode(kt, top, cur, ke, depth + 1);
        top += len;
        list.push(id);
        if (depth + 1 > maxDepth) maxDepth = depth + 1;
        if (onState) onState(id, tEdge[ke]!.target, Dbm.fromMatrix(kn, A.slice(top - len, top)));
      }
      if (onEdge) onEdge(cur, id, tEdge[e]!.label);
      if (violated.length > 0) edgeViolations(cur, e, id, kt, ke, len, depth, violated, go < 0 ? undefined : gm, go, n, zo, g);
      if (id !== undefined) {
        if (sv.length > 0) stateViolations(id, sv);
        enqueue(id);
      }
    }
  };

  let head = 0;
  let processed = 0;
  let stoppedEarly = false;
  let entryWindows: (Interval | undefined)[] = [];
  while (dfs ? wlen > 0 : head < wlen) {
    if (allFound()) {
      stoppedEarly = true;
      break;
    }
    if (nodeCount >= maxStates) {
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
    const cur = dfs ? W[--wlen]! : W[head++]!;
    if (N[cur * NODE_FIELDS + F_COVERED] === 1) continue;
    processed++;
    expand(cur);
    if (options.onProgress && processed % every === 0) {
      if (options.heap) peakHeap = Math.max(peakHeap, options.heap());
      const ms = Math.max(1, now() - start);
      options.onProgress({ states: nodeCount, transitions, depth: N[cur * NODE_FIELDS + F_DEPTH]!, statesPerSecond: (nodeCount * 1000) / ms });
    }
  }
  if (options.heap) peakHeap = Math.max(peakHeap, options.heap());
  T.nodeHint = Math.max(T.nodeHint, nodeCount);
  T.arenaHint = Math.max(T.arenaHint, top);

  const complete = stopReason === undefined;
  const verdicts: PropertyVerdict<S, L>[] = checks.ids.map((id) => {
    const v = firstViolation.get(id);
    if (!v) return complete ? { id, status: 'holds' as const } : { id, status: 'incomplete' as const };
    const path: PathStep<S, L>[] = [];
    for (let node = v.node; node >= 0; node = N[node * NODE_FIELDS + F_PARENT]!) {
      const e = N[node * NODE_FIELDS + F_EDGE]!;
      const st = stateObj(node);
      const dim = tDim[N[node * NODE_FIELDS + F_STATE]!]!;
      const o = N[node * NODE_FIELDS + F_OFF]!;
      const zone = Dbm.fromMatrix(dim, A.slice(o, o + dim * dim));
      path.push(e >= 0 ? { edge: tEdge[e]!, state: st, zone, clocks: sys.clocks(st) } : { state: st, zone, clocks: sys.clocks(st) });
    }
    path.reverse();
    return { id, status: 'violated' as const, path, at: path.length - 1, window: windowsOf(id) };
  });
  const stats: ExploreStats = {
    states: nodeCount,
    transitions,
    discreteStates,
    maxDepth,
    ms: now() - start,
    ...(options.heap ? { peakHeapBytes: peakHeap } : {}),
  };
  const early = stoppedEarly ? { stoppedEarly: true as const } : {};
  return stopReason ? { complete: false, stopReason, verdicts, stats, ...early } : { complete, verdicts, stats, ...early };
}
