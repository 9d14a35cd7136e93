/**
 * One AWS Network Firewall stateful flow, forgotten after
 * `TcpIdleTimeoutSeconds` idle.
 *
 * Sources: domain-facts §2 (AWS Network Firewall row: after expiry data
 * packets are dropped, the next SYN is a new flow, keepalives reset the
 * timer), §11.2 (a timeout change affects only new flows). A non-SYN segment
 * with no flow is dropped silently (reason `flow-expired`); nothing is ever
 * answered with an RST. Segments in either direction refresh the flow.
 */
import type { SnapshotFrom } from 'xstate';
import type { AwsNetworkFirewallConfig } from './awsNetworkFirewallConfig.ts';
import { isSyn } from './segment.ts';
import { singleTimerAfterEvent, singleTimerEntryMachine } from './singleTimerEntryMachine.ts';

/** The machine id of {@link awsNetworkFirewallFlowMachine}. */
export const AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID = 'awsNetworkFirewallFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §2. */
export const AWS_NETWORK_FIREWALL_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link awsNetworkFirewallFlowMachine}. */
export const AWS_NETWORK_FIREWALL_DELAYS = [AWS_NETWORK_FIREWALL_IDLE_DELAY] as const;

const SPEC = {
  id: AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID,
  delay: AWS_NETWORK_FIREWALL_IDLE_DELAY,
  entryState: 'active',
  noEntryDescription: 'No flow: a SYN starts one, any other segment is dropped silently (domain-facts §2, AWS Network Firewall row)',
  entryDescription: 'Flow tracked, TcpIdleTimeoutSeconds timer refreshed by segments and keepalives in either direction (domain-facts §2)',
  noEntry: [
    /** domain-facts §2: the next SYN is a new flow. */
    { when: (_config: AwsNetworkFirewallConfig, seg) => isSyn(seg), answer: { kind: 'track' } },
    /** domain-facts §2: after expiry, data packets are dropped (silently). */
    { answer: { kind: 'drop', reason: 'flow-expired' } },
  ],
} as const satisfies Parameters<typeof singleTimerEntryMachine<AwsNetworkFirewallConfig>>[0];

/** After-event type (and raise id) of the flow's idle timer. */
export const AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT = singleTimerAfterEvent(SPEC);

/** Context: the constant config only. */
export interface AwsNetworkFirewallFlowContext {
  readonly config: AwsNetworkFirewallConfig;
}

/**
 * The AWS Network Firewall flow machine (domain-facts §2), a single-timer
 * entry (singleTimerEntryMachine.ts). States: `none` (initial) and `active`.
 * Emits `SEG_FORWARD` or `SEG_DROP` (`flow-expired`).
 */
export const awsNetworkFirewallFlowMachine = singleTimerEntryMachine<AwsNetworkFirewallConfig>(SPEC);

/** A snapshot of {@link awsNetworkFirewallFlowMachine}. */
export type AwsNetworkFirewallFlowSnapshot = SnapshotFrom<typeof awsNetworkFirewallFlowMachine>;
