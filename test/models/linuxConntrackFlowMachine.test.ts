import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { LINUX_CONNTRACK_TIMEOUT_DEFAULTS, parseLinuxConntrackConfig } from '../../src/models/linuxConntrackConfig.ts';
import {
  LINUX_CONNTRACK_AFTER_EVENTS,
  LINUX_CONNTRACK_TIMED_STATES,
  establishedTimeout,
  linuxConntrackFlowMachine,
} from '../../src/models/linuxConntrackFlowMachine.ts';
import type { SegmentKind } from '../../src/models/segment.ts';
import { adjacencyOf, raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { everySegIn, expectConfigError, expectFullCoverage, seg, segIn, handshake, expectLeavesAt, fileSeed } from './hopTestKit.ts';
import { runs } from '../properties/fuzzing.ts';
import { LINUX_CONNTRACK_TIMEOUT_RANGE } from '../../src/models/linuxConntrackConfig.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(linuxConntrackFlowMachine, parseLinuxConntrackConfig(raw));

/** An actor with an established flow at t = 0. */
const established = (raw: unknown = {}) => handshake(run(raw));

describe('linuxConntrackFlowMachine graph coverage', () => {
  it('reaches every state and edge over loose on/off and INVALID drop on/off', () => {
    const c = expectFullCoverage(linuxConntrackFlowMachine, [
      parseLinuxConntrackConfig({}),
      parseLinuxConntrackConfig({ dropInvalid: false }),
      parseLinuxConntrackConfig({ tcpLoose: false }),
    ]);
    expect([...c.afterEvents].sort()).toEqual(Object.values(LINUX_CONNTRACK_AFTER_EVENTS).sort());
    // INVALID passes (none#3) only when the ruleset does not drop INVALID.
    expect(c.perInput[0]?.has('none:SEG_IN#3')).toBe(false);
    expect(c.perInput[1]?.has('none:SEG_IN#3')).toBe(true);
  });

  it('arms one named delay per state with the sysctl value', () => {
    const [s0] = initialTransition(linuxConntrackFlowMachine, parseLinuxConntrackConfig({}));
    const [s1, a1] = transition(linuxConntrackFlowMachine, s0, segIn('client', 'syn'));
    expect(raisedEvents(a1)).toEqual([{ id: LINUX_CONNTRACK_AFTER_EVENTS.synSent, event: LINUX_CONNTRACK_AFTER_EVENTS.synSent, delay: 120_000 }]);
    const [s2, a2] = transition(linuxConntrackFlowMachine, s1, segIn('server', 'synAck'));
    expect(raisedEvents(a2).map((r) => r.delay)).toEqual([60_000]);
    const [, a3] = transition(linuxConntrackFlowMachine, s2, segIn('client', 'ack'));
    expect(raisedEvents(a3).map((r) => r.delay)).toEqual([432_000_000]);
    expect(LINUX_CONNTRACK_TIMED_STATES).toHaveLength(8);
  });
});

describe('nf_conntrack_tcp_timeout_unacknowledged caps ESTABLISHED until the reply direction is seen (domain-facts §11.2)', () => {
  it('over every reachable snapshot (xstate/graph) and segment, a move into ESTABLISHED arms min(established, unacknowledged) exactly when no reply had been seen BEFORE the packet', () => {
    const config = parseLinuxConntrackConfig({});
    const events = everySegIn();
    const adjacency = adjacencyOf(linuxConntrackFlowMachine, {
      input: config,
      events,
      serializeState: (x) => JSON.stringify([x.value, x.context.origin, x.context.seenReply, x.context.capped]),
    });
    const armed = new Map<string, number>();
    for (const { state } of Object.values(adjacency)) {
      for (const event of events) {
        const [next, actions] = transition(linuxConntrackFlowMachine, state, event);
        for (const r of raisedEvents(actions)) {
          if (r.event !== LINUX_CONNTRACK_AFTER_EVENTS.established) continue;
          expect(next.value).toBe('established');
          // the kernel sets IPS_SEEN_REPLY after nf_conntrack_tcp_packet chose the timeout (nf_conntrack_core.c)
          expect(r.delay).toBe(establishedTimeout(config, state.context.seenReply) * 1000);
          armed.set(`before=${state.context.seenReply} after=${next.context.seenReply}`, r.delay);
        }
      }
    }
    // all three cases are reachable: a pickup not answered yet, the first reply (still capped), and a later segment
    expect(Object.fromEntries(armed)).toEqual({ 'before=false after=false': 300_000, 'before=false after=true': 300_000, 'before=true after=true': 432_000_000 });
  });

  it('capped is set only when the cap bites (unacknowledged < established): otherwise no reachable snapshot is capped and the states split by it are one (31 with the defaults, 29 at established 100 or 300 with unacknowledged 300)', () => {
    const reachable = (raw: unknown) =>
      Object.values(
        adjacencyOf(linuxConntrackFlowMachine, {
          input: parseLinuxConntrackConfig(raw),
          events: everySegIn(),
          serializeState: (x) => JSON.stringify([x.value, x.context.origin, x.context.seenReply, x.context.capped]),
        }),
      ).map((v) => v.state.context.capped);
    const counts = [{}, { idleTimeout: 301 }, { idleTimeout: 300 }, { idleTimeout: 100 }].map((raw) => {
      const capped = reachable(raw);
      return [capped.length, capped.filter(Boolean).length];
    });
    expect(counts).toEqual([
      [31, 4],
      [31, 4],
      [29, 0],
      [29, 0],
    ]);
  });

  it('the cap is min(established, unacknowledged): an established timeout below it wins', () => {
    const c = parseLinuxConntrackConfig({ idleTimeout: 100 });
    expect([establishedTimeout(c, false), establishedTimeout(c, true)]).toEqual([100, 100]);
    const d = parseLinuxConntrackConfig({ timeouts: { unacknowledged: 2 }, idleTimeout: 6 });
    expect([establishedTimeout(d, false), establishedTimeout(d, true)]).toEqual([2, 6]);
  });

  it('deletes a picked-up entry that nobody answers at 300 s, not 1 ms before (the lab’s pickup-unreplied)', () => {
    const r = run();
    r.actor.send(segIn('client', 'keepalive'));
    expect(r.actor.getSnapshot().context).toMatchObject({ origin: 'client', seenReply: false });
    expectLeavesAt(r, 'established', 300_000);
  });

  it('re-arms the cap on each further segment of the original direction; the first reply still arms the cap, the segment after it the established timeout', () => {
    const r = run({ timeouts: { unacknowledged: 2 }, idleTimeout: 6 });
    r.actor.send(segIn('client', 'data'));
    r.clock.increment(1_999);
    r.actor.send(segIn('client', 'data'));
    expect(r.actor.getSnapshot().context.seenReply).toBe(false);
    r.clock.increment(1_999);
    expect(r.actor.getSnapshot().value).toBe('established');
    r.actor.send(segIn('server', 'ack'));
    // IPS_SEEN_REPLY is set, but only after this packet's timeout was chosen (kernel order; NAT lab pickup-reply-idle: `[UPDATE] tcp 6 2`)
    expect(r.actor.getSnapshot().context).toMatchObject({ seenReply: true, capped: true });
    r.clock.increment(1_000);
    r.actor.send(segIn('client', 'data'));
    expect(r.actor.getSnapshot().context).toMatchObject({ seenReply: true, capped: false });
    expectLeavesAt(r, 'established', 6_000);
  });

  it('deletes a picked-up entry answered once at the unacknowledged timeout after the reply, not the established one (the old order kept it 6 s)', () => {
    const r = run({ timeouts: { unacknowledged: 2 }, idleTimeout: 6 });
    r.actor.send(segIn('client', 'data'));
    r.clock.increment(10);
    r.actor.send(segIn('server', 'ack'));
    expectLeavesAt(r, 'established', 2_000);
    // the next segment (here 2 s later, as in the lab's 4 s idle gap) is picked up as a new entry, capped again
    r.clock.increment(2_000);
    r.actor.send(segIn('client', 'data'));
    expect(r.actor.getSnapshot().context).toMatchObject({ origin: 'client', seenReply: false, capped: true });
  });

  it('a server-side pickup answered by the client: the same order (either direction can be the original one)', () => {
    const r = run({ timeouts: { unacknowledged: 2 }, idleTimeout: 6 });
    r.actor.send(segIn('server', 'data'));
    r.actor.send(segIn('client', 'ack'));
    expect(r.actor.getSnapshot().context).toMatchObject({ origin: 'server', seenReply: true, capped: true });
    expectLeavesAt(r, 'established', 2_000);
  });

  it('the picked-up entry of an unanswered probe is gone when the next probe comes: that probe makes a new entry', () => {
    const r = run({ timeouts: { unacknowledged: 2 }, idleTimeout: 6 });
    r.actor.send(segIn('client', 'keepalive'));
    r.clock.increment(2_000);
    expect(r.actor.getSnapshot().value).toBe('none');
    r.clock.increment(3_000);
    r.actor.send(segIn('client', 'keepalive'));
    expect(r.actor.getSnapshot().value).toBe('established');
    expectLeavesAt(r, 'established', 2_000);
  });

  it('leaves a handshaken connection at the established timeout (the reply direction was seen at the SYN-ACK)', () => {
    expectLeavesAt(established({ idleTimeout: 400 }), 'established', 400_000);
  });
});

describe('linuxConntrackFlowMachine on a simulated clock', () => {
  it('forgets an established entry at nf_conntrack_tcp_timeout_established, not 1 ms before', () => {
    expectLeavesAt(established({ idleTimeout: 300 }), 'established', 300_000);
  });

  it('adopts a late ACK-class segment 1 ms after expiry as a new ESTABLISHED entry, its sender the original direction', () => {
    const r = established({ idleTimeout: 300 });
    r.clock.increment(300_001);
    r.actor.send(segIn('server', 'data'));
    expect(r.actor.getSnapshot().value).toBe('established');
    expect(r.actor.getSnapshot().context.origin).toBe('server');
    expect(r.emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('server', 'data') });
  });

  it.each<SegmentKind>(['fin', 'rst', 'synAck'])('classifies a %s of an unknown flow INVALID and drops it', (kind) => {
    const r = run();
    r.actor.send(segIn('client', kind));
    expect(r.emitted).toEqual([{ type: 'SEG_DROP', seg: seg('client', kind), reason: 'conntrack-invalid' }]);
    expect(r.actor.getSnapshot().value).toBe('none');
  });

  it('passes an INVALID segment without an entry when the ruleset does not drop INVALID', () => {
    const r = run({ dropInvalid: false });
    r.actor.send(segIn('server', 'fin'));
    expect(r.emitted).toEqual([{ type: 'SEG_FORWARD', seg: seg('server', 'fin') }]);
    expect(r.actor.getSnapshot().value).toBe('none');
  });

  it('adopts nothing mid-stream with nf_conntrack_tcp_loose=0', () => {
    const r = run({ tcpLoose: false });
    r.actor.send(segIn('client', 'ack'));
    r.actor.send(segIn('client', 'keepalive'));
    expect(r.emitted.map((e) => e.type)).toEqual(['SEG_DROP', 'SEG_DROP']);
  });

  it('follows a graceful close through FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT with their timeouts', () => {
    const r = established();
    r.actor.send(segIn('client', 'fin'));
    expect(r.actor.getSnapshot().value).toBe('finWait');
    r.actor.send(segIn('server', 'ack', undefined, { acksFin: true }));
    expect(r.actor.getSnapshot().value).toBe('closeWait');
    r.actor.send(segIn('server', 'fin', undefined, { acksFin: true }));
    expect(r.actor.getSnapshot().value).toBe('lastAck');
    r.actor.send(segIn('client', 'ack', undefined, { acksFin: true }));
    expectLeavesAt(r, 'timeWait', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.timeWait * 1000);
  });

  it.each([
    ['finWait', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.finWait, ['fin']],
    ['closeWait', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.closeWait, ['fin', 'ackFin']],
    ['lastAck', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.lastAck, ['fin', 'fin']],
    ['lastAck', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.lastAck, ['fin', 'finOther']],
    ['close', LINUX_CONNTRACK_TIMEOUT_DEFAULTS.close, ['rst']],
  ] as const)('times %s out after its sysctl default (%i s)', (state, seconds, steps) => {
    const r = established();
    for (const step of steps) {
      if (step === 'fin') r.actor.send(segIn('client', 'fin'));
      if (step === 'rst') r.actor.send(segIn('client', 'rst'));
      if (step === 'ackFin') r.actor.send(segIn('server', 'ack', undefined, { acksFin: true }));
      if (step === 'finOther') r.actor.send(segIn('server', 'fin', undefined, { acksFin: true }));
    }
    expectLeavesAt(r, state, seconds * 1000);
  });

  it('times out SYN_SENT and SYN_RECV after their configured values', () => {
    const a = run({ timeouts: { synSent: 5 } });
    a.actor.send(segIn('client', 'syn'));
    expectLeavesAt(a, 'synSent', 5000);
    const b = run({ timeouts: { synRecv: 7 } });
    b.actor.send(segIn('client', 'syn'));
    b.actor.send(segIn('server', 'synAck'));
    expectLeavesAt(b, 'synRecv', 7000);
  });

  it('treats an ACK or FIN in SYN_SENT as INVALID: dropped, timer left alone; passed when INVALID is not dropped', () => {
    const r = run();
    r.actor.send(segIn('client', 'syn'));
    r.clock.increment(100_000);
    r.actor.send(segIn('client', 'ack'));
    r.actor.send(segIn('server', 'fin'));
    expect(r.emitted.slice(1)).toEqual([
      { type: 'SEG_DROP', seg: seg('client', 'ack'), reason: 'conntrack-invalid' },
      { type: 'SEG_DROP', seg: seg('server', 'fin'), reason: 'conntrack-invalid' },
    ]);
    r.clock.increment(20_000);
    expect(r.actor.getSnapshot().value).toBe('none');
    const loose = run({ dropInvalid: false });
    loose.actor.send(segIn('client', 'syn'));
    loose.actor.send(segIn('client', 'data'));
    expect(loose.emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('client', 'data') });
    expect(loose.actor.getSnapshot().value).toBe('synSent');
  });

  // Found by the NAT lab (lab/README.md, "NAT hop"): nf_conntrack_proto_tcp.c deletes an entry whose
  // reply direction was never seen as soon as an RST passes ("If only reply is a RST ...").
  it('deletes a refused SYN\'s entry at the RST (no CLOSE): a later FIN is INVALID again', () => {
    const r = run();
    r.actor.send(segIn('client', 'syn'));
    r.actor.send(segIn('server', 'rst'));
    expect(r.emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('server', 'rst') });
    expect(r.actor.getSnapshot().value).toBe('none');
    expect(r.actor.getSnapshot().context).toMatchObject({ origin: null, seenReply: false });
    r.actor.send(segIn('client', 'fin'));
    expect(r.emitted.at(-1)).toEqual({ type: 'SEG_DROP', seg: seg('client', 'fin'), reason: 'conntrack-invalid' });
  });

  it('deletes a picked-up entry at once when the peer answers it with an RST (a re-NATed flow on a new port)', () => {
    const r = run({ idleTimeout: 4, timeouts: { close: 1 } });
    r.actor.send(segIn('client', 'data'));
    expect(r.actor.getSnapshot().context).toMatchObject({ origin: 'client', seenReply: false });
    r.actor.send(segIn('server', 'rst'));
    expect(r.actor.getSnapshot().value).toBe('none');
    expect(r.emitted.map((e) => e.type)).toEqual(['SEG_FORWARD', 'SEG_FORWARD']);
  });

  it('keeps CLOSE for an RST once the reply direction was seen, also after a pickup or a simultaneous open', () => {
    const picked = run({ timeouts: { close: 1 } });
    picked.actor.send(segIn('client', 'data'));
    picked.actor.send(segIn('server', 'ack'));
    expect(picked.actor.getSnapshot().context.seenReply).toBe(true);
    picked.actor.send(segIn('client', 'rst'));
    expectLeavesAt(picked, 'close', 1000);
    const simultaneous = run();
    simultaneous.actor.send(segIn('client', 'syn'));
    simultaneous.actor.send(segIn('server', 'syn'));
    simultaneous.actor.send(segIn('server', 'rst'));
    expect(simultaneous.actor.getSnapshot().value).toBe('close');
  });

  it('does not count an INVALID reply as seen: the RST after it still deletes the entry', () => {
    const r = run({ dropInvalid: false });
    r.actor.send(segIn('client', 'syn'));
    r.actor.send(segIn('server', 'ack'));
    expect(r.actor.getSnapshot().context.seenReply).toBe(false);
    r.actor.send(segIn('server', 'rst'));
    expect(r.actor.getSnapshot().value).toBe('none');
  });

  it('reopens from TIME_WAIT and CLOSE on a new SYN', () => {
    const r = established();
    r.actor.send(segIn('server', 'rst'));
    r.actor.send(segIn('client', 'syn'));
    expect(r.actor.getSnapshot().value).toBe('synSent');
    expect(r.actor.getSnapshot().context.origin).toBe('client');
  });
});

