/**
 * One AWS Network Load Balancer TCP flow entry: what the NLB keeps for one
 * connection (5-tuple) from its establishment until it is closed, reset or
 * idle for `idleTimeout` seconds.
 *
 * Sources: domain-facts §2 (AWS NLB TCP row: silent removal after the idle
 * timeout; the next data from client or target gets an RST; keepalive from
 * either side resets the timer), §11.2 (no RST attribute: a late segment from
 * either side always gets an RST; "connections that are half-open,
 * gracefully closed, or reset by the client or server are not tracked"),
 * §10 (open boundary, read by the composition). The TCP target hash includes
 * the sequence number (§1.3); the target is the server endpoint, so the model
 * makes no target choice.
 *
 * "Not tracked" is modelled as: an RST passing through removes the entry; a
 * graceful close removes it when the final ACK (the first closer's ACK of the
 * second FIN) passes; a half-open flow lives only `halfOpenTimeout` seconds
 * (UNCONFIRMED, a parameter). After removal every non-SYN segment gets an RST
 * to its sender. An RST is never answered with an RST (it is dropped).
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { NlbConfig } from './nlbConfig.ts';
import { isAckClass, segmentKindGuards, type MachineOutput, type Role, type SegInEvent } from './segment.ts';

/** The machine id of {@link nlbFlowMachine}; part of its after-event types. */
export const NLB_FLOW_MACHINE_ID = 'nlbFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §2. */
export const NLB_IDLE_DELAY = 'idleTimeout';

/** Name of the half-open delay (ms: `halfOpenTimeout * 1000`), domain-facts §11.2 (UNCONFIRMED length). */
export const NLB_HALF_OPEN_DELAY = 'halfOpenTimeout';

/** Every named delay of {@link nlbFlowMachine}. */
export const NLB_DELAYS = [NLB_IDLE_DELAY, NLB_HALF_OPEN_DELAY] as const;

/** States of {@link nlbFlowMachine} that have a timer, and their after-event types. */
export const NLB_AFTER_EVENTS = {
  halfOpen: `xstate.after.${NLB_HALF_OPEN_DELAY}.${NLB_FLOW_MACHINE_ID}.halfOpen`,
  established: `xstate.after.${NLB_IDLE_DELAY}.${NLB_FLOW_MACHINE_ID}.established`,
  closing: `xstate.after.${NLB_IDLE_DELAY}.${NLB_FLOW_MACHINE_ID}.closing`,
  lastAck: `xstate.after.${NLB_IDLE_DELAY}.${NLB_FLOW_MACHINE_ID}.lastAck`,
} as const;

/** Context: the constant config and the side that sent the first FIN (`null` before any). */
export interface NlbFlowContext {
  readonly config: NlbConfig;
  readonly finFrom: Role | null;
}

/**
 * The NLB flow entry machine (domain-facts §2, §11.2).
 *
 * States: `none` (no entry, initial), `halfOpen` (SYN seen), `established`,
 * `closing` (one side sent FIN), `lastAck` (both sides sent FIN). Emits
 * `SEG_FORWARD`, `SEG_RESET` (to the sender, reason `no-flow-entry`) or
 * `SEG_DROP` (an RST with no entry, reason `no-flow-entry`).
 */
export const nlbFlowMachine = setup({
  types: {
    context: {} as NlbFlowContext,
    input: {} as NlbConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    ...segmentKindGuards,
    // An ACK, data or keepalive completes the handshake (§11.2: established = handshake completed).
    /** The second side's FIN: the close is graceful on both sides. */
    isFinOfOtherSide: ({ context, event }) => event.seg.kind === 'fin' && context.finFrom !== null && event.seg.from !== context.finFrom,
    /** The first closer acknowledges the second FIN: the graceful close is complete (§11.2, not tracked). */
    isFinalAck: ({ context, event }) =>
      isAckClass(event.seg) && event.seg.from === context.finFrom && event.seg.acksFin === true,
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    resetSender: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_RESET', seg: event.seg, to: event.seg.from, reason: 'no-flow-entry' }),
    ),
    dropNoEntry: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'no-flow-entry' })),
    recordFin: assign({ finFrom: ({ context, event }) => context.finFrom ?? event.seg.from }),
    forget: assign({ finFrom: null }),
  },
  delays: {
    /** domain-facts §2: `tcp.idle_timeout.seconds`, in milliseconds. */
    [NLB_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
    /** domain-facts §11.2: half-open flows are not tracked; their life is UNCONFIRMED (parameter). */
    [NLB_HALF_OPEN_DELAY]: ({ context }) => context.config.halfOpenTimeout * 1000,
  },
}).createMachine({
  id: NLB_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input, finFrom: null }),
  initial: 'none',
  states: {
    none: {
      description: 'No flow entry: a SYN opens one; any other segment gets an RST to its sender, an RST is dropped (domain-facts §2, §11.2)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'halfOpen', actions: 'forward' },
          { guard: 'isRst', actions: 'dropNoEntry' },
          { actions: 'resetSender' },
        ],
      },
    },
    halfOpen: {
      description: 'SYN seen, handshake not completed: not tracked as a connection, halfOpenTimeout (domain-facts §11.2, UNCONFIRMED length)',
      on: {
        SEG_IN: [
          { guard: 'isAckClass', target: 'established', actions: 'forward' },
          { guard: 'isRst', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFin', target: 'closing', actions: ['recordFin', 'forward'] },
          { target: 'halfOpen', reenter: true, actions: 'forward' },
        ],
      },
      after: { [NLB_HALF_OPEN_DELAY]: { target: 'none', actions: 'forget' } },
    },
    established: {
      description: 'Established flow, idle timer refreshed by segments from client or target (domain-facts §2, §10: open boundary)',
      on: {
        SEG_IN: [
          { guard: 'isRst', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFin', target: 'closing', actions: ['recordFin', 'forward'] },
          { target: 'established', reenter: true, actions: 'forward' },
        ],
      },
      after: { [NLB_IDLE_DELAY]: { target: 'none', actions: 'forget' } },
    },
    closing: {
      description: 'One side sent FIN; the flow stays until the close completes or it idles out (domain-facts §2, §11.2)',
      on: {
        SEG_IN: [
          { guard: 'isRst', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isFinOfOtherSide', target: 'lastAck', actions: 'forward' },
          { target: 'closing', reenter: true, actions: 'forward' },
        ],
      },
      after: { [NLB_IDLE_DELAY]: { target: 'none', actions: 'forget' } },
    },
    lastAck: {
      description: 'Both sides sent FIN; the final ACK ends tracking, a gracefully closed flow is not tracked (domain-facts §11.2)',
      on: {
        SEG_IN: [
          { guard: 'isFinalAck', target: 'none', actions: ['forward', 'forget'] },
          { guard: 'isRst', target: 'none', actions: ['forward', 'forget'] },
          { target: 'lastAck', reenter: true, actions: 'forward' },
        ],
      },
      after: { [NLB_IDLE_DELAY]: { target: 'none', actions: 'forget' } },
    },
  },
});

/** A snapshot of {@link nlbFlowMachine}. */
export type NlbFlowSnapshot = SnapshotFrom<typeof nlbFlowMachine>;
