import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkTopology, type ScenarioResult } from '../../src/check.ts';
import { applianceCountArb, connectionCountArb, endpointArb, firewallArb, topologyArb } from '../../src/properties/arbitraries.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import { observerBoundMs, retransmissionChainSeconds } from '../../src/system/observerBound.ts';
import type { Topology } from '../../src/system/topology.ts';
import { kbTopology, linuxEndpoint } from '../fixtures/kbTopology.ts';
import { runs, SkipCounter } from '../properties/fuzzing.ts';

/*
 * Issue 11 §1: the idle-gap observer is exact at every gap the system can
 * reach. Its extrapolation bound comes from what the topology can do
 * (observerBound.ts), not from its largest constant, so a constant that never
 * fires changes no window. Seeds: see test/properties/fuzzing.ts.
 */

const view = (r: ScenarioResult) => r.results.map((x) => ({ property: x.property, holds: x.holds, window: x.window?.idleGapUnion ?? [] }));

/** TCP_USER_TIMEOUT far above the retransmission chain never fires (the chain aborts first, domain-facts §4.1). */
function withNeverFiringUserTimeout(t: Topology, seconds = 2_000_000): Topology {
  return { ...t, client: { ...t.client, userTimeout: seconds }, server: { ...t.server, userTimeout: seconds } };
}

describe('the retransmission chain', () => {
  it('is 1044.6 s for Linux defaults (16 retransmissions, the abort at the 17th timeout) and shortened by TCP_USER_TIMEOUT only', () => {
    expect(retransmissionChainSeconds(linuxEndpoint)).toBeCloseTo(1044.6, 9);
    expect(retransmissionChainSeconds({ ...linuxEndpoint, retries2: 3 })).toBeCloseTo(0.2 + 0.4 + 0.8 + 1.6 + 3.2, 9);
    expect(retransmissionChainSeconds({ ...linuxEndpoint, userTimeout: 30 })).toBe(30);
    expect(retransmissionChainSeconds({ ...linuxEndpoint, userTimeout: 2_000_000 })).toBeCloseTo(1044.6, 9);
  });

  it('keeps the observer bound above every chain an endpoint can fire without receiving (KB: idle close 400 s, then 1044.6 s of retransmissions)', () => {
    expect(observerBoundMs(kbTopology())).toBeGreaterThan((400 + 1044.6 + 120) * 1000);
    expect(observerBoundMs(withNeverFiringUserTimeout(kbTopology()))).toBe(observerBoundMs(kbTopology()));
  });
});

describe('windows beyond twice the largest constant', () => {
  it('kb-16099-fw-timeout-300: no-half-open on [1444.6, ∞) and clean-close on (1344.6, ∞), the same with a never-firing user timeout', () => {
    const s = loadPreset('kb-16099-fw-timeout-300');
    const before = check(s, { replay: false });
    const after = check({ ...s, server: { ...s.server, userTimeout: 2_000_000 } }, { replay: false });
    const windowOf = (r: ScenarioResult, id: string) => r.results.find((x) => x.property === id)?.window?.idleGapUnion;
    expect(windowOf(before, 'no-mid-path-drop')).toEqual([{ from: 300, fromInclusive: false, to: null, toInclusive: false }]);
    // idle close at 400 s, FIN dropped, 1044.6 s of retransmissions: the server aborts at 1444.6 s while the client holds on
    expect(windowOf(before, 'no-half-open')).toEqual([{ from: 1444.6, fromInclusive: true, to: null, toInclusive: false }]);
    expect(windowOf(before, 'clean-close')).toEqual([{ from: 1344.6, fromInclusive: false, to: null, toInclusive: false }]);
    expect(view(after)).toEqual(view(before));
  });

  it('a coupled two-connection product (shared 2-tuple entry) stays finite and exact: the idle connection is dropped above its session timeout 3600 s', () => {
    const base = kbTopology({ connections: 2, stickiness: '2-tuple', serverIdleClose: 'never' });
    const t: Topology = {
      ...base,
      environment: { ...base.environment, clientCloses: false, connectAtStart: true },
      perConnection: [{}, { client: { keepalive: { idle: 325, interval: 75, probes: 9, preset: 'custom' } } }],
    };
    const r = checkTopology(t, {}, { properties: ['no-mid-path-drop'], replay: false });
    expect(r.complete).toBe(true);
    expect(r.results[0]!.window?.idleGapUnion).toEqual([{ from: 3600, fromInclusive: false, to: null, toInclusive: false }]);
  });
});

const skips = new SkipCounter();
afterAll(() => {
  console.log(`observer bound: ${skips}`);
  skips.assertBounded();
});

/** Checks `t` with and without a TCP_USER_TIMEOUT above every retransmission chain: the same verdicts and windows (a run cut by its state budget counts as a skip). */
function neverFiringChangesNothing(t: Topology): void {
    const before = checkTopology(t, {}, { replay: false, maxStates: 15_000 });
    if (!skips.record(before.complete)) return;
    const after = checkTopology(withNeverFiringUserTimeout(t), {}, { replay: false, maxStates: 15_000 });
    expect(after.complete).toBe(true);
    expect(view(after)).toEqual(view(before));
}

describe('a never-firing constant changes nothing', () => {
  const cases = topologyArb({
    connections: connectionCountArb({ min: 1, max: 2 }),
    appliances: applianceCountArb({ min: 1, max: 3 }),
    client: endpointArb({ retries2: { min: 1, max: 4 } }),
    server: endpointArb({ retries2: { min: 1, max: 4 } }),
  });
  test.prop([cases], runs(6))('adding a TCP_USER_TIMEOUT above every retransmission chain leaves every verdict and every window identical', neverFiringChangesNothing);
});

describe('a never-firing constant changes nothing, with activity chains longer than twice the largest constant', () => {
  // A keepalive probe chain (idle + probes × interval, domain-facts §4.1) of 975..1075 s behind an appliance
  // that drops the first probe (PAN-OS reject-non-SYN, established below the keepalive idle, §3.2) on a
  // path whose constants stay at or below 400 s: the drop and half-open windows reach gaps above
  // 2 × the largest constant, where a bound taken from the constants alone cut them (issue 11 §1).
  const cases = topologyArb({
    connections: connectionCountArb({ min: 1, max: 1 }),
    appliances: applianceCountArb({ min: 1, max: 2 }),
    gwlbTimeout: fc.integer({ min: 60, max: 350 }),
    firewall: firewallArb(['pan-os'], fc.integer({ min: 60, max: 299 })).map((f) => ({ ...f, rejectNonSyn: true })),
    client: endpointArb({
      keepalive: fc.integer({ min: 300, max: 400 }).map((idle) => ({ idle, interval: 75, probes: 9, preset: 'custom' as const })),
      idleClose: fc.constant('never'),
      retries2: { min: 1, max: 2 },
    }),
    server: endpointArb({ keepalive: fc.constant('off'), retries2: { min: 1, max: 2 } }),
  });
  test.prop([cases], runs(6))('adding a TCP_USER_TIMEOUT above every retransmission chain leaves every verdict and every window identical', neverFiringChangesNothing);
});
