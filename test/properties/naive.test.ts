import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTopology, type ScenarioResult } from '../../src/check.ts';
import { forwardTopologyArb, shortestTimeout, trafficArb } from '../../src/properties/arbitraries.ts';
import { predict, predictionFor } from '../../src/properties/oracle.ts';
import type { PropertyId } from '../../src/properties/catalogue.ts';
import { Simulator } from '../../src/system/simulator.ts';
import { kbHop, withGwlb, type Topology } from '../../src/system/topology.ts';
import { targetChooser } from '../../src/properties/arbitraries.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { runs, SkipCounter } from './fuzzing.ts';
import { describeLoss, lossesOf, simulate } from './simulation.ts';

/*
 * Where the naive statement "an idle gap longer than the GWLB timeout drops
 * the connection" is false (design.md, "Properties"; README "The theorem").
 * Seeds: see fuzzing.ts.
 */

const skips = new SkipCounter();
afterAll(() => {
  console.log(`naive: ${skips}`);
  skips.assertBounded();
});

const verdicts = (r: ScenarioResult) => Object.fromEntries(r.results.map((x) => [x.property, x.holds ? 'holds' : 'violated']));

function explore(t: Topology, properties: PropertyId[] = ['no-mid-path-drop', 'no-mid-path-reset']): ScenarioResult | undefined {
  const r = checkTopology(t, {}, { properties, replay: false, maxStates: 30_000 });
  return skips.record(r.complete) ? r : undefined;
}

describe('one appliance whose own timeout exceeds the idle gap', () => {
  const oneAppliance = fc.record({ g: fc.integer({ min: 60, max: 3000 }), over: fc.integer({ min: 2, max: 3000 }), fMargin: fc.integer({ min: 1, max: 3000 }) }).map(({ g, over, fMargin }) => {
    const t = kbTopology({ appliances: 1, gwlbTimeout: g, serverIdleClose: g + over, fwTimeout: g + over + fMargin, retries2: 2 });
    return t;
  });

  test.prop([oneAppliance], runs(15))('holds although the server idles past the GWLB timeout: the new flow re-lands on the appliance that still has the session; with two appliances it is violated', (t) => {
    const one = explore(t);
    if (!one) return;
    expect(verdicts(one)).toEqual({ 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds' });
    expect(predictionFor(predict(t), 'no-mid-path-drop').verdict).toBe('holds');
    const two = explore(withGwlb(t, { appliances: { count: 2 } }));
    if (!two) return;
    expect(verdicts(two)['no-mid-path-drop']).toBe('violated');
  });

  test.prop([oneAppliance.chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: kbHop(t).gwlb.idleTimeout + 1, max: (t.server.idleClose as number) - 1 })))], runs(12))(
    'the simulator delivers a request sent after an idle gap above the GWLB timeout',
    ([t, gap]) => {
      const sim = new Simulator(t, targetChooser(1, { kind: 'adversarial' }));
      sim.run([{ time: 0, conn: 0, role: 'client', action: 'APP_CONNECT' }, { time: gap * 1000, conn: 0, role: 'client', action: 'APP_SEND' }], gap * 1000 + 1000);
      const req = sim.events.find((e) => e.kind === 'segment' && e.seg.kind === 'data');
      expect(req).toMatchObject({ outcome: 'delivered' });
      expect(lossesOf(sim.events, 1).map(describeLoss)).toEqual([]);
    },
  );
});

