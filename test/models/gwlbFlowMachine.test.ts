import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { ConfigError } from '../../src/models/configError.ts';
import { parseGwlbConfig, type GwlbConfig } from '../../src/models/gwlbConfig.ts';
import { GWLB_IDLE_AFTER_EVENT, GWLB_IDLE_DELAY, gwlbFlowMachine, needsTargetChoice } from '../../src/models/gwlbFlowMachine.ts';
import type { Role, SegInEvent, Segment, SegmentKind } from '../../src/models/segment.ts';
import { allEdges, raisedEvents, serializeValueAndContext, startOnSimulatedClock, thrownBy, walkWithTimers } from './machineCoverage.ts';

const KINDS: readonly SegmentKind[] = ['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive'];
const ROLES: readonly Role[] = ['client', 'server'];

const seg = (from: Role, kind: SegmentKind): Segment => ({ conn: 0, from, kind });
const segIn = (from: Role, kind: SegmentKind, target?: number): SegInEvent =>
  target === undefined ? { type: 'SEG_IN', seg: seg(from, kind) } : { type: 'SEG_IN', seg: seg(from, kind), target };

/**
 * Walks the machine with SEG_IN of every kind from both roles (with each
 * target) plus the delayed events the walk announces (see {@link walkWithTimers}).
 */
function explore(config: GwlbConfig): { states: Set<string>; edges: Set<string>; afterEvents: Set<string> } {
  const events: SegInEvent[] = [];
  for (const from of ROLES) for (const kind of KINDS) for (let t = 0; t < config.targets; t++) events.push(segIn(from, kind, t));
  return walkWithTimers(gwlbFlowMachine, { input: config, events, serializeState: serializeValueAndContext });
}

const runActor = (raw: unknown) => startOnSimulatedClock(gwlbFlowMachine, parseGwlbConfig(raw));

describe('gwlbFlowMachine graph coverage', () => {
  const variants: Array<{ name: string; raw: Partial<GwlbConfig>; unreachable: string[] }> = [
    { name: 'reset off, forward', raw: {}, unreachable: ['none:SEG_IN#1', 'none:SEG_IN#3'] },
    { name: 'reset off, drop', raw: { unknownNonSyn: 'drop' }, unreachable: ['none:SEG_IN#1', 'none:SEG_IN#2'] },
    { name: 'reset on, forward', raw: { resetOnIdleTimeout: true }, unreachable: ['none:SEG_IN#3'] },
    { name: 'reset on, drop', raw: { resetOnIdleTimeout: true, unknownNonSyn: 'drop' }, unreachable: ['none:SEG_IN#2'] },
  ];

  it.each(variants)('reaches every state and every edge the config enables ($name)', ({ raw, unreachable }) => {
    const { states, edges, afterEvents } = explore(parseGwlbConfig({ targets: 2, ...raw }));
    expect([...states].sort()).toEqual(getStateNodes(gwlbFlowMachine.root).map((n) => n.key).sort());
    const expected = [...allEdges(gwlbFlowMachine)].filter((e) => !unreachable.includes(e));
    expect([...edges].sort()).toEqual(expected.sort());
    expect([...afterEvents]).toEqual([GWLB_IDLE_AFTER_EVENT]);
  });

  it('has exactly six edges, so the variants above cover all of them', () => {
    expect([...allEdges(gwlbFlowMachine)].sort()).toEqual(
      ['none:SEG_IN#0', 'none:SEG_IN#1', 'none:SEG_IN#2', 'none:SEG_IN#3', 'active:SEG_IN#0', `active:${GWLB_IDLE_AFTER_EVENT}#0`].sort(),
    );
  });

  it('arms the idle timer as a named delay in milliseconds', () => {
    const [s0] = initialTransition(gwlbFlowMachine, parseGwlbConfig({ targets: 1, idleTimeout: 60 }));
    const [s1, actions] = transition(gwlbFlowMachine, s0, segIn('client', 'syn', 0));
    expect(s1.value).toBe('active');
    expect(raisedEvents(actions)).toEqual([{ id: GWLB_IDLE_AFTER_EVENT, event: GWLB_IDLE_AFTER_EVENT, delay: 60_000 }]);
    expect(GWLB_IDLE_AFTER_EVENT).toBe(`xstate.after.${GWLB_IDLE_DELAY}.gwlbFlow.active`);
  });
});

