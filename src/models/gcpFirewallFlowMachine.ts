/**
 * One GCP VPC firewall connection-tracking entry, forgotten silently after
 * 10 minutes without a packet.
 *
 * Sources: domain-facts §11.2 (VPC firewall connection tracking keeps a
 * connection only if at least one packet is sent every 10 minutes; idle TCP
 * connections are disconnected after 10 minutes, silently: no RST is
 * documented). A segment that finds no entry meets the rules as a new
 * connection: passed and tracked again, or dropped silently, per
 * {@link GcpFirewallConfig.lateSegment} (UNCONFIRMED). A client SYN always
 * opens an entry. Segments in either direction refresh the entry.
 */
import type { SnapshotFrom } from 'xstate';
import type { GcpFirewallConfig } from './gcpFirewallConfig.ts';
import { isSyn } from './segment.ts';
import { singleTimerAfterEvent, singleTimerEntryMachine } from './singleTimerEntryMachine.ts';

/** The machine id of {@link gcpFirewallFlowMachine}. */
export const GCP_FIREWALL_FLOW_MACHINE_ID = 'gcpFirewallFlow';

/** Name of the idle delay (ms: 600 000), domain-facts §11.2. */
export const GCP_FIREWALL_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link gcpFirewallFlowMachine}. */
export const GCP_FIREWALL_DELAYS = [GCP_FIREWALL_IDLE_DELAY] as const;

const SPEC = {
  id: GCP_FIREWALL_FLOW_MACHINE_ID,
  delay: GCP_FIREWALL_IDLE_DELAY,
  entryState: 'tracked',
  noEntryDescription:
    'No tracked connection: a client SYN is tracked; any other segment is judged by the rules as a new connection, passed or dropped silently (domain-facts §11.2, UNCONFIRMED: lateSegment)',
  entryDescription: 'Tracked connection, kept while at least one packet passes every 10 minutes; forgotten silently (domain-facts §11.2)',
  noEntry: [
    /** A client SYN always opens an entry. */
    { when: (_config: GcpFirewallConfig, seg) => isSyn(seg) && seg.from === 'client', answer: { kind: 'track' } },
    /** The rules allow this segment as a new connection in its direction (parameter, UNCONFIRMED). */
    { when: (config: GcpFirewallConfig, seg) => config.lateSegment[seg.from] === 'pass', answer: { kind: 'track' } },
    { answer: { kind: 'drop', reason: 'not-allowed-as-new-connection' } },
  ],
} as const satisfies Parameters<typeof singleTimerEntryMachine<GcpFirewallConfig>>[0];

/** After-event type (and raise id) of the entry's timer. */
export const GCP_FIREWALL_IDLE_AFTER_EVENT = singleTimerAfterEvent(SPEC);

/** Context: the constant config only. */
export interface GcpFirewallFlowContext {
  readonly config: GcpFirewallConfig;
}

/**
 * The GCP VPC firewall entry machine (domain-facts §11.2), a single-timer
 * entry (singleTimerEntryMachine.ts). States: `none` (initial), `tracked`.
 * Emits `SEG_FORWARD` or `SEG_DROP` (`not-allowed-as-new-connection`).
 */
export const gcpFirewallFlowMachine = singleTimerEntryMachine<GcpFirewallConfig>(SPEC);

/** A snapshot of {@link gcpFirewallFlowMachine}. */
export type GcpFirewallFlowSnapshot = SnapshotFrom<typeof gcpFirewallFlowMachine>;