describe('conntrack-loose appliances adopt mid-stream segments', () => {
  const loose = forwardTopologyArb({ appliances: { min: 2, max: 3 } }).map(
    (t): Topology => ({ ...withGwlb(t, { appliances: { firewall: { kind: 'conntrack-loose', rejectNonSyn: false, timeouts: { init: 120, handshake: 60, established: 432_000, halfClosed: 120, timeWait: 120 } } } }), server: { ...t.server, idleClose: 'never' } }),
  );

  test.prop([loose], runs(6))('no-mid-path-drop holds in the forward theorem’s setting, as the oracle predicts', (t) => {
    const r = explore(t);
    if (!r) return;
    expect(verdicts(r)).toEqual({ 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds' });
    expect(predictionFor(predict(t), 'no-mid-path-drop').verdict).toBe('holds');
  });

  it('holds for KB 16099 itself with conntrack-loose appliances', () => {
    const r = explore(kbTopology({ loose: true, retries2: 1 }));
    expect(r && verdicts(r)).toEqual({ 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds' });
  });

  test.prop([loose.chain((t) => fc.tuple(fc.constant(t), trafficArb(t, { gapAbove: shortestTimeout(t) })))], runs(6))('the simulator delivers every segment even when new flows land on another appliance', ([t, traffic]) => {
    const sim = simulate(t, traffic, { kind: 'adversarial' });
    expect(lossesOf(sim.events, t.connections).map(describeLoss)).toEqual([]);
  });
});

describe('GWLB RST on idle timeout: a reset, not a silent drop', () => {
  const withReset = forwardTopologyArb().map((t): Topology => {
    const fw = kbHop(t).appliances.firewall;
    const f = Math.max(fw.timeouts.established, kbHop(t).gwlb.idleTimeout + 1);
    const g = kbHop(t).gwlb.idleTimeout;
    // Nothing may act before G (the server's timers were drawn against the old T = min(G, F)).
    const server = { ...t.server, keepalive: t.server.keepalive !== 'off' && t.server.keepalive.idle <= g ? ('off' as const) : t.server.keepalive, idleClose: t.server.idleClose !== 'never' && t.server.idleClose <= g ? ('never' as const) : t.server.idleClose };
    return { ...withGwlb(t, { gwlb: { resetOnIdleTimeout: true }, appliances: { firewall: { ...fw, timeouts: { ...fw.timeouts, established: f } } } }), server };
  });

  test.prop([withReset], runs(15))('no-mid-path-drop holds and no-mid-path-reset is violated for every idle gap above G, as the oracle predicts', (t) => {
    const r = explore(t);
    if (!r) return;
    expect(verdicts(r)).toEqual({ 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'violated' });
    const w = predictionFor(predict(t), 'no-mid-path-reset').window!;
    expect(w).toMatchObject({ from: kbHop(t).gwlb.idleTimeout, to: null });
    expect(r.results[1]!.window?.idleGapUnion).toEqual([{ from: w.from, fromInclusive: w.fromInclusive, to: null, toInclusive: false }]);
  });

  test.prop([withReset.chain((t) => fc.tuple(fc.constant(t), trafficArb(t, { gapAbove: kbHop(t).gwlb.idleTimeout })))], runs(12))('the simulator sees resets and no drop', ([t, traffic]) => {
    const losses = lossesOf(simulate(t, traffic, { kind: 'adversarial' }).events, t.connections);
    expect(losses.length).toBeGreaterThan(0);
    expect(losses.filter((l) => l.outcome === 'dropped').map(describeLoss)).toEqual([]);
  });

  it('still drops on the same appliance when its own timeout is below the GWLB timeout', () => {
    const r = explore(kbTopology({ reset: true, fwTimeout: 300, retries2: 2 }))!;
    expect(verdicts(r)).toEqual({ 'no-mid-path-drop': 'violated', 'no-mid-path-reset': 'violated' });
    expect(r.results[0]!.window?.idleGap).toMatchObject({ from: 300, fromInclusive: false });
    expect(r.results[0]!.window?.idleGap.to).not.toBeNull();
  });
});

describe('2-tuple stickiness: a second connection keeps the shared flow entry alive', () => {
  const shared = fc.record({ g: fc.integer({ min: 60, max: 3000 }), over: fc.integer({ min: 1, max: 3000 }), ka: fc.integer({ min: 1, max: 59 }) }).map(({ g, over, ka }) => {
    const base = kbTopology({ connections: 2, gwlbTimeout: g, serverIdleClose: 'never', fwTimeout: g + over + 1, retries2: 2 });
    const t: Topology = { ...base, perConnection: [{}, { client: { keepalive: { idle: ka, interval: 10, probes: 3, preset: 'custom' } } }] };
    return { t, gap: g + over, stick: (s: '5-tuple' | '2-tuple'): Topology => withGwlb(t, { gwlb: { stickiness: s } }) };
  });

  test.prop([shared], runs(12))('connection 0 survives an idle gap above the GWLB timeout with 2-tuple stickiness, and the same traffic drops it with 5-tuple', ({ gap, stick }) => {
    const schedule = [
      { time: 0, conn: 1, role: 'client' as const, action: 'APP_CONNECT' as const },
      { time: 1000, conn: 0, role: 'client' as const, action: 'APP_CONNECT' as const },
      { time: 1000 + gap * 1000, conn: 0, role: 'client' as const, action: 'APP_SEND' as const },
    ];
    const runOn = (t: Topology) => {
      const sim = new Simulator(t, targetChooser(2, { kind: 'adversarial' }));
      sim.run(schedule, 1000 + gap * 1000 + 1000);
      return sim.events.find((e) => e.kind === 'segment' && e.seg.conn === 0 && e.seg.kind === 'data');
    };
    expect(runOn(stick('2-tuple'))).toMatchObject({ outcome: 'delivered' });
    expect(runOn(stick('5-tuple'))).toMatchObject({ outcome: 'dropped' });
  });
});