const SEED = fileSeed('linuxConntrackFlowMachine');

/** A sysctl value in seconds over the accepted range, its ends on purpose (domain-facts §2). */
const sysctlArb = fc.oneof(
  fc.constantFrom(LINUX_CONNTRACK_TIMEOUT_RANGE.min, LINUX_CONNTRACK_TIMEOUT_RANGE.max),
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: LINUX_CONNTRACK_TIMEOUT_RANGE.min, max: LINUX_CONNTRACK_TIMEOUT_RANGE.max }),
);

/** Segments that lead from ESTABLISHED (or from nothing, for the handshake states) into each timed state. */
const INTO: ReadonlyArray<readonly [Exclude<keyof typeof LINUX_CONNTRACK_TIMEOUT_DEFAULTS, 'unacknowledged'>, boolean, ReadonlyArray<Parameters<typeof segIn>>]> = [
  ['synSent', false, [['client', 'syn']]],
  ['synRecv', false, [['client', 'syn'], ['server', 'synAck']]],
  ['finWait', true, [['client', 'fin']]],
  ['closeWait', true, [['client', 'fin'], ['server', 'ack', undefined, { acksFin: true }]]],
  ['lastAck', true, [['client', 'fin'], ['server', 'fin', undefined, { acksFin: true }]]],
  ['timeWait', true, [['client', 'fin'], ['server', 'fin', undefined, { acksFin: true }], ['client', 'ack', undefined, { acksFin: true }]]],
  ['close', true, [['client', 'rst']]],
];

