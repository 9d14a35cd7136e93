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
import { emit, setup, type SnapshotFrom } from 'xstate';
import type { AwsNetworkFirewallConfig } from './awsNetworkFirewallConfig.ts';
import { isSyn, type MachineOutput, type SegInEvent } from './segment.ts';

/** The machine id of {@link awsNetworkFirewallFlowMachine}. */
export const AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID = 'awsNetworkFirewallFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §2. */
export const AWS_NETWORK_FIREWALL_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link awsNetworkFirewallFlowMachine}. */
export const AWS_NETWORK_FIREWALL_DELAYS = [AWS_NETWORK_FIREWALL_IDLE_DELAY] as const;

/** After-event type (and raise id) of the flow's idle timer. */
export const AWS_NETWORK_FIREWALL_IDLE_AFTER_EVENT = `xstate.after.${AWS_NETWORK_FIREWALL_IDLE_DELAY}.${AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID}.active`;

/** Context: the constant config only. */
export interface AwsNetworkFirewallFlowContext {
  readonly config: AwsNetworkFirewallConfig;
}

/**
 * The AWS Network Firewall flow machine (domain-facts §2). States: `none`
 * (initial) and `active`. Emits `SEG_FORWARD` or `SEG_DROP` (`flow-expired`).
 */
export const awsNetworkFirewallFlowMachine = setup({
  types: {
    context: {} as AwsNetworkFirewallFlowContext,
    input: {} as AwsNetworkFirewallConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    /** domain-facts §2: the next SYN is a new flow. */
    isSyn: ({ event }) => isSyn(event.seg),
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    /** domain-facts §2: after expiry, data packets are dropped (silently). */
    dropExpired: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'flow-expired' })),
  },
  delays: {
    /** domain-facts §2: `TcpIdleTimeoutSeconds`, in milliseconds. */
    [AWS_NETWORK_FIREWALL_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: AWS_NETWORK_FIREWALL_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input }),
  initial: 'none',
  states: {
    none: {
      description: 'No flow: a SYN starts one, any other segment is dropped silently (domain-facts §2, AWS Network Firewall row)',
      on: {
        SEG_IN: [{ guard: 'isSyn', target: 'active', actions: 'forward' }, { actions: 'dropExpired' }],
      },
    },
    active: {
      description: 'Flow tracked, TcpIdleTimeoutSeconds timer refreshed by segments and keepalives in either direction (domain-facts §2)',
      on: { SEG_IN: { target: 'active', reenter: true, actions: 'forward' } },
      after: { [AWS_NETWORK_FIREWALL_IDLE_DELAY]: { target: 'none' } },
    },
  },
});

/** A snapshot of {@link awsNetworkFirewallFlowMachine}. */
export type AwsNetworkFirewallFlowSnapshot = SnapshotFrom<typeof awsNetworkFirewallFlowMachine>;
