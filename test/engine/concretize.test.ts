import { afterAll, describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { concretize, concretizeInstants } from '../../src/engine/concretize.ts';
import { topologyArb } from '../../src/properties/arbitraries.ts';
import { checksFor } from '../../src/properties/catalogue.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { ProductSystem } from '../../src/system/product.ts';
import { concretizeStampClocks } from './fixtures/concretizeStampClocks.ts';
import { explore, type Checks } from '../../src/engine/explore.ts';
import type { Edge, GuardOp, TimedSystem } from '../../src/engine/timedSystem.ts';
import { fuzzParams } from './fixtures/fuzz.ts';
import { replayProblem } from './fixtures/replay.ts';
import {
  chainChecks,
  chainSystem,
  fischerChecks,
  fischerSystem,
  lightChecks,
  lightSystem,
  lossyChecks,
  lossySystem,
  lossyDefaults,
  observerChecks,
  observerSystem,
  type ChainStep,
} from './fixtures/toyModels.ts';

/** The edges of the counterexample of the first violated property. */
function counterexample<S, L>(sys: TimedSystem<S, L>, checks: Checks<S, L>): Edge<S, L>[] {
  const v = explore(sys, checks).verdicts.find((x) => x.status === 'violated');
  if (!v || v.status !== 'violated') throw new Error('expected a violation');
  return v.path.flatMap((step) => (step.edge ? [step.edge] : []));
}

/** Concretises and replays; returns the times. */
function timesOf<S, L>(sys: TimedSystem<S, L>, edges: readonly Edge<S, L>[], unit: number): readonly number[] {
  const timing = concretize(sys, edges, unit);
  expect(timing).toBeDefined();
  const times = timing!.times;
  expect(replayProblem(sys, edges, times)).toBeUndefined();
  return times;
}

describe('concretize', () => {
  const toys: Array<[string, () => readonly number[]]> = [
    ['the light', () => timesOf(lightSystem(), counterexample(lightSystem(), lightChecks), 1)],
    ['the lossy channel', () => timesOf(lossySystem(), counterexample(lossySystem(), lossyChecks), 1)],
    ['unsafe Fischer (≥)', () => timesOf(fischerSystem({ k: 2, K: 2 }), counterexample(fischerSystem({ k: 2, K: 2 }), fischerChecks), 1)],
    ['unsafe Fischer (>)', () => timesOf(fischerSystem({ k: 3, K: 2, strict: true }), counterexample(fischerSystem({ k: 3, K: 2, strict: true }), fischerChecks), 1)],
    ['the observer', () => timesOf(observerSystem(5), counterexample(observerSystem(5), observerChecks), 1)],
  ];
  for (const [name, run] of toys) {
    it(`gives times that replay every guard and invariant of ${name}, in whole units`, () => {
      const times = run();
      for (const t of times) expect(Number.isInteger(t)).toBe(true);
    });
  }

  it('picks the earliest whole units along a path', () => {
    expect(timesOf(lightSystem(), counterexample(lightSystem(), lightChecks), 1)).toEqual([0, 2, 3]);
    // lose at 0, retransmit at 3, lose, retransmit at 6, deliver late at 6
    expect(timesOf(lossySystem(), counterexample(lossySystem(), lossyChecks), 1)).toEqual([0, 0, 3, 3, 6, 6]);
    expect(timesOf(lossySystem(lossyDefaults, 1000), counterexample(lossySystem(lossyDefaults, 1000), lossyChecks), 1000)).toEqual([0, 0, 3000, 3000, 6000, 6000]);
  });

  it('meets a strict guard x > 5 at 6 units, the earliest whole unit, not 5', () => {
    const sys = chainSystem(['x'], [{ guard: [['x', '>', 5]] }]);
    expect(timesOf(sys, counterexample(sys, chainChecks(1)), 1)).toEqual([0, 6]);
    const ms = chainSystem(['x'], [{ guard: [['x', '>', 5000]] }]);
    expect(timesOf(ms, counterexample(ms, chainChecks(1)), 1000)).toEqual([0, 6000]);
    expect(timesOf(observerSystem(5000), counterexample(observerSystem(5000), observerChecks), 1000)).toEqual([0, 6000]);
  });

  it('leaves whole units when the zone holds none (5 < x < 6)', () => {
    const sys = chainSystem(['x'], [{ guard: [['x', '>', 5], ['x', '<', 6]] }]);
    const times = timesOf(sys, counterexample(sys, chainChecks(1)), 1);
    expect(times[1]).toBeGreaterThan(5);
    expect(times[1]).toBeLessThan(6);
  });

  it('keeps later steps exact after a fractional time (strict bounds chained over two clocks)', () => {
    // 0 < t1 < 1 with y reset at t1, then t2 > 2 and t2 - t1 < 2: t1 is fractional and t2 must stay below t1 + 2.
    const sys = chainSystem(['x', 'y'], [{ guard: [['x', '>', 0], ['x', '<', 1]], resets: ['y'] }, { guard: [['x', '>', 2], ['y', '<', 2]] }]);
    for (const unit of [1, 1000]) timesOf(sys, counterexample(sys, chainChecks(2)), unit);
  });

  it('keeps the upper bound a later step puts on an earlier delay through a clock reset in between', () => {
    // step0: x > 1, resets y; step1: x <= 4 and y > 2. So 1 < t0 < t1 - 2 <= 2: t0 is fractional
    // (1.5), and only the reset y = 0 at t0 carries the bound t0 < 2 back to the first delay.
    const sys = chainSystem(['x', 'y'], [{ guard: [['x', '>', 1]], resets: ['y'] }, { guard: [['x', '<=', 4], ['y', '>', 2]] }]);
    const edges = counterexample(sys, chainChecks(2));
    expect(timesOf(sys, edges, 1)).toEqual([0, 1.5, 4]);
    expect(concretizeStampClocks(sys, edges, 1)?.times).toEqual([0, 1.5, 4]);
  });

  it('returns undefined for an infeasible path', () => {
    const sys = chainSystem(['x'], [{ guard: [['x', '>', 5]] }, { guard: [['x', '<', 3]] }]);
    const [e0] = sys.successors(0);
    const [e1] = sys.successors(1);
    expect(concretize(sys, [e0!, e1!], 1)).toBeUndefined();
  });

  const ops: readonly GuardOp[] = ['<', '<=', '==', '>=', '>'];
  const clockNames = ['x', 'y', 'z'] as const;
  const stepArb: fc.Arbitrary<ChainStep> = fc.record({
    guard: fc.array(fc.tuple(fc.constantFrom(...clockNames), fc.constantFrom(...ops), fc.integer({ min: 0, max: 4 })), { maxLength: 2 }),
    resets: fc.subarray([...clockNames]),
  });
  const invArb = fc.record({ x: fc.integer({ min: 0, max: 6 }), z: fc.integer({ min: 1, max: 6 }) }, { requiredKeys: [] });

  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 4 }), invArb, fc.constantFrom(1, 2, 1000)], fuzzParams)(
    'gives replayable times for every reachable random chain',
    (steps, invariants, unit) => {
      const sys = chainSystem(clockNames, steps, invariants);
      const v = explore(sys, chainChecks(steps.length)).verdicts[0]!;
      if (v.status !== 'violated') return;
      const edges = v.path.flatMap((step) => (step.edge ? [step.edge] : []));
      const timing = concretize(sys, edges, unit);
      expect(timing).toBeDefined();
      expect(replayProblem(sys, edges, timing!.times)).toBeUndefined();
      expect(timing!.times).toEqual(concretizeStampClocks(sys, edges, unit)?.times);
    },
  );

  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 5 }), invArb, fc.subarray([0, 1, 2, 3, 4]), fc.constantFrom(1, 2, 1000)], fuzzParams)(
    'gives the times of the stamp-clock form on random chains, feasible or not, urgent states included (undefined when it says so)',
    (steps, invariants, urgent, unit) => {
      const sys = chainSystem(clockNames, steps, invariants, urgent);
      const edges: Edge<number, string>[] = [];
      for (let s = sys.initial(); sys.successors(s).length > 0; s = edges[edges.length - 1]!.target) edges.push(sys.successors(s)[0]!);
      const mine = concretize(sys, edges, unit);
      expect(mine?.times).toEqual(concretizeStampClocks(sys, edges, unit)?.times);
      if (mine) expect(replayProblem(sys, edges, mine.times)).toBeUndefined();
    },
  );
});

