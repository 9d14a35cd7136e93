/**
 * Two properties over every hop kind, with each kind's documented defaults and
 * a random idle timeout from its WHOLE documented range:
 * - segments with gaps shorter than the idle timeout are all forwarded; the
 *   first segment after a gap of at least the timeout meets the kind's
 *   documented late-segment behaviour (the table below, each row citing
 *   domain-facts);
 * - at the boundary itself: a segment 1 ms before the timeout (counted from
 *   the last segment) is forwarded and refreshes the entry; a segment exactly
 *   at the timeout, or 1 ms or more after it, meets the late behaviour (the
 *   machines forget at exactly the timeout, hopConfig.ts; the composition
 *   applies each hop's open/closed boundary).
 * Seed: MIDPATH_SEED (printed at the start of the file's run, and by
 * fast-check on a failure); runs: MIDPATH_FUZZ_RUNS (see
 * test/properties/fuzzing.ts).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createActor, SimulatedClock, type AnyStateMachine } from 'xstate';
import { HOP_KIND_NAMES, HOP_KINDS, type HopKind } from '../../src/models/hopKinds.ts';
import type { MachineOutput, Role, SegInEvent, SegmentKind } from '../../src/models/segment.ts';
import { runs } from '../properties/fuzzing.ts';
import { fileSeed } from './hopTestKit.ts';

type Late = 'forward' | 'drop' | 'reset-sender';

/** What the first segment after the idle timeout meets, per kind, with default settings. */
const LATE: Readonly<Record<HopKind, (from: Role, kind: SegmentKind) => Late>> = {
  gwlb: () => 'forward', // §1.4: a new flow on any appliance (seed KB)
  'pan-os': () => 'drop', // §3.2: tcp-reject-non-syn
  'conntrack-loose': () => 'forward', // §2: loose pickup (FIN passes without a session)
  'nat-gateway': () => 'reset-sender', // §2 inside; §11.1 internet side (UNCONFIRMED default reset)
  nlb: () => 'reset-sender', // §2, §11.2: from client or target
  'eni-conntrack': (from) => (from === 'client' ? 'forward' : 'drop'), // §11.2: rules as a new connection
  'aws-network-firewall': () => 'drop', // §2: data dropped after expiry
  'azure-lb': () => 'forward', // §2: a new flow on a backend
  'azure-nat-gateway': () => 'reset-sender', // §11.2: either side
  'gcp-cloud-nat': () => 'drop', // §2: mapping dropped, no RST ([2nd], UNCONFIRMED)
  'gcp-firewall': (from) => (from === 'client' ? 'forward' : 'drop'), // §11.2 by analogy
  'linux-conntrack': (_from, kind) => (kind === 'fin' ? 'drop' : 'forward'), // §11.2: FIN INVALID, ACK-class adopted
};

const outcome = (o: MachineOutput | undefined): Late | 'none' | 'other' =>
  o === undefined ? 'none' : o.type === 'SEG_FORWARD' ? 'forward' : o.type === 'SEG_DROP' ? 'drop' : o.type === 'SEG_RESET' ? 'reset-sender' : 'other';

const roleArb = fc.constantFrom<Role>('client', 'server');

/** The seed of the boundary property, printed so that a run can be replayed. */
const SEED = fileSeed('hopLateSegment');

/** Settings a kind needs besides its defaults (its number of targets). */
const extraOf = (kind: HopKind): Record<string, unknown> => (kind === 'gwlb' || kind === 'azure-lb' ? { targets: 2 } : {});

/**
 * A hop object with `idle` seconds as its idle timeout, over the kind's whole
 * documented range: Azure LB values above 100 minutes need an outbound rule
 * (domain-facts §11.1).
 */
function withIdle(kind: HopKind, idle: number): Record<string, unknown> {
  if (HOP_KINDS[kind].fixedIdleTimeout !== undefined) return extraOf(kind);
  return { ...extraOf(kind), idleTimeout: idle, ...(kind === 'azure-lb' && idle > 6000 ? { ruleKind: 'outbound' } : {}) };
}

/** An idle timeout in seconds from the kind's whole range (whole minutes for Azure, domain-facts §11.1, §11.2). */
function idleArb(kind: HopKind): fc.Arbitrary<number> {
  const { min, max } = HOP_KINDS[kind].idleTimeoutRange;
  const step = kind === 'azure-lb' || kind === 'azure-nat-gateway' ? 60 : 1;
  const lo = Math.ceil(min / step);
  const hi = Math.floor(max / step);
  // The ends of the range on purpose, and anything between.
  return fc.oneof(fc.constantFrom(lo, hi), fc.integer({ min: lo, max: hi })).map((n) => n * step);
}

