/**
 * One GCP Cloud NAT TCP mapping, with one idle timer per connection state.
 *
 * Sources: domain-facts §2 (GCP Cloud NAT row: established 1200 s, transitory
 * 30 s, TIME_WAIT 120 s, or 30 s for new gateways; the mapping is dropped; no
 * RST is a [2nd] claim, UNCONFIRMED), §11.2 (RST UNCONFIRMED, a parameter).
 *
 * The client side is the inside (the VM behind Cloud NAT); an inside SYN
 * creates a mapping. States follow the connection: `opening` (SYN seen,
 * handshake not complete: transitory), `established`, `closing` (one side
 * sent FIN: transitory), `timeWait` (both sides sent FIN, or an RST passed).
 * Which segments count as "transitory" is Cloud NAT's own definition, not
 * recorded in domain-facts; this mapping of opening and closing to it is the
 * model's reading. Segments in either direction refresh the current state's
 * timer; a new inside SYN in TIME_WAIT reopens the mapping. A segment with no
 * mapping is dropped silently or answered with an RST to its sender
 * ({@link GcpCloudNatConfig.lateSegment}); an RST is never answered.
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { GcpCloudNatConfig } from './gcpCloudNatConfig.ts';
import { isSyn, segmentKindGuards, type MachineOutput, type Role, type SegInEvent } from './segment.ts';

/** The machine id of {@link gcpCloudNatFlowMachine}. */
export const GCP_CLOUD_NAT_FLOW_MACHINE_ID = 'gcpCloudNatFlow';

/** Named delays (ms), one per Cloud NAT TCP timeout (domain-facts §2). */
export const GCP_CLOUD_NAT_DELAY_NAMES = {
  established: 'established',
  transitory: 'transitory',
  timeWait: 'timeWait',
} as const;

/** Every named delay of {@link gcpCloudNatFlowMachine}. */
export const GCP_CLOUD_NAT_DELAYS = Object.values(GCP_CLOUD_NAT_DELAY_NAMES);

const after = (delay: string, state: string) => `xstate.after.${delay}.${GCP_CLOUD_NAT_FLOW_MACHINE_ID}.${state}`;

/** After-event types per timed state. */
export const GCP_CLOUD_NAT_AFTER_EVENTS = {
  opening: after(GCP_CLOUD_NAT_DELAY_NAMES.transitory, 'opening'),
  established: after(GCP_CLOUD_NAT_DELAY_NAMES.established, 'established'),
  closing: after(GCP_CLOUD_NAT_DELAY_NAMES.transitory, 'closing'),
  timeWait: after(GCP_CLOUD_NAT_DELAY_NAMES.timeWait, 'timeWait'),
} as const;

/** Context: the constant config and the side that sent the first FIN. */
export interface GcpCloudNatFlowContext {
  readonly config: GcpCloudNatConfig;
  readonly finFrom: Role | null;
}

/**
 * The Cloud NAT mapping machine (domain-facts §2, §11.2). States: `none`
 * (initial), `opening`, `established`, `closing`, `timeWait`. Emits
 * `SEG_FORWARD`, `SEG_DROP` (`no-nat-mapping`) or `SEG_RESET` (to the sender,
 * `no-flow-entry`, only with `lateSegment: reset`).
 */
