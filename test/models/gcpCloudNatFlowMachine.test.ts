import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { GCP_CLOUD_NAT_TIMEOUT_RANGE, parseGcpCloudNatConfig } from '../../src/models/gcpCloudNatConfig.ts';
import { runs } from '../properties/fuzzing.ts';
import { GCP_CLOUD_NAT_AFTER_EVENTS, gcpCloudNatFlowMachine } from '../../src/models/gcpCloudNatFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, seg, segIn, handshake, expectLeavesAt, fileSeed } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(gcpCloudNatFlowMachine, parseGcpCloudNatConfig(raw));

/** An actor with an established flow at t = 0. */
const established = (raw: unknown = {}) => handshake(run(raw));

describe('gcpCloudNatFlowMachine graph coverage', () => {
  it('reaches every state and edge over both late-segment policies', () => {
    const c = expectFullCoverage(gcpCloudNatFlowMachine, [parseGcpCloudNatConfig({}), parseGcpCloudNatConfig({ lateSegment: 'reset' })]);
    expect([...c.afterEvents].sort()).toEqual(Object.values(GCP_CLOUD_NAT_AFTER_EVENTS).sort());
  });

  it('arms a separate named delay per state', () => {
    const [s0] = initialTransition(gcpCloudNatFlowMachine, parseGcpCloudNatConfig({}));
    const [s1, a1] = transition(gcpCloudNatFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(a1)).toEqual([{ id: GCP_CLOUD_NAT_AFTER_EVENTS.opening, event: GCP_CLOUD_NAT_AFTER_EVENTS.opening, delay: 30_000 }]);
    const [, a2] = transition(gcpCloudNatFlowMachine, s1, segIn('client', 'ack'));
    expect(raisedEvents(a2)).toEqual([{ id: GCP_CLOUD_NAT_AFTER_EVENTS.established, event: GCP_CLOUD_NAT_AFTER_EVENTS.established, delay: 1_200_000 }]);
  });
});

describe('gcpCloudNatFlowMachine on a simulated clock', () => {
  it('drops an established mapping at 1200 s, not 1 ms before', () => {
    expectLeavesAt(established(), 'established', 1_200_000);
  });

  it('refreshes the established timer from either side', () => {
    const r = established();
    r.clock.increment(1_199_999);
    r.actor.send(segIn('server', 'keepalive'));
    expectLeavesAt(r, 'established', 1_200_000);
  });

  it('drops a segment 1 ms after expiry silently by default, answers it with an RST with lateSegment: reset', () => {
    const quiet = established();
    quiet.clock.increment(1_200_001);
    quiet.actor.send(segIn('client', 'data'));
    expect(quiet.emitted.at(-1)).toEqual({ type: 'SEG_DROP', seg: seg('client', 'data'), reason: 'no-nat-mapping' });
    const loud = established({ lateSegment: 'reset' });
    loud.clock.increment(1_200_001);
    loud.actor.send(segIn('server', 'data'));
    loud.actor.send(segIn('server', 'rst'));
    expect(loud.emitted.slice(-2)).toEqual([
      { type: 'SEG_RESET', seg: seg('server', 'data'), to: 'server', reason: 'no-flow-entry' },
      { type: 'SEG_DROP', seg: seg('server', 'rst'), reason: 'no-nat-mapping' },
    ]);
  });

  it('uses the transitory timeout while opening and closing', () => {
    const opening = run();
    opening.actor.send(segIn('client', 'syn'));
    expectLeavesAt(opening, 'opening', 30_000);
    const closing = established({ tcpTransitoryIdleTimeoutSec: 45 });
    closing.actor.send(segIn('server', 'fin'));
    closing.actor.send(segIn('client', 'ack', undefined, { acksFin: true }));
    expectLeavesAt(closing, 'closing', 45_000);
  });

  it('uses the TIME_WAIT timeout after both FINs: 120 s, or 30 s for a gateway created after the change', () => {
    for (const [raw, ms] of [[{}, 120_000], [{ createdAfterTimeWaitChange: true }, 30_000]] as const) {
      const r = established(raw);
      r.actor.send(segIn('client', 'fin'));
      r.actor.send(segIn('server', 'fin', undefined, { acksFin: true }));
      r.actor.send(segIn('client', 'ack', undefined, { acksFin: true }));
      expectLeavesAt(r, 'timeWait', ms);
    }
  });

  it('reopens the mapping for a new inside SYN in TIME_WAIT', () => {
    const r = established();
    r.actor.send(segIn('client', 'rst'));
    expect(r.actor.getSnapshot().value).toBe('timeWait');
    r.actor.send(segIn('client', 'syn'));
    expect(r.actor.getSnapshot().value).toBe('opening');
  });
});

