/**
 * Segments and the one output convention every midpath machine follows.
 *
 * A segment is abstract: it carries its connection, its sender's role and its
 * kind (which fixes the TCP flags), not sequence numbers. Sequence and
 * acknowledgement numbers are derived later from a concrete trace (the pcapng
 * writer does this), so they never multiply the explored state space.
 *
 * Convention (design.md, "Models are idiomatic xstate machines"): a machine's
 * outputs leave it as xstate `emit()`ted events, never as side effects:
 * - {@link SegOutEvent} `SEG_OUT`: an endpoint sends a segment onto the path.
 * - {@link SegForwardEvent} `SEG_FORWARD`: a middlebox passes a segment on.
 * - {@link SegDropEvent} `SEG_DROP`: a middlebox silently discards a segment.
 * - {@link SegResetEvent} `SEG_RESET`: a middlebox answers a segment with an RST
 *   to one endpoint (or both).
 * - {@link LogEvent} `LOG`: a log record (a firewall traffic-log end record,
 *   an endpoint's socket error).
 * - {@link FlowTimeoutResetEvent} `FLOW_TIMEOUT_RESET`: a middlebox resets a
 *   flow on its own at its idle timeout (RST to both endpoints).
 * The composition (src/system) reads these from the actions that
 * `machine.transition` returns and routes them; the simulator reads them from
 * the actor's `on('*')`.
 */

/** Which side of a connection sent a segment. */
export type Role = 'client' | 'server';

/**
 * What a segment is, at the level the models need. The TCP flags follow from
 * it (see {@link flagsOf}).
 * - `syn`, `synAck`: the opening handshake (RFC 9293 §3.5).
 * - `ack`: a pure acknowledgement (also the answer to a keepalive probe).
 * - `data`: application data (PSH+ACK); a retransmission is also `data`.
 * - `fin`: FIN+ACK.
 * - `rst`: RST.
 * - `keepalive`: a keepalive probe, an ACK with sequence number SND.NXT-1 and
 *   no data (RFC 9293 §3.8.4; Linux tcp_write_wakeup), which the peer ACKs.
 */
export type SegmentKind = 'syn' | 'synAck' | 'ack' | 'data' | 'fin' | 'rst' | 'keepalive';

/** An abstract TCP segment. */
export interface Segment {
  /** Connection index, 0-based. */
  readonly conn: number;
  /** The endpoint that sent it. */
  readonly from: Role;
  readonly kind: SegmentKind;
  /** True when this is a retransmission (data, FIN or SYN sent again after an RTO). */
  readonly retransmit?: boolean;
  /** True when a middlebox, not an endpoint, generated this segment (an injected RST). */
  readonly injected?: boolean;
  /**
   * True when the sender had already received the peer's FIN when it sent this
   * segment, so its acknowledgement number covers that FIN (it is at least the
   * FIN's sequence number + 1, RFC 9293 §3.10.7.4). Set by an endpoint on every
   * segment with the ACK flag that it sends after the peer's FIN arrived;
   * absent otherwise. It is the one piece of the acknowledgement number the
   * abstraction keeps: without it a stale `ack` (sent before the FIN arrived)
   * would acknowledge the FIN.
   */
  readonly acksFin?: boolean;
}

/** TCP flags of a segment kind. */
export interface TcpFlags {
  readonly syn: boolean;
  readonly ack: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
}

/** The TCP flags a segment kind carries on the wire. */
export function flagsOf(kind: SegmentKind): TcpFlags {
  switch (kind) {
    case 'syn':
      return { syn: true, ack: false, fin: false, rst: false, psh: false };
    case 'synAck':
      return { syn: true, ack: true, fin: false, rst: false, psh: false };
    case 'ack':
    case 'keepalive':
      return { syn: false, ack: true, fin: false, rst: false, psh: false };
    case 'data':
      return { syn: false, ack: true, fin: false, rst: false, psh: true };
    case 'fin':
      return { syn: false, ack: true, fin: true, rst: false, psh: false };
    case 'rst':
      return { syn: false, ack: false, fin: false, rst: true, psh: false };
  }
}

/** True for a segment that may open a flow or session: a SYN without ACK. */
export function isSyn(seg: Segment): boolean {
  return seg.kind === 'syn';
}

/**
 * The ACK-class segment kinds: a plain ACK, data, or a keepalive probe (an
 * ACK without data). Connection tracking adopts an unknown flow only from
 * these (Linux loose pickup, domain-facts §11.2), and they complete a
 * handshake in the flow-entry machines.
 */
export const ACK_CLASS_KINDS: readonly SegmentKind[] = ['ack', 'data', 'keepalive'];

/** True for an ACK-class segment ({@link ACK_CLASS_KINDS}). */
export function isAckClass(seg: Segment): boolean {
  return ACK_CLASS_KINDS.includes(seg.kind);
}

/**
 * Guards on a `SEG_IN` segment's kind that the flow-entry machines share;
 * spread into a machine's `setup({ guards })`.
 */
export const segmentKindGuards = {
  isSyn: ({ event }: { readonly event: SegInEvent }) => isSyn(event.seg),
  isRst: ({ event }: { readonly event: SegInEvent }) => event.seg.kind === 'rst',
  isFin: ({ event }: { readonly event: SegInEvent }) => event.seg.kind === 'fin',
  isAckClass: ({ event }: { readonly event: SegInEvent }) => isAckClass(event.seg),
} as const;