export const gcpCloudNatFlowMachine = setup({
  types: {
    context: {} as GcpCloudNatFlowContext,
    input: {} as GcpCloudNatConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    opensMapping: ({ event }) => isSyn(event.seg) && event.seg.from === 'client',
    ...segmentKindGuards,
    isFinOfOtherSide: ({ context, event }) => event.seg.kind === 'fin' && context.finFrom !== null && event.seg.from !== context.finFrom,
    /** UNCONFIRMED (domain-facts §2, §11.2): RST to the sender instead of a silent drop. */
    resetsLate: ({ context }) => context.config.lateSegment === 'reset',
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    dropNoMapping: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'no-nat-mapping' })),
    resetSender: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_RESET', seg: event.seg, to: event.seg.from, reason: 'no-flow-entry' }),
    ),
    recordFin: assign({ finFrom: ({ context, event }) => context.finFrom ?? event.seg.from }),
    forget: assign({ finFrom: null }),
  },
  delays: {
    /** `tcpEstablishedIdleTimeoutSec` (domain-facts §2). */
    [GCP_CLOUD_NAT_DELAY_NAMES.established]: ({ context }) => context.config.idleTimeout * 1000,
    /** `tcpTransitoryIdleTimeoutSec` (domain-facts §2). */
    [GCP_CLOUD_NAT_DELAY_NAMES.transitory]: ({ context }) => context.config.tcpTransitoryIdleTimeoutSec * 1000,
    /** `tcpTimeWaitTimeoutSec` (domain-facts §2). */
    [GCP_CLOUD_NAT_DELAY_NAMES.timeWait]: ({ context }) => context.config.tcpTimeWaitTimeoutSec * 1000,
  },
}).createMachine({
  id: GCP_CLOUD_NAT_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input, finFrom: null }),
  initial: 'none',
  states: {
    none: {
      description:
        'No mapping: an inside SYN opens one; any other segment is dropped silently, or answered with an RST to its sender with lateSegment: reset (domain-facts §2, §11.2, UNCONFIRMED)',
      on: {
        SEG_IN: [
          { guard: 'opensMapping', target: 'opening', actions: 'forward' },
          { guard: 'isRst', actions: 'dropNoMapping' },
          { guard: 'resetsLate', actions: 'resetSender' },
          { actions: 'dropNoMapping' },
        ],
      },
    },
    opening: {
      description: 'SYN seen, handshake not complete: tcpTransitoryIdleTimeoutSec (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isAckClass', target: 'established', actions: 'forward' },
          { guard: 'isFin', target: 'closing', actions: ['recordFin', 'forward'] },
          { guard: 'isRst', target: 'timeWait', actions: 'forward' },
          { target: 'opening', reenter: true, actions: 'forward' },
        ],
      },
      after: { [GCP_CLOUD_NAT_DELAY_NAMES.transitory]: { target: 'none', actions: 'forget' } },
    },
    established: {
      description: 'Established connection: tcpEstablishedIdleTimeoutSec, default 1200 s (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isFin', target: 'closing', actions: ['recordFin', 'forward'] },
          { guard: 'isRst', target: 'timeWait', actions: 'forward' },
          { target: 'established', reenter: true, actions: 'forward' },
        ],
      },
      after: { [GCP_CLOUD_NAT_DELAY_NAMES.established]: { target: 'none', actions: 'forget' } },
    },
    closing: {
      description: 'One side sent FIN: tcpTransitoryIdleTimeoutSec (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'isFinOfOtherSide', target: 'timeWait', actions: 'forward' },
          { guard: 'isRst', target: 'timeWait', actions: 'forward' },
          { target: 'closing', reenter: true, actions: 'forward' },
        ],
      },
      after: { [GCP_CLOUD_NAT_DELAY_NAMES.transitory]: { target: 'none', actions: 'forget' } },
    },
    timeWait: {
      description: 'Both sides sent FIN, or an RST passed: tcpTimeWaitTimeoutSec, 120 s or 30 s on new gateways (domain-facts §2)',
      on: {
        SEG_IN: [
          { guard: 'opensMapping', target: 'opening', actions: ['forget', 'forward'] },
          { target: 'timeWait', reenter: true, actions: 'forward' },
        ],
      },
      after: { [GCP_CLOUD_NAT_DELAY_NAMES.timeWait]: { target: 'none', actions: 'forget' } },
    },
  },
});

/** A snapshot of {@link gcpCloudNatFlowMachine}. */
export type GcpCloudNatFlowSnapshot = SnapshotFrom<typeof gcpCloudNatFlowMachine>;
