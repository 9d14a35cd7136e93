import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { parseEniConntrackConfig } from '../../src/models/eniConntrackConfig.ts';
import { ENI_CONNTRACK_IDLE_AFTER_EVENT, ENI_CONNTRACK_IDLE_DELAY, eniConntrackFlowMachine } from '../../src/models/eniConntrackFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, expectLateSegmentTable, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(eniConntrackFlowMachine, parseEniConntrackConfig(raw));

describe('eniConntrackFlowMachine graph coverage', () => {
  it('reaches every state and edge over the late-segment policies', () => {
    const c = expectFullCoverage(eniConntrackFlowMachine, [
      parseEniConntrackConfig({}),
      parseEniConntrackConfig({ lateSegment: 'drop' }),
      parseEniConntrackConfig({ lateSegment: 'pass' }),
    ]);
    expect([...c.afterEvents]).toEqual([ENI_CONNTRACK_IDLE_AFTER_EVENT]);
    // Everything passes with lateSegment: pass, so the silent drop is unreachable there.
    expect(c.perInput[2]?.has('none:SEG_IN#2')).toBe(false);
    expect(c.perInput[1]?.has('none:SEG_IN#1')).toBe(false);
  });

  it('arms TcpEstablishedTimeout as a named delay', () => {
    const [s0] = initialTransition(eniConntrackFlowMachine, parseEniConntrackConfig({ nitroV6: true }));
    const [, actions] = transition(eniConntrackFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(actions)).toEqual([{ id: ENI_CONNTRACK_IDLE_AFTER_EVENT, event: ENI_CONNTRACK_IDLE_AFTER_EVENT, delay: 350_000 }]);
    expect(ENI_CONNTRACK_IDLE_DELAY).toBe('tcpEstablishedTimeout');
  });
});

describe('eniConntrackFlowMachine on a simulated clock', () => {
  it('with no entry: tracks a client SYN, and passes or drops every other segment per side as lateSegment says', () => {
    expectLateSegmentTable(eniConntrackFlowMachine, parseEniConntrackConfig, 'tracked');
  });

  it('keeps the entry 1 ms before the timeout and drops its state silently at it (Nitro v6: 350 s)', () => {
    const { actor, clock, emitted } = run({ nitroV6: true });
    actor.send(segIn('client', 'syn'));
    clock.increment(349_999);
    actor.send(segIn('server', 'ack'));
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('tracked');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted.map((e) => e.type)).toEqual(['SEG_FORWARD', 'SEG_FORWARD']);
  });

  it('by default passes and re-tracks a late client segment, and drops a late server segment silently', () => {
    const { actor, clock, emitted } = run({ idleTimeout: 60 });
    actor.send(segIn('client', 'syn'));
    clock.increment(60_001);
    actor.send(segIn('server', 'data'));
    expect(actor.getSnapshot().value).toBe('none');
    actor.send(segIn('client', 'data'));
    expect(actor.getSnapshot().value).toBe('tracked');
    actor.send(segIn('server', 'data'));
    expect(emitted.slice(1)).toEqual([
      { type: 'SEG_DROP', seg: seg('server', 'data'), reason: 'not-allowed-as-new-connection' },
      { type: 'SEG_FORWARD', seg: seg('client', 'data') },
      { type: 'SEG_FORWARD', seg: seg('server', 'data') },
    ]);
  });

  it('drops late segments from both sides with lateSegment: drop', () => {
    const { actor, emitted } = run({ lateSegment: 'drop' });
    actor.send(segIn('client', 'keepalive'));
    actor.send(segIn('server', 'fin'));
    actor.send(segIn('client', 'syn'));
    expect(emitted.map((e) => e.type)).toEqual(['SEG_DROP', 'SEG_DROP', 'SEG_FORWARD']);
  });

  it('uses the 432000 s default on other instances', () => {
    const { actor, clock } = run();
    actor.send(segIn('client', 'syn'));
    clock.increment(431_999_999);
    expect(actor.getSnapshot().value).toBe('tracked');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
  });
});

describe('parseEniConntrackConfig', () => {
  it('fills in the EC2 defaults (432000, or 350 on Nitro v6)', () => {
    expect(parseEniConntrackConfig({})).toEqual({
      idleTimeout: 432_000,
      nitroV6: false,
      lateSegment: { client: 'pass', server: 'drop' },
      boundary: 'ambiguous',
      targets: 1,
    });
    expect(parseEniConntrackConfig({ nitroV6: true }).idleTimeout).toBe(350);
    expect(parseEniConntrackConfig({ nitroV6: true, idleTimeout: 1000 }).idleTimeout).toBe(1000);
    expect(parseEniConntrackConfig({ lateSegment: { server: 'pass' } }).lateSegment).toEqual({ client: 'pass', server: 'pass' });
  });
  it('refuses out-of-range and unknown values', () => {
    expectConfigError(() => parseEniConntrackConfig({ idleTimeout: 59 }), 'idleTimeout', /59 is below the EC2 minimum 60 \(allowed 60\.\.432000 seconds\)/);
    expectConfigError(() => parseEniConntrackConfig({ idleTimeout: 432_001 }), 'idleTimeout', /432001 is above the EC2 maximum 432000/);
    expectConfigError(() => parseEniConntrackConfig({ lateSegment: 'reset' }), 'lateSegment', /'reset' is not allowed \(allowed 'pass' \| 'drop' \| \{ client, server \}\)/);
    expectConfigError(() => parseEniConntrackConfig({ nitroV6: 'yes' }), 'nitroV6', /'yes' is not allowed \(allowed true \| false\)/);
  });
});