describe('every per-state sysctl over its range (seeded)', () => {
  test.prop([sysctlArb, sysctlArb, sysctlArb, sysctlArb, sysctlArb, sysctlArb, sysctlArb, sysctlArb], { ...runs(8), seed: SEED })(
    'each timed state is left exactly at its own sysctl, not 1 ms before',
    (synSent, synRecv, finWait, closeWait, lastAck, timeWait, close, established_) => {
      const timeouts = { synSent, synRecv, finWait, closeWait, lastAck, timeWait, close };
      for (const [state, fromEstablished, steps] of INTO) {
        const raw = { idleTimeout: established_, timeouts };
        const r = fromEstablished ? established(raw) : run(raw);
        for (const step of steps) r.actor.send(segIn(...step));
        expectLeavesAt(r, state, timeouts[state] * 1000);
      }
      expectLeavesAt(established({ idleTimeout: established_, timeouts }), 'established', established_ * 1000);
    },
  );
});

describe('parseLinuxConntrackConfig', () => {
  it('fills in the Linux sysctl defaults', () => {
    expect(parseLinuxConntrackConfig({})).toEqual({
      idleTimeout: 432_000,
      timeouts: { synSent: 120, synRecv: 60, finWait: 120, closeWait: 60, lastAck: 30, timeWait: 120, close: 10, unacknowledged: 300 },
      tcpLoose: true,
      dropInvalid: true,
      boundary: 'ambiguous',
      targets: 1,
    });
    expect(parseLinuxConntrackConfig({ timeouts: { close: 5 } }).timeouts.synSent).toBe(120);
  });
  it('refuses values out of range and unknown sysctls', () => {
    expectConfigError(() => parseLinuxConntrackConfig({ idleTimeout: 0 }), 'idleTimeout', /0 is below the minimum 1 \(allowed 1\.\.2147483 seconds\)/);
    expectConfigError(() => parseLinuxConntrackConfig({ timeouts: { lastAck: -1 } }, 'path.4'), 'path.4.timeouts.lastAck', /^path\.4\.timeouts\.lastAck: -1 is below the minimum 1/);
    expectConfigError(() => parseLinuxConntrackConfig({ timeouts: { maxRetrans: 300 } }), 'timeouts.maxRetrans', /unknown field \(allowed synSent, synRecv, finWait, closeWait, lastAck, timeWait, close, unacknowledged\)/);
    expectConfigError(() => parseLinuxConntrackConfig({ timeouts: { unacknowledged: 0 } }), 'timeouts.unacknowledged', /0 is below the minimum 1 \(allowed 1\.\.2147483 seconds\)/);
    expectConfigError(() => parseLinuxConntrackConfig({ tcpLoose: 1 }), 'tcpLoose', /1 is not allowed \(allowed true \| false\)/);
  });
});
