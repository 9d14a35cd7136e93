import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, SimulatedClock, transition, type AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { ConfigError } from '../../src/models/configError.ts';
import type { LogEvent, Role, SegInEvent, SegmentKind, SegOutEvent } from '../../src/models/segment.ts';
import { parseTcpEndpointConfig, type TcpEndpointConfig } from '../../src/models/tcpEndpointConfig.ts';
import {
  TCP_ENDPOINT_DELAYS,
  tcpEndpointMachine,
  type TcpEndpointEvent,
  type TcpEndpointSnapshot,
} from '../../src/models/tcpEndpointMachine.ts';
import { linuxEndpoint } from '../fixtures/kbTopology.ts';
import { adjacencyOf, allEdges, coverageOf, delayedEvent, thrownBy } from './machineCoverage.ts';

const KINDS: readonly SegmentKind[] = ['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive'];
const peer = (role: Role): Role => (role === 'client' ? 'server' : 'client');
const segIn = (from: Role, kind: SegmentKind, acksFin = false): SegInEvent => ({
  type: 'SEG_IN',
  seg: acksFin ? { conn: 0, from, kind, acksFin: true } : { conn: 0, from, kind },
});
/** Segment kinds that may carry acksFin (those with the ACK flag that matter after a FIN). */
const ACKS_FIN_KINDS: readonly SegmentKind[] = ['ack', 'data', 'fin', 'keepalive'];

/** The state key: value and the context that changes (the config is constant within one walk). */
const serializeState = (s: TcpEndpointSnapshot): string => {
  const { config: _config, ...rest } = s.context;
  return JSON.stringify([s.value, rest]);
};

const nodes = (): AnyStateNode[] => getStateNodes(tcpEndpointMachine.root);

/** Every after-event type of the machine, read from the state nodes. */
const afterEventTypes = (): string[] => nodes().flatMap((n) => n.after.map((t) => t.eventType));

/** Every `always` edge as `stateId->targetId` (eventless choices on the config). */
function alwaysEdges(): Array<{ edge: string; target: string }> {
  return nodes().flatMap((n) =>
    (n.always ?? []).flatMap((t) => (t.target ?? []).map((target) => ({ edge: `${n.id}->${target.id}`, target: target.id }))),
  );
}

/** The application events, SEG_IN of every kind from the peer (with and without acksFin), and every delayed event. */
function allEvents(config: TcpEndpointConfig): TcpEndpointEvent[] {
  return [
    { type: 'APP_CONNECT' },
    { type: 'APP_SEND' },
    { type: 'APP_CLOSE' },
    ...KINDS.map((k) => segIn(peer(config.role), k)),
    ...ACKS_FIN_KINDS.map((k) => segIn(peer(config.role), k, true)),
    ...afterEventTypes().map((type) => delayedEvent<TcpEndpointEvent>(type)),
  ];
}

/** The params of the `xstate.raise` actions (armed timers) among the actions `transition` returns. */
function raises(actions: ReadonlyArray<{ readonly type: string; readonly params?: unknown }>): unknown[] {
  return actions.filter((a) => a.type === 'xstate.raise').map((a) => a.params);
}

/**
 * Walks the machine with xstate/graph from its initial state with the
 * application events, SEG_IN of every kind from the peer and every delayed
 * event; returns the state node ids active in some reached snapshot and the
 * `on`/`after` edges taken.
 */
function explore(config: TcpEndpointConfig): { states: Set<string>; edges: Set<string> } {
  const events = allEvents(config);
  const adjacency = adjacencyOf(tcpEndpointMachine, { input: config, events, serializeState, limit: 100_000 });
  return coverageOf(tcpEndpointMachine, adjacency, events, 'id');
}

const small = { keepalive: { idle: 10, interval: 5, probes: 2 }, retries2: 2 } as const;
const variants: ReadonlyArray<{ name: string; config: TcpEndpointConfig }> = (['client', 'server'] as const).flatMap((role) => [
  { name: `${role}, keepalive, idle close, user timeout, half-close`, config: parseTcpEndpointConfig({ role, conn: 0, ...small, idleClose: 30, userTimeout: 3, closeOnPeerFin: false }) },
  { name: `${role}, no keepalive, never closes, closes on peer FIN`, config: parseTcpEndpointConfig({ role, conn: 0, retries2: 1 }) },
  { name: `${role}, no keepalive, never closes, half-close`, config: parseTcpEndpointConfig({ role, conn: 0, retries2: 1, closeOnPeerFin: false }) },
]);

