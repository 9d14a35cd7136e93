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
import { emit, setup, type SnapshotFrom } from 'xstate';
import type { GcpFirewallConfig } from './gcpFirewallConfig.ts';
import { isSyn, type MachineOutput, type SegInEvent } from './segment.ts';

/** The machine id of {@link gcpFirewallFlowMachine}. */
export const GCP_FIREWALL_FLOW_MACHINE_ID = 'gcpFirewallFlow';

/** Name of the idle delay (ms: 600 000), domain-facts §11.2. */
export const GCP_FIREWALL_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link gcpFirewallFlowMachine}. */
export const GCP_FIREWALL_DELAYS = [GCP_FIREWALL_IDLE_DELAY] as const;

/** After-event type (and raise id) of the entry's timer. */
export const GCP_FIREWALL_IDLE_AFTER_EVENT = `xstate.after.${GCP_FIREWALL_IDLE_DELAY}.${GCP_FIREWALL_FLOW_MACHINE_ID}.tracked`;

/** Context: the constant config only. */
export interface GcpFirewallFlowContext {
  readonly config: GcpFirewallConfig;
}

/**
 * The GCP VPC firewall entry machine (domain-facts §11.2). States: `none`
 * (initial), `tracked`. Emits `SEG_FORWARD` or `SEG_DROP`
 * (`not-allowed-as-new-connection`).
 */
export const gcpFirewallFlowMachine = setup({
  types: {
    context: {} as GcpFirewallFlowContext,
    input: {} as GcpFirewallConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    isClientSyn: ({ event }) => isSyn(event.seg) && event.seg.from === 'client',
    /** The rules allow this segment as a new connection in its direction (parameter, UNCONFIRMED). */
    allowedAsNew: ({ context, event }) => context.config.lateSegment[event.seg.from] === 'pass',
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    dropNotAllowed: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'not-allowed-as-new-connection' }),
    ),
  },
  delays: {
    /** domain-facts §11.2: 10 minutes, in milliseconds. */
    [GCP_FIREWALL_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: GCP_FIREWALL_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input }),
  initial: 'none',
  states: {
    none: {
      description:
        'No tracked connection: a client SYN is tracked; any other segment is judged by the rules as a new connection, passed or dropped silently (domain-facts §11.2, UNCONFIRMED: lateSegment)',
      on: {
        SEG_IN: [
          { guard: 'isClientSyn', target: 'tracked', actions: 'forward' },
          { guard: 'allowedAsNew', target: 'tracked', actions: 'forward' },
          { actions: 'dropNotAllowed' },
        ],
      },
    },
    tracked: {
      description: 'Tracked connection, kept while at least one packet passes every 10 minutes; forgotten silently (domain-facts §11.2)',
      on: { SEG_IN: { target: 'tracked', reenter: true, actions: 'forward' } },
      after: { [GCP_FIREWALL_IDLE_DELAY]: { target: 'none' } },
    },
  },
});

/** A snapshot of {@link gcpFirewallFlowMachine}. */
export type GcpFirewallFlowSnapshot = SnapshotFrom<typeof gcpFirewallFlowMachine>;
