/**
 * One Linux netfilter conntrack TCP entry (a NAT instance or a Kubernetes
 * node), with the kernel's per-state timeouts.
 *
 * Sources: domain-facts §2 (Linux netfilter conntrack row: per-state sysctl
 * timeouts, established 432000 s; `nf_conntrack_tcp_loose=1` picks up
 * established connections mid-stream), §11.2 (loose pickup adopts an unknown
 * flow only from an ACK-class segment, plain ACK or data; a FIN, FIN+ACK, RST
 * or SYN-ACK of an unknown flow is INVALID, dropped when the ruleset drops
 * INVALID; the first packet after expiry becomes the ORIGINAL direction of
 * the new entry: kept as `origin`). The states and their moves follow the
 * kernel's `tcp_conntracks` table (nf_conntrack_proto_tcp.c, cited in §11.2),
 * which is indexed by the packet's flags (SYN, SYN-ACK, FIN, ACK, RST) and,
 * for the handshake, its direction: a FIN in FIN_WAIT or CLOSE_WAIT leads to
 * LAST_ACK, an ACK in FIN_WAIT to CLOSE_WAIT, an ACK in LAST_ACK to TIME_WAIT,
 * an RST anywhere to CLOSE, a SYN in TIME_WAIT or CLOSE reopens; an ACK or FIN
 * in SYN_SENT is INVALID. An RST before any segment of the reply direction was
 * tracked (IPS_SEEN_REPLY: a refused SYN, or a picked-up entry the peer
 * answers with an RST) deletes the entry at once instead of moving to CLOSE
 * (nf_conntrack_proto_tcp.c, `nf_conntrack_tcp_packet`: "If only reply is a
 * RST ... delete the conntrack immediately"; measured by the NAT lab,
 * lab/README.md). Each packet sets the timer of the state it leads
 * to; an INVALID packet leaves the timer alone. A packet moving to (or
 * staying in) ESTABLISHED while no reply-direction segment had been seen
 * before it arms min(established, `nf_conntrack_tcp_timeout_unacknowledged`)
 * (domain-facts §11.2, nf_conntrack_proto_tcp.c: "ESTABLISHED without
 * SEEN_REPLY, i.e. mid-connection pickup with loose=1. Avoid large
 * ESTABLISHED timeout"; measured by the NAT lab, `pickup-unreplied`). That
 * includes the FIRST reply-direction segment itself: the kernel sets
 * IPS_SEEN_REPLY in `nf_conntrack_in` (nf_conntrack_core.c) only after the
 * protocol handler `nf_conntrack_tcp_packet` has chosen the timeout, so the
 * bit counts from the next segment on (measured by the NAT lab,
 * `pickup-reply-idle`: the server's ACK of a picked-up segment shows
 * `[UPDATE] tcp 6 2` with established 6 s / unacknowledged 2 s and the entry
 * is deleted 2 s later). From the next packet on (either direction) this
 * SEEN_REPLY cap is lifted; a data segment is still capped until it is ACKed
 * (the kernel's cap on unacknowledged data, same sysctl, not modelled): in
 * `pickup-reply-then-segment` the client's next data shows `[UPDATE] tcp 6 2`
 * and only the server's ACK of it, within 1 ms, arms the full 6 s. The machine
 * arms 6 s on that data segment already and agrees there only because the ACK
 * follows at once. The named delay `established` arms {@link establishedTimeout}
 * of the bit as it was before the packet (`context.capped`). Window tracking, `max_retrans`
 * and the `unacknowledged` cap on unacknowledged data are not modelled. An INVALID segment the ruleset does
 * not drop passes (without creating an entry in `none`). Conntrack never sends
 * an RST.
 */