const SEED = fileSeed('gcpCloudNatFlowMachine');

/** A Cloud NAT timeout in seconds over the accepted range, its ends on purpose. */
const timeoutArb = fc.oneof(
  fc.constantFrom(GCP_CLOUD_NAT_TIMEOUT_RANGE.min, GCP_CLOUD_NAT_TIMEOUT_RANGE.max),
  fc.integer({ min: 1, max: 3600 }),
  fc.integer({ min: GCP_CLOUD_NAT_TIMEOUT_RANGE.min, max: GCP_CLOUD_NAT_TIMEOUT_RANGE.max }),
);

describe('every Cloud NAT timeout over its range (seeded)', () => {
  test.prop([timeoutArb, timeoutArb, timeoutArb], { ...runs(10), seed: SEED })(
    'opening and closing leave at the transitory timeout, TIME_WAIT at its own, established at its own',
    (idleTimeout, tcpTransitoryIdleTimeoutSec, tcpTimeWaitTimeoutSec) => {
      const raw = { idleTimeout, tcpTransitoryIdleTimeoutSec, tcpTimeWaitTimeoutSec };
      const opening = run(raw);
      opening.actor.send(segIn('client', 'syn'));
      expectLeavesAt(opening, 'opening', tcpTransitoryIdleTimeoutSec * 1000);
      expectLeavesAt(established(raw), 'established', idleTimeout * 1000);
      const closing = established(raw);
      closing.actor.send(segIn('server', 'fin'));
      expectLeavesAt(closing, 'closing', tcpTransitoryIdleTimeoutSec * 1000);
      const timeWait = established(raw);
      timeWait.actor.send(segIn('client', 'fin'));
      timeWait.actor.send(segIn('server', 'fin', undefined, { acksFin: true }));
      expectLeavesAt(timeWait, 'timeWait', tcpTimeWaitTimeoutSec * 1000);
    },
  );
});

describe('parseGcpCloudNatConfig', () => {
  it('fills in the API defaults', () => {
    expect(parseGcpCloudNatConfig({})).toEqual({
      idleTimeout: 1200,
      tcpTransitoryIdleTimeoutSec: 30,
      tcpTimeWaitTimeoutSec: 120,
      createdAfterTimeWaitChange: false,
      lateSegment: 'drop',
      boundary: 'ambiguous',
      targets: 1,
    });
    expect(parseGcpCloudNatConfig({ createdAfterTimeWaitChange: true }).tcpTimeWaitTimeoutSec).toBe(30);
    expect(parseGcpCloudNatConfig({ createdAfterTimeWaitChange: true, tcpTimeWaitTimeoutSec: 60 }).tcpTimeWaitTimeoutSec).toBe(60);
  });
  it('refuses values out of range', () => {
    expectConfigError(() => parseGcpCloudNatConfig({ idleTimeout: 0 }), 'idleTimeout', /0 is below the minimum 1 \(allowed 1\.\.2147483 seconds\)/);
    expectConfigError(() => parseGcpCloudNatConfig({ tcpTransitoryIdleTimeoutSec: 2_147_484 }), 'tcpTransitoryIdleTimeoutSec', /above the maximum 2147483/);
    expectConfigError(() => parseGcpCloudNatConfig({ lateSegment: 'rst' }), 'lateSegment', /allowed 'drop' \| 'reset'/);
  });
});
