/**
 * One TCP endpoint (a client or a server socket, plus the application that
 * uses it) as an xstate machine.
 *
 * Sources: RFC 9293 §3.3.2 (the state diagram), §3.10.7 (segment arrival,
 * resets), §3.8.4 (keepalive probes); domain-facts §4.1 (Linux retransmission
 * backoff, tcp_retries2, TCP_USER_TIMEOUT, keepalive runs only on an idle
 * socket, idle measured since the last received segment, RST on keepalive
 * abort, no RST on retransmission abort), §4.2–4.3 (Windows / macOS keepalive)
 * and "Modelling consequences" 5–7.
 *
 * Abstractions (so the state space stays finite and small):
 * - segments carry no sequence numbers. The only part of the acknowledgement
 *   number that is kept is {@link Segment.acksFin}: every segment with the ACK
 *   flag that an endpoint sends after the peer's FIN arrived says so
 *   (`context.peerFinSeen`).
 * - While this side's FIN is unacknowledged (FIN-WAIT-1, CLOSING, LAST-ACK),
 *   only an `ack`, `data` or `fin` with `acksFin` acknowledges it. An `ack`
 *   without `acksFin` there is stale (sent before the peer saw our FIN: the
 *   answer to earlier data, a probe or a duplicate) and is ignored: it
 *   changes no state, does not restart the retransmission timer and does not
 *   reset the backoff. Data sent before the FIN is folded into the
 *   outstanding FIN, so a partial ACK of that data is ignored as well (a
 *   real stack would restart its RTO; the model times out no later than it).
 *   A keepalive probe never acknowledges anything: its sequence number is
 *   out of window, so the receiver answers it and discards it without
 *   processing its ACK field (RFC 9293 §3.10.7.4, first check).
 * - Otherwise an `ack` acknowledges everything this endpoint has sent so far
 *   (cumulative), and data the peer sends does not acknowledge anything (the
 *   peer answers with a separate `ack` at once).
 *   Limitation: an `ack` that answers something sent before the current
 *   outstanding data (a keepalive probe, a duplicate SYN-ACK) acknowledges
 *   that data too if it arrives after it was sent. In the composition this
 *   needs the application to write while a probe or its answer is in flight
 *   at the same instant, and the data then crosses the same path in the same
 *   instant right behind the probe, so the data is in fact delivered and
 *   ACKed; only a middlebox that treats the two differently within one
 *   instant could make it matter. A `sending` substate that skips one ACK
 *   would fix it at the cost of misreading a lost probe.
 * - zero processing time and no delayed ACK: received data, FIN, keepalive
 *   probes and duplicate handshake segments are ACKed at once;
 * - the context holds only what changes behaviour: no timestamps, no data
 *   counters.
 *
 * Timers are `after` transitions with the named delays of
 * {@link TcpEndpointDelay} (milliseconds). Outputs leave only through
 * `emit()`: `SEG_OUT` and `LOG` (see segment.ts).
 */
