import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { parseNatGatewayConfig } from '../../src/models/natGatewayConfig.ts';
import {
  NAT_GATEWAY_IDLE_AFTER_EVENT,
  NAT_GATEWAY_IDLE_DELAY,
  natGatewayFlowMachine,
} from '../../src/models/natGatewayFlowMachine.ts';
import { allEdges, raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(natGatewayFlowMachine, parseNatGatewayConfig(raw));

describe('natGatewayFlowMachine graph coverage', () => {
  it('reaches every state and edge over both internet-side policies', () => {
    const c = expectFullCoverage(natGatewayFlowMachine, [
      parseNatGatewayConfig({}),
      parseNatGatewayConfig({ lateSegmentFromOutside: 'drop' }),
    ]);
    expect([...c.afterEvents]).toEqual([NAT_GATEWAY_IDLE_AFTER_EVENT]);
    // The silent internet-side drop (none#4) is reachable only with lateSegmentFromOutside: drop.
    expect(c.perInput[0]?.has('none:SEG_IN#4')).toBe(false);
    expect(c.perInput[1]?.has('none:SEG_IN#3')).toBe(false);
  });

  it('has exactly the six edges the test above covers', () => {
    expect([...allEdges(natGatewayFlowMachine)].sort()).toEqual(
      ['none:SEG_IN#0', 'none:SEG_IN#1', 'none:SEG_IN#2', 'none:SEG_IN#3', 'none:SEG_IN#4', 'active:SEG_IN#0', `active:${NAT_GATEWAY_IDLE_AFTER_EVENT}#0`].sort(),
    );
  });

  it('arms the 350 s timer as the named delay idleTimeout', () => {
    const [s0] = initialTransition(natGatewayFlowMachine, parseNatGatewayConfig({}));
    const [s1, actions] = transition(natGatewayFlowMachine, s0, segIn('client', 'syn'));
    expect(s1.value).toBe('active');
    expect(raisedEvents(actions)).toEqual([{ id: NAT_GATEWAY_IDLE_AFTER_EVENT, event: NAT_GATEWAY_IDLE_AFTER_EVENT, delay: 350_000 }]);
    expect(NAT_GATEWAY_IDLE_AFTER_EVENT).toBe(`xstate.after.${NAT_GATEWAY_IDLE_DELAY}.natGatewayFlow.active`);
  });
});

describe('natGatewayFlowMachine on a simulated clock', () => {
  it('forwards a segment 1 ms before 350 s and refreshes the mapping', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('active');
    actor.send(segIn('client', 'data'));
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('active');
    expect(emitted).toEqual([
      { type: 'SEG_FORWARD', seg: seg('client', 'syn') },
      { type: 'SEG_FORWARD', seg: seg('client', 'data') },
    ]);
  });

  it('forgets the mapping at exactly 350 s (closed boundary) and answers the inside sender with an RST', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(350_000);
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted).toHaveLength(1);
    actor.send(segIn('client', 'data'));
    expect(emitted[1]).toEqual({ type: 'SEG_RESET', seg: seg('client', 'data'), to: 'client', reason: 'no-flow-entry' });
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('answers a late inside keepalive 1 ms after 350 s with an RST to its sender', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(350_001);
    actor.send(segIn('client', 'keepalive'));
    expect(emitted.slice(1)).toEqual([{ type: 'SEG_RESET', seg: seg('client', 'keepalive'), to: 'client', reason: 'no-flow-entry' }]);
  });

  it('is refreshed by segments from the internet side too', () => {
    const { actor, clock } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(300_000);
    actor.send(segIn('server', 'keepalive'));
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('answers a late internet-side segment with an RST to its sender by default', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(400_000);
    actor.send(segIn('server', 'fin'));
    expect(emitted.slice(1)).toEqual([{ type: 'SEG_RESET', seg: seg('server', 'fin'), to: 'server', reason: 'no-flow-entry' }]);
  });

  it('drops a late internet-side segment silently with lateSegmentFromOutside: drop', () => {
    const { actor, clock, emitted } = run({ lateSegmentFromOutside: 'drop' });
    actor.send(segIn('client', 'syn'));
    clock.increment(400_000);
    actor.send(segIn('server', 'data'));
    actor.send(segIn('client', 'data'));
    expect(emitted.slice(1)).toEqual([
      { type: 'SEG_DROP', seg: seg('server', 'data'), reason: 'no-nat-mapping' },
      { type: 'SEG_RESET', seg: seg('client', 'data'), to: 'client', reason: 'no-flow-entry' },
    ]);
  });

  it('never answers an RST with an RST and opens no mapping from the internet side', () => {
    const { actor, emitted } = run();
    actor.send(segIn('client', 'rst'));
    actor.send(segIn('server', 'rst'));
    actor.send(segIn('server', 'syn'));
    expect(emitted).toEqual([
      { type: 'SEG_DROP', seg: seg('client', 'rst'), reason: 'no-nat-mapping' },
      { type: 'SEG_DROP', seg: seg('server', 'rst'), reason: 'no-nat-mapping' },
      { type: 'SEG_RESET', seg: seg('server', 'syn'), to: 'server', reason: 'no-flow-entry' },
    ]);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('opens a new mapping for a new inside SYN after expiry', () => {
    const { actor, clock, emitted } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(350_000);
    actor.send(segIn('client', 'syn'));
    expect(actor.getSnapshot().value).toBe('active');
    expect(emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('client', 'syn') });
  });
});

describe('parseNatGatewayConfig', () => {
  it('fills in the documented defaults', () => {
    expect(parseNatGatewayConfig({})).toEqual({ idleTimeout: 350, boundary: 'closed', targets: 1, lateSegmentFromOutside: 'reset' });
    expect(parseNatGatewayConfig(undefined).idleTimeout).toBe(350);
  });

  it('accepts idleTimeout 350, a boundary override, and the hop type and name', () => {
    expect(parseNatGatewayConfig({ type: 'nat-gateway', name: 'egress', idleTimeout: 350, boundary: 'ambiguous' })).toEqual({
      idleTimeout: 350,
      boundary: 'ambiguous',
      targets: 1,
      lateSegmentFromOutside: 'reset',
    });
  });

  it('refuses another idle timeout, naming the fixed value', () => {
    expectConfigError(() => parseNatGatewayConfig({ idleTimeout: 349 }), 'idleTimeout', /idleTimeout: 349 cannot be set, the AWS NAT gateway idle timeout is fixed \(allowed 350 seconds\)/);
    expectConfigError(() => parseNatGatewayConfig({ idleTimeout: 351 }, 'path.1'), 'path.1.idleTimeout', /^path\.1\.idleTimeout: 351 cannot be set.*allowed 350 seconds/);
  });

  it('refuses bad values and unknown fields, naming what is allowed', () => {
    expectConfigError(() => parseNatGatewayConfig({ lateSegmentFromOutside: 'rst' }), 'lateSegmentFromOutside', /'rst' is not allowed \(allowed 'reset' \| 'drop'\)/);
    expectConfigError(() => parseNatGatewayConfig({ boundary: 'half' }), 'boundary', /allowed 'open' \| 'closed' \| 'ambiguous'/);
    expectConfigError(() => parseNatGatewayConfig({ idleTimout: 350 }), 'idleTimout', /unknown field \(allowed type, name, idleTimeout, boundary, lateSegmentFromOutside\)/);
    expectConfigError(() => parseNatGatewayConfig({ type: 'nlb' }), 'type', /'nlb' is not allowed here \(allowed 'nat-gateway'\)/);
    expectConfigError(() => parseNatGatewayConfig(5, 'path.0'), 'path.0', /^path\.0: nat-gateway hop: 5 is not an object/);
  });
});
