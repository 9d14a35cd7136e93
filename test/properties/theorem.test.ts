import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { checkTopology, type PropertyResult } from '../../src/check.ts';
import { converseTopologyArb, forwardTopologyArb, shortestTimeout, targetStrategyArb, trafficArb } from '../../src/properties/arbitraries.ts';
import { predict, predictionFor } from '../../src/properties/oracle.ts';
import { kbHop, withGwlb, type Topology } from '../../src/system/topology.ts';
import { runs, SkipCounter } from './fuzzing.ts';
import { describeLoss, inUnion, lossesOf, simulate } from './simulation.ts';

/*
 * The headline theorem (design.md, "Properties"; README "The theorem"),
 * checked on generated topologies by the explorer, the oracle and the
 * simulator. Seeds: see fuzzing.ts.
 */

const MAX_STATES = 20_000;
const skips = new SkipCounter();
afterAll(() => {
  console.log(`theorem: ${skips}`);
  skips.assertBounded();
});

function dropResult(t: Topology): PropertyResult | undefined {
  const r = checkTopology(t, {}, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false, maxStates: MAX_STATES });
  if (!skips.record(r.complete)) return undefined;
  return r.results.find((x) => x.property === 'no-mid-path-drop');
}

describe('the theorem, forward: two or more reject-non-SYN appliances and nothing acting before T', () => {
  test.prop([forwardTopologyArb()], runs(15))('the explorer finds no-mid-path-drop violated for every idle gap above T, exactly as the oracle predicts', (t) => {
    const drop = dropResult(t);
    if (!drop) return;
    const oracle = predictionFor(predict(t), 'no-mid-path-drop');
    expect(oracle.verdict).toBe('violated');
    expect(oracle.window).toEqual({ from: shortestTimeout(t), fromInclusive: oracle.window!.fromInclusive, to: null });
    expect(drop.holds).toBe(false);
    expect(drop.window?.idleGapUnion).toEqual([{ from: shortestTimeout(t), fromInclusive: oracle.window!.fromInclusive, to: null, toInclusive: false }]);
  });

  test.prop(
    [forwardTopologyArb().chain((t) => fc.tuple(fc.constant(t), trafficArb(t, { gapAbove: shortestTimeout(t) })))],
    runs(12),
  )('the simulator, with an idle gap above T and the adversarial target choice, drops a segment, and only after an idle gap in the oracle window', ([t, traffic]) => {
    const sim = simulate(t, traffic, { kind: 'adversarial' });
    const drops = lossesOf(sim.events, t.connections).filter((l) => l.outcome === 'dropped');
    expect(drops.length).toBeGreaterThan(0);
    const w = predictionFor(predict(t), 'no-mid-path-drop').window!;
    for (const d of drops) expect(inUnion(d.gap, [{ ...w, to: null, toInclusive: false }]), `${describeLoss(d)}, outside ${JSON.stringify(w)}`).toBe(true);
  });
});

describe('the theorem, converse: keepalive idle or an application idle close below T', () => {
  test.prop([converseTopologyArb()], runs(20))('the explorer proves no-mid-path-drop and no-mid-path-reset, as the oracle predicts', (t) => {
    const r = checkTopology(t, {}, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false, maxStates: MAX_STATES });
    if (!skips.record(r.complete)) return;
    expect(r.results.map((x) => [x.property, x.holds])).toEqual([
      ['no-mid-path-drop', true],
      ['no-mid-path-reset', true],
    ]);
    const p = predict(t);
    expect([predictionFor(p, 'no-mid-path-drop').verdict, predictionFor(p, 'no-mid-path-reset').verdict]).toEqual(['holds', 'holds']);
  });

  test.prop(
    [converseTopologyArb({ connections: fc.integer({ min: 1, max: 3 }) }).chain((t) => fc.tuple(fc.constant(t), trafficArb(t), targetStrategyArb))],
    runs(10),
  )('every generated schedule delivers every segment in the simulator, whatever appliance new flows land on', ([t, traffic, strategy]) => {
    const sim = simulate(t, traffic, strategy);
    const losses = lossesOf(sim.events, t.connections);
    expect(losses.map(describeLoss)).toEqual([]);
  });
});

describe('the KB note: lowering the firewall timeout below T never fixes it', () => {
  const lowered = fc
    .record({ g: fc.integer({ min: 61, max: 6000 }), n: fc.integer({ min: 1, max: 8 }), server: fc.oneof(fc.constant<'never'>('never'), fc.integer({ min: 1, max: 3 })) })
    .chain(({ g, n, server }) =>
      fc.record({ f: fc.integer({ min: 60, max: g - 1 }), base: forwardTopologyArb({ appliances: { min: 2, max: 2 } }) }).map(({ f, base }): Topology => ({
        ...withGwlb(base, { gwlb: { idleTimeout: g }, appliances: { count: n, firewall: { ...kbHop(base).appliances.firewall, timeouts: { ...kbHop(base).appliances.firewall.timeouts, established: f } } } }),
        server: { ...base.server, keepalive: 'off', idleClose: server === 'never' ? 'never' : g + server * 50 },
      })),
    );

  test.prop([lowered], runs(10))('with the appliance timeout F below the GWLB timeout, no-mid-path-drop is violated for every idle gap above F, with 1..8 appliances', (t) => {
    const drop = dropResult(t);
    if (!drop) return;
    const f = kbHop(t).appliances.firewall.timeouts.established;
    expect(drop.holds).toBe(false);
    expect(drop.window?.idleGap).toMatchObject({ from: f, to: null });
    expect(predictionFor(predict(t), 'no-mid-path-drop')).toMatchObject({ verdict: 'violated', window: { from: f, to: null } });
  });
});
