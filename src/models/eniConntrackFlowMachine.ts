/**
 * One EC2 ENI connection-tracking entry (security-group tracking), whose
 * state the ENI drops silently after `TcpEstablishedTimeout`.
 *
 * Sources: domain-facts §1.1 (`TcpEstablishedTimeout`; on a mismatch the ENI
 * "silently drops connection state first"), §2 (EC2 ENI conntrack row:
 * silently drops state), §11.2 (a segment that finds no entry is evaluated as
 * a NEW connection by the rules: dropped silently when they do not allow it
 * in its direction, passed and tracked again when they do; UNCONFIRMED,
 * {@link EniConntrackConfig.lateSegment}). A client SYN always opens an entry
 * (the scenario's connection is allowed); a passed segment of any kind is
 * tracked again (the facts make no exception). No RST is ever sent. Segments
 * in either direction refresh the entry.
 */
import type { SnapshotFrom } from 'xstate';
import type { EniConntrackConfig } from './eniConntrackConfig.ts';
import { isSyn } from './segment.ts';
import { singleTimerAfterEvent, singleTimerEntryMachine } from './singleTimerEntryMachine.ts';

/** The machine id of {@link eniConntrackFlowMachine}. */
export const ENI_CONNTRACK_FLOW_MACHINE_ID = 'eniConntrackFlow';

/** Name of the established delay (ms: `idleTimeout * 1000`), domain-facts §1.1. */
export const ENI_CONNTRACK_IDLE_DELAY = 'tcpEstablishedTimeout';

/** Every named delay of {@link eniConntrackFlowMachine}. */
export const ENI_CONNTRACK_DELAYS = [ENI_CONNTRACK_IDLE_DELAY] as const;

const SPEC = {
  id: ENI_CONNTRACK_FLOW_MACHINE_ID,
  delay: ENI_CONNTRACK_IDLE_DELAY,
  entryState: 'tracked',
  noEntryDescription:
    'No tracked entry: a client SYN is tracked; any other segment is judged as a new connection by the rules, passed and re-tracked or dropped silently (domain-facts §11.2, UNCONFIRMED: lateSegment)',
  entryDescription: 'Tracked connection, TcpEstablishedTimeout refreshed by segments in either direction; expires silently (domain-facts §1.1, §2)',
  noEntry: [
    /** The scenario's connection is allowed: a client SYN opens an entry. */
    { when: (_config: EniConntrackConfig, seg) => isSyn(seg) && seg.from === 'client', answer: { kind: 'track' } },
    /** domain-facts §11.2: the rules allow this segment as a new connection in its direction (parameter). */
    { when: (config: EniConntrackConfig, seg) => config.lateSegment[seg.from] === 'pass', answer: { kind: 'track' } },
    { answer: { kind: 'drop', reason: 'not-allowed-as-new-connection' } },
  ],
} as const satisfies Parameters<typeof singleTimerEntryMachine<EniConntrackConfig>>[0];

/** After-event type (and raise id) of the entry's timer. */
export const ENI_CONNTRACK_IDLE_AFTER_EVENT = singleTimerAfterEvent(SPEC);

/** Context: the constant config only. */
export interface EniConntrackFlowContext {
  readonly config: EniConntrackConfig;
}

/**
 * The ENI conntrack entry machine (domain-facts §1.1, §2, §11.2), a
 * single-timer entry (singleTimerEntryMachine.ts). States: `none` (initial),
 * `tracked`. Emits `SEG_FORWARD` or `SEG_DROP` (`not-allowed-as-new-connection`).
 */
export const eniConntrackFlowMachine = singleTimerEntryMachine<EniConntrackConfig>(SPEC);

/** A snapshot of {@link eniConntrackFlowMachine}. */
export type EniConntrackFlowSnapshot = SnapshotFrom<typeof eniConntrackFlowMachine>;
