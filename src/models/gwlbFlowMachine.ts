/**
 * One AWS Gateway Load Balancer flow entry: the state GWLB keeps for one flow
 * key, pinned to one appliance target until it has been idle for
 * `idleTimeout` seconds.
 *
 * Sources: domain-facts §1.1 (flow table: created by the first packet, pinned
 * to one target, refreshed by packets in either direction, removed when the
 * idle timer expires), §1.2 (optional reactive, unidirectional RST),
 * §1.4 and "Modelling consequences" 1–3 (no FIN/half-closed timeout; a
 * non-SYN segment with no entry becomes a new flow, or is dropped, or is
 * answered with an RST), consequence 10 (the boundary: the entry is gone at
 * exactly `idleTimeout`).
 *
 * One instance models one flow key; the composition maps connections to keys
 * by {@link GwlbConfig.stickiness} and chooses the target of a new flow
 * (a nondeterministic choice, consequence 2), passing it as
 * {@link SegInEvent.target}. Outputs leave only through `emit()`
 * (see segment.ts).
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { GwlbConfig } from './gwlbConfig.ts';
import { isSyn, type MachineOutput, type Segment, type SegInEvent } from './segment.ts';

/** The machine id of {@link gwlbFlowMachine}; part of its after-event types. */
export const GWLB_FLOW_MACHINE_ID = 'gwlbFlow';

/** Name of the idle-timeout delay (milliseconds: `idleTimeout * 1000`), domain-facts §1.1. */
export const GWLB_IDLE_DELAY = 'idleTimeout';

/**
 * Event type xstate raises when the idle timer of the `active` state fires,
 * also the `id` of the `xstate.raise` action that arms it:
 * `xstate.after.idleTimeout.gwlbFlow.active`.
 */
export const GWLB_IDLE_AFTER_EVENT = `xstate.after.${GWLB_IDLE_DELAY}.${GWLB_FLOW_MACHINE_ID}.active`;

/**
 * Context of a flow entry: the (constant) config and the target the entry is
 * pinned to (`null` when there is no entry). Nothing else, so snapshots stay
 * small state keys.
 */
export interface GwlbFlowContext {
  readonly config: GwlbConfig;
  /** Target (appliance index) the entry is pinned to; `null` in `none`. */
  readonly target: number | null;
}

function chosenTarget(config: GwlbConfig, event: SegInEvent): number {
  const target = event.target;
  if (target === undefined || !Number.isInteger(target) || target < 0 || target >= config.targets) {
    throw new Error(
      `gwlbFlowMachine: a segment that creates a new flow needs SEG_IN.target in 0..${config.targets - 1}, got ${String(target)}; ` +
        'did you forget to branch over targets (needsTargetChoice)?',
    );
  }
  return target;
}

/**
 * The GWLB flow entry machine (domain-facts §1.1–§1.4).
 *
 * States: `none` (no entry, initial) and `active` (pinned to
 * `context.target`, timer {@link GWLB_IDLE_DELAY}). Input: a parsed
 * {@link GwlbConfig}. Event: `SEG_IN`. Emits `SEG_FORWARD` (with target),
 * `SEG_DROP` (reason `no-flow-entry`) or `SEG_RESET` (to the sender,
 * reason `no-flow-entry`).
 */
export const gwlbFlowMachine = setup({
  types: {
    context: {} as GwlbFlowContext,
    input: {} as GwlbConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    /** A SYN opens a flow (domain-facts §1.1: the first packet creates the entry). */
    isSyn: ({ event }) => isSyn(event.seg),
    /** RST on idle timeout answers a non-RST segment with no entry (§1.2); never RST an RST. */
    answersWithReset: ({ context, event }) => context.config.resetOnIdleTimeout && event.seg.kind !== 'rst',
    /** Unknown non-SYN becomes a new flow (§1.4, seed KB; UNCONFIRMED default). */
    forwardsUnknownNonSyn: ({ context }) => context.config.unknownNonSyn === 'forward',
  },
  actions: {
    pinTarget: assign({ target: ({ context, event }) => chosenTarget(context.config, event) }),
    clearTarget: assign({ target: null }),
    forwardToTarget: emit(({ context, event }): MachineOutput => {
      const target = context.target;
      if (target === null) throw new Error('gwlbFlowMachine: forwardToTarget with no pinned target');
      return { type: 'SEG_FORWARD', seg: event.seg, target };
    }),
    dropNoEntry: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'no-flow-entry' })),
    resetSender: emit(
      ({ event }): MachineOutput => ({ type: 'SEG_RESET', seg: event.seg, to: event.seg.from, reason: 'no-flow-entry' }),
    ),
  },
  delays: {
    /** domain-facts §1.1: `tcp.idle_timeout.seconds`, in milliseconds. */
    [GWLB_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: GWLB_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input, target: null }),
  initial: 'none',
  states: {
    none: {
      description: 'No flow entry for this key (domain-facts §1.1, §1.4)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'active', actions: ['pinTarget', 'forwardToTarget'] },
          { guard: 'answersWithReset', actions: 'resetSender' },
          { guard: 'forwardsUnknownNonSyn', target: 'active', actions: ['pinTarget', 'forwardToTarget'] },
          { actions: 'dropNoEntry' },
        ],
      },
    },
    active: {
      description: 'Flow entry pinned to one target, idle timer running (domain-facts §1.1, consequence 1)',
      on: {
        SEG_IN: { target: 'active', reenter: true, actions: 'forwardToTarget' },
      },
      after: {
        [GWLB_IDLE_DELAY]: { target: 'none', actions: 'clearTarget' },
      },
    },
  },
});

/** A snapshot of {@link gwlbFlowMachine}. */
export type GwlbFlowSnapshot = SnapshotFrom<typeof gwlbFlowMachine>;

/**
 * True iff `seg` would create a new flow entry in this snapshot, so the
 * engine must branch over targets and pass one as `SEG_IN.target`
 * (domain-facts "Modelling consequences" 2). False when an entry exists, or
 * when the segment is dropped or answered with an RST instead (§1.2, §1.4).
 */
export function needsTargetChoice(snapshot: GwlbFlowSnapshot, seg: Segment): boolean {
  if (!snapshot.matches('none')) return false;
  if (isSyn(seg)) return true;
  const { config } = snapshot.context;
  if (config.resetOnIdleTimeout && seg.kind !== 'rst') return false;
  return config.unknownNonSyn === 'forward';
}
