/**
 * One Azure Standard Load Balancer flow: the backend a flow (5-tuple) is
 * mapped to, forgotten after `idleTimeout`.
 *
 * Sources: domain-facts §2 (Azure Load Balancer row: default silent drop at
 * the idle timeout; with `EnableTcpReset` an RST to client and server at the
 * timeout), §11.1 (idle ranges per rule kind), §11.2 (the reset is
 * bidirectional and PROACTIVE, only for connections in ESTABLISHED state, not
 * for internal load balancers with HA ports), §10 (open boundary). Segments
 * in either direction refresh the flow. Any segment with no flow (a SYN or a
 * late segment of an expired flow) becomes a new flow on a backend: the
 * engine's free choice (`SEG_IN.target`, {@link needsTargetChoice}), or the
 * previous backend when {@link AzureLbConfig.newFlowBackend} is `same`.
 *
 * "ESTABLISHED" is tracked from the segments: a SYN opens `opening`; an
 * ACK-class segment (ACK, data, keepalive) establishes; a FIN or RST moves to
 * `closing`. A flow created from a mid-stream ACK-class segment counts as
 * established unless {@link AzureLbConfig.adoptedFlowEstablished} is false
 * (UNCONFIRMED), when it sits in `adopted`, which never resets. The proactive reset leaves as `FLOW_TIMEOUT_RESET`
 * (segment.ts); the composition sends the RSTs.
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { AzureLbConfig } from './azureLbConfig.ts';
import { segmentKindGuards, type MachineOutput, type Segment, type SegInEvent } from './segment.ts';

/** The machine id of {@link azureLbFlowMachine}. */
export const AZURE_LB_FLOW_MACHINE_ID = 'azureLbFlow';

/** Name of the idle delay (ms: `idleTimeout * 1000`), domain-facts §2, §11.1. */
export const AZURE_LB_IDLE_DELAY = 'idleTimeout';

/** Every named delay of {@link azureLbFlowMachine}. */
export const AZURE_LB_DELAYS = [AZURE_LB_IDLE_DELAY] as const;

/** After-event types of the idle timer, per timed state. */
export const AZURE_LB_AFTER_EVENTS = {
  opening: `xstate.after.${AZURE_LB_IDLE_DELAY}.${AZURE_LB_FLOW_MACHINE_ID}.opening`,
  adopted: `xstate.after.${AZURE_LB_IDLE_DELAY}.${AZURE_LB_FLOW_MACHINE_ID}.adopted`,
  established: `xstate.after.${AZURE_LB_IDLE_DELAY}.${AZURE_LB_FLOW_MACHINE_ID}.established`,
  closing: `xstate.after.${AZURE_LB_IDLE_DELAY}.${AZURE_LB_FLOW_MACHINE_ID}.closing`,
} as const;

/** Context: the constant config, the backend of the flow, and the backend it had before it expired. */
export interface AzureLbFlowContext {
  readonly config: AzureLbConfig;
  /** Backend (target index) of the flow; `null` in `none`. */
  readonly target: number | null;
  /** Backend of the last expired flow (used with `newFlowBackend: same`); `null` before any. */
  readonly lastTarget: number | null;
}

function newTarget(context: AzureLbFlowContext, event: SegInEvent): number {
  if (context.config.newFlowBackend === 'same' && context.lastTarget !== null) return context.lastTarget;
  const target = event.target;
  const n = context.config.targets;
  if (target === undefined || !Number.isInteger(target) || target < 0 || target >= n) {
    throw new Error(
      `azureLbFlowMachine: a segment that creates a new flow needs SEG_IN.target in 0..${n - 1}, got ${String(target)}; ` +
        'did you forget to branch over backends (needsTargetChoice)?',
    );
  }
  return target;
}

/**
 * The Azure Load Balancer flow machine (domain-facts §2, §11.1, §11.2).
 * States: `none` (initial), `opening`, `adopted`, `established`, `closing`. Emits
 * `SEG_FORWARD` (with the backend as `target`) and, with `tcpReset` on an
 * ESTABLISHED flow at its timeout, `FLOW_TIMEOUT_RESET`.
 */