describe('tcpEndpointMachine graph coverage', () => {
  const explored = variants.map((v) => ({ ...v, ...explore(v.config) }));

  it('reaches every state node across client and server roles and configs', () => {
    const reached = new Set(explored.flatMap((e) => [...e.states]));
    const transient = new Set(nodes().filter((n) => n.always !== undefined && n.always.length > 0 && n.id !== 'tcpEndpoint.closed').map((n) => n.id));
    const expected = nodes().map((n) => n.id).filter((id) => !transient.has(id));
    expect(expected.filter((id) => !reached.has(id))).toEqual([]);
  });

  it('takes every on and after edge at least once', () => {
    const taken = new Set(explored.flatMap((e) => [...e.edges]));
    expect([...allEdges(tcpEndpointMachine, 'id')].filter((e) => !taken.has(e)).sort()).toEqual([]);
  });

  it('takes both branches of every config choice (each always target is reached)', () => {
    const reached = new Set(explored.flatMap((e) => [...e.states]));
    expect(alwaysEdges().filter((a) => !reached.has(a.target)).map((a) => a.edge)).toEqual([]);
  });

  it('gives every state node a description naming its source', () => {
    expect(nodes().filter((n) => n.parent !== undefined && !n.description).map((n) => n.id)).toEqual([]);
  });

  it('reaches ended with every end reason', () => {
    const reasons = new Set<string>();
    for (const v of variants) {
      const adjacency = adjacencyOf(tcpEndpointMachine, {
        input: v.config,
        events: allEvents(v.config),
        serializeState,
      });
      for (const { state } of Object.values(adjacency)) if (state.context.endReason !== null) reasons.add(state.context.endReason);
    }
    expect([...reasons].sort()).toEqual(['fin', 'keepalive-timeout', 'reset-received', 'retransmit-timeout', 'user-timeout']);
  });

  it('arms timers as named delays in milliseconds with stable raise ids', () => {
    const config = parseTcpEndpointConfig({ role: 'client', conn: 0, keepalive: 'linux' });
    const [s0] = initialTransition(tcpEndpointMachine, config);
    const [s1, a1] = transition(tcpEndpointMachine, s0, { type: 'APP_CONNECT' });
    expect(raises(a1)).toEqual([
      { event: { type: 'xstate.after.rto.tcpEndpoint.synSent' }, id: 'xstate.after.rto.tcpEndpoint.synSent', delay: 200 },
    ]);
    const [, a2] = transition(tcpEndpointMachine, s1, segIn('server', 'synAck'));
    expect(raises(a2)).toEqual([
      {
        event: { type: 'xstate.after.keepaliveIdle.tcpEndpoint.established.transmit.keepaliveWait' },
        id: 'xstate.after.keepaliveIdle.tcpEndpoint.established.transmit.keepaliveWait',
        delay: 7_200_000,
      },
    ]);
    const delayNames = new Set(afterEventTypes().map((t) => t.split('.')[2]));
    expect([...delayNames].sort()).toEqual([...TCP_ENDPOINT_DELAYS].sort());
  });
});

type Output = SegOutEvent | LogEvent;

/**
 * SimulatedClock.increment(ms) fires every due timeout at the *end* time, so a
 * timer armed by a firing timer starts late. This clock steps from deadline to
 * deadline instead, so chains of timers (retransmission backoff, probes) fire
 * at their exact times.
 */
class SteppingClock extends SimulatedClock {
  private readonly deadlines = new Map<number, number>();
  override setTimeout(fn: () => void, timeout: number): number {
    const id: number = super.setTimeout(() => {
      this.deadlines.delete(id);
      fn();
    }, timeout);
    this.deadlines.set(id, this.now() + timeout);
    return id;
  }
  override clearTimeout(id: number): void {
    this.deadlines.delete(id);
    super.clearTimeout(id);
  }
  /** Advances to `to` ms, stopping at every deadline on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const next = Math.min(...this.deadlines.values());
      if (!(next <= to)) break;
      this.set(Math.max(next, this.now()));
    }
    this.set(to);
  }
}

function run(raw: Record<string, unknown>) {
  const config = parseTcpEndpointConfig({ conn: 0, ...raw });
  const clock = new SteppingClock();
  const actor = createActor(tcpEndpointMachine, { input: config, clock });
  const out: Array<{ t: number; e: Output }> = [];
  actor.on('*', (e) => out.push({ t: clock.now() / 1000, e }));
  actor.start();
  const other = peer(config.role);
  if (config.role === 'client') {
    actor.send({ type: 'APP_CONNECT' });
    actor.send(segIn(other, 'synAck'));
  } else {
    actor.send(segIn(other, 'syn'));
    actor.send(segIn(other, 'ack'));
  }
  expect(actor.getSnapshot().matches('established')).toBe(true);
  out.length = 0;
  /** Advances the clock by `s` seconds. */
  const advance = (s: number) => clock.advanceTo(clock.now() + Math.round(s * 1000));
  const sent = (kind?: SegmentKind) => out.filter((o) => o.e.type === 'SEG_OUT' && (kind === undefined || o.e.seg.kind === kind));
  const logs = () => out.filter((o) => o.e.type === 'LOG').map((o) => o.e);
  return { actor, clock, out, advance, sent, logs, other };
}

