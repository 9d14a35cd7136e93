import { concretizeInstants } from './engine/concretize.ts';
import { explore, type ExploreOptions, type PropertyVerdict } from './engine/explore.ts';
import { mergeIntervals, scaleInterval, type Interval } from './engine/interval.ts';
import { checksFor, isPropertyId, properties as catalogue, UnknownPropertyError, type Property, type PropertyId } from './properties/catalogue.ts';
import { expectationOutcome } from './properties/expectationOutcome.ts';
import type { Expectation, Scenario } from './scenarios/scenario.ts';
import { toTopology } from './scenarios/toTopology.ts';
import type { SystemLabel } from './system/labels.ts';
import { ProductSystem, type SystemState } from './system/product.ts';
import { connectionsAlike, sharesEntry, type Topology } from './system/topology.ts';
import type { MachineSet } from './system/components.ts';
import { buildTrace, replayTrace, type Trace } from './system/trace.ts';
import { StopAtObservedEnd } from './system/observedEnd.ts';
import type { TimedSystem } from './engine/timedSystem.ts';

/** One property's result, as `midpath check --json` prints it. */
export interface PropertyResult {
  readonly property: string;
  readonly holds: boolean;
  /** Present when the run was cut short before this property was decided. */
  readonly incomplete?: true;
  readonly expected?: Expectation;
  /** Seconds of idle gap (time since the connection last delivered a segment end to end) at which a violation is reachable. */
  readonly window?: { readonly idleGap: Interval; readonly idleGapUnion: readonly Interval[] };
  /** A concrete, replayable counterexample. */
  readonly counterexample?: Trace;
  /** Whether the counterexample replayed on the concrete simulator (false = a midpath bug). */
  readonly replayed?: boolean;
  /**
   * Set when no concrete counterexample was built because its path has more
   * instants at which time passes than `maxCounterexampleInstants` allows
   * (the verdict and window stand; only the timeline is missing).
   */
  readonly counterexampleOmitted?: { readonly instants: number; readonly limit: number };
  /** True when the run stopped at the first violations (`stopAtFirst`): the window covers only what was found. */
  readonly partialWindow?: true;
}

/** One scenario's results. */
export interface ScenarioResult {
  readonly name: string;
  readonly complete: boolean;
  /** When set, the connections were independent and one of this many was checked (exact; see `independentConnections`). */
  readonly decomposedConnections?: number;
  readonly results: readonly PropertyResult[];
  readonly stats: { readonly states: number; readonly transitions: number; readonly ms: number; readonly peakHeapBytes?: number };
  /** When the run is incomplete: the limit that cut it short and its value (states, ms or bytes). */
  readonly stoppedBy?: { readonly limit: 'max-states' | 'time-budget' | 'max-heap'; readonly value: number };
}

/**
 * Default {@link CheckOptions.maxCounterexampleInstants}: 2000. It bounds what
 * is written, not the time: a timeline takes about 9 KB of trace JSON per
 * instant (the 1,586 instants of test/fixtures/longCounterexample.topology.json:
 * 14 MB; the whole check, replay included, takes about 4 s on a 2-core machine), more in
 * the HTML report. The bundled presets' counterexamples have at most a few dozen.
 */
export const DEFAULT_MAX_COUNTEREXAMPLE_INSTANTS = 2000;

/** Default time budget of every exploration: 2 minutes (raise with `timeBudgetMs`, or `--time-budget MS`; `Infinity` for none). */
export const DEFAULT_TIME_BUDGET_MS = 120_000;

/** Default heap budget of every exploration given a heap probe: 2 GiB (raise with `maxHeapBytes`, or `--max-heap MB`). */
export const DEFAULT_MAX_HEAP_BYTES = 2 * 1024 * 1024 * 1024;