import { and, assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { TcpEndpointConfig } from './tcpEndpointConfig.ts';
import { flagsOf, type LogEvent, type LogReason, type SegInEvent, type Segment, type SegmentKind, type SegOutEvent } from './segment.ts';

/** The machine id of {@link tcpEndpointMachine}; part of every after-event type. */
export const TCP_ENDPOINT_MACHINE_ID = 'tcpEndpoint';

/**
 * Names of the delays (each returns milliseconds, `seconds * 1000` rounded):
 * - `rto`: retransmission timeout min(rtoMin·2^retries, rtoMax) (domain-facts §4.1);
 * - `userTimeout`: TCP_USER_TIMEOUT (domain-facts §4.1);
 * - `keepaliveIdle`, `keepaliveInterval`: keepalive timing (domain-facts §4.1–4.3);
 * - `idleClose`: the application's idle close (consequence 6b);
 * - `timeWait`: TIME-WAIT length (RFC 9293 §3.3.2, Linux TCP_TIMEWAIT_LEN);
 * - `finTimeout`: orphaned FIN-WAIT-2 timeout (Linux tcp_fin_timeout).
 */
export type TcpEndpointDelay = 'rto' | 'userTimeout' | 'keepaliveIdle' | 'keepaliveInterval' | 'idleClose' | 'timeWait' | 'finTimeout';

/** Every delay name of {@link tcpEndpointMachine}, in the order {@link TcpEndpointDelay} lists them. */
export const TCP_ENDPOINT_DELAYS: readonly TcpEndpointDelay[] = ['rto', 'userTimeout', 'keepaliveIdle', 'keepaliveInterval', 'idleClose', 'timeWait', 'finTimeout'];

/** Events the endpoint accepts: application calls and arriving segments. */
export type TcpEndpointEvent =
  /** The client application calls connect() (active OPEN, RFC 9293 §3.10.1). */
  | { readonly type: 'APP_CONNECT' }
  /** The application writes data (RFC 9293 §3.10.2); accepted in ESTABLISHED and CLOSE-WAIT. */
  | { readonly type: 'APP_SEND' }
  /** The application closes the socket (RFC 9293 §3.10.4); accepted in ESTABLISHED and CLOSE-WAIT. */
  | { readonly type: 'APP_CLOSE' }
  | SegInEvent;

/** What the endpoint has sent and not yet seen acknowledged (what an RTO retransmits). */
export type Outstanding = 'none' | 'syn' | 'synAck' | 'data' | 'fin';

/**
 * Why the connection ended (`ended` state):
 * - `fin`: graceful close (TIME-WAIT expired, LAST-ACK acknowledged, or the orphaned FIN-WAIT-2 timed out);
 * - `retransmit-timeout`: tcp_retries2 retransmissions unanswered (domain-facts §4.1), no RST;
 * - `user-timeout`: TCP_USER_TIMEOUT expired with data outstanding (domain-facts §4.1), no RST;
 * - `keepalive-timeout`: keepalive probes unanswered (domain-facts §4.1), RST sent;
 * - `reset-received`: an RST arrived (RFC 9293 §3.10.7.4).
 */
export type EndReason = 'fin' | 'retransmit-timeout' | 'user-timeout' | 'keepalive-timeout' | 'reset-received';

/**
 * The endpoint's context. It is part of the model checker's state key, so it
 * holds only bounded values that change behaviour.
 */
export interface TcpEndpointContext {
  /** The parsed configuration (constant). */
  readonly config: TcpEndpointConfig;
  /** What an RTO would retransmit; `none` when nothing is unacknowledged. */
  readonly outstanding: Outstanding;
  /** Retransmissions of the outstanding segment so far, 0..retries2+1 (0 whenever `outstanding` is `none`). */
  readonly retries: number;
  /** Unanswered keepalive probes, 0..probes (non-zero only while probing). */
  readonly probesSent: number;
  /** Why the connection ended; `null` until `ended`. */
  readonly endReason: EndReason | null;
  /**
   * The peer's FIN has arrived: every segment with the ACK flag sent from now
   * on carries {@link Segment.acksFin}. True exactly in CLOSE-WAIT, LAST-ACK,
   * CLOSING and TIME-WAIT (so it adds no states); cleared on `ended`.
   */
  readonly peerFinSeen: boolean;
}

/** The target path of a state from the root, as an absolute `#id` reference. */
const at = (path: string): string => `#${TCP_ENDPOINT_MACHINE_ID}.${path}`;

const ms = (seconds: number): number => Math.round(seconds * 1000);

function segment(context: TcpEndpointContext, kind: SegmentKind, retransmit: boolean): Segment {
  const seg: Segment = { conn: context.config.conn, from: context.config.role, kind };
  const rtx: Segment = retransmit ? { ...seg, retransmit: true } : seg;
  return context.peerFinSeen && flagsOf(kind).ack ? { ...rtx, acksFin: true } : rtx;
}

function segOut(context: TcpEndpointContext, kind: SegmentKind, retransmit = false): SegOutEvent {
  return { type: 'SEG_OUT', seg: segment(context, kind, retransmit) };
}

const segIs =
  (...kinds: readonly SegmentKind[]) =>
  ({ event }: { event: TcpEndpointEvent }): boolean =>
    event.type === 'SEG_IN' && kinds.includes(event.seg.kind);

const machineSetup = setup({
  types: {
    context: {} as TcpEndpointContext,
    input: {} as TcpEndpointConfig,
    events: {} as TcpEndpointEvent,
    emitted: {} as SegOutEvent | LogEvent,
  },
  guards: {
    isServer: ({ context }) => context.config.role === 'server',
    keepaliveOn: ({ context }) => context.config.keepalive !== 'off',
    hasIdleClose: ({ context }) => context.config.idleClose !== 'never',
    hasUserTimeout: ({ context }) => context.config.userTimeout !== undefined,
    closesOnPeerFin: ({ context }) => context.config.closeOnPeerFin,
    /**
     * Linux gives up at the first retransmission timeout at which the time
     * since the FIRST RETRANSMISSION reaches tcp_model_timeout(retries2)
     * (0.2·(2^(retries2+1)−1) s, capped phases of 120 s; 924.6 s for 15:
     * domain-facts §4.1 calls it a lower bound). Counted from the first
     * retransmission, that point is always one backoff step later than
     * counted from the original segment, so the abort comes at the timeout
     * after retries2 + 1 retransmissions: 1044.6 s for 15. Measured by the
     * conformance lab against Linux (retries2 = 3: abort ≈ 6.4 s, not 3.0 s;
     * lab/README.md). Linux's tail-loss probe, which adds up to ~0.2–0.4 s
     * before the first retransmission, is not modelled.
     */
    retriesExhausted: ({ context }) => context.retries > context.config.retries2,
    /** `probes` probes are unanswered (domain-facts §4.1). */
    probesExhausted: ({ context }) => context.config.keepalive !== 'off' && context.probesSent >= context.config.keepalive.probes,
    isSyn: segIs('syn'),
    isSynAck: segIs('synAck'),
    isAck: segIs('ack'),
    isData: segIs('data'),
    isFin: segIs('fin'),
    isRst: segIs('rst'),
    /** Data, or a keepalive probe: answered with an ACK, counts as a received segment. */
    isDataOrProbe: segIs('data', 'keepalive'),
    /** A segment a synchronized endpoint answers with an ACK and otherwise ignores here. */
    needsAck: segIs('data', 'keepalive', 'fin', 'syn', 'synAck'),
    /** A duplicate handshake segment in a synchronized state: answered with an ACK (RFC 9293 §3.10.7.4, challenge ACK). */
    isHandshake: segIs('syn', 'synAck'),
    /** Anything but an RST: with no connection it is answered with an RST (RFC 9293 §3.10.7.1). */
    isNotRst: segIs('syn', 'synAck', 'ack', 'data', 'fin', 'keepalive'),
    /** A segment with ACK set but no SYN: unacceptable in SYN-SENT, answered with an RST (RFC 9293 §3.10.7.3). */
    isUnacceptableInSynSent: segIs('ack', 'data', 'fin', 'keepalive'),
    /**
     * An `ack`, `data` or `fin` whose ACK covers this side's FIN ({@link Segment.acksFin}).
     * A keepalive probe is discarded without processing its ACK (RFC 9293 §3.10.7.4).
     */
    acksOurFin: ({ event }) => event.type === 'SEG_IN' && event.seg.acksFin === true && ['ack', 'data', 'fin'].includes(event.seg.kind),
  },
  actions: {
    sendSyn: emit(({ context }) => segOut(context, 'syn')),
    sendSynAck: emit(({ context }) => segOut(context, 'synAck')),
    /** SYN-RECEIVED answers a retransmitted SYN with its SYN-ACK again. */
    resendSynAck: emit(({ context }) => segOut(context, 'synAck', true)),
    sendAck: emit(({ context }) => segOut(context, 'ack')),
    sendData: emit(({ context }) => segOut(context, 'data')),
    sendFin: emit(({ context }) => segOut(context, 'fin')),
    sendRst: emit(({ context }) => segOut(context, 'rst')),
    /** A keepalive probe (RFC 9293 §3.8.4). */
    sendProbe: emit(({ context }) => segOut(context, 'keepalive')),
    /** Sends the outstanding segment again, marked as a retransmission. */
    retransmit: emit(({ context }) => segOut(context, context.outstanding === 'none' ? 'data' : context.outstanding, true)),
    awaitAck: assign({ outstanding: (_, params: { readonly what: Exclude<Outstanding, 'none'> }) => params.what }),
    /** An ACK covers everything outstanding: the backoff starts again (domain-facts §4.1). */
    acknowledged: assign({ outstanding: 'none', retries: 0 }),
    /** The peer's FIN arrived: later segments acknowledge it ({@link Segment.acksFin}). Runs before the ACK it causes. */
    seePeerFin: assign({ peerFinSeen: true }),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    countProbe: assign({ probesSent: ({ context }) => context.probesSent + 1 }),
    resetProbes: assign({ probesSent: 0 }),
    log: emit(({ context }, params: { readonly reason: LogReason }) => ({ type: 'LOG', conn: context.config.conn, reason: params.reason }) as const),
    /** Enters `ended`: records why and clears everything else, so every ended snapshot of a reason is the same state. */
    end: assign((_, params: { readonly reason: EndReason }) => ({ endReason: params.reason, outstanding: 'none' as const, retries: 0, probesSent: 0, peerFinSeen: false })),
  },
  delays: {
    rto: ({ context }) => ms(Math.min(context.config.rtoMin * 2 ** context.retries, context.config.rtoMax)),
    userTimeout: ({ context }) => ms(context.config.userTimeout ?? 0),
    keepaliveIdle: ({ context }) => ms(context.config.keepalive === 'off' ? 0 : context.config.keepalive.idle),
    keepaliveInterval: ({ context }) => ms(context.config.keepalive === 'off' ? 0 : context.config.keepalive.interval),
    idleClose: ({ context }) => ms(context.config.idleClose === 'never' ? 0 : context.config.idleClose),
    timeWait: ({ context }) => ms(context.config.timeWait),
    finTimeout: ({ context }) => ms(context.config.finTimeout),
  },
});

type MachineConfig = Parameters<typeof machineSetup.createMachine>[0];
type StatesConfig = NonNullable<MachineConfig['states']>;

const endOnReset = {
  target: at('ended'),
  actions: [
    { type: 'log', params: { reason: 'reset-received' } },
    { type: 'end', params: { reason: 'reset-received' } },
  ],
} as const;

const endGracefully = { target: at('ended'), actions: [{ type: 'end', params: { reason: 'fin' } }] } as const;

/** Logs and records the retransmission abort (ETIMEDOUT, no RST: domain-facts §4.1). */
const abortRetransmit = [
  { type: 'log', params: { reason: 'retransmit-timeout' } },
  { type: 'end', params: { reason: 'retransmit-timeout' } },
] as const;

/**
 * The `rto` timeout of a state that retransmits (domain-facts §4.1): abort
 * into `ended` once the retries are exhausted, otherwise resend, back off and
 * re-enter `self` (which restarts the timer with the doubled delay).
 */
function rtoExpiry(self: string, ended: string) {
  return [
    { guard: 'retriesExhausted', target: ended, actions: abortRetransmit },
    { target: self, reenter: true, actions: ['retransmit', 'countRetry'] },
  ] as const;
}

/**
 * Retransmission of the outstanding segment (domain-facts §4.1): `rto`
 * restarts after each retransmission with the doubled timeout; `userTimeout`
 * (only when TCP_USER_TIMEOUT is set) runs from the first transmission and is
 * not restarted.
 */
function retransmission(): StatesConfig {
  const retransmitTimer: StatesConfig[string] = {
    description: 'retransmission timer (domain-facts §4.1, RFC 6298)',
    initial: 'armed',
    states: {
      armed: {
        description: 'waiting for an ACK of the outstanding segment; rto = min(rtoMin·2^retries, rtoMax) (domain-facts §4.1)',
        after: { rto: rtoExpiry('armed', at('ended')) },
      },
    },
  };
  return {
    retransmitTimer,
    userTimer: {
      description: 'TCP_USER_TIMEOUT (domain-facts §4.1)',
      initial: 'choosing',
      states: {
        choosing: {
          description: 'choice: TCP_USER_TIMEOUT set or not (domain-facts §4.1)',
          always: [{ guard: 'hasUserTimeout', target: 'running' }, { target: 'unset' }],
        },
        running: {
          description: 'sent data unacknowledged for less than TCP_USER_TIMEOUT (domain-facts §4.1)',
          after: {
            userTimeout: {
              target: at('ended'),
              actions: [
                { type: 'log', params: { reason: 'retransmit-timeout' } },
                { type: 'end', params: { reason: 'user-timeout' } },
              ],
            },
          },
        },
        unset: { description: 'TCP_USER_TIMEOUT not set (domain-facts §4.1)' },
      },
    },
  };
}

/**
 * The transmit side of a synchronized, open-for-sending state (ESTABLISHED,
 * CLOSE-WAIT): idle with keepalive (domain-facts §4.1: only while nothing is
 * outstanding, idle measured since the last received segment), probing, or
 * sending (data outstanding, retransmission).
 */
const transmitRegion: StatesConfig[string] = {
  description: 'transmit side: idle, keepalive probing, or data outstanding (domain-facts §4.1)',
  initial: 'idle',
  states: {
    idle: {
      description: 'choice: nothing outstanding; keepalive on or off (domain-facts §4.1, SO_KEEPALIVE)',
      always: [{ guard: 'keepaliveOn', target: 'keepaliveWait' }, { target: 'quiet' }],
    },
    keepaliveWait: {
      description: 'nothing outstanding, keepalive idle timer running since the last received segment (domain-facts §4.1)',
      after: { keepaliveIdle: { target: 'probing', actions: ['sendProbe', 'countProbe'] } },
      on: {
        APP_SEND: { target: 'sending', actions: ['sendData', { type: 'awaitAck', params: { what: 'data' } }] },
        SEG_IN: [
          { guard: 'isAck', target: 'idle' },
          { guard: 'isDataOrProbe', target: 'idle', actions: 'sendAck' },
        ],
      },
    },
    quiet: {
      description: 'nothing outstanding, keepalive off (domain-facts §4.2: off unless the application enables it)',
      on: {
        APP_SEND: { target: 'sending', actions: ['sendData', { type: 'awaitAck', params: { what: 'data' } }] },
        SEG_IN: { guard: 'isDataOrProbe', actions: 'sendAck' },
      },
    },
    probing: {
      description: 'keepalive probes unanswered (domain-facts §4.1, RFC 9293 §3.8.4)',
      exit: 'resetProbes',
      initial: 'awaitingAck',
      states: {
        awaitingAck: {
          description: 'a probe is unanswered; after `probes` of them the connection aborts with an RST (domain-facts §4.1)',
          after: {
            keepaliveInterval: [
              {
                guard: 'probesExhausted',
                target: at('ended'),
                actions: [
                  'sendRst',
                  { type: 'log', params: { reason: 'keepalive-timeout' } },
                  { type: 'end', params: { reason: 'keepalive-timeout' } },
                ],
              },
              { target: 'awaitingAck', reenter: true, actions: ['sendProbe', 'countProbe'] },
            ],
          },
        },
      },
      on: {
        APP_SEND: { target: 'sending', actions: ['sendData', { type: 'awaitAck', params: { what: 'data' } }] },
        SEG_IN: [
          { guard: 'isAck', target: 'idle' },
          { guard: 'isDataOrProbe', target: 'idle', actions: 'sendAck' },
        ],
      },
    },
    sending: {
      description: 'data outstanding: retransmission governs, keepalive does not run (domain-facts §4.1)',
      type: 'parallel',
      states: retransmission(),
      on: {
        // More data joins the queue; the retransmission timer keeps running (Linux rearms it only when nothing was in flight).
        APP_SEND: { actions: 'sendData' },
        SEG_IN: [
          { guard: 'isAck', target: 'idle', actions: 'acknowledged' },
          { guard: 'isDataOrProbe', actions: 'sendAck' },
        ],
      },
    },
  },
};

/** The application side: its idle-close timer, restarted by data sent or received (consequence 6b). */
function applicationRegion(closeTarget: string): StatesConfig[string] {
  return {
    description: 'application side: closes after idleClose seconds without application data (consequence 6b)',
    initial: 'open',
    states: {
      open: {
        description: "choice: idle close configured or 'never'",
        always: [{ guard: 'hasIdleClose', target: 'idleTimer' }, { target: 'noIdleTimer' }],
      },
      idleTimer: {
        description: 'application idle timer, restarted by data sent or received (consequence 6b; keepalive is not application activity)',
        after: { idleClose: { target: closeTarget, actions: ['sendFin', { type: 'awaitAck', params: { what: 'fin' } }] } },
        on: {
          APP_SEND: { target: 'idleTimer', reenter: true },
          SEG_IN: { guard: 'isData', target: 'idleTimer', reenter: true },
        },
      },
      noIdleTimer: { description: "the application never closes on its own (idleClose 'never')" },
    },
  };
}

/**
 * The TCP endpoint machine (RFC 9293 §3.3.2; domain-facts §4, consequences 5–7).
 *
 * Input: a parsed {@link TcpEndpointConfig}. Events: {@link TcpEndpointEvent}.
 * Emits `SEG_OUT` (segments it sends) and `LOG` (`retransmit-timeout`,
 * `keepalive-timeout`, `reset-received`). Top-level states: `closed`
 * (initial; a server passes on to `listen` at once), `listen`, `synSent`,
 * `synReceived`, `established`, `finWait1`, `finWait2`, `closing`,
 * `timeWait`, `closeWait`, `lastAck`, `ended` (terminal, not final: it
 * still answers segments with RSTs). Timers: the delays of
 * {@link TcpEndpointDelay}. Once the peer's FIN has arrived, every segment
 * with the ACK flag it sends carries `acksFin`; in FIN-WAIT-1, CLOSING and
 * LAST-ACK only a segment with `acksFin` acknowledges its own FIN.
 */
export const tcpEndpointMachine = machineSetup.createMachine({
  id: TCP_ENDPOINT_MACHINE_ID,
  context: ({ input }) => ({ config: input, outstanding: 'none', retries: 0, probesSent: 0, endReason: null, peerFinSeen: false }),
  initial: 'closed',
  states: {
    closed: {
      description: 'CLOSED (RFC 9293 §3.3.2); a server performs its passive OPEN at once',
      always: { guard: 'isServer', target: 'listen' },
      on: {
        APP_CONNECT: { target: 'synSent', actions: ['sendSyn', { type: 'awaitAck', params: { what: 'syn' } }] },
        SEG_IN: { guard: 'isNotRst', actions: 'sendRst' },
      },
    },
    listen: {
      description: 'LISTEN (RFC 9293 §3.3.2, §3.10.7.2)',
      on: {
        SEG_IN: [
          { guard: 'isSyn', target: 'synReceived', actions: ['sendSynAck', { type: 'awaitAck', params: { what: 'synAck' } }] },
          { guard: 'isNotRst', actions: 'sendRst' },
        ],
      },
    },
    synSent: {
      description: 'SYN-SENT (RFC 9293 §3.3.2, §3.10.7.3)',
      after: { rto: rtoExpiry('synSent', 'ended') },
      on: {
        SEG_IN: [
          { guard: 'isSynAck', target: 'established', actions: ['acknowledged', 'sendAck'] },
          { guard: 'isRst', ...endOnReset },
          { guard: 'isUnacceptableInSynSent', actions: 'sendRst' },
        ],
      },
    },
    synReceived: {
      description: 'SYN-RECEIVED (RFC 9293 §3.3.2, §3.10.7.4)',
      after: { rto: rtoExpiry('synReceived', 'ended') },
      on: {
        SEG_IN: [
          // RFC 9293 §3.10.7.4: a connection from a passive OPEN returns to LISTEN on RST.
          { guard: 'isRst', target: 'listen', actions: 'acknowledged' },
          { guard: 'isSyn', actions: 'resendSynAck' },
          { guard: 'isAck', target: 'established', actions: 'acknowledged' },
          { guard: 'isDataOrProbe', target: 'established', actions: ['acknowledged', 'sendAck'] },
          {
            guard: and(['isFin', 'closesOnPeerFin']),
            target: 'lastAck',
            actions: ['acknowledged', 'seePeerFin', 'sendAck', 'sendFin', { type: 'awaitAck', params: { what: 'fin' } }],
          },
          { guard: 'isFin', target: 'closeWait', actions: ['acknowledged', 'seePeerFin', 'sendAck'] },
        ],
      },
    },
    established: {
      description: 'ESTABLISHED (RFC 9293 §3.3.2)',
      type: 'parallel',
      states: { transmit: transmitRegion, application: applicationRegion(at('finWait1')) },
      on: {
        APP_CLOSE: { target: 'finWait1', actions: ['sendFin', { type: 'awaitAck', params: { what: 'fin' } }] },
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          // The application reads the FIN and closes at once: ACK and FIN (CLOSE-WAIT passed through).
          {
            guard: and(['isFin', 'closesOnPeerFin']),
            target: 'lastAck',
            actions: ['seePeerFin', 'sendAck', 'sendFin', { type: 'awaitAck', params: { what: 'fin' } }],
          },
          { guard: 'isFin', target: 'closeWait', actions: ['seePeerFin', 'sendAck'] },
          { guard: 'isHandshake', actions: 'sendAck' },
        ],
      },
    },
    closeWait: {
      description: 'CLOSE-WAIT (RFC 9293 §3.3.2): the peer has closed, this side may still send',
      type: 'parallel',
      states: { transmit: transmitRegion, application: applicationRegion(at('lastAck')) },
      on: {
        APP_CLOSE: { target: 'lastAck', actions: ['sendFin', { type: 'awaitAck', params: { what: 'fin' } }] },
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          { guard: 'needsAck', actions: 'sendAck' },
        ],
      },
    },
    finWait1: {
      description: 'FIN-WAIT-1 (RFC 9293 §3.3.2): FIN sent, not yet acknowledged',
      type: 'parallel',
      states: retransmission(),
      on: {
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          // RFC 9293 §3.10.7.4: a FIN whose ACK covers our FIN leads straight to TIME-WAIT.
          { guard: and(['isFin', 'acksOurFin']), target: 'timeWait', actions: ['acknowledged', 'seePeerFin', 'sendAck'] },
          // Simultaneous close: the FINs crossed.
          { guard: 'isFin', target: 'closing', actions: ['seePeerFin', 'sendAck'] },
          { guard: and(['isAck', 'acksOurFin']), target: 'finWait2', actions: 'acknowledged' },
          // Data from the peer in CLOSE-WAIT, its ACK covering our FIN.
          { guard: 'acksOurFin', target: 'finWait2', actions: ['acknowledged', 'sendAck'] },
          // An ack without acksFin is stale (see the machine's TSDoc) and ignored.
          { guard: 'needsAck', actions: 'sendAck' },
        ],
      },
    },
    finWait2: {
      description: 'FIN-WAIT-2 (RFC 9293 §3.3.2); an orphaned socket times out after tcp_fin_timeout',
      after: { finTimeout: endGracefully },
      on: {
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          { guard: 'isFin', target: 'timeWait', actions: ['seePeerFin', 'sendAck'] },
          { guard: 'needsAck', actions: 'sendAck' },
        ],
      },
    },
    closing: {
      description: 'CLOSING (RFC 9293 §3.3.2): both FINs sent, this side\u2019s not yet acknowledged',
      type: 'parallel',
      states: retransmission(),
      on: {
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          { guard: and(['isAck', 'acksOurFin']), target: 'timeWait', actions: 'acknowledged' },
          // A retransmitted peer FIN (or data) whose ACK covers our FIN: acknowledged, then TIME-WAIT (RFC 9293 §3.10.7.4).
          { guard: 'acksOurFin', target: 'timeWait', actions: ['acknowledged', 'sendAck'] },
          // An ack without acksFin is stale and ignored.
          { guard: 'needsAck', actions: 'sendAck' },
        ],
      },
    },
    timeWait: {
      description: 'TIME-WAIT (RFC 9293 §3.3.2; Linux TCP_TIMEWAIT_LEN)',
      after: { timeWait: endGracefully },
      on: {
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          // RFC 9293 §3.10.7.4: a retransmitted FIN is acknowledged and the 2 MSL timeout restarts.
          { guard: 'isFin', target: 'timeWait', reenter: true, actions: 'sendAck' },
        ],
      },
    },
    lastAck: {
      description: 'LAST-ACK (RFC 9293 §3.3.2): FIN sent after the peer\u2019s FIN, not yet acknowledged',
      type: 'parallel',
      states: retransmission(),
      on: {
        SEG_IN: [
          { guard: 'isRst', ...endOnReset },
          // RFC 9293 §3.10.7.4 LAST-ACK: once our FIN is acknowledged, the connection is deleted (nothing is sent).
          { guard: 'acksOurFin', target: 'ended', actions: [{ type: 'end', params: { reason: 'fin' } }] },
          // An ack without acksFin is stale (sent before the peer saw our FIN) and ignored.
          { guard: 'needsAck', actions: 'sendAck' },
        ],
      },
    },
    ended: {
      description: 'connection gone (CLOSED after the connection, RFC 9293 §3.3.2); see context.endReason',
      on: {
        // RFC 9293 §3.10.7.1: no connection, so a non-RST segment is answered with an RST; an RST is ignored.
        SEG_IN: { guard: 'isNotRst', actions: 'sendRst' },
      },
    },
  },
});

/** A snapshot of {@link tcpEndpointMachine}. */
export type TcpEndpointSnapshot = SnapshotFrom<typeof tcpEndpointMachine>;
