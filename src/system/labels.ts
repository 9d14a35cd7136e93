import type { AppEventType } from './components.ts';
import type { DropReason, LogReason, Role, Segment } from '../models/segment.ts';

/** What one hop did with a segment. */
export interface HopRecord {
  /** Component name, e.g. `gwlb.flow0`, `appliance1.c0`, `server0`. */
  readonly component: string;
  readonly action: 'forward' | 'drop' | 'reset' | 'deliver';
  /** The target a new GWLB flow chose (a branch of the exploration). */
  readonly chosenTarget?: number;
  /** The target an existing GWLB flow is pinned to. */
  readonly target?: number;
  readonly reason?: DropReason | 'idle-timeout' | 'no-flow-entry';
  /** For a reset: who received the RST. */
  readonly resetTo?: Role | 'both';
}

/** A log record written during a step (firewall traffic log, endpoint socket error). */
export interface LogRecord {
  readonly component: string;
  readonly conn: number;
  readonly reason: LogReason;
}

/** An edge label of the composed system. */
export type SystemLabel =
  | {
      /** A delayed transition (`after`) fired. */
      readonly kind: 'timer';
      readonly component: string;
      /** The raise id, e.g. `xstate.after.idleTimeout.gwlbFlow.active`. */
      readonly timer: string;
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    }
  | {
      /** An application action (environment): connect, send, close. */
      readonly kind: 'app';
      readonly component: string;
      readonly conn: number;
      readonly action: AppEventType;
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    }
  | {
      /** A segment crosses the path (zero latency), hop by hop, in one step. */
      readonly kind: 'segment';
      readonly seg: Segment;
      readonly hops: readonly HopRecord[];
      readonly outcome: 'delivered' | 'dropped' | 'reset';
      readonly sent: readonly Segment[];
      readonly logs: readonly LogRecord[];
    };
