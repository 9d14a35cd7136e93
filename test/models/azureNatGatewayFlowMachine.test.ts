import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { parseAzureNatGatewayConfig } from '../../src/models/azureNatGatewayConfig.ts';
import { AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT, azureNatGatewayFlowMachine } from '../../src/models/azureNatGatewayFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(azureNatGatewayFlowMachine, parseAzureNatGatewayConfig(raw));

describe('azureNatGatewayFlowMachine graph coverage', () => {
  it('reaches every state and edge', () => {
    const c = expectFullCoverage(azureNatGatewayFlowMachine, [parseAzureNatGatewayConfig({})]);
    expect([...c.afterEvents]).toEqual([AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT]);
  });

  it('arms the 4-minute default as the named delay idleTimeout', () => {
    const [s0] = initialTransition(azureNatGatewayFlowMachine, parseAzureNatGatewayConfig({}));
    const [, actions] = transition(azureNatGatewayFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(actions)).toEqual([{ id: AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT, event: AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT, delay: 240_000 }]);
  });
});

describe('azureNatGatewayFlowMachine on a simulated clock', () => {
  it('forwards 1 ms before 240 s and drops the mapping silently at 240 s', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(239_999);
    actor.send(segIn('server', 'keepalive'));
    clock.increment(239_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted.map((e) => e.type)).toEqual(['SEG_FORWARD', 'SEG_FORWARD']);
  });

  it('answers traffic on the dropped flow 1 ms after the timeout with an RST to its sender, from either side', () => {
    const { actor, clock, emitted } = run({ idleTimeout: 7200 });
    actor.send(segIn('client', 'syn'));
    clock.increment(7_200_001);
    actor.send(segIn('server', 'data'));
    actor.send(segIn('client', 'keepalive'));
    actor.send(segIn('client', 'rst'));
    expect(emitted.slice(1)).toEqual([
      { type: 'SEG_RESET', seg: seg('server', 'data'), to: 'server', reason: 'no-flow-entry' },
      { type: 'SEG_RESET', seg: seg('client', 'keepalive'), to: 'client', reason: 'no-flow-entry' },
      { type: 'SEG_DROP', seg: seg('client', 'rst'), reason: 'no-nat-mapping' },
    ]);
  });
});

describe('parseAzureNatGatewayConfig', () => {
  it('fills in the 4-minute default', () => {
    expect(parseAzureNatGatewayConfig({})).toEqual({ idleTimeout: 240, boundary: 'ambiguous', targets: 1 });
    expect(parseAzureNatGatewayConfig({ idleTimeout: 7200 }).idleTimeout).toBe(7200);
  });
  it('refuses values outside 4..120 minutes or not whole minutes', () => {
    expectConfigError(() => parseAzureNatGatewayConfig({ idleTimeout: 180 }), 'idleTimeout', /180 is below the Azure minimum 240 \(allowed 240\.\.7200 seconds in steps of 60, idleTimeoutInMinutes 4\.\.120 minutes\)/);
    expectConfigError(() => parseAzureNatGatewayConfig({ idleTimeout: 7260 }), 'idleTimeout', /7260 is above the Azure maximum 7200/);
    expectConfigError(() => parseAzureNatGatewayConfig({ idleTimeout: 250 }), 'idleTimeout', /250 is not a whole number of minutes/);
  });
});
