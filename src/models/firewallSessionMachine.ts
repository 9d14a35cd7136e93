/**
 * One stateful firewall session: what one appliance keeps for one
 * connection, with a state-specific idle timer.
 *
 * Sources: domain-facts §3.1 (PAN-OS session timeouts: init, handshake,
 * established or the application override, half-closed after one side's
 * FIN/RST, time-wait after both), §3.2 (`tcp-reject-non-syn`: a non-SYN
 * segment with no session is dropped silently), §3.3 (no RST when a session
 * ages out; end reasons `aged-out`, `tcp-fin`, `tcp-rst-from-client|server`;
 * no traffic log for a dropped non-SYN), §2 Linux conntrack row and
 * "Modelling consequences" 4 (loose conntrack adopts mid-stream flows).
 *
 * Outputs leave only through `emit()` (see segment.ts): `SEG_FORWARD` (no
 * target), `SEG_DROP` (reason `non-syn-no-session`), `LOG` when a session
 * ends. The firewall never sends an RST.
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { FirewallConfig } from './firewallConfig.ts';
import { isSyn, type LogReason, type MachineOutput, type Role, type SegInEvent } from './segment.ts';

/** The machine id of {@link firewallSessionMachine}; part of its after-event types. */
export const FIREWALL_SESSION_MACHINE_ID = 'firewallSession';

/**
 * Names of the delays, one per timed state, each `timeouts.<state> * 1000`
 * milliseconds (domain-facts §3.1). The raise id / after-event type of a
 * state is `xstate.after.<delay>.firewallSession.<state>`, see
 * {@link FIREWALL_AFTER_EVENTS}.
 */
export const FIREWALL_DELAYS = {
  init: 'initTimeout',
  handshake: 'handshakeTimeout',
  established: 'establishedTimeout',
  halfClosed: 'halfClosedTimeout',
  timeWait: 'timeWaitTimeout',
} as const;

/** A state of a firewall session that has an idle timer. */
export type FirewallTimedState = keyof typeof FIREWALL_DELAYS;

/** After-event type (and raise id) of each timed state's idle timer. */
export const FIREWALL_AFTER_EVENTS: Readonly<Record<FirewallTimedState, string>> = {
  init: `xstate.after.${FIREWALL_DELAYS.init}.${FIREWALL_SESSION_MACHINE_ID}.init`,
  handshake: `xstate.after.${FIREWALL_DELAYS.handshake}.${FIREWALL_SESSION_MACHINE_ID}.handshake`,
  established: `xstate.after.${FIREWALL_DELAYS.established}.${FIREWALL_SESSION_MACHINE_ID}.established`,
  halfClosed: `xstate.after.${FIREWALL_DELAYS.halfClosed}.${FIREWALL_SESSION_MACHINE_ID}.halfClosed`,
  timeWait: `xstate.after.${FIREWALL_DELAYS.timeWait}.${FIREWALL_SESSION_MACHINE_ID}.timeWait`,
};

/**
 * Context of a session: the (constant) config, and which sides closed.
 * Both are `null` in `none`. In `halfClosed`, whichever is set names the one
 * side that closed; `timeWait` means both sides did.
 */
export interface FirewallSessionContext {
  readonly config: FirewallConfig;
  /** The first side that sent a FIN, if any. */
  readonly finFrom: Role | null;
  /** The first side that sent an RST, if any (decides the end reason, §3.3). */
  readonly rstFrom: Role | null;
}

function rstReason(role: Role): LogReason {
  return role === 'client' ? 'tcp-rst-from-client' : 'tcp-rst-from-server';
}

/**
 * The firewall session machine (domain-facts §3, §2 conntrack row).
 *
 * States: `none` (no session, initial), `init`, `handshake`, `established`,
 * `halfClosed`, `timeWait`, each timed state with its delay from
 * {@link FIREWALL_DELAYS}. Input: a parsed {@link FirewallConfig}. Event:
 * `SEG_IN` (`target` ignored).
 */
