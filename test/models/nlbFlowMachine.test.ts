import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { NLB_HALF_OPEN_TIMEOUT_RANGE, NLB_IDLE_TIMEOUT_RANGE, parseNlbConfig } from '../../src/models/nlbConfig.ts';
import { runs } from '../properties/fuzzing.ts';
import { NLB_AFTER_EVENTS, NLB_HALF_OPEN_DELAY, NLB_IDLE_DELAY, nlbFlowMachine } from '../../src/models/nlbFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { expectConfigError, expectFullCoverage, seg, segIn, handshake, expectLeavesAt, fileSeed } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(nlbFlowMachine, parseNlbConfig(raw));

/** An actor with an established flow at t = 0. */
const established = (raw: unknown = {}) => handshake(run(raw));

describe('nlbFlowMachine graph coverage', () => {
  it('reaches every state and every edge', () => {
    const c = expectFullCoverage(nlbFlowMachine, [parseNlbConfig({})]);
    expect([...c.afterEvents].sort()).toEqual(Object.values(NLB_AFTER_EVENTS).sort());
  });

  it('arms named delays: halfOpenTimeout on a SYN, idleTimeout once established', () => {
    const [s0] = initialTransition(nlbFlowMachine, parseNlbConfig({ idleTimeout: 600, halfOpenTimeout: 20 }));
    const [s1, a1] = transition(nlbFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(a1)).toEqual([{ id: NLB_AFTER_EVENTS.halfOpen, event: NLB_AFTER_EVENTS.halfOpen, delay: 20_000 }]);
    const [, a2] = transition(nlbFlowMachine, s1, segIn('client', 'ack'));
    expect(raisedEvents(a2)).toEqual([{ id: NLB_AFTER_EVENTS.established, event: NLB_AFTER_EVENTS.established, delay: 600_000 }]);
    expect(NLB_AFTER_EVENTS.established).toBe(`xstate.after.${NLB_IDLE_DELAY}.nlbFlow.established`);
    expect(NLB_AFTER_EVENTS.halfOpen).toBe(`xstate.after.${NLB_HALF_OPEN_DELAY}.nlbFlow.halfOpen`);
  });
});

