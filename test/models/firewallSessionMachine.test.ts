import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { ConfigError } from '../../src/models/configError.ts';
import {
  conntrackLooseDefaults,
  panOsDefaults,
  parseFirewallConfig,
  type FirewallConfig,
} from '../../src/models/firewallConfig.ts';
import { FIREWALL_AFTER_EVENTS, FIREWALL_DELAYS, firewallSessionMachine } from '../../src/models/firewallSessionMachine.ts';
import type { MachineOutput, Role, SegInEvent, Segment, SegmentKind } from '../../src/models/segment.ts';
import { allEdges, raisedEvents, serializeValueAndContext, startOnSimulatedClock, thrownBy, walkWithTimers } from './machineCoverage.ts';

const KINDS: readonly SegmentKind[] = ['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive'];
const ROLES: readonly Role[] = ['client', 'server'];

const seg = (from: Role, kind: SegmentKind, conn = 0): Segment => ({ conn, from, kind });
const segIn = (from: Role, kind: SegmentKind, conn = 0): SegInEvent => ({ type: 'SEG_IN', seg: seg(from, kind, conn) });

/**
 * Walks the machine with SEG_IN of every kind from both roles plus the delayed
 * events the walk announces (see {@link walkWithTimers}).
 */
function explore(config: FirewallConfig): { states: Set<string>; edges: Set<string>; afterEvents: Set<string> } {
  const events: SegInEvent[] = [];
  for (const from of ROLES) for (const kind of KINDS) events.push(segIn(from, kind));
  return walkWithTimers(firewallSessionMachine, { input: config, events, serializeState: serializeValueAndContext });
}

const runActor = (config: FirewallConfig) => startOnSimulatedClock(firewallSessionMachine, config);

const logs = (emitted: readonly MachineOutput[]) => emitted.filter((e) => e.type === 'LOG');

function establish(actor: ReturnType<typeof runActor>['actor']): void {
  actor.send(segIn('client', 'syn'));
  actor.send(segIn('server', 'synAck'));
  actor.send(segIn('client', 'ack'));
}

describe('firewallSessionMachine graph coverage', () => {
  // none:SEG_IN#1 rejects a non-SYN; #2..#4 adopt one (RST passes, FIN half-closes, others establish).
  const variants: Array<{ name: string; config: FirewallConfig; unreachable: string[] }> = [
    { name: 'pan-os', config: panOsDefaults, unreachable: ['none:SEG_IN#2', 'none:SEG_IN#3', 'none:SEG_IN#4'] },
    { name: 'pan-os, rejectNonSyn off', config: parseFirewallConfig({ kind: 'pan-os', rejectNonSyn: false }), unreachable: ['none:SEG_IN#1'] },
    { name: 'conntrack-loose', config: conntrackLooseDefaults, unreachable: ['none:SEG_IN#1'] },
  ];

  it.each(variants)('reaches every state and every edge the config enables ($name)', ({ config, unreachable }) => {
    const { states, edges, afterEvents } = explore(config);
    expect([...states].sort()).toEqual(getStateNodes(firewallSessionMachine.root).map((n) => n.key).sort());
    const expected = [...allEdges(firewallSessionMachine)].filter((e) => !unreachable.includes(e));
    expect([...edges].sort()).toEqual(expected.sort());
    expect([...afterEvents].sort()).toEqual(Object.values(FIREWALL_AFTER_EVENTS).sort());
  });

  it('arms each state timer as a named delay in milliseconds', () => {
    const config = parseFirewallConfig({ kind: 'pan-os', timeouts: { established: 1800 } });
    let [s] = initialTransition(firewallSessionMachine, config);
    const armed: Array<{ id: string; event: string; delay: number }> = [];
    for (const e of [segIn('client', 'syn'), segIn('server', 'synAck'), segIn('client', 'ack'), segIn('client', 'fin'), segIn('server', 'fin')]) {
      const [next, actions] = transition(firewallSessionMachine, s, e);
      armed.push(...raisedEvents(actions));
      s = next;
    }
    expect(armed).toEqual([
      { id: FIREWALL_AFTER_EVENTS.init, event: FIREWALL_AFTER_EVENTS.init, delay: 5_000 },
      { id: FIREWALL_AFTER_EVENTS.handshake, event: FIREWALL_AFTER_EVENTS.handshake, delay: 10_000 },
      { id: FIREWALL_AFTER_EVENTS.established, event: FIREWALL_AFTER_EVENTS.established, delay: 1_800_000 },
      { id: FIREWALL_AFTER_EVENTS.halfClosed, event: FIREWALL_AFTER_EVENTS.halfClosed, delay: 120_000 },
      { id: FIREWALL_AFTER_EVENTS.timeWait, event: FIREWALL_AFTER_EVENTS.timeWait, delay: 15_000 },
    ]);
    expect(FIREWALL_AFTER_EVENTS.established).toBe(`xstate.after.${FIREWALL_DELAYS.established}.firewallSession.established`);
  });
});

