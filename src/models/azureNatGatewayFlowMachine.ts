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
import { emit, setup, type SnapshotFrom } from 'xstate';
import type { AzureNatGatewayConfig } from './azureNatGatewayConfig.ts';
import { isSyn, type MachineOutput, type SegInEvent } from './segment.ts';

/** The machine id of {@link azureNatGatewayFlowMachine}. */
export const AZURE_NAT_GATEWAY_FLOW_MACHINE_ID = 'azureNatGatewayFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §11.2. */
export const AZURE_NAT_GATEWAY_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link azureNatGatewayFlowMachine}. */
export const AZURE_NAT_GATEWAY_DELAYS = [AZURE_NAT_GATEWAY_IDLE_DELAY] as const;

/** After-event type (and raise id) of the mapping's idle timer. */
export const AZURE_NAT_GATEWAY_IDLE_AFTER_EVENT = `xstate.after.${AZURE_NAT_GATEWAY_IDLE_DELAY}.${AZURE_NAT_GATEWAY_FLOW_MACHINE_ID}.active`;

/** Context: the constant config only. */
export interface AzureNatGatewayFlowContext {
  readonly config: AzureNatGatewayConfig;
}

/**
 * The Azure NAT gateway mapping machine (domain-facts §2, §11.2). States:
 * `none` (initial), `active`. Emits `SEG_FORWARD`, `SEG_RESET` (to the
 * sender, reason `no-flow-entry`) or `SEG_DROP` (an RST, `no-nat-mapping`).
 */
export const azureNatGatewayFlowMachine = setup({
  types: {
    context: {} as AzureNatGatewayFlowContext,
    input: {} as AzureNatGatewayConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    /** An inside SYN opens a new mapping (outbound NAT). */
    opensMapping: ({ event }) => isSyn(event.seg) && event.seg.from === 'client',
    isRst: ({ event }) => event.seg.kind === 'rst',
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    /** domain-facts §11.2: unidirectional, reactive RST to the sender, from either side. */
    resetSender: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_RESET', seg: event.seg, to: event.seg.from, reason: 'no-flow-entry' }),
    ),
    dropNoMapping: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'no-nat-mapping' })),
  },
  delays: {
    /** domain-facts §11.2: `idleTimeoutInMinutes` × 60 000 ms. */
    [AZURE_NAT_GATEWAY_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: AZURE_NAT_GATEWAY_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input }),
  initial: 'none',
  states: {
    none: {
      description:
        'No mapping: an inside SYN opens one; traffic on a dropped flow from either side gets an RST to its sender (domain-facts §2, §11.2)',
      on: {
        SEG_IN: [
          { guard: 'opensMapping', target: 'active', actions: 'forward' },
          { guard: 'isRst', actions: 'dropNoMapping' },
          { actions: 'resetSender' },
        ],
      },
    },
    active: {
      description: 'Mapping in use, TCP idle timer refreshed by segments (keepalives included) in either direction (domain-facts §11.2)',
      on: { SEG_IN: { target: 'active', reenter: true, actions: 'forward' } },
      after: { [AZURE_NAT_GATEWAY_IDLE_DELAY]: { target: 'none' } },
    },
  },
});

/** A snapshot of {@link azureNatGatewayFlowMachine}. */
export type AzureNatGatewayFlowSnapshot = SnapshotFrom<typeof azureNatGatewayFlowMachine>;
