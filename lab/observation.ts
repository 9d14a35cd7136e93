/**
 * What one side (the real Linux system or the model) did in one lab run, in
 * one shape, so the two can be compared field by field. Times are seconds
 * since the start of the run.
 */
import type { Role, SegmentKind } from '../src/models/segment.ts';

/** Where a segment died. */
export type DropPlace = 'gwlb' | 'appliance0' | 'appliance1';

/** One segment an endpoint sent onto the path, and its fate. */
export interface ObservedSegment {
  readonly t: number;
  readonly from: Role;
  readonly kind: SegmentKind;
  readonly retransmit: boolean;
  /** The appliance the GWLB sent it to; null if it never reached one. */
  readonly appliance: 0 | 1 | null;
  readonly fate: 'delivered' | 'dropped' | 'reset';
  /** For a dropped segment: where. */
  readonly dropAt?: DropPlace;
}

/**
 * How an endpoint's connection stands:
 * - `connecting`: before the handshake completed;
 * - `open`: ESTABLISHED or CLOSE-WAIT (the application holds it open);
 * - `closing`: a FIN was sent, not yet completed (FIN-WAIT-1/2, CLOSING, LAST-ACK);
 * - `closed`: the FIN exchange completed (TIME-WAIT, or CLOSED without error);
 * - `timeout`: ETIMEDOUT (retransmission or keepalive abort);
 * - `reset`: ECONNRESET (an RST arrived).
 */
export type EndpointOutcome = 'connecting' | 'open' | 'closing' | 'closed' | 'timeout' | 'reset';

/** One endpoint's observed history and end. */
export interface EndpointObservation {
  /** Outcome at the horizon. */
  readonly outcome: EndpointOutcome;
  /** When the endpoint entered that outcome (null if it never left `connecting`). */
  readonly at: number | null;
  /** `retransmit-timeout` / `keepalive-timeout` for a timeout; the errno name on the real side. */
  readonly detail?: string;
  /** State changes in the side's own vocabulary (model state names, or Linux TCP states). */
  readonly states: readonly { readonly t: number; readonly state: string }[];
}

/** How an appliance's session ended (PAN-OS Session End Reason, domain-facts §3.3; RST side not distinguished). */
export type SessionEnd = 'aged-out' | 'tcp-fin' | 'tcp-rst';

/** State of an appliance's session for the connection. */
export type SessionState = 'none' | 'open' | 'closing';

/** One appliance's session for the connection. */
export interface SessionObservation {
  /** The session existed at some point. */
  readonly seen: boolean;
  /** Each end of a session, in order. */
  readonly ends: readonly { readonly t: number; readonly reason: SessionEnd }[];
  readonly atHorizon: SessionState;
}

/** One client application action and whether the connection accepted it. */
export interface ObservedAction {
  readonly t: number;
  readonly action: 'connect' | 'send' | 'close';
  readonly accepted: boolean;
}

/** Everything one side observed in one run. */
export interface Observation {
  readonly segments: readonly ObservedSegment[];
  readonly client: EndpointObservation;
  readonly server: EndpointObservation;
  readonly sessions: readonly [SessionObservation, SessionObservation];
  readonly actions: readonly ObservedAction[];
}
