import { describe, expect, it } from 'vitest';
import { parseGcpFirewallConfig } from '../../src/models/gcpFirewallConfig.ts';
import { GCP_FIREWALL_IDLE_AFTER_EVENT, gcpFirewallFlowMachine } from '../../src/models/gcpFirewallFlowMachine.ts';
import { startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, expectLateSegmentTable, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(gcpFirewallFlowMachine, parseGcpFirewallConfig(raw));

describe('gcpFirewallFlowMachine graph coverage', () => {
  it('reaches every state and edge over the late-segment policies', () => {
    const c = expectFullCoverage(gcpFirewallFlowMachine, [parseGcpFirewallConfig({}), parseGcpFirewallConfig({ lateSegment: 'drop' })]);
    expect([...c.afterEvents]).toEqual([GCP_FIREWALL_IDLE_AFTER_EVENT]);
  });
});

describe('gcpFirewallFlowMachine on a simulated clock', () => {
  it('with no entry: tracks a client SYN, and passes or drops every other segment per side as lateSegment says', () => {
    expectLateSegmentTable(gcpFirewallFlowMachine, parseGcpFirewallConfig, 'tracked');
  });

  it('keeps a connection with a packet 1 ms before 10 minutes, forgets it silently at 10 minutes', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(599_999);
    actor.send(segIn('client', 'keepalive'));
    clock.increment(599_999);
    expect(actor.getSnapshot().value).toBe('tracked');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    clock.increment(1);
    actor.send(segIn('server', 'data'));
    expect(emitted.slice(2)).toEqual([{ type: 'SEG_DROP', seg: seg('server', 'data'), reason: 'not-allowed-as-new-connection' }]);
  });
});

describe('parseGcpFirewallConfig', () => {
  it('fills in the 10-minute timeout', () => {
    expect(parseGcpFirewallConfig({})).toEqual({ idleTimeout: 600, lateSegment: { client: 'pass', server: 'drop' }, boundary: 'ambiguous', targets: 1 });
  });
  it('refuses another timeout, naming the fixed value', () => {
    expectConfigError(() => parseGcpFirewallConfig({ idleTimeout: 3600 }), 'idleTimeout', /3600 cannot be set, the GCP VPC firewall connection tracking idle timeout is fixed \(allowed 600 seconds\)/);
  });
});
