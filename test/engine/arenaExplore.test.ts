import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { explore, type Checks, type ExploreOptions, type ExploreResult } from '../../src/engine/explore.ts';
import type { GuardOp, TimedSystem } from '../../src/engine/timedSystem.ts';
import { checkTopology } from '../../src/check.ts';
import { checksFor, properties } from '../../src/properties/catalogue.ts';
import { ProductSystem } from '../../src/system/product.ts';
import { kbTopology, type KbOverrides } from '../fixtures/kbTopology.ts';
import { fuzzParams } from './fixtures/fuzz.ts';
import { referenceExplore } from './fixtures/referenceExplore.ts';
import { chainChecks, chainSystem, fischerChecks, fischerSystem, lightChecks, lightSystem, lossyChecks, lossySystem, observerChecks, observerSystem } from './fixtures/toyModels.ts';

/**
 * The arena explorer (src/engine/explore.ts: successor tables, zones in one
 * Float64Array, guards checked before copying) against the explorer it
 * replaced (fixtures/referenceExplore.ts, one Dbm object per zone): the
 * same symbolic states in the same order, the same transitions, verdicts,
 * windows and counterexample paths, zone for zone.
 */
interface Seen {
  readonly states: string[];
  readonly edges: string[];
}

function run<S, L>(
  fn: typeof explore,
  sys: TimedSystem<S, L>,
  checks: Checks<S, L>,
  options: ExploreOptions = {},
): { result: ExploreResult<S, L>; seen: Seen } {
  const seen: Seen = { states: [], edges: [] };
  const result = fn(sys, checks, {
    ...options,
    onState: (id, s, zone) => seen.states.push(`${id}:${sys.key(s as S)}:${zone.key()}`),
    onEdge: (from, to, label) => seen.edges.push(`${from}>${to ?? '-'}:${String(label)}`),
  });
  return { result, seen };
}

function summary<S, L>(sys: TimedSystem<S, L>, r: ExploreResult<S, L>): unknown {
  const { ms: _ms, peakHeapBytes: _heap, ...stats } = r.stats;
  return {
    complete: r.complete,
    stopReason: r.stopReason,
    stats,
    verdicts: r.verdicts.map((v) =>
      v.status === 'violated'
        ? { id: v.id, status: v.status, at: v.at, window: v.window, path: v.path.map((p) => [p.edge ? JSON.stringify(p.edge.label) : '', sys.key(p.state), p.zone.key(), p.clocks.map((c) => c.name).join(',')]) }
        : v,
    ),
  };
}

function same<S, L>(make: () => TimedSystem<S, L>, checks: Checks<S, L> | ((sys: TimedSystem<S, L>) => Checks<S, L>), options: ExploreOptions = {}): ExploreResult<S, L> {
  // The arena explorer first, on a fresh system, then the reference on the same system: a
  // composed system interns local snapshots and timer names (numbers in its keys) as it
  // builds edge targets, and the arena explorer builds only the targets of edges some zone
  // enables (lazy edges, timedSystem.ts), so keys compare only within one system.
  const sysB = make();
  const sysA = sysB;
  const checksB = typeof checks === 'function' ? checks(sysB) : checks;
  const checksA = typeof checks === 'function' ? checks(sysA) : checks;
  const arena = run(explore, sysB, checksB, options);
  const ref = run(referenceExplore as typeof explore, sysA, checksA, options);
  expect(summary(sysB, arena.result)).toEqual(summary(sysA, ref.result));
  expect(arena.seen).toEqual(ref.seen);
  // A second exploration of the same system reuses its successor table: still the same.
  const again = run(explore, sysB, checksB, options);
  expect(summary(sysB, again.result)).toEqual(summary(sysA, ref.result));
  expect(again.seen).toEqual(ref.seen);
  return arena.result;
}