export const firewallSessionMachine = setup({
  types: {
    context: {} as FirewallSessionContext,
    input: {} as FirewallConfig,
    events: {} as SegInEvent,
    emitted: {} as MachineOutput,
  },
  guards: {
    isSyn: ({ event }) => isSyn(event.seg),
    isSynAck: ({ event }) => event.seg.kind === 'synAck',
    isRst: ({ event }) => event.seg.kind === 'rst',
    isFin: ({ event }) => event.seg.kind === 'fin',
    /** An ACK, data or keepalive completes the handshake (§3.1 handshake → established). */
    completesHandshake: ({ event }) => ['ack', 'data', 'keepalive'].includes(event.seg.kind),
    /** FIN or RST: one side closes (§3.1 half-closed). */
    closes: ({ event }) => event.seg.kind === 'fin' || event.seg.kind === 'rst',
    /** FIN or RST from the side that has not closed yet (§3.1 time-wait). */
    closesOtherSide: ({ context, event }) => {
      const closed = context.finFrom ?? context.rstFrom;
      return (event.seg.kind === 'fin' || event.seg.kind === 'rst') && closed !== null && event.seg.from !== closed;
    },
    /** `tcp-reject-non-syn` (§3.2). */
    rejectsNonSyn: ({ context }) => context.config.rejectNonSyn,
  },
  actions: {
    forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
    /** §3.2, §3.3: silent drop, no session, no log, no RST. */
    dropNonSyn: emit(({ event }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: 'non-syn-no-session' })),
    recordClose: assign({
      finFrom: ({ context, event }) => context.finFrom ?? (event.seg.kind === 'fin' ? event.seg.from : null),
      rstFrom: ({ context, event }) => context.rstFrom ?? (event.seg.kind === 'rst' ? event.seg.from : null),
    }),
    forget: assign({ finFrom: null, rstFrom: null }),
    /** §3.3: the session ages out silently (no RST) and is logged `aged-out`. */
    logAgedOut: emit(({ context }): MachineOutput => ({ type: 'LOG', conn: context.config.conn, reason: 'aged-out' })),
    /** §3.3: half-closed ends as `tcp-rst-from-*` if an RST was seen, else `aged-out`. */
    logHalfClosedEnd: emit(
      ({ context }): MachineOutput => ({
        type: 'LOG',
        conn: context.config.conn,
        reason: context.rstFrom === null ? 'aged-out' : rstReason(context.rstFrom),
      }),
    ),
    /** §3.3: time-wait ends as `tcp-fin`, or `tcp-rst-from-*` (higher priority) if an RST was seen. */
    logTimeWaitEnd: emit(
      ({ context }): MachineOutput => ({
        type: 'LOG',
        conn: context.config.conn,
        reason: context.rstFrom === null ? 'tcp-fin' : rstReason(context.rstFrom),
      }),
    ),
  },
  delays: {
    [FIREWALL_DELAYS.init]: ({ context }) => context.config.timeouts.init * 1000,
    [FIREWALL_DELAYS.handshake]: ({ context }) => context.config.timeouts.handshake * 1000,
    [FIREWALL_DELAYS.established]: ({ context }) => context.config.timeouts.established * 1000,
    [FIREWALL_DELAYS.halfClosed]: ({ context }) => context.config.timeouts.halfClosed * 1000,
    [FIREWALL_DELAYS.timeWait]: ({ context }) => context.config.timeouts.timeWait * 1000,
  },
}).createMachine({
  id: FIREWALL_SESSION_MACHINE_ID,
  context: ({ input }) => ({ config: input, finFrom: null, rstFrom: null }),
  initial: 'none',
  states: {
    none: {
      description: 'No session (domain-facts §3.2; §2 conntrack row for loose pickup)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'init', actions: 'forward' },
          { guard: 'rejectsNonSyn', actions: 'dropNonSyn' },
          // Loose pickup (§2): an RST or a FIN opens nothing (Linux conntrack
          // marks a mid-stream FIN/RST INVALID even with nf_conntrack_tcp_loose=1;
          // measured by the conformance lab) but passes.
          { guard: 'isRst', actions: 'forward' },
          { guard: 'isFin', actions: 'forward' },
          { target: 'established', actions: 'forward' },
        ],
      },
    },
    init: {
      description: 'SYN seen, before SYN-ACK: timeout-tcpinit (domain-facts §3.1)',
      on: {
        SEG_IN: [
          { guard: 'isSynAck', target: 'handshake', actions: 'forward' },
          { guard: 'completesHandshake', target: 'established', actions: 'forward' },
          { guard: 'closes', target: 'halfClosed', actions: ['recordClose', 'forward'] },
          { target: 'init', reenter: true, actions: 'forward' },
        ],
      },
      after: { [FIREWALL_DELAYS.init]: { target: 'none', actions: ['logAgedOut', 'forget'] } },
    },
    handshake: {
      description: 'SYN-ACK seen, handshake incomplete: timeout-tcphandshake (domain-facts §3.1)',
      on: {
        SEG_IN: [
          { guard: 'completesHandshake', target: 'established', actions: 'forward' },
          { guard: 'closes', target: 'halfClosed', actions: ['recordClose', 'forward'] },
          { target: 'handshake', reenter: true, actions: 'forward' },
        ],
      },
      after: { [FIREWALL_DELAYS.handshake]: { target: 'none', actions: ['logAgedOut', 'forget'] } },
    },
    established: {
      description: 'Established: TCP timeout or the application override (domain-facts §3.1)',
      on: {
        SEG_IN: [
          { guard: 'closes', target: 'halfClosed', actions: ['recordClose', 'forward'] },
          { target: 'established', reenter: true, actions: 'forward' },
        ],
      },
      after: { [FIREWALL_DELAYS.established]: { target: 'none', actions: ['logAgedOut', 'forget'] } },
    },
    halfClosed: {
      description: 'One side sent FIN or RST: TCP half-closed, PAN-OS >= 6.1 (domain-facts §3.1)',
      on: {
        SEG_IN: [
          { guard: 'closesOtherSide', target: 'timeWait', actions: ['recordClose', 'forward'] },
          { target: 'halfClosed', reenter: true, actions: ['recordClose', 'forward'] },
        ],
      },
      after: { [FIREWALL_DELAYS.halfClosed]: { target: 'none', actions: ['logHalfClosedEnd', 'forget'] } },
    },
    timeWait: {
      description: 'Both sides sent FIN or RST: TCP TIME_WAIT (domain-facts §3.1)',
      on: {
        SEG_IN: { target: 'timeWait', reenter: true, actions: ['recordClose', 'forward'] },
      },
      after: { [FIREWALL_DELAYS.timeWait]: { target: 'none', actions: ['logTimeWaitEnd', 'forget'] } },
    },
  },
});

/** A snapshot of {@link firewallSessionMachine}. */
export type FirewallSessionSnapshot = SnapshotFrom<typeof firewallSessionMachine>;