describe('gwlbFlowMachine on a simulated clock', () => {
  it('keeps the entry at 349.9 s and forgets it silently at 350 s', () => {
    const { actor, clock, emitted } = runActor({ targets: 1 });
    actor.send(segIn('client', 'syn', 0));
    expect(emitted).toEqual([{ type: 'SEG_FORWARD', seg: seg('client', 'syn'), target: 0 }]);
    clock.increment(349_900);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(100);
    expect(actor.getSnapshot().value).toBe('none');
    expect(actor.getSnapshot().context.target).toBeNull();
    expect(emitted).toHaveLength(1);
  });

  it('refreshes the entry on a segment in either direction', () => {
    const { actor, clock } = runActor({ targets: 1 });
    actor.send(segIn('client', 'syn', 0));
    clock.increment(325_000);
    actor.send(segIn('server', 'keepalive'));
    clock.increment(349_900);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(100);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('does not shorten the entry on FIN or RST', () => {
    const { actor, clock, emitted } = runActor({ targets: 1 });
    actor.send(segIn('client', 'syn', 0));
    clock.increment(10_000);
    actor.send(segIn('client', 'fin'));
    actor.send(segIn('server', 'rst'));
    clock.increment(349_900);
    expect(actor.getSnapshot().value).toBe('active');
    expect(emitted.map((e) => e.type)).toEqual(['SEG_FORWARD', 'SEG_FORWARD', 'SEG_FORWARD']);
  });

  it('pins a new flow after expiry to the target given in the event', () => {
    const { actor, clock, emitted } = runActor({ targets: 2 });
    actor.send(segIn('client', 'syn', 0));
    clock.increment(350_000);
    expect(needsTargetChoice(actor.getSnapshot(), seg('server', 'fin'))).toBe(true);
    actor.send(segIn('server', 'fin', 1));
    actor.send(segIn('client', 'data', 0));
    expect(actor.getSnapshot().context.target).toBe(1);
    expect(emitted.slice(1)).toEqual([
      { type: 'SEG_FORWARD', seg: seg('server', 'fin'), target: 1 },
      { type: 'SEG_FORWARD', seg: seg('client', 'data'), target: 1 },
    ]);
  });

  it('answers a segment after expiry with an RST to its sender only when TCP reset is on', () => {
    const { actor, clock, emitted } = runActor({ targets: 2, resetOnIdleTimeout: true });
    actor.send(segIn('client', 'syn', 0));
    clock.increment(400_000);
    expect(needsTargetChoice(actor.getSnapshot(), seg('client', 'data'))).toBe(false);
    actor.send(segIn('client', 'data', 1));
    expect(emitted.slice(1)).toEqual([
      { type: 'SEG_RESET', seg: seg('client', 'data'), to: 'client', reason: 'no-flow-entry' },
    ]);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('never answers an RST with an RST, and forwards it as a new flow', () => {
    const { actor, emitted } = runActor({ targets: 2, resetOnIdleTimeout: true });
    expect(needsTargetChoice(actor.getSnapshot(), seg('server', 'rst'))).toBe(true);
    actor.send(segIn('server', 'rst', 1));
    expect(emitted).toEqual([{ type: 'SEG_FORWARD', seg: seg('server', 'rst'), target: 1 }]);
    expect(actor.getSnapshot().value).toBe('active');
  });

  it('drops a non-SYN segment with no entry when unknownNonSyn is drop', () => {
    const { actor, emitted } = runActor({ targets: 2, unknownNonSyn: 'drop' });
    expect(needsTargetChoice(actor.getSnapshot(), seg('client', 'data'))).toBe(false);
    expect(needsTargetChoice(actor.getSnapshot(), seg('client', 'syn'))).toBe(true);
    actor.send(segIn('client', 'data'));
    expect(emitted).toEqual([{ type: 'SEG_DROP', seg: seg('client', 'data'), reason: 'no-flow-entry' }]);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('needs no target choice while an entry exists', () => {
    const { actor } = runActor({ targets: 2 });
    actor.send(segIn('client', 'syn', 1));
    expect(needsTargetChoice(actor.getSnapshot(), seg('client', 'syn'))).toBe(false);
  });

  it('refuses to create a flow without a target in range', () => {
    const [s0] = initialTransition(gwlbFlowMachine, parseGwlbConfig({ targets: 2 }));
    expect(() => transition(gwlbFlowMachine, s0, segIn('client', 'syn'))).toThrow(/needs SEG_IN.target in 0..1/);
    expect(() => transition(gwlbFlowMachine, s0, segIn('client', 'syn', 2))).toThrow(/needs SEG_IN.target/);
  });
});

describe('parseGwlbConfig', () => {
  it('fills in the AWS defaults', () => {
    expect(parseGwlbConfig({ targets: 2 })).toEqual({
      idleTimeout: 350,
      targets: 2,
      stickiness: '5-tuple',
      unknownNonSyn: 'forward',
      resetOnIdleTimeout: false,
    });
  });

  const rejected: Array<[string, unknown, string, RegExp]> = [
    ['idleTimeout 59', { targets: 2, idleTimeout: 59 }, 'idleTimeout', /idleTimeout: 59 is below the AWS minimum 60 \(allowed 60\.\.6000 seconds\)/],
    ['idleTimeout 6001', { targets: 2, idleTimeout: 6001 }, 'idleTimeout', /idleTimeout: 6001 .*allowed 60\.\.6000 seconds/],
    ['stickiness 4-tuple', { targets: 2, stickiness: '4-tuple' }, 'stickiness', /stickiness: '4-tuple'.*'5-tuple' \| '3-tuple' \| '2-tuple'/],
    ['an unknown field', { targets: 2, idleTimeOut: 300 }, 'idleTimeOut', /idleTimeOut: unknown field \(allowed idleTimeout, targets/],
    ['targets 0', { targets: 0 }, 'targets', /targets: 0 .*allowed 1\.\.64/],
  ];

  it.each(rejected)('rejects %s with a ConfigError naming the field and what is allowed', (_, raw, field, message) => {
    const caught = thrownBy(() => parseGwlbConfig(raw));
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe(field);
    expect((caught as ConfigError).message).toMatch(message);
  });
});