describe('arena explorer = reference explorer', () => {
  it('on the toy models, breadth- and depth-first, with and without stopping at the first violation', () => {
    for (const order of ['bfs', 'dfs'] as const) {
      for (const stopAtFirst of [false, true]) {
        const o = { order, stopAtFirst };
        same(() => lightSystem(), lightChecks, o);
        same(() => lossySystem(), lossyChecks, o);
        same(() => fischerSystem({ k: 1, K: 2 }), fischerChecks, o);
        same(() => fischerSystem({ k: 2, K: 2 }), fischerChecks, o);
        same(() => fischerSystem({ k: 3, K: 2, strict: true }), fischerChecks, o);
        same(() => observerSystem(5), observerChecks, o);
      }
    }
  });

  test.prop(
    [
      fc.record({ k: fc.integer({ min: 1, max: 6 }), K: fc.integer({ min: 1, max: 6 }), strict: fc.boolean() }),
      fc.record({ rto: fc.integer({ min: 3, max: 9 }), latency: fc.integer({ min: 1, max: 1 }), attempts: fc.integer({ min: 1, max: 4 }), deadline: fc.integer({ min: 1, max: 20 }) }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    fuzzParams,
  )('on random Fischer and lossy-channel parameters and time scales', (fp, lp, scale) => {
    same(() => fischerSystem(fp, scale), fischerChecks);
    same(() => lossySystem(lp, scale), lossyChecks);
  });

  const ops: GuardOp[] = ['<', '<=', '==', '>=', '>'];
  test.prop(
    [
      fc.array(
        fc.record({
          guard: fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.constantFrom(...ops), fc.integer({ min: 0, max: 6 })), { maxLength: 3 }),
          resets: fc.subarray(['x', 'y', 'z']),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      fc.record({ x: fc.integer({ min: 0, max: 8 }) }),
    ],
    fuzzParams,
  )('on random chains with multi-constraint guards (a guard that passes each check alone may still be empty)', (steps, inv) => {
    same(() => chainSystem(['x', 'y', 'z'], steps, inv), chainChecks(steps.length));
  });

  it('stops at the same state when a limit cuts the run short', () => {
    const r = same(() => fischerSystem({ k: 2, K: 2 }), fischerChecks, { maxStates: 10 });
    expect(r.complete).toBe(false);
  });

  const product = (o: KbOverrides) => {
    const make = () => new ProductSystem(kbTopology(o));
    return same(make, (sys) => checksFor(sys as ProductSystem, properties));
  };
  it('on composed KB systems: keepalive 325, one appliance, 3-tuple stickiness with reset, the loose firewall', () => {
    expect(product({ clientKeepaliveIdle: 325 }).complete).toBe(true);
    expect(product({ appliances: 1 }).complete).toBe(true);
    expect(product({ stickiness: '3-tuple', reset: true, clientKeepaliveIdle: 325 }).complete).toBe(true);
    expect(product({ loose: true, clientKeepaliveIdle: 300 }).complete).toBe(true);
  });

  it('on the KB itself (22 167 states, ghosts of expired timers dropped), windows included', () => {
    const r = product({});
    expect(r.stats.states).toBe(22167);
    expect(r.verdicts.filter((v) => v.status === 'violated').length).toBeGreaterThan(0);
  });
});

describe('checkTopology reuses the composed system of a topology checked before', () => {
  const strip = (r: ReturnType<typeof checkTopology>) => JSON.stringify({ ...r, stats: { ...r.stats, ms: 0 } });
  it('gives the same results, counterexamples and replays as a first check, with other topologies checked in between', () => {
    const a = kbTopology({ clientKeepaliveIdle: 325 });
    const b = kbTopology({ appliances: 1 });
    const c = kbTopology({ clientKeepaliveIdle: 325, gwlbTimeout: 300 });
    const first = { a: strip(checkTopology(a)), b: strip(checkTopology(b)), c: strip(checkTopology(c)) };
    expect(first.a).not.toBe(first.c); // a different timeout is a different system, not a cache hit
    for (const [name, t] of [['a', a], ['b', b], ['a', a], ['c', c], ['b', b], ['a', a]] as const) expect(strip(checkTopology(t))).toBe(first[name]);
    // a structurally equal topology object hits too
    expect(strip(checkTopology(kbTopology({ clientKeepaliveIdle: 325 })))).toBe(first.a);
  });
});
