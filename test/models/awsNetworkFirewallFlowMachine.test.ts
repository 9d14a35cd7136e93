import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { parseAwsNetworkFirewallConfig } from '../../src/models/awsNetworkFirewallConfig.ts';
import { AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT, awsNetworkFirewallFlowMachine } from '../../src/models/awsNetworkFirewallFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, KINDS, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(awsNetworkFirewallFlowMachine, parseAwsNetworkFirewallConfig(raw));

describe('awsNetworkFirewallFlowMachine graph coverage', () => {
  it('reaches every state and edge', () => {
    const c = expectFullCoverage(awsNetworkFirewallFlowMachine, [parseAwsNetworkFirewallConfig({})]);
    expect([...c.afterEvents]).toEqual([AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT]);
  });

  it('arms TcpIdleTimeoutSeconds as the named delay idleTimeout', () => {
    const [s0] = initialTransition(awsNetworkFirewallFlowMachine, parseAwsNetworkFirewallConfig({ idleTimeout: 60 }));
    const [, actions] = transition(awsNetworkFirewallFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(actions)).toEqual([{ id: AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT, event: AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT, delay: 60_000 }]);
  });
});

describe('awsNetworkFirewallFlowMachine on a simulated clock', () => {
  it('forwards 1 ms before 350 s, forgets the flow at 350 s, drops a segment 1 ms after silently', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(349_999);
    actor.send(segIn('server', 'keepalive'));
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    clock.increment(1);
    actor.send(segIn('client', 'data'));
    expect(emitted).toEqual([
      { type: 'SEG_FORWARD', seg: seg('client', 'syn') },
      { type: 'SEG_FORWARD', seg: seg('server', 'keepalive') },
      { type: 'SEG_DROP', seg: seg('client', 'data'), reason: 'flow-expired' },
    ]);
  });

  it('drops every non-SYN kind after expiry from either side, and starts a new flow on the next SYN', () => {
    const { actor, clock, emitted } = run({ idleTimeout: 60 });
    actor.send(segIn('client', 'syn'));
    clock.increment(60_000);
    for (const kind of KINDS.filter((k) => k !== 'syn')) actor.send(segIn('server', kind));
    expect(emitted.slice(1).every((e) => e.type === 'SEG_DROP' && e.reason === 'flow-expired')).toBe(true);
    expect(emitted).toHaveLength(KINDS.length);
    actor.send(segIn('client', 'syn'));
    expect(actor.getSnapshot().value).toBe('active');
  });
});

describe('parseAwsNetworkFirewallConfig', () => {
  it('fills in the AWS default', () => {
    expect(parseAwsNetworkFirewallConfig({})).toEqual({ idleTimeout: 350, boundary: 'ambiguous', targets: 1 });
  });
  it('refuses values outside 60..6000', () => {
    expectConfigError(() => parseAwsNetworkFirewallConfig({ idleTimeout: 59 }), 'idleTimeout', /59 is below the AWS minimum 60 \(allowed 60\.\.6000 seconds\)/);
    expectConfigError(() => parseAwsNetworkFirewallConfig({ idleTimeout: 6001 }), 'idleTimeout', /6001 is above the AWS maximum 6000/);
    expectConfigError(() => parseAwsNetworkFirewallConfig({ idleTimeout: '350' }), 'idleTimeout', /'350' is not a number/);
  });
});
