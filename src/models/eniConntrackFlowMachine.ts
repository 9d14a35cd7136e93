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
import { emit, setup, type SnapshotFrom } from 'xstate';
import type { EniConntrackConfig } from './eniConntrackConfig.ts';
import { isSyn, type MachineOutput, type SegInEvent } from './segment.ts';

/** The machine id of {@link eniConntrackFlowMachine}. */
export const ENI_CONNTRACK_FLOW_MACHINE_ID = 'eniConntrackFlow';

/** Name of the established delay (ms: `idleTimeout * 1000`), domain-facts §1.1. */
export const ENI_CONNTRACK_IDLE_DELAY = 'tcpEstablishedTimeout';

/** Every named delay of {@link eniConntrackFlowMachine}. */
export const ENI_CONNTRACK_DELAYS = [ENI_CONNTRACK_IDLE_DELAY] as const;

/** After-event type (and raise id) of the entry's timer. */
export const ENI_CONNTRACK_IDLE_AFTER_EVENT = `xstate.after.${ENI_CONNTRACK_IDLE_DELAY}.${ENI_CONNTRACK_FLOW_MACHINE_ID}.tracked`;

/** Context: the constant config only. */
export interface EniConntrackFlowContext {
  readonly config: EniConntrackConfig;
}

/**
 * The ENI conntrack entry machine (domain-facts §1.1, §2, §11.2). States:
 * `none` (initial), `tracked`. Emits `SEG_FORWARD` or `SEG_DROP`
 * (`not-allowed-as-new-connection`).
 */
export const eniConntrackFlowMachine = setup({
  types: {
    context: {} as EniConntrackFlowContext,
    input: {} as EniConntrackConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    isClientSyn: ({ event }) => isSyn(event.seg) && event.seg.from === 'client',
    /** domain-facts §11.2: the rules allow this segment as a new connection in its direction (parameter). */
    allowedAsNew: ({ context, event }) => context.config.lateSegment[event.seg.from] === 'pass',
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    dropNotAllowed: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'not-allowed-as-new-connection' }),
    ),
  },
  delays: {
    /** domain-facts §1.1: `TcpEstablishedTimeout`, in milliseconds. */
    [ENI_CONNTRACK_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: ENI_CONNTRACK_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input }),
  initial: 'none',
  states: {
    none: {
      description:
        'No tracked entry: a client SYN is tracked; any other segment is judged as a new connection by the rules, passed and re-tracked or dropped silently (domain-facts §11.2, UNCONFIRMED: lateSegment)',
      on: {
        SEG_IN: [
          { guard: 'isClientSyn', target: 'tracked', actions: 'forward' },
          { guard: 'allowedAsNew', target: 'tracked', actions: 'forward' },
          { actions: 'dropNotAllowed' },
        ],
      },
    },
    tracked: {
      description: 'Tracked connection, TcpEstablishedTimeout refreshed by segments in either direction; expires silently (domain-facts §1.1, §2)',
      on: {
        SEG_IN: { target: 'tracked', reenter: true, actions: 'forward' },
      },
      after: { [ENI_CONNTRACK_IDLE_DELAY]: { target: 'none' } },
    },
  },
});

/** A snapshot of {@link eniConntrackFlowMachine}. */
export type EniConntrackFlowSnapshot = SnapshotFrom<typeof eniConntrackFlowMachine>;
