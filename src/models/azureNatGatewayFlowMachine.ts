/**
 * One Azure NAT gateway TCP mapping, dropped silently after `idleTimeout`.
 *
 * Sources: domain-facts §2 (Azure NAT Gateway row: the flow is dropped
 * silently; a unidirectional RST is sent only when traffic arrives on the
 * dropped flow), §11.2 (the RST is reactive, to the sender, for traffic from
 * either the Azure side or the internet side; keepalives appear as duplicate
 * ACKs and refresh the flow). The client side is the inside (Azure side).
 * Only an inside SYN creates a mapping; an RST is never answered with an RST
 * (it is dropped, reason `no-nat-mapping`).
 */
import type { SnapshotFrom } from 'xstate';
import type { AzureNatGatewayConfig } from './azureNatGatewayConfig.ts';
import { isSyn } from './segment.ts';
import { singleTimerAfterEvent, singleTimerEntryMachine } from './singleTimerEntryMachine.ts';

/** The machine id of {@link azureNatGatewayFlowMachine}. */
export const AZURE_NAT_GATEWAY_FLOW_MACHINE_ID = 'azureNatGatewayFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §11.2. */
export const AZURE_NAT_GATEWAY_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link azureNatGatewayFlowMachine}. */
export const AZURE_NAT_GATEWAY_DELAYS = [AZURE_NAT_GATEWAY_IDLE_DELAY] as const;

const SPEC = {
  id: AZURE_NAT_GATEWAY_FLOW_MACHINE_ID,
  delay: AZURE_NAT_GATEWAY_IDLE_DELAY,
  entryState: 'active',
  noEntryDescription:
    'No mapping: an inside SYN opens one; traffic on a dropped flow from either side gets an RST to its sender (domain-facts §2, §11.2)',
  entryDescription: 'Mapping in use, TCP idle timer refreshed by segments (keepalives included) in either direction (domain-facts §11.2)',
  noEntry: [
    /** An inside SYN opens a new mapping (outbound NAT). */
    { when: (_config: AzureNatGatewayConfig, seg) => isSyn(seg) && seg.from === 'client', answer: { kind: 'track' } },
    /** An RST is never answered with an RST. */
    { when: (_config: AzureNatGatewayConfig, seg) => seg.kind === 'rst', answer: { kind: 'drop', reason: 'no-nat-mapping' } },
    /** domain-facts §11.2: unidirectional, reactive RST to the sender, from either side. */
    { answer: { kind: 'reset-sender' } },
  ],
} as const satisfies Parameters<typeof singleTimerEntryMachine<AzureNatGatewayConfig>>[0];

/** After-event type (and raise id) of the mapping's idle timer. */
export const AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT = singleTimerAfterEvent(SPEC);

/** Context: the constant config only. */
export interface AzureNatGatewayFlowContext {
  readonly config: AzureNatGatewayConfig;
}

/**
 * The Azure NAT gateway mapping machine (domain-facts §2, §11.2), a
 * single-timer entry (singleTimerEntryMachine.ts). States: `none` (initial),
 * `active`. Emits `SEG_FORWARD`, `SEG_RESET` (to the sender, reason
 * `no-flow-entry`) or `SEG_DROP` (an RST, `no-nat-mapping`).
 */
export const azureNatGatewayFlowMachine = singleTimerEntryMachine<AzureNatGatewayConfig>(SPEC);

/** A snapshot of {@link azureNatGatewayFlowMachine}. */
export type AzureNatGatewayFlowSnapshot = SnapshotFrom<typeof azureNatGatewayFlowMachine>;