describe('nlbFlowMachine on a simulated clock', () => {
  it('keeps the flow 1 ms before 350 s and forgets it silently at 350 s', () => {
    const { actor, clock, emitted } = established();
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('established');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted.every((e) => e.type === 'SEG_FORWARD')).toBe(true);
  });

  it('forwards a segment 1 ms before the timeout and restarts the timer', () => {
    const { actor, clock, emitted } = established();
    clock.increment(349_999);
    actor.send(segIn('server', 'keepalive'));
    expect(emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('server', 'keepalive') });
    clock.increment(349_999);
    expect(actor.getSnapshot().value).toBe('established');
  });

  it('answers the next segment 1 ms after the timeout with an RST to its sender, from either side', () => {
    const { actor, clock, emitted } = established();
    clock.increment(350_001);
    actor.send(segIn('client', 'data'));
    actor.send(segIn('server', 'fin'));
    expect(emitted.slice(3)).toEqual([
      { type: 'SEG_RESET', seg: seg('client', 'data'), to: 'client', reason: 'no-flow-entry' },
      { type: 'SEG_RESET', seg: seg('server', 'fin'), to: 'server', reason: 'no-flow-entry' },
    ]);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('uses the configured idle timeout', () => {
    const { actor, clock } = established({ idleTimeout: 6000 });
    clock.increment(5_999_999);
    expect(actor.getSnapshot().value).toBe('established');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('drops an RST with no entry instead of answering it', () => {
    const { actor, emitted } = run();
    actor.send(segIn('server', 'rst'));
    expect(emitted).toEqual([{ type: 'SEG_DROP', seg: seg('server', 'rst'), reason: 'no-flow-entry' }]);
  });

  it('stops tracking a flow that is reset, so the next segment gets an RST', () => {
    const { actor, emitted } = established();
    actor.send(segIn('client', 'rst'));
    expect(actor.getSnapshot().value).toBe('none');
    actor.send(segIn('server', 'data'));
    expect(emitted.slice(3)).toEqual([
      { type: 'SEG_FORWARD', seg: seg('client', 'rst') },
      { type: 'SEG_RESET', seg: seg('server', 'data'), to: 'server', reason: 'no-flow-entry' },
    ]);
  });

  it('stops tracking a gracefully closed flow at the final ACK', () => {
    const { actor, emitted } = established();
    actor.send(segIn('client', 'fin'));
    expect(actor.getSnapshot().value).toBe('closing');
    actor.send(segIn('server', 'ack', undefined, { acksFin: true }));
    actor.send(segIn('server', 'fin', undefined, { acksFin: true }));
    expect(actor.getSnapshot().value).toBe('lastAck');
    actor.send(segIn('client', 'ack'));
    expect(actor.getSnapshot().value).toBe('lastAck');
    actor.send(segIn('client', 'ack', undefined, { acksFin: true }));
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted.every((e) => e.type === 'SEG_FORWARD')).toBe(true);
  });

  it('keeps a half-closed flow until it idles out', () => {
    const { actor, clock } = established();
    actor.send(segIn('server', 'fin'));
    clock.increment(349_999);
    actor.send(segIn('client', 'data'));
    expect(actor.getSnapshot().value).toBe('closing');
    clock.increment(350_000);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('forgets a half-open flow after halfOpenTimeout', () => {
    const { actor, clock } = run({ halfOpenTimeout: 10 });
    actor.send(segIn('client', 'syn'));
    actor.send(segIn('server', 'synAck'));
    clock.increment(9_999);
    expect(actor.getSnapshot().value).toBe('halfOpen');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
  });
});

const SEED = fileSeed('nlbFlowMachine');

describe('NLB timers over their ranges (seeded)', () => {
  test.prop(
    [
      fc.oneof(fc.constantFrom(NLB_IDLE_TIMEOUT_RANGE.min, NLB_IDLE_TIMEOUT_RANGE.max), fc.integer(NLB_IDLE_TIMEOUT_RANGE)),
      fc.oneof(fc.constantFrom(NLB_HALF_OPEN_TIMEOUT_RANGE.min, NLB_HALF_OPEN_TIMEOUT_RANGE.max), fc.integer(NLB_HALF_OPEN_TIMEOUT_RANGE)),
    ],
    { ...runs(10), seed: SEED },
  )('a half-open flow leaves at halfOpenTimeout, an established, half-closed or closing one at idleTimeout', (idleTimeout, halfOpenTimeout) => {
    const raw = { idleTimeout, halfOpenTimeout };
    const half = run(raw);
    half.actor.send(segIn('client', 'syn'));
    expectLeavesAt(half, 'halfOpen', halfOpenTimeout * 1000);
    expectLeavesAt(established(raw), 'established', idleTimeout * 1000);
    const closing = established(raw);
    closing.actor.send(segIn('server', 'fin'));
    expectLeavesAt(closing, 'closing', idleTimeout * 1000);
    const lastAck = established(raw);
    lastAck.actor.send(segIn('server', 'fin'));
    lastAck.actor.send(segIn('client', 'fin', undefined, { acksFin: true }));
    expectLeavesAt(lastAck, 'lastAck', idleTimeout * 1000);
  });
});

describe('parseNlbConfig', () => {
  it('fills in the AWS defaults (half-open life = idle timeout)', () => {
    expect(parseNlbConfig({})).toEqual({ idleTimeout: 350, halfOpenTimeout: 350, boundary: 'open', targets: 1 });
    expect(parseNlbConfig({ idleTimeout: 60 }).halfOpenTimeout).toBe(60);
  });

  it.each([
    [{ idleTimeout: 59 }, 'idleTimeout', /idleTimeout: 59 is below the AWS minimum 60 \(allowed 60\.\.6000 seconds\)/],
    [{ idleTimeout: 6001 }, 'idleTimeout', /idleTimeout: 6001 is above the AWS maximum 6000 \(allowed 60\.\.6000 seconds\)/],
    [{ idleTimeout: 60.5 }, 'idleTimeout', /not a whole number/],
    [{ halfOpenTimeout: 0 }, 'halfOpenTimeout', /halfOpenTimeout: 0 is below the minimum 1 \(allowed 1\.\.6000 seconds\)/],
    [{ resetOnIdleTimeout: true }, 'resetOnIdleTimeout', /unknown field \(allowed type, name, idleTimeout, halfOpenTimeout, boundary\)/],
  ])('refuses %j', (raw, field, message) => {
    expectConfigError(() => parseNlbConfig(raw), field, message);
  });

  it('accepts the boundaries of the range', () => {
    expect(parseNlbConfig({ idleTimeout: 60 }).idleTimeout).toBe(60);
    expect(parseNlbConfig({ idleTimeout: 6000 }).idleTimeout).toBe(6000);
  });
});