/** The other role. */
export function peerOf(role: Role): Role {
  return role === 'client' ? 'server' : 'client';
}

/**
 * Compact text for a segment, e.g. `c0>data`, `s1>fin(rtx)` or
 * `c0>ack(af)` (`af`: {@link Segment.acksFin}). It distinguishes every field
 * that changes behaviour, so the composition uses it as the segment's key.
 */
export function segmentLabel(seg: Segment): string {
  return `${seg.from === 'client' ? 'c' : 's'}${seg.conn}>${seg.kind}${seg.retransmit ? '(rtx)' : ''}${seg.injected ? '(mb)' : ''}${seg.acksFin ? '(af)' : ''}`;
}

// ---- input events (into machines) ----

/** A segment arriving at a machine (endpoint or middlebox). */
export interface SegInEvent {
  readonly type: 'SEG_IN';
  readonly seg: Segment;
  /**
   * For a middlebox that must choose among targets when it creates a new
   * flow (GWLB): the target the engine or scheduler chose. Ignored when the
   * machine already has an entry for the flow.
   */
  readonly target?: number;
}

// ---- output events (emitted by machines) ----

/** An endpoint sends a segment. */
export interface SegOutEvent {
  readonly type: 'SEG_OUT';
  readonly seg: Segment;
}

/** A middlebox passes a segment on (to `target`, for a load balancer). */
export interface SegForwardEvent {
  readonly type: 'SEG_FORWARD';
  readonly seg: Segment;
  /** The chosen target (appliance index) for a load balancer; absent otherwise. */
  readonly target?: number;
}

/** Why a middlebox dropped a segment; reports name these. */
export type DropReason =
  /** PAN-OS tcp-reject-non-syn: a non-SYN segment with no session (domain-facts §3.2). */
  | 'non-syn-no-session'
  /** GWLB `unknownNonSyn: drop`: a non-SYN segment with no flow entry (domain-facts §1.4, UNCONFIRMED alternative). */
  | 'no-flow-entry'
  /** A middlebox dropped a segment of a flow that it no longer tracks (AWS Network Firewall style). */
  | 'flow-expired'
  /**
   * A NAT has no mapping for the segment, so it cannot translate it: an
   * internet-side segment after the AWS NAT gateway's mapping expired with
   * `lateSegmentFromOutside: drop` (domain-facts §2, §11.1, UNCONFIRMED), a late
   * segment at GCP Cloud NAT (domain-facts §2, §11.2), or an RST of an unknown
   * flow, which a NAT never answers with an RST.
   */
  | 'no-nat-mapping'
  /**
   * Security-group style connection tracking: a segment with no tracked
   * entry that the rules do not allow as a new connection in its direction
   * (EC2 ENI conntrack, domain-facts §11.2; GCP VPC firewall by analogy).
   */
  | 'not-allowed-as-new-connection'
  /**
   * Linux conntrack classified the segment INVALID (a FIN, RST or SYN-ACK of
   * an unknown flow, or any non-SYN with `nf_conntrack_tcp_loose=0`) and the
   * ruleset drops INVALID (`ct state invalid drop`), domain-facts §11.2.
   */
  | 'conntrack-invalid';

/** A middlebox silently discards a segment. */
export interface SegDropEvent {
  readonly type: 'SEG_DROP';
  readonly seg: Segment;
  readonly reason: DropReason;
}

/** A middlebox answers with an RST to `to` (the sender of `seg` for GWLB, domain-facts §1.2). */
export interface SegResetEvent {
  readonly type: 'SEG_RESET';
  /** The segment that triggered the reset. */
  readonly seg: Segment;
  /** Who receives the RST. */
  readonly to: Role | 'both';
  readonly reason: 'idle-timeout' | 'no-flow-entry';
}

/**
 * Firewall traffic-log end reasons (PAN-OS Session End Reason, domain-facts
 * §3.3) and endpoint socket errors.
 */
export type LogReason =
  | 'aged-out'
  | 'tcp-fin'
  | 'tcp-rst-from-client'
  | 'tcp-rst-from-server'
  /** endpoint: retransmissions exhausted (tcp_retries2 / TCP_USER_TIMEOUT), ETIMEDOUT, no RST sent. */
  | 'retransmit-timeout'
  /** endpoint: keepalive probes unanswered, ETIMEDOUT, RST sent (Linux). */
  | 'keepalive-timeout'
  /** endpoint: an RST arrived, ECONNRESET. */
  | 'reset-received';

/** A log record (the composition adds time and component). */
export interface LogEvent {
  readonly type: 'LOG';
  readonly conn: number;
  readonly reason: LogReason;
}

/**
 * A middlebox resets a flow on its own when its idle timer fires (a
 * PROACTIVE reset, no segment triggers it): Azure Load Balancer with
 * `EnableTcpReset`, ESTABLISHED flows only, bidirectional (domain-facts §2,
 * §11.2). The composition sends an RST to both endpoints of every connection
 * mapped to the entry that emitted it.
 */
export interface FlowTimeoutResetEvent {
  readonly type: 'FLOW_TIMEOUT_RESET';
  readonly reason: 'idle-timeout';
}

/** Every event a midpath machine may emit. */
export type MachineOutput = SegOutEvent | SegForwardEvent | SegDropEvent | SegResetEvent | LogEvent | FlowTimeoutResetEvent;