/*
 * The backward-zone concretisation (concretize.ts) against the form before it, one stamp
 * clock per instant in one DBM (test/engine/fixtures/concretizeStampClocks.ts): the same
 * times, step for step, on every counterexample path of every bundled preset.
 */
describe('concretize gives the times of the stamp-clock form', { timeout: 120_000 }, () => {
  it('on every bundled preset’s counterexample paths, steps from urgent states included', () => {
    let paths = 0;
    let urgentSteps = 0;
    for (const name of presetNames()) {
      const t = toTopology(loadPreset(name));
      const sys = new ProductSystem({ ...t, connections: 1 });
      const r = explore(sys, checksFor(sys));
      for (const v of r.verdicts) {
        if (v.status !== 'violated') continue;
        const edges = v.path.slice(1).map((p) => p.edge!);
        expect(concretize(sys, edges)?.times, `${name} ${v.id}`).toEqual(concretizeStampClocks(sys, edges)?.times);
        paths++;
        urgentSteps += v.path.slice(0, -1).filter((p) => sys.urgent(p.state)).length;
      }
    }
    expect(paths).toBeGreaterThan(10);
    expect(urgentSteps).toBeGreaterThan(paths);
  });

  // The stamp-clock form is cubic in the instants: paths longer than this are left to the replay tests.
  const MAX_COMPARED_INSTANTS = 150;
  const tally = { compared: 0, tooLong: 0 };
  afterAll(() => {
    console.log(`concretize on generated topologies: ${tally.compared} paths compared, ${tally.tooLong} longer than ${MAX_COMPARED_INSTANTS} instants`);
    // the comparison must not pass by skipping: most violated paths of the generated topologies are compared
    expect(tally.compared, `compared ${tally.compared}, too long ${tally.tooLong}`).toBeGreaterThan(tally.tooLong);
  });
  test.prop([topologyArb({ connections: fc.constant(1) })], { numRuns: Math.max(1, Math.round(fuzzParams.numRuns / 12)) })(
    'on the counterexample paths of generated one-connection topologies',
    (t) => {
      const sys = new ProductSystem(t);
      const r = explore(sys, checksFor(sys), { maxStates: 30_000 });
      for (const v of r.verdicts) {
        if (v.status !== 'violated') continue;
        const edges = v.path.slice(1).map((p) => p.edge!);
        if (concretizeInstants(sys, edges) > MAX_COMPARED_INSTANTS) {
          tally.tooLong++;
          continue;
        }
        expect(concretize(sys, edges)?.times, v.id).toEqual(concretizeStampClocks(sys, edges)?.times);
        tally.compared++;
      }
    },
  );
});