/** Options of {@link check}. */
export interface CheckOptions extends ExploreOptions {
  /** Property ids to check (default: all); an id not in the catalogue throws {@link UnknownPropertyError}. */
  readonly properties?: readonly PropertyId[];
  /** Replay each counterexample on the simulator (default true). */
  readonly replay?: boolean;
  /**
   * Longest counterexample, in instants at which time passes, that is made
   * concrete (default {@link DEFAULT_MAX_COUNTEREXAMPLE_INSTANTS}). A
   * timeline's size grows with this number; a longer counterexample is
   * reported without a timeline (`counterexampleOmitted`).
   */
  readonly maxCounterexampleInstants?: number;
  /** Symmetry reduction over appliances (default true). */
  readonly symmetry?: boolean;
  /** Machines to compose instead of the real models (mutation tests). */
  readonly machines?: MachineSet;
  /** Check independent connections one at a time (default true; see {@link independentConnections}). */
  readonly decompose?: boolean;
  /**
   * With several interchangeable connections (a shared 2-/3-tuple entry, no
   * per-connection overrides), observe and check only connection 0: exact
   * by symmetry, the other observer clocks leave every zone
   * (system/observedConnections.ts). Default true (README, "Products that
   * do not decompose"); `false` switches it off.
   */
  readonly observeOne?: boolean;
  /**
   * Explore nothing past a state in which every observed connection is over
   * (both endpoints ended, none of its segments in flight): exact, no
   * violation of an observed connection can follow (system/observedEnd.ts).
   * Default: on for products of several connections; `false` switches it off.
   */
  readonly stopAtObservedEnd?: boolean;
}

/**
 * True when a topology's connections share no state: no hop keeps one
 * entry for several connections (with 5-tuple stickiness every connection
 * has its own GWLB flow entry, domain-facts §1.3, and its own session on
 * each appliance; every other hop is keyed by the 5-tuple), and the endpoints of
 * different connections never interact (and no `perConnection` override
 * makes them differ). Then the composed system is a
 * product of identical, independent timed systems in which no component can
 * block time (every armed timer may fire at its deadline, every segment in
 * flight may cross), so a per-connection violation is reachable in the
 * product iff it is reachable for one connection alone, with the same
 * idle-gap window: checking one connection is exact and avoids the
 * interleaving blow-up (2 connections: > 1.3 M states unfinished after
 * 2 minutes, against 36 k states for one).
 */
export function independentConnections(t: Topology): boolean {
  // Per-connection endpoint overrides make the connections differ: one is no longer all of them.
  return t.connections > 1 && !t.path.some(sharesEntry) && connectionsAlike(t);
}

function hull(list: readonly Interval[]): Interval {
  const first = list[0]!;
  const last = list[list.length - 1]!;
  return { from: first.from, fromInclusive: first.fromInclusive, to: last.to, toInclusive: last.toInclusive };
}

/**
 * The composed systems of the last two topologies checked, with their
 * property checks: a repeated check of the same topology in one process
 * (a sweep revisiting a value, a test, the bench) reuses the system's
 * successor table (engine/successorTable.ts) instead of composing every
 * discrete state again. Exact: the system and its table are pure functions
 * of the topology and options. Not used with custom machines (mutants).
 */
const recentSystems = new Map<string, { sys: ProductSystem; checks: Map<string, ReturnType<typeof checksFor>> }>();
const RECENT_SYSTEMS = 2;

/** A JSON key of a topology in which no two different values collide (JSON alone writes Infinity and NaN as null and drops undefined). */
function topologyKey(t: Topology, symmetry: boolean, observeOne: boolean): string {
  return JSON.stringify([t, symmetry, observeOne], (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `#number:${v}` : v === undefined ? '#undefined' : v));
}

function composed(t: Topology, selected: readonly Property[], options: CheckOptions): { sys: ProductSystem; checks: ReturnType<typeof checksFor> } {
  const make = () =>
    new ProductSystem(t, {
      ...(options.symmetry === undefined ? {} : { symmetry: options.symmetry }),
      ...(options.machines ? { machines: options.machines } : {}),
      observeOne: options.observeOne ?? true,
    });
  if (options.machines) {
    const sys = make();
    return { sys, checks: checksFor(sys, selected) };
  }
  const key = topologyKey(t, options.symmetry ?? true, options.observeOne ?? true);
  let hit = recentSystems.get(key);
  if (hit) recentSystems.delete(key);
  else hit = { sys: make(), checks: new Map() };
  recentSystems.set(key, hit); // most recent last
  if (recentSystems.size > RECENT_SYSTEMS) recentSystems.delete(recentSystems.keys().next().value!);
  const ck = selected.map((p) => p.id).join(',');
  let checks = hit.checks.get(ck);
  if (!checks) {
    checks = checksFor(hit.sys, selected);
    hit.checks.set(ck, checks);
  }
  return { sys: hit.sys, checks };
}

/** The stopping wrappers of composed systems (system/observedEnd.ts), one per system, so that a reused system keeps its successor table. */
const stopping = new WeakMap<ProductSystem, StopAtObservedEnd>();