export const azureLbFlowMachine = setup({
  types: {
    context: {} as AzureLbFlowContext,
    input: {} as AzureLbConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    ...segmentKindGuards,
    closes: ({ event }) => event.seg.kind === 'fin' || event.seg.kind === 'rst',
    /** UNCONFIRMED (§11.2): a mid-stream flow counts as ESTABLISHED (parameter). */
    adoptsAsEstablished: ({ context }) => context.config.adoptedFlowEstablished,
    /** domain-facts §11.2: RST both ways at the timeout, ESTABLISHED only, not with HA ports. */
    resetsAtTimeout: ({ context }) => context.config.tcpReset && !context.config.haPorts,
  },
  actions: {
    pinTarget: assign({ target: ({ context, event }) => newTarget(context, event) }),
    expire: assign({ lastTarget: ({ context }) => context.target, target: null }),
    forward: emit(({ context, event }): MachineOutput => {
      if (context.target === null) throw new Error('azureLbFlowMachine: forward with no backend');
      return { type: 'SEG_FORWARD', seg: event.seg, target: context.target };
    }),
    /** domain-facts §11.2: proactive, bidirectional reset at the idle timeout. */
    resetBoth: emit((): MachineOutput => ({ type: 'FLOW_TIMEOUT_RESET', reason: 'idle-timeout' })),
  },
  delays: {
    /** domain-facts §11.1: `idleTimeoutInMinutes` × 60 000 ms. */
    [AZURE_LB_IDLE_DELAY]: ({ context }) => context.config.idleTimeout * 1000,
  },
}).createMachine({
  id: AZURE_LB_FLOW_MACHINE_ID,
  context: ({ input }) => ({ config: input, target: null, lastTarget: null }),
  initial: 'none',
  states: {
    none: {
      description:
        'No flow: any segment becomes a new flow on a backend, the free choice or the previous one per newFlowBackend (domain-facts §2; issue 12 §2 incident, parameter)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'opening', actions: ['pinTarget', 'forward'] },
          { guard: 'closes', target: 'closing', actions: ['pinTarget', 'forward'] },
          { guard: 'adoptsAsEstablished', target: 'established', actions: ['pinTarget', 'forward'] },
          { target: 'adopted', actions: ['pinTarget', 'forward'] },
        ],
      },
    },
    adopted: {
      description:
        'Flow created from a mid-stream segment, not counted as ESTABLISHED (adoptedFlowEstablished: false, UNCONFIRMED): silent at the idle timeout (domain-facts §11.2)',
      on: {
        SEG_IN: [
          { guard: 'closes', target: 'closing', actions: 'forward' },
          { target: 'adopted', reenter: true, actions: 'forward' },
        ],
      },
      after: { [AZURE_LB_IDLE_DELAY]: { target: 'none', actions: 'expire' } },
    },
    opening: {
      description: 'SYN seen, not yet ESTABLISHED: silent at the idle timeout (domain-facts §2, §11.2)',
      on: {
        SEG_IN: [
          { guard: 'isAckClass', target: 'established', actions: 'forward' },
          { guard: 'closes', target: 'closing', actions: 'forward' },
          { target: 'opening', reenter: true, actions: 'forward' },
        ],
      },
      after: { [AZURE_LB_IDLE_DELAY]: { target: 'none', actions: 'expire' } },
    },
    established: {
      description:
        'ESTABLISHED flow: at the idle timeout silent, or with tcpReset an RST to both endpoints (domain-facts §2, §11.2; not with HA ports)',
      on: {
        SEG_IN: [
          { guard: 'closes', target: 'closing', actions: 'forward' },
          { target: 'established', reenter: true, actions: 'forward' },
        ],
      },
      after: {
        [AZURE_LB_IDLE_DELAY]: [
          { guard: 'resetsAtTimeout', target: 'none', actions: ['resetBoth', 'expire'] },
          { target: 'none', actions: 'expire' },
        ],
      },
    },
    closing: {
      description: 'A FIN or RST was seen, no longer ESTABLISHED: silent at the idle timeout (domain-facts §11.2)',
      on: { SEG_IN: { target: 'closing', reenter: true, actions: 'forward' } },
      after: { [AZURE_LB_IDLE_DELAY]: { target: 'none', actions: 'expire' } },
    },
  },
});

/** A snapshot of {@link azureLbFlowMachine}. */
export type AzureLbFlowSnapshot = SnapshotFrom<typeof azureLbFlowMachine>;

/**
 * True iff `seg` creates a new flow in this snapshot and its backend is the
 * engine's free choice, so the engine must branch over backends and pass one
 * as `SEG_IN.target`. False while a flow exists, and with `newFlowBackend:
 * same` once the flow has had a backend.
 */
export function needsTargetChoice(snapshot: AzureLbFlowSnapshot, _seg: Segment): boolean {
  if (!snapshot.matches('none')) return false;
  const { config, lastTarget } = snapshot.context;
  return !(config.newFlowBackend === 'same' && lastTarget !== null);
}
