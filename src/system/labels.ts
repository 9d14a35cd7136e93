import type { AppEventType } from './components.ts';
import type { ComponentRef } from './componentRef.ts';
import type { DropReason, LogReason, Role, Segment, SegResetEvent } from '../models/segment.ts';

/** What one hop did with a segment. */
export interface HopRecord {
  /** Component name, e.g. `gwlb.flow0`, `appliance1.c0`, `server0`. */
  readonly component: string;
  readonly action: 'forward' | 'drop' | 'reset' | 'deliver';
  /** The target a new GWLB flow chose (a branch of the exploration). */
  readonly chosenTarget?: number;
  /** The target an existing GWLB flow is pinned to. */
  readonly target?: number;
  readonly reason?: DropReason | SegResetEvent['reason'];
  /** For a reset: who received the RST. */
  readonly resetTo?: Role | 'both';
}

/** A {@link HopRecord} with the typed reference of its component (what the system itself reads; traces keep only the name). */
export interface HopStep extends HopRecord {
  readonly ref: ComponentRef;
}

/** A log record written during a step (firewall traffic log, endpoint socket error). */
export interface LogRecord {
  readonly component: string;
  /** The typed reference of the component (labels carry it; traces keep only the name). */
  readonly ref?: ComponentRef;
  readonly conn: number;
  readonly reason: LogReason;
}

/** An edge label of the composed system. */
export type SystemLabel =
  | {
      /** A delayed transition (`after`) fired. */
      readonly kind: 'timer';
      readonly component: string;
      readonly ref: ComponentRef;
      /** The raise id, e.g. `xstate.after.idleTimeout.gwlbFlow.active`. */
      readonly timer: string;
      /** Connections the middlebox reset on its own at this timeout (an RST to both endpoints, `FLOW_TIMEOUT_RESET`). */
      readonly resets?: readonly number[];
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    }
  | {
      /** An application action (environment): connect, send, close. */
      readonly kind: 'app';
      readonly component: string;
      readonly ref: ComponentRef;
      readonly conn: number;
      readonly action: AppEventType;
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    }
  | {
      /** A segment crosses the path (zero latency), hop by hop, in one step. */
      readonly kind: 'segment';
      readonly seg: Segment;
      readonly hops: readonly HopStep[];
      readonly outcome: 'delivered' | 'dropped' | 'reset';
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    };