/** The system to explore: the composed one, or it stopped where every observed connection is over. */
function explored(sys: ProductSystem, t: Topology, options: CheckOptions): TimedSystem<SystemState, SystemLabel> {
  if (!(options.stopAtObservedEnd ?? t.connections >= 2)) return sys;
  let w = stopping.get(sys);
  if (!w) {
    w = new StopAtObservedEnd(sys);
    stopping.set(sys, w);
  }
  return w;
}

/** Checks a topology (already resolved) exhaustively and returns typed results. */
export function checkTopology(t: Topology, expect: Readonly<Record<string, Expectation>> = {}, options: CheckOptions = {}): ScenarioResult {
  if (options.decompose !== false && independentConnections(t)) {
    const one = checkTopology({ ...t, connections: 1 }, expect, options);
    return { ...one, decomposedConnections: t.connections };
  }
  // Checked at run time too (callers without TypeScript, ids from files): never a silent empty selection.
  for (const id of options.properties ?? []) if (!isPropertyId(id)) throw new UnknownPropertyError(id);
  const selected: Property[] = options.properties ? catalogue.filter((p) => options.properties!.includes(p.id)) : [...catalogue];
  const { sys, checks } = composed(t, selected, options);
  const run = explore(explored(sys, t, options), checks, { ...options, timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS, maxHeapBytes: options.maxHeapBytes ?? DEFAULT_MAX_HEAP_BYTES });
  const limitValue = { 'max-states': options.maxStates, 'time-budget': options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS, 'max-heap': options.maxHeapBytes ?? DEFAULT_MAX_HEAP_BYTES };
  const results = run.verdicts.map((v: PropertyVerdict<SystemState, SystemLabel>): PropertyResult => {
    const exp = expect[v.id] === undefined ? {} : { expected: expect[v.id]! };
    if (v.status === 'holds') return { property: v.id, holds: true, ...exp };
    if (v.status === 'incomplete') return { property: v.id, holds: false, incomplete: true, ...exp };
    const union = mergeIntervals(v.window.map((w) => scaleInterval(w, 1 / 1000 / (t.timeScale ?? 1))));
    const window = union.length > 0 ? { window: { idleGap: hull(union), idleGapUnion: union } } : {};
    // Only a run that actually stopped early (at its first violations) may have missed part of a window.
    const partial = run.stoppedEarly === true ? { partialWindow: true as const } : {};
    const limit = options.maxCounterexampleInstants ?? DEFAULT_MAX_COUNTEREXAMPLE_INSTANTS;
    const instants = concretizeInstants(sys, v.path.slice(1).map((p) => p.edge!));
    if (instants > limit) return { property: v.id, holds: false, ...exp, ...window, ...partial, counterexampleOmitted: { instants, limit } };
    const trace = buildTrace(sys, v.path, v.id, (step, prev) => {
      const out: string[] = [];
      if (step.edge && prev && checks.edge) out.push(...checks.edge(prev, step.edge));
      if (checks.state) out.push(...checks.state(step.state));
      return out;
    });
    const cx = trace ? { counterexample: trace } : {};
    const replay = trace && options.replay !== false && (t.timeScale ?? 1) === 1 ? { replayed: replayTrace(sys, trace).reproduced } : {};
    return { property: v.id, holds: false, ...exp, ...window, ...partial, ...cx, ...replay };
  });
  return {
    name: t.name,
    complete: run.complete,
    results,
    stats: { states: run.stats.states, transitions: run.stats.transitions, ms: run.stats.ms, ...(run.stats.peakHeapBytes === undefined ? {} : { peakHeapBytes: run.stats.peakHeapBytes }) },
    ...(run.stopReason === undefined ? {} : { stoppedBy: { limit: run.stopReason, value: limitValue[run.stopReason] ?? 0 } }),
  };
}

/**
 * Checks a scenario: explores its composed system exhaustively and returns,
 * per property, the verdict, the idle-gap window of a violation, and a
 * concrete counterexample replayed on the simulator.
 */
export function check(s: Scenario, options: CheckOptions = {}): ScenarioResult {
  return checkTopology(toTopology(s), s.expect, options);
}

/**
 * True when the run is complete and every result matches its scenario's
 * `expect`: a property named there shows the expected verdict, one the
 * scenario marks `any` is ignored, and every other property holds
 * ({@link expectationOutcome}).
 */
export function meetsExpectations(r: ScenarioResult): boolean {
  if (!r.complete) return false;
  return r.results.every((x) => {
    const o = expectationOutcome(x);
    return o === 'met' || o === 'unchecked';
  });
}