/** Starts a kind's entry on a simulated clock with an opened connection (SYN, SYN-ACK, ACK at t = 0). */
function opened(kind: HopKind, raw: Record<string, unknown>) {
  const def = HOP_KINDS[kind];
  const config = def.parseConfig(raw);
  const clock = new SimulatedClock();
  const actor = createActor(def.machine as AnyStateMachine, { input: config, clock });
  const emitted: MachineOutput[] = [];
  actor.on('*', (e: MachineOutput) => emitted.push(e));
  actor.start();
  /** The state value of a machine with no entry (its initial one), to tell a live entry from an expired one. */
  const noEntry = JSON.stringify(actor.getSnapshot().value);
  const hasEntry = () => JSON.stringify(actor.getSnapshot().value) !== noEntry;
  const send = (from: Role, k: SegmentKind, target?: number) => {
    const event: SegInEvent = { type: 'SEG_IN', seg: { conn: 0, from, kind: k }, ...(target === undefined ? {} : { target }) };
    const before = emitted.length;
    actor.send(event);
    expect(emitted.length, `${kind}: one output per segment`).toBe(before + 1);
    return emitted.at(-1);
  };
  expect(outcome(send('client', 'syn', 0))).toBe('forward');
  expect(outcome(send('server', 'synAck'))).toBe('forward');
  expect(outcome(send('client', 'ack'))).toBe('forward');
  expect(hasEntry(), `${kind}: the handshake opened an entry`).toBe(true);
  return { config, clock, actor, send, hasEntry };
}

describe.each(HOP_KIND_NAMES)('%s at its idle timeout, over its whole range', (kind) => {
  test.prop(
    [
      idleArb(kind),
      roleArb,
      fc.constantFrom<SegmentKind>('ack', 'data', 'keepalive'),
      fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 10_000_000 })),
      roleArb,
      fc.constantFrom<SegmentKind>('ack', 'data', 'keepalive', 'fin'),
    ],
    { ...runs(10), seed: SEED },
  )('forwards and refreshes 1 ms before, meets the late behaviour at exactly T and after', (idle, refreshFrom, refreshKind, pastMs, lateFrom, lateKind) => {
    const { config, clock, actor, send, hasEntry } = opened(kind, withIdle(kind, idle));
    if (HOP_KINDS[kind].fixedIdleTimeout === undefined) expect(config.idleTimeout).toBe(idle);
    const T = config.idleTimeout * 1000;
    // Twice 1 ms short of T: each segment restarts the timer, so the entry lives on.
    for (let i = 0; i < 2; i++) {
      clock.increment(T - 1);
      expect(hasEntry(), `${kind}: the entry ${T - 1} ms after the last segment`).toBe(true);
      expect(outcome(send(refreshFrom, refreshKind)), `${kind}: a segment ${T - 1} ms after the last one`).toBe('forward');
    }
    clock.increment(T - 1);
    expect(hasEntry(), `${kind}: the entry 1 ms before its timeout`).toBe(true);
    clock.increment(1 + pastMs);
    // Gone at T: a late segment that is forwarded (a new flow, a mid-stream pickup) must not pass for a live entry.
    expect(hasEntry(), `${kind}: the entry ${pastMs} ms after its timeout`).toBe(false);
    const last = send(lateFrom, lateKind, 1);
    expect(outcome(last), `${kind}: a segment ${T + pastMs} ms after the last one (T = ${T} ms)`).toBe(LATE[kind](lateFrom, lateKind));
    if (last?.type === 'SEG_RESET') expect(last.to).toBe(lateFrom);
    actor.stop();
  });
});

describe.each(HOP_KIND_NAMES)('%s late segment', (kind) => {
  test.prop(
    [
      idleArb(kind),
      fc.array(fc.tuple(fc.double({ min: 0.001, max: 0.999, noNaN: true }), roleArb, fc.constantFrom<SegmentKind>('ack', 'data', 'keepalive')), { maxLength: 5 }),
      fc.double({ min: 1, max: 3, noNaN: true }),
      roleArb,
      fc.constantFrom<SegmentKind>('ack', 'data', 'keepalive', 'fin'),
    ],
    { ...runs(15), seed: SEED },
  )('forwards inside the idle timeout and meets the documented behaviour after it', (idle, gaps, lateFactor, lateFrom, lateKind) => {
    const { config, clock, actor, send, hasEntry } = opened(kind, withIdle(kind, idle));
    const T = config.idleTimeout * 1000;
    for (const [fraction, from, k] of gaps) {
      clock.increment(Math.max(1, Math.floor(fraction * T)));
      expect(hasEntry()).toBe(true);
      expect(outcome(send(from, k))).toBe('forward');
    }
    clock.increment(Math.floor(lateFactor * T));
    expect(hasEntry()).toBe(false);
    const last = send(lateFrom, lateKind, 1);
    expect(outcome(last)).toBe(LATE[kind](lateFrom, lateKind));
    if (last?.type === 'SEG_RESET') expect(last.to).toBe(lateFrom);
    actor.stop();
  });
});
