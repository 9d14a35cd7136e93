import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { checkTopology, type PropertyResult } from '../../src/check.ts';
import { applianceCountArb, targetStrategyArb, topologyArb, trafficArb } from '../../src/properties/arbitraries.ts';
import { runs, SkipCounter } from './fuzzing.ts';
import { describeLoss, inUnion, lossesOf, simulate } from './simulation.ts';

/*
 * The two engines agree: every drop (reset) the simulator finds, driven by
 * generated traffic and target choices, lies inside the explorer's idle-gap
 * window for no-mid-path-drop (no-mid-path-reset); so fuzzing never finds a
 * violation the explorer calls unreachable. Seeds: see fuzzing.ts.
 */

const skips = new SkipCounter();
const seen = { dropped: 0, reset: 0, runs: 0 };
afterAll(() => {
  console.log(`agreement: ${skips}; ${seen.runs} simulations, ${seen.dropped} drops and ${seen.reset} resets checked against the explorer`);
  skips.assertBounded();
  expect(seen.dropped + seen.reset, 'no simulated drop or reset was checked against a window').toBeGreaterThan(0);
});

const cases = topologyArb({ connections: fc.constant(1), appliances: applianceCountArb({ min: 1, max: 4 }) }).chain((t) =>
  fc.tuple(fc.constant(t), fc.array(fc.tuple(trafficArb(t), targetStrategyArb), { minLength: 1, maxLength: 4 })),
);

describe('simulator and explorer agree', () => {
  test.prop([cases], runs(10))('every simulated drop and reset lies inside the explorer window of its property', ([t, runsOf]) => {
    const r = checkTopology(t, {}, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false, maxStates: 20_000 });
    if (!skips.record(r.complete)) return;
    const byOutcome: Record<'dropped' | 'reset', PropertyResult> = { dropped: r.results[0]!, reset: r.results[1]! };
    for (const [traffic, strategy] of runsOf) {
      const sim = simulate(t, traffic, strategy);
      seen.runs++;
      for (const loss of lossesOf(sim.events, t.connections)) {
        seen[loss.outcome]++;
        const x = byOutcome[loss.outcome];
        expect(x.holds, `${describeLoss(loss)}, but the explorer proves ${x.property}`).toBe(false);
        expect(inUnion(loss.gap, x.window!.idleGapUnion), `${describeLoss(loss)}, outside ${JSON.stringify(x.window!.idleGapUnion)}`).toBe(true);
      }
    }
  });
});