import { and, assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { LinuxConntrackConfig } from './linuxConntrackConfig.ts';
import { isAckClass, segmentKindGuards, peerOf, type MachineOutput, type Role, type SegInEvent } from './segment.ts';

/** The machine id of {@link linuxConntrackFlowMachine}. */
export const LINUX_CONNTRACK_FLOW_MACHINE_ID = 'linuxConntrackFlow';

/** The timed states, each with its own named delay of the same name (sysctl `nf_conntrack_tcp_timeout_*`, domain-facts §2). */
export const LINUX_CONNTRACK_TIMED_STATES = [
  'synSent',
  'synRecv',
  'established',
  'finWait',
  'closeWait',
  'lastAck',
  'timeWait',
  'close',
] as const;

/** A timed state of {@link linuxConntrackFlowMachine}. */
export type LinuxConntrackTimedState = (typeof LINUX_CONNTRACK_TIMED_STATES)[number];

/** Every named delay of {@link linuxConntrackFlowMachine} (one per timed state, named like it). */
export const LINUX_CONNTRACK_DELAYS: readonly string[] = LINUX_CONNTRACK_TIMED_STATES;

/** After-event type (and raise id) of each timed state's timer. */
export const LINUX_CONNTRACK_AFTER_EVENTS = Object.fromEntries(
  LINUX_CONNTRACK_TIMED_STATES.map((s) => [s, `xstate.after.${s}.${LINUX_CONNTRACK_FLOW_MACHINE_ID}.${s}`]),
) as Readonly<Record<LinuxConntrackTimedState, string>>;

/**
 * The timeout (s) the named delay `established` arms, given whether a
 * reply-direction segment had been seen BEFORE the packet that arms it (the
 * kernel's IPS_SEEN_REPLY as `nf_conntrack_tcp_packet` reads it: the bit is
 * set only after the handler, nf_conntrack_core.c `nf_conntrack_in`): the
 * established sysctl if so, else min(established, `timeouts.unacknowledged`)
 * (domain-facts §11.2; nf_conntrack_proto_tcp.c: "ESTABLISHED without
 * SEEN_REPLY, i.e. mid-connection pickup with loose=1. Avoid large
 * ESTABLISHED timeout"; NAT lab `pickup-reply-idle`).
 */
export function establishedTimeout(config: LinuxConntrackConfig, seenReplyBefore: boolean): number {
  return seenReplyBefore ? config.idleTimeout : Math.min(config.idleTimeout, config.timeouts.unacknowledged);
}

/** Context: the constant config and the original direction of the entry. */
export interface LinuxConntrackFlowContext {
  readonly config: LinuxConntrackConfig;
  /** Sender of the packet that created the entry (the ORIGINAL direction, §11.2); `null` in `none`. */
  readonly origin: Role | null;
  /**
   * A segment of the reply direction has been tracked (the kernel's
   * IPS_SEEN_REPLY): until then an RST, from either side, deletes the entry
   * at once (nf_conntrack_proto_tcp.c: "If only reply is a RST ... delete the
   * conntrack immediately"; found by the NAT lab, lab/README.md).
   */
  readonly seenReply: boolean;
  /**
   * The running ESTABLISHED timer was armed by a packet that came while
   * IPS_SEEN_REPLY was still unset, so it is min(established, unacknowledged):
   * a pickup not answered yet, or the first reply itself (the kernel sets the
   * bit after the timeout is chosen; NAT lab `pickup-reply-idle`). Always
   * false outside ESTABLISHED, and false when `timeouts.unacknowledged` is not
   * below the established timeout (the cap then changes nothing).
   */
  readonly capped: boolean;
}

/**
 * The unacknowledged cap shortens the ESTABLISHED timeout (unacknowledged <
 * established): else `capped` stays false, so that states differing only in a
 * cap that changes nothing are one state.
 */
const capBites = (config: LinuxConntrackConfig): boolean => config.timeouts.unacknowledged < config.idleTimeout;

/** IPS_SEEN_REPLY after a tracked packet: set once a segment of the reply direction passed. */
const seenReplyAfter = (context: LinuxConntrackFlowContext, event: SegInEvent): boolean => context.seenReply || (context.origin !== null && event.seg.from === peerOf(context.origin));

const ms = (config: LinuxConntrackConfig, state: Exclude<LinuxConntrackTimedState, 'established'>): number => config.timeouts[state] * 1000;

/**
 * The Linux conntrack entry machine (domain-facts §2, §11.2). States: `none`
 * (initial) and the timed states {@link LINUX_CONNTRACK_TIMED_STATES}. Emits
 * `SEG_FORWARD` or `SEG_DROP` (`conntrack-invalid`).
 */
export const linuxConntrackFlowMachine = setup({
  types: {
    context: {} as LinuxConntrackFlowContext,
    input: {} as LinuxConntrackConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    ...segmentKindGuards,
    /** §11.2: with `nf_conntrack_tcp_loose=1` only an ACK-class segment of an unknown flow is adopted. */
    adopts: ({ context, event }) => context.config.tcpLoose && isAckClass(event.seg),
    /** §11.2: `ct state invalid drop` (parameter). */
    dropsInvalid: ({ context }) => context.config.dropInvalid,
    /** SYN_SENT → SYN_RECV: the reply direction's SYN-ACK. */
    isReplySynAck: ({ context, event }) => event.seg.kind === 'synAck' && context.origin !== null && event.seg.from === peerOf(context.origin),
    /** SYN_RECV → ESTABLISHED: the original direction's ACK. */
    isOriginAck: ({ context, event }) => isAckClass(event.seg) && event.seg.from === context.origin,
    /** An RST before any reply-direction segment: the kernel deletes the entry at once. */
    isRstUnreplied: ({ context, event }) => event.seg.kind === 'rst' && !context.seenReply,
    /** SYN_SENT: an ACK or FIN before the SYN-ACK is INVALID (tcp_conntracks). */
    isAckClassOrFin: ({ event }) => isAckClass(event.seg) || event.seg.kind === 'fin',
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    dropInvalid: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'conntrack-invalid' })),
    /** The packet that creates the entry fixes its ORIGINAL direction (§11.2). */
    newEntry: assign({ origin: ({ event }) => event.seg.from, seenReply: false, capped: false }),
    forget: assign({ origin: null, seenReply: false, capped: false }),
    /** IPS_SEEN_REPLY: set by the first tracked segment of the reply direction, after its timer was chosen (a move to a state other than ESTABLISHED). */
    noteReply: assign(({ context, event }) => ({ seenReply: seenReplyAfter(context, event), capped: false })),
    /** A move to ESTABLISHED: the timer follows the bit as it was before this packet, then the packet may set it (nf_conntrack_core.c `nf_conntrack_in`). */
    noteReplyEstablished: assign(({ context, event }) => ({ seenReply: seenReplyAfter(context, event), capped: !context.seenReply && capBites(context.config) })),
  },
  delays: {
    synSent: ({ context }) => ms(context.config, 'synSent'),
    synRecv: ({ context }) => ms(context.config, 'synRecv'),
    /** §11.2: capped at `timeouts.unacknowledged` when armed before the reply direction was seen (the first reply's own packet still arms the cap; the next packet lifts it). */
    established: ({ context }) => establishedTimeout(context.config, !context.capped) * 1000,
    finWait: ({ context }) => ms(context.config, 'finWait'),
    closeWait: ({ context }) => ms(context.config, 'closeWait'),
    lastAck: ({ context }) => ms(context.config, 'lastAck'),
    timeWait: ({ context }) => ms(context.config, 'timeWait'),
    close: ({ context }) => ms(context.config, 'close'),
  },
}).createMachine({
  id: LINUX_CONNTRACK_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input, origin: null, seenReply: false, capped: false }),
  initial: 'none',
  states: {
    none: {
      description:
        'No entry: a SYN creates one; with tcp_loose an ACK-class segment is adopted as ESTABLISHED; a FIN, RST or SYN-ACK is INVALID, dropped when the ruleset drops INVALID (domain-facts §2, §11.2)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'synSent', actions: ['newEntry', 'forward'] },
          { guard: 'adopts', target: 'established', actions: ['newEntry', 'noteReplyEstablished', 'forward'] },
          { guard: 'dropsInvalid', actions: 'dropInvalid' },
          { actions: 'forward' },
        ],
      },
    },
    synSent: {
      description: 'SYN_SENT: nf_conntrack_tcp_timeout_syn_sent, default 120 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isReplySynAck', target: 'synRecv', actions: ['forward', 'noteReply'] },
          // No reply seen yet: an RST deletes the entry at once (after a simultaneous-open SYN from the peer: CLOSE).
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          // INVALID: the timer is left alone, IPS_SEEN_REPLY not set; dropped when the ruleset drops INVALID (§11.2).
          { guard: and(['isAckClassOrFin', 'dropsInvalid']), actions: 'dropInvalid' },
          { guard: 'isAckClassOrFin', actions: 'forward' },
          { target: 'synSent', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { synSent: { target: 'none', actions: 'forget' } },
    },
    synRecv: {
      description: 'SYN_RECV: nf_conntrack_tcp_timeout_syn_recv, default 60 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isOriginAck', target: 'established', actions: ['forward', 'noteReplyEstablished'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { guard: 'isFin', target: 'finWait', actions: ['forward', 'noteReply'] },
          { target: 'synRecv', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { synRecv: { target: 'none', actions: 'forget' } },
    },
    established: {
      description:
        'ESTABLISHED: nf_conntrack_tcp_timeout_established, default 432000 s (domain-facts §2); armed by a packet before which no reply-direction segment was seen (a pickup, or the first reply itself), capped at nf_conntrack_tcp_timeout_unacknowledged, default 300 s (§11.2)',
      on: {
        SEG_IN: [
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFin', target: 'finWait', actions: ['forward', 'noteReply'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { target: 'established', reenter: true, actions: ['forward', 'noteReplyEstablished'] },
        ],
      },
      after: { established: { target: 'none', actions: 'forget' } },
    },
    finWait: {
      description: 'FIN_WAIT (a FIN seen): nf_conntrack_tcp_timeout_fin_wait, default 120 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFin', target: 'lastAck', actions: ['forward', 'noteReply'] },
          { guard: 'isAckClass', target: 'closeWait', actions: ['forward', 'noteReply'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { target: 'finWait', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { finWait: { target: 'none', actions: 'forget' } },
    },
    closeWait: {
      description: 'CLOSE_WAIT (the FIN answered by an ACK): nf_conntrack_tcp_timeout_close_wait, default 60 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFin', target: 'lastAck', actions: ['forward', 'noteReply'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { target: 'closeWait', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { closeWait: { target: 'none', actions: 'forget' } },
    },
    lastAck: {
      description: 'LAST_ACK (FINs seen in both directions, or a FIN again): nf_conntrack_tcp_timeout_last_ack, default 30 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isAckClass', target: 'timeWait', actions: ['forward', 'noteReply'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { target: 'lastAck', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { lastAck: { target: 'none', actions: 'forget' } },
    },
    timeWait: {
      description: 'TIME_WAIT: nf_conntrack_tcp_timeout_time_wait, default 120 s; a new SYN reopens (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isRstUnreplied', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isSyn', target: 'synSent', actions: ['newEntry', 'forward'] },
          { guard: 'isRst', target: 'close', actions: ['forward', 'noteReply'] },
          { target: 'timeWait', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { timeWait: { target: 'none', actions: 'forget' } },
    },
    close: {
      description: 'CLOSE (after an RST): nf_conntrack_tcp_timeout_close, default 10 s; a new SYN reopens (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'synSent', actions: ['newEntry', 'forward'] },
          { target: 'close', reenter: true, actions: ['forward', 'noteReply'] },
        ],
      },
      after: { close: { target: 'none', actions: 'forget' } },
    },
  },
});

/** A snapshot of {@link linuxConntrackFlowMachine}. */
export type LinuxConntrackFlowSnapshot = SnapshotFrom<typeof linuxConntrackFlowMachine>;