describe('tcpEndpointMachine on a simulated clock', () => {
  it('sends the first Linux keepalive probe at exactly 7200 s of idle, not before', () => {
    const { advance, sent } = run({ role: 'client', keepalive: 'linux' });
    advance(7199.9);
    expect(sent()).toEqual([]);
    advance(0.1);
    expect(sent()).toEqual([{ t: 7200, e: { type: 'SEG_OUT', seg: { conn: 0, from: 'client', kind: 'keepalive' } } }]);
  });

  it('aborts with an RST and keepalive-timeout after 7200 + 9 × 75 s of unanswered probes', () => {
    const { actor, advance, sent, logs, out } = run({ role: 'client', keepalive: 'linux' });
    advance(7200 + 9 * 75 - 0.001);
    expect(sent('keepalive').map((o) => o.t)).toEqual([7200, 7275, 7350, 7425, 7500, 7575, 7650, 7725, 7800]);
    expect(logs()).toEqual([]);
    advance(0.001);
    expect(out.slice(-2)).toEqual([
      { t: 7875, e: { type: 'SEG_OUT', seg: { conn: 0, from: 'client', kind: 'rst' } } },
      { t: 7875, e: { type: 'LOG', conn: 0, reason: 'keepalive-timeout' } },
    ]);
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.endReason).toBe('keepalive-timeout');
  });

  it('retransmits unacknowledged data with exponential backoff and aborts at 1044.6 s (Linux: tcp_retries2 counted from the first retransmission) without an RST', () => {
    const { actor, advance, sent, logs } = run({ role: 'client', keepalive: 'linux' });
    actor.send({ type: 'APP_SEND' });
    advance(1044.599);
    const times = sent('data').filter((o) => o.e.type === 'SEG_OUT' && o.e.seg.retransmit === true).map((o) => Math.round(o.t * 10) / 10);
    expect(times).toEqual([0.2, 0.6, 1.4, 3, 6.2, 12.6, 25.4, 51, 102.2, 204.6, 324.6, 444.6, 564.6, 684.6, 804.6, 924.6]);
    expect(logs()).toEqual([]);
    advance(0.001);
    expect(logs()).toEqual([{ type: 'LOG', conn: 0, reason: 'retransmit-timeout' }]);
    expect(sent('rst')).toEqual([]);
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.endReason).toBe('retransmit-timeout');
  });

  it('aborts at TCP_USER_TIMEOUT when data stays unacknowledged, regardless of retransmissions', () => {
    const { actor, advance, logs, sent } = run({ role: 'client', userTimeout: 30 });
    actor.send({ type: 'APP_SEND' });
    advance(29.999);
    expect(logs()).toEqual([]);
    advance(0.001);
    expect(logs()).toEqual([{ type: 'LOG', conn: 0, reason: 'retransmit-timeout' }]);
    expect(sent('rst')).toEqual([]);
    expect(actor.getSnapshot().context.endReason).toBe('user-timeout');
  });

  it('ends on an incoming RST, logging reset-received and sending nothing', () => {
    const { actor, other, sent, logs } = run({ role: 'server', keepalive: 'linux' });
    actor.send(segIn(other, 'rst'));
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.endReason).toBe('reset-received');
    expect(logs()).toEqual([{ type: 'LOG', conn: 0, reason: 'reset-received' }]);
    expect(sent()).toEqual([]);
  });

  it('answers a segment after the end with an RST and ignores an RST', () => {
    const { actor, other, sent } = run({ role: 'server' });
    actor.send(segIn(other, 'rst'));
    actor.send(segIn(other, 'rst'));
    expect(sent()).toEqual([]);
    actor.send(segIn(other, 'data'));
    expect(sent('rst')).toHaveLength(1);
  });

  it('closes with a FIN 400 s after the last application data (idleClose 400), not before', () => {
    const { actor, advance, sent, other } = run({ role: 'server', idleClose: 400 });
    advance(100);
    actor.send(segIn(other, 'data'));
    expect(sent('ack')).toHaveLength(1);
    advance(399.999);
    expect(sent('fin')).toEqual([]);
    advance(0.001);
    expect(sent('fin')).toEqual([{ t: 500, e: { type: 'SEG_OUT', seg: { conn: 0, from: 'server', kind: 'fin' } } }]);
    expect(actor.getSnapshot().value).toHaveProperty('finWait1');
  });

  it('does not count keepalive as application activity for idleClose', () => {
    const { actor, advance, sent, other } = run({ role: 'server', idleClose: 400, keepalive: { idle: 90, interval: 10, probes: 3 } });
    for (let i = 0; i < 4; i++) {
      advance(90);
      actor.send(segIn(other, 'ack'));
    }
    expect(sent('keepalive').map((o) => o.t)).toEqual([90, 180, 270, 360]);
    advance(39.999);
    expect(sent('fin')).toEqual([]);
    advance(0.001);
    expect(sent('fin').map((o) => o.t)).toEqual([400]);
  });

  it('sends a custom keepalive probe at 325 s and, once answered, the next one 325 s later', () => {
    const { actor, advance, sent, other } = run({ role: 'client', keepalive: { idle: 325, interval: 75, probes: 9 } });
    advance(324.999);
    expect(sent()).toEqual([]);
    advance(0.001);
    expect(sent('keepalive').map((o) => o.t)).toEqual([325]);
    actor.send(segIn(other, 'ack'));
    expect(actor.getSnapshot().context.probesSent).toBe(0);
    advance(324.999);
    expect(sent('keepalive')).toHaveLength(1);
    advance(0.001);
    expect(sent('keepalive').map((o) => o.t)).toEqual([325, 650]);
  });

  it('does not probe while data is outstanding, and restarts the idle time when it is acknowledged', () => {
    const { actor, advance, sent, other } = run({ role: 'client', keepalive: { idle: 10, interval: 5, probes: 3 } });
    advance(5);
    actor.send({ type: 'APP_SEND' });
    advance(20);
    expect(sent('keepalive')).toEqual([]);
    actor.send(segIn(other, 'ack'));
    advance(10);
    expect(sent('keepalive').map((o) => o.t)).toEqual([35]);
  });

  it('closes gracefully through FIN-WAIT-2 and TIME-WAIT', () => {
    const { actor, advance, sent, other, logs } = run({ role: 'client' });
    actor.send({ type: 'APP_CLOSE' });
    actor.send(segIn(other, 'ack', true));
    expect(actor.getSnapshot().value).toBe('finWait2');
    actor.send(segIn(other, 'fin', true));
    expect(actor.getSnapshot().value).toBe('timeWait');
    advance(60);
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.endReason).toBe('fin');
    expect(sent().map((o) => (o.e.type === 'SEG_OUT' ? o.e.seg.kind : ''))).toEqual(['fin', 'ack']);
    expect(logs()).toEqual([]);
  });

  it('answers the peer FIN with ACK and FIN at once when the application closes on it', () => {
    const { actor, other, sent } = run({ role: 'server' });
    actor.send(segIn(other, 'fin'));
    expect(actor.getSnapshot().value).toHaveProperty('lastAck');
    expect(sent().map((o) => (o.e.type === 'SEG_OUT' ? o.e.seg : undefined))).toEqual([
      { conn: 0, from: 'server', kind: 'ack', acksFin: true },
      { conn: 0, from: 'server', kind: 'fin', acksFin: true },
    ]);
    actor.send(segIn(other, 'ack', true));
    expect(actor.getSnapshot().value).toBe('ended');
  });

  it('stays half-closed in CLOSE-WAIT until the application closes (closeOnPeerFin false)', () => {
    const { actor, other, sent } = run({ role: 'server', closeOnPeerFin: false });
    actor.send(segIn(other, 'fin'));
    expect(actor.getSnapshot().value).toHaveProperty('closeWait');
    actor.send({ type: 'APP_SEND' });
    actor.send({ type: 'APP_CLOSE' });
    expect(actor.getSnapshot().value).toHaveProperty('lastAck');
    expect(sent().map((o) => (o.e.type === 'SEG_OUT' ? o.e.seg.kind : ''))).toEqual(['ack', 'data', 'fin']);
  });

  it('does not take a stale ack (sent before the peer saw our FIN) as the ACK of our FIN in LAST-ACK', () => {
    // Trace: S's idle close sends FIN; C's data crosses it; S ACKs the data from FIN-WAIT-1 (no acksFin);
    // C gets S's FIN, answers ACK + FIN (LAST-ACK); then S's data-ack arrives at C.
    const { actor, other, sent, logs } = run({ role: 'client' });
    actor.send({ type: 'APP_SEND' });
    actor.send(segIn(other, 'fin'));
    expect(actor.getSnapshot().value).toHaveProperty('lastAck');
    actor.send(segIn(other, 'ack'));
    expect(actor.getSnapshot().value).toHaveProperty('lastAck');
    expect(actor.getSnapshot().context.outstanding).toBe('fin');
    actor.send(segIn(other, 'ack', true));
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.endReason).toBe('fin');
    expect(sent('rst')).toEqual([]);
    expect(logs()).toEqual([]);
  });

  it('composes the stale-ack trace between two endpoints without an RST', () => {
    const c = run({ role: 'client' });
    const s = run({ role: 'server', idleClose: 10 });
    const segs = (r: typeof c) => r.sent().map((o) => (o.e as SegOutEvent).seg);
    s.advance(10); // S: idle close, FIN, FIN-WAIT-1
    c.actor.send({ type: 'APP_SEND' }); // C: data, at the same instant
    const [sFin] = segs(s);
    const [cData] = segs(c);
    s.actor.send({ type: 'SEG_IN', seg: cData! }); // S ACKs the data from FIN-WAIT-1
    c.actor.send({ type: 'SEG_IN', seg: sFin! }); // C: ACK + FIN, LAST-ACK
    const [, sDataAck] = segs(s);
    expect(sDataAck).toEqual({ conn: 0, from: 'server', kind: 'ack' });
    const [, cAck, cFin] = segs(c);
    c.actor.send({ type: 'SEG_IN', seg: sDataAck! }); // stale: ignored
    expect(c.actor.getSnapshot().value).toHaveProperty('lastAck');
    s.actor.send({ type: 'SEG_IN', seg: cAck! });
    expect(s.actor.getSnapshot().value).toBe('finWait2');
    s.actor.send({ type: 'SEG_IN', seg: cFin! });
    expect(s.actor.getSnapshot().value).toBe('timeWait');
    const sFinAck = segs(s).at(-1)!;
    expect(sFinAck).toEqual({ conn: 0, from: 'server', kind: 'ack', acksFin: true });
    c.actor.send({ type: 'SEG_IN', seg: sFinAck });
    expect(c.actor.getSnapshot().value).toBe('ended');
    expect(c.actor.getSnapshot().context.endReason).toBe('fin');
    expect([...c.sent('rst'), ...s.sent('rst')]).toEqual([]);
    expect([...c.logs(), ...s.logs()]).toEqual([]);
  });

  it('stays in FIN-WAIT-1 on an ack without acksFin and moves to FIN-WAIT-2 on one with it', () => {
    const { actor, other } = run({ role: 'server' });
    actor.send({ type: 'APP_CLOSE' });
    actor.send(segIn(other, 'ack'));
    expect(actor.getSnapshot().value).toHaveProperty('finWait1');
    actor.send(segIn(other, 'ack', true));
    expect(actor.getSnapshot().value).toBe('finWait2');
  });

  it('enters TIME-WAIT directly on a FIN whose ACK covers our FIN (RFC 9293 §3.10.7.4)', () => {
    const { actor, other, sent } = run({ role: 'client' });
    actor.send({ type: 'APP_CLOSE' });
    actor.send(segIn(other, 'fin', true));
    expect(actor.getSnapshot().value).toBe('timeWait');
    expect(actor.getSnapshot().context.outstanding).toBe('none');
    expect(sent().map((o) => (o.e as SegOutEvent).seg)).toEqual([
      { conn: 0, from: 'client', kind: 'fin' },
      { conn: 0, from: 'client', kind: 'ack', acksFin: true },
    ]);
  });

  it('goes through CLOSING when the FINs cross, and leaves it only on an ack with acksFin', () => {
    const { actor, other, sent } = run({ role: 'client' });
    actor.send({ type: 'APP_CLOSE' });
    actor.send(segIn(other, 'fin'));
    expect(actor.getSnapshot().value).toHaveProperty('closing');
    expect((sent().at(-1)!.e as SegOutEvent).seg).toEqual({ conn: 0, from: 'client', kind: 'ack', acksFin: true });
    actor.send(segIn(other, 'ack'));
    expect(actor.getSnapshot().value).toHaveProperty('closing');
    actor.send(segIn(other, 'ack', true));
    expect(actor.getSnapshot().value).toBe('timeWait');
  });

  it('marks segments sent after the peer FIN with acksFin, retransmissions included, and not probes answered', () => {
    const { actor, other, sent, advance } = run({ role: 'server', closeOnPeerFin: false, keepalive: { idle: 10, interval: 5, probes: 2 } });
    actor.send(segIn(other, 'fin'));
    actor.send({ type: 'APP_SEND' });
    advance(0.2);
    actor.send(segIn(other, 'keepalive', true));
    expect(actor.getSnapshot().value).toHaveProperty('closeWait');
    expect(sent().map((o) => (o.e as SegOutEvent).seg)).toEqual([
      { conn: 0, from: 'server', kind: 'ack', acksFin: true },
      { conn: 0, from: 'server', kind: 'data', acksFin: true },
      { conn: 0, from: 'server', kind: 'data', retransmit: true, acksFin: true },
      { conn: 0, from: 'server', kind: 'ack', acksFin: true },
    ]);
    actor.send({ type: 'APP_CLOSE' });
    actor.send(segIn(other, 'keepalive', true));
    expect(actor.getSnapshot().value).toHaveProperty('lastAck');
  });

  it('keeps the context free of time and unbounded counters', () => {
    const { actor, advance, other } = run({ role: 'client', keepalive: 'linux' });
    for (let i = 0; i < 50; i++) {
      actor.send({ type: 'APP_SEND' });
      actor.send(segIn(other, 'ack'));
      advance(1);
    }
    const { config: _c, ...rest } = actor.getSnapshot().context;
    expect(rest).toEqual({ outstanding: 'none', retries: 0, probesSent: 0, endReason: null, peerFinSeen: false });
  });
});