describe('firewallSessionMachine on a simulated clock', () => {
  it('logs aged-out exactly 3600 s after the last segment it saw, and sends no RST', () => {
    const { actor, clock, emitted } = runActor(parseFirewallConfig({ kind: 'pan-os', conn: 3 }));
    actor.send(segIn('client', 'syn', 3));
    actor.send(segIn('server', 'synAck', 3));
    actor.send(segIn('client', 'ack', 3));
    clock.increment(100_000);
    actor.send(segIn('client', 'data', 3));
    clock.increment(3_599_900);
    expect(actor.getSnapshot().value).toBe('established');
    expect(logs(emitted)).toEqual([]);
    clock.increment(100);
    expect(actor.getSnapshot().value).toBe('none');
    expect(logs(emitted)).toEqual([{ type: 'LOG', conn: 3, reason: 'aged-out' }]);
    expect(emitted.filter((e) => e.type !== 'SEG_FORWARD' && e.type !== 'LOG')).toEqual([]);
  });

  it('drops a non-SYN segment it has no session for, silently and without creating one', () => {
    const { actor, clock, emitted } = runActor(panOsDefaults);
    actor.send(segIn('server', 'fin'));
    actor.send(segIn('client', 'data'));
    expect(emitted).toEqual([
      { type: 'SEG_DROP', seg: seg('server', 'fin'), reason: 'non-syn-no-session' },
      { type: 'SEG_DROP', seg: seg('client', 'data'), reason: 'non-syn-no-session' },
    ]);
    expect(actor.getSnapshot().value).toBe('none');
    clock.increment(1_000_000_000);
    expect(logs(emitted)).toEqual([]);
  });

  it('logs tcp-fin 15 s after FINs from both sides', () => {
    const { actor, clock, emitted } = runActor(panOsDefaults);
    establish(actor);
    actor.send(segIn('client', 'fin'));
    expect(actor.getSnapshot().value).toBe('halfClosed');
    actor.send(segIn('server', 'fin'));
    expect(actor.getSnapshot().value).toBe('timeWait');
    clock.increment(14_900);
    expect(logs(emitted)).toEqual([]);
    clock.increment(100);
    expect(logs(emitted)).toEqual([{ type: 'LOG', conn: 0, reason: 'tcp-fin' }]);
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('logs tcp-rst-from-server 120 s after an RST from the server', () => {
    const { actor, clock, emitted } = runActor(panOsDefaults);
    establish(actor);
    actor.send(segIn('server', 'rst'));
    expect(actor.getSnapshot().context.rstFrom).toBe('server');
    clock.increment(120_000);
    expect(logs(emitted)).toEqual([{ type: 'LOG', conn: 0, reason: 'tcp-rst-from-server' }]);
  });

  it('ages out a half-closed session that saw only one FIN', () => {
    const { actor, clock, emitted } = runActor(panOsDefaults);
    establish(actor);
    actor.send(segIn('client', 'fin'));
    actor.send(segIn('client', 'fin'));
    clock.increment(120_000);
    expect(logs(emitted)).toEqual([{ type: 'LOG', conn: 0, reason: 'aged-out' }]);
  });

  it('opens a new session on a SYN after the old one aged out', () => {
    const { actor, clock, emitted } = runActor(panOsDefaults);
    actor.send(segIn('client', 'syn'));
    clock.increment(5_000);
    expect(logs(emitted)).toEqual([{ type: 'LOG', conn: 0, reason: 'aged-out' }]);
    actor.send(segIn('client', 'syn'));
    expect(actor.getSnapshot().value).toBe('init');
    expect(actor.getSnapshot().context).toMatchObject({ finFrom: null, rstFrom: null });
  });

  it('adopts a mid-stream data segment with loose conntrack', () => {
    const { actor, emitted } = runActor(conntrackLooseDefaults);
    actor.send(segIn('server', 'data'));
    expect(actor.getSnapshot().value).toBe('established');
    expect(emitted).toEqual([{ type: 'SEG_FORWARD', seg: seg('server', 'data') }]);
  });

  it('passes a stray RST with loose conntrack without opening a session', () => {
    const { actor, emitted } = runActor(conntrackLooseDefaults);
    actor.send(segIn('client', 'rst'));
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted).toEqual([{ type: 'SEG_FORWARD', seg: seg('client', 'rst') }]);
  });
});

describe('parseFirewallConfig', () => {
  it('merges a partial config over its kind preset', () => {
    expect(parseFirewallConfig({ kind: 'pan-os', timeouts: { established: 1800 } })).toEqual({
      ...panOsDefaults,
      timeouts: { ...panOsDefaults.timeouts, established: 1800 },
    });
    expect(parseFirewallConfig({ kind: 'conntrack-loose' })).toEqual(conntrackLooseDefaults);
  });

  const rejected: Array<[string, unknown, string, RegExp]> = [
    ['timeouts.established 0', { kind: 'pan-os', timeouts: { established: 0 } }, 'timeouts.established', /timeouts\.established: 0 .*allowed 1\.\.15999999 seconds/],
    ['an unknown kind', { kind: 'iptables' }, 'kind', /kind: 'iptables'.*'pan-os' \| 'conntrack-loose'/],
    ['an unknown timeout', { kind: 'pan-os', timeouts: { discard: 90 } }, 'timeouts.discard', /timeouts\.discard: unknown field \(allowed init, handshake/],
  ];

  it.each(rejected)('rejects %s with a ConfigError naming the field and what is allowed', (_, raw, field, message) => {
    const caught = thrownBy(() => parseFirewallConfig(raw));
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe(field);
    expect((caught as ConfigError).message).toMatch(message);
  });
});