describe('parseTcpEndpointConfig', () => {
  const rejects = (raw: unknown, field: string, message: string) => {
    const error = thrownBy(() => parseTcpEndpointConfig(raw));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect((error as ConfigError).message).toBe(message);
  };

  it('rejects a negative keepalive idle, naming the range', () => {
    rejects(
      { role: 'client', conn: 0, keepalive: { idle: -5, interval: 75, probes: 9 } },
      'keepalive.idle',
      'keepalive.idle: -5 is below the minimum 1 (allowed 1..32767 seconds)',
    );
  });

  it('rejects zero keepalive probes, naming the range', () => {
    rejects(
      { role: 'client', conn: 0, keepalive: { idle: 325, interval: 75, probes: 0 } },
      'keepalive.probes',
      'keepalive.probes: 0 is below the minimum 1 (allowed 1..255)',
    );
  });

  it('rejects an unknown field', () => {
    rejects({ role: 'client', conn: 0, keepAlive: 'linux' }, 'keepAlive', 'keepAlive: unknown field (allowed fields: role, conn, keepalive, idleClose, closeOnPeerFin, retries2, userTimeout, rtoMin, rtoMax, timeWait, finTimeout)');
  });

  it('rejects retries2 0, naming the range', () => {
    rejects({ role: 'client', conn: 0, retries2: 0 }, 'retries2', 'retries2: 0 is below the minimum 1 (allowed 1..255)');
  });

  it('rejects an unknown keepalive preset and rtoMin above rtoMax', () => {
    expect(() => parseTcpEndpointConfig({ role: 'client', conn: 0, keepalive: 'solaris' })).toThrow(/keepalive: "solaris" is not allowed/);
    expect(() => parseTcpEndpointConfig({ role: 'client', conn: 0, rtoMin: 5, rtoMax: 2 })).toThrow(ConfigError);
  });

  it('resolves presets to numbers and fills Linux defaults', () => {
    const c = parseTcpEndpointConfig({ role: 'server', conn: 1, keepalive: 'windows' });
    expect(c).toEqual({
      ...linuxEndpoint,
      role: 'server',
      conn: 1,
      keepalive: { preset: 'windows', idle: 7200, interval: 1, probes: 10 },
    });
    expect(parseTcpEndpointConfig({ role: 'client', conn: 0, keepalive: { idle: 325, interval: 75, probes: 9 } }).keepalive).toEqual({
      preset: 'custom',
      idle: 325,
      interval: 75,
      probes: 9,
    });
  });
});
