/**
 * Export of a topology as a Promela model, so a user can check a scenario
 * with SPIN as a second opinion (issue 7, "SPIN side by side"; issue 12 §6:
 * every hop kind, every path).
 *
 * The model is written by hand from the same sources as the xstate models
 * (src/models) and the composition (src/system/crossing.ts, product.ts), not
 * generated from them: it is an independent rendering, which is what makes
 * agreement between SPIN and midpath worth something. It keeps the
 * composition's semantics (environment, zero latency, FIFO per direction,
 * one crossing of the whole path per step, every order of simultaneous
 * events, the boundary parameters) with one deliberate difference: **time is
 * discrete**. A global `Tick` process advances time by one tick (one second
 * by default) and every timer is a counter of the ticks left until it fires.
 *
 * Paths covered ({@link PROMELA_HOP_KINDS}): every path of 1..8 hops of every
 * kind of the registry (src/models/hopKinds.ts), in order. Each hop kind has
 * its own hand-written rendering in src/reporting/promelaHops.ts, following
 * its machine state by state. A segment crosses the hops in its direction
 * (client to server: hop 0 first; server to client: the last hop first), as
 * src/system/crossing.ts composes them: each hop forwards it (possibly
 * opening or adopting an entry, a choosing hop on a target that is a free
 * choice), drops it silently, or answers its sender with an RST, which goes
 * straight to the sender without crossing the other hops; a segment every
 * hop forwards is delivered. A proactive reset at a timeout (Azure LB
 * `tcpReset`) sends an RST to both endpoints. NAT hops translate addresses;
 * the translation changes no decision and is not modelled.
 * {@link promelaRefusal} refuses only a hop type without a rendering (none
 * today; the CLI exits 2, naming `path[i].type`). The pan output parser is
 * src/reporting/panOutput.ts, the runner src/node/spinRunner.ts.
 *
 * Abstractions (each is also listed in the model's header):
 * - Discrete time. Every constant is a whole number of ticks (rounded to the
 *   nearest, at least one; each rounding is listed in the header). A strict
 *   boundary "idle for longer than T" (`boundary: open`) becomes "gone at the
 *   first tick after T": an idle gap of T + 1 ticks, where midpath's dense
 *   time finds every gap in (T, ∞). Windows are therefore integer-rounded,
 *   and the applications act only on tick instants; the verdicts agree when
 *   no behaviour needs two events strictly between consecutive ticks
 *   (digitisation, see src/engine/discreteExplore.ts). Linux conntrack's
 *   capped ESTABLISHED timeout min(established, unacknowledged) is rounded
 *   as one constant.
 * - The retransmission chain `min(rtoMin·2^k, rtoMax)` is rounded per step
 *   to whole ticks (at least one); with the default 1-s tick Linux's 0.2 s
 *   `rtoMin` becomes 1, 1, 1, 2, 3, 6, 13, 26, 51, 102, 120, … s. The number
 *   of retries (`tcp_retries2`) is kept.
 * - Segments carry only what changes behaviour: their kind and the
 *   `acksFin` bit (src/models/segment.ts). The `retransmit` mark (which no
 *   machine reads) is dropped; so are addresses (NAT translation).
 * - The endpoint follows src/models/tcpEndpointMachine.ts state by state,
 *   with its abstractions (no sequence numbers, one outstanding request at a
 *   time: the application sends again only when nothing is outstanding).
 *   Firewall sessions keep only the side that closed first (their
 *   `finFrom`/`rstFrom` fields only pick the log reason otherwise). Logs are
 *   not modelled.
 * - No symmetry reduction: a new entry of a choosing hop (GWLB appliances,
 *   Azure LB backends) chooses every target (`if :: tgt0 = 0 :: tgt0 = 1 … fi`);
 *   an Azure LB whose backends are plain hosts does not branch (the backend
 *   changes nothing).
 * - Segments in flight live in one bounded channel per direction
 *   (`queueLength`, default 8); an assertion `len(q[e]) < QLEN` guards the
 *   bound, so a too-small bound shows as an error, never as a silent loss.
 *
 * Properties are assertions over transient flags, one per catalogue
 * property: `assert(!dropped_live)` (no-mid-path-drop), `assert(!reset_live)`
 * (no-mid-path-reset), `assert(!half_open)` (no-half-open) and
 * `assert(!unclean_close)` (clean-close). `spin -DCHECK_DROP -a model.pml`
 * (or `CHECK_RESET`, `CHECK_HALF_OPEN`, `CHECK_CLEAN_CLOSE`) checks one
 * property per run; with none defined all four are active, and `./pan -c0`
 * reports every violated one.
 */
import type { HopKind } from '../models/hopKinds.ts';
import { endpointSettings, type EndpointSettings, type Topology } from '../system/topology.ts';
import { HOP_STATE_DEFINES, PROMELA_RENDERERS, boundaryNote, hopType, renderHop, type PromelaHop, type PromelaRenderer, type PromelaTimerArray } from './promelaHops.ts';

/** The catalogue properties the Promela model checks (src/properties/catalogue.ts ids). */
export type PromelaPropertyId = 'no-mid-path-drop' | 'no-mid-path-reset' | 'no-half-open' | 'clean-close';

/** How one property appears in the model: the define that selects it and the flag its assertion negates. */
export interface PromelaProperty {
  readonly id: PromelaPropertyId;
  /** Preprocessor name: `spin -D<define> -a model.pml` checks only this property. */
  readonly define: string;
  /** The transient flag; the assertion is `assert(!<flag>)`. */
  readonly flag: string;
}

/** The properties of the exported model, in catalogue order. */
export const PROMELA_PROPERTIES: readonly PromelaProperty[] = [
  { id: 'no-mid-path-drop', define: 'CHECK_DROP', flag: 'dropped_live' },
  { id: 'no-mid-path-reset', define: 'CHECK_RESET', flag: 'reset_live' },
  { id: 'no-half-open', define: 'CHECK_HALF_OPEN', flag: 'half_open' },
  { id: 'clean-close', define: 'CHECK_CLEAN_CLOSE', flag: 'unclean_close' },
];

/** Options of {@link toPromela}. */
export interface PromelaOptions {
  /** Ticks per second of the discrete clock (default 1: whole seconds). */
  readonly ticksPerSecond?: number;
  /** Capacity of each direction's in-flight channel (default 8). */
  readonly queueLength?: number;
  /** Build the model for this property only (writes its `#define`); default: all four (or the one given with `spin -D`). */
  readonly property?: PromelaPropertyId;
  /**
   * The hop renderings, keyed by hop type (default `PROMELA_RENDERERS` of
   * src/reporting/promelaHops.ts, every registry kind); a hop whose type has
   * none is refused ({@link promelaRefusal}).
   */
  readonly renderers?: PromelaRendererTable;
}

/** A table of hop renderings keyed by hop type (see {@link PromelaOptions.renderers}). */
export type PromelaRendererTable = Partial<Record<string, PromelaRenderer<never>>>;

/**
 * The scenario `type` strings of the hop kinds the Promela export renders:
 * the keys of `PROMELA_RENDERERS` (src/reporting/promelaHops.ts), whose type
 * requires every kind of the registry (src/models/hopKinds.ts), in registry
 * order, on paths of any length, in any order.
 */
export const PROMELA_HOP_KINDS: readonly HopKind[] = Object.keys(PROMELA_RENDERERS) as HopKind[];

export { PROMELA_RENDERERS, hopType } from './promelaHops.ts';

/**
 * Why the Promela export cannot model a topology's path, naming the first
 * hop whose type it has no rendering for as `path[i].type` and the kinds it
 * renders; or undefined when {@link toPromela} models it (every path of
 * registry kinds today). A path it does not cover is refused rather than
 * rendered approximately. `renderers`: as {@link PromelaOptions.renderers}.
 */
export function promelaRefusal(t: Topology, renderers: PromelaRendererTable = PROMELA_RENDERERS): string | undefined {
  const rendered = Object.keys(renderers).filter((k) => renderers[k] !== undefined);
  const i = t.path.findIndex((h) => !rendered.includes(hopType(h)));
  if (i >= 0) return `path[${i}].type: ${hopType(t.path[i]!)} is not covered; the Promela export renders the hop types ${rendered.join(', ')}`;
  if (t.path.length === 0) return 'path: no hops; the Promela export needs at least one';
  return undefined;
}

/** Thrown by {@link toPromela} for a path it does not cover; the message is {@link promelaRefusal}'s. */
export class PromelaCoverageError extends Error {
  override readonly name = 'PromelaCoverageError';
}

/** The settings of endpoint `e = 2·conn + role` (0 client, 1 server). */
function endpointAt(t: Topology, e: number): EndpointSettings {
  return endpointSettings(t, Math.floor(e / 2), e % 2 === 0 ? 'client' : 'server');
}

/** Converts seconds to ticks, rounding to the nearest whole tick (at least 1) and noting every rounding. */
class Ticks {
  readonly notes: string[] = [];
  private readonly noted = new Set<string>();
  constructor(
    private readonly perSecond: number,
    private readonly scale: number,
  ) {}

  of(seconds: number, what: string): number {
    const exact = seconds * this.scale * this.perSecond;
    const ticks = Math.max(1, Math.round(exact));
    if (Math.abs(ticks - exact) > 1e-9) {
      const note = `${what}: ${fmt(seconds * this.scale)} s = ${fmt(exact)} ticks, rounded to ${ticks}`;
      if (!this.noted.has(note)) {
        this.noted.add(note);
        this.notes.push(note);
      }
    }
    return ticks;
  }
}

const fmt = (x: number): string => String(Math.round(x * 1e6) / 1e6);

/**
 * A per-endpoint constant as a Promela expression of the endpoint index
 * `e`: a literal when all endpoints agree, a role test when the roles do,
 * otherwise a chain over the endpoints.
 */
function perEndpoint(values: readonly number[]): string {
  const first = values[0]!;
  if (values.every((v) => v === first)) return String(first);
  const client = values[0]!;
  const server = values[1] ?? client;
  if (values.every((v, e) => v === (e % 2 === 0 ? client : server))) return `(((e) % 2) == 0 -> ${client} : ${server})`;
  let expr = String(values[values.length - 1]!);
  for (let e = values.length - 2; e >= 0; e--) expr = `((e) == ${e} -> ${values[e]!} : ${expr})`;
  return expr;
}

/** The `set_rto` branches of one group of endpoints: the rounded chain of timeouts per retry count. */
function rtoChain(ticks: Ticks, s: EndpointSettings, indent: string): string {
  const lines: string[] = [];
  for (let k = 0; k <= s.retries2; k++) {
    const seconds = Math.min(s.rtoMin * 2 ** k, s.rtoMax);
    const v = ticks.of(seconds, `rto after ${k} retransmission${k === 1 ? '' : 's'}`);
    if (seconds >= s.rtoMax) {
      lines.push(`${indent}:: else -> t_rto[e] = ${v}    /* rtoMax */`);
      break;
    }
    lines.push(`${indent}:: retries[e] == ${k} -> t_rto[e] = ${v}`);
  }
  if (!lines[lines.length - 1]!.includes(':: else')) lines.push(`${indent}:: else -> t_rto[e] = OFF    /* unreachable: retries never exceed tcp_retries2 */`);
  return lines.join('\n');
}


/**
 * Writes an equivalent Promela model of a topology: discrete time in whole
 * ticks (seconds by default), the client and server endpoints of every
 * connection, every hop of the path in order (src/reporting/promelaHops.ts),
 * and the properties as assertions selectable with `-D` defines. Numbers come
 * from the topology; every rounding to whole ticks is listed in the header
 * comment. See the module comment for the abstractions.
 *
 * @throws PromelaCoverageError for a path it does not cover ({@link promelaRefusal})
 */
export function toPromela(t: Topology, options: PromelaOptions = {}): string {
  const renderers = options.renderers ?? PROMELA_RENDERERS;
  const refused = promelaRefusal(t, renderers);
  if (refused !== undefined) throw new PromelaCoverageError(`toPromela: ${t.name}: ${refused}`);
  const tps = options.ticksPerSecond ?? 1;
  if (!(tps > 0) || !Number.isFinite(tps)) throw new RangeError(`toPromela: ticksPerSecond must be a positive number, got ${tps}`);
  const qlen = options.queueLength ?? 8;
  const ticks = new Ticks(tps, t.timeScale ?? 1);
  const NC = t.connections;
  const NE = 2 * NC;
  const eps = Array.from({ length: NE }, (_, e) => endpointAt(t, e));
  const c = {
    kaOn: eps.map((s) => (s.keepalive === 'off' ? 0 : 1)),
    kaIdle: eps.map((s) => (s.keepalive === 'off' ? 0 : ticks.of(s.keepalive.idle, 'keepalive idle'))),
    kaIntvl: eps.map((s) => (s.keepalive === 'off' ? 0 : ticks.of(s.keepalive.interval, 'keepalive interval'))),
    kaProbes: eps.map((s) => (s.keepalive === 'off' ? 0 : s.keepalive.probes)),
    idleClose: eps.map((s) => (s.idleClose === 'never' ? -1 : ticks.of(s.idleClose, 'application idle close'))),
    closeOnFin: eps.map((s) => (s.closeOnPeerFin ? 1 : 0)),
    retries2: eps.map((s) => s.retries2),
    user: eps.map((s) => (s.userTimeout === undefined ? -1 : ticks.of(s.userTimeout, 'TCP_USER_TIMEOUT'))),
    timeWait: eps.map((s) => ticks.of(s.timeWait, 'TIME-WAIT')),
    finTimeout: eps.map((s) => ticks.of(s.finTimeout, 'tcp_fin_timeout')),
  };
  const hops: PromelaHop[] = t.path.map((h, i) => {
    const r = renderHop(i, h, NC, (s, what) => ticks.of(s, what), renderers);
    if (r === undefined) throw new PromelaCoverageError(`toPromela: ${t.name}: path[${i}].type: ${hopType(h)} has no rendering`);   // unreachable: refused above
    return r;
  });
  const timers: PromelaTimerArray[] = hops.flatMap((h) => h.timers);
  const choosing = hops.filter((h) => h.choice !== undefined);
  const proactive = hops.some((h) => h.proactiveReset);
  // RTO chains, grouped by identical settings.
  const rtoGroups = new Map<string, { members: number[]; s: EndpointSettings }>();
  eps.forEach((s, e) => {
    const key = `${s.rtoMin}|${s.rtoMax}|${s.retries2}`;
    const g = rtoGroups.get(key);
    if (g) g.members.push(e);
    else rtoGroups.set(key, { members: [e], s });
  });
  const rtoBody =
    rtoGroups.size === 1
      ? `  if\n${rtoChain(ticks, [...rtoGroups.values()][0]!.s, '  ')}\n  fi`
      : `  if\n${[...rtoGroups.values()]
          .map((g, i, all) => `  :: ${i === all.length - 1 ? 'else' : g.members.map((m) => `e == ${m}`).join(' || ')} ->\n    if\n${rtoChain(ticks, g.s, '    ')}\n    fi`)
          .join('\n')}\n  fi`;
  const largest = Math.max(...hops.flatMap((h) => h.constants), ...c.kaIdle, ...c.kaIntvl, ...c.idleClose, ...c.user, ...c.timeWait, ...c.finTimeout, ...eps.map((s) => ticks.of(s.rtoMax, 'rtoMax')));
  const timerType = largest <= 32_000 ? 'short' : 'int';

  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const all = (n: number, f: (i: number) => string): string => range(n).map(f).join(' && ');
  const env = t.environment;
  const selected = options.property ? PROMELA_PROPERTIES.find((p) => p.id === options.property)! : undefined;

  const endpointTimers = ['t_rto', 't_user', 't_ka', 't_idle', 't_st'];
  const endpointsNotDue = range(NE)
    .map((e) => endpointTimers.map((x) => `${x}[${e}] != 0`).join(' && '))
    .join(' &&\n     ');
  // Fired by the Timers process, in every order with the other events of their instant: ambiguous
  // boundaries, and closed ones whose expiry is observable (a proactive reset); the others expire in Tick.
  const byTimers = (a: PromelaTimerArray): boolean => a.boundary === 'ambiguous' || (a.boundary === 'closed' && a.proactive === true);
  const ambiguousNotDue = timers.filter(byTimers).flatMap((a) => range(a.size).map((i) => `${a.name}[${i}] != 0`));
  const expire = (b: 'open' | 'closed'): string[] =>
    timers.filter((a) => a.boundary === b && !byTimers(a)).flatMap((a) => range(a.size).map((i) => `       if :: ${a.name}[${i}] == 0 -> ${a.expire}(${i}) :: else -> skip fi;`));
  const decrement = [...range(NE).flatMap((e) => endpointTimers.map((x) => `${x}[${e}]`)), ...timers.flatMap((a) => range(a.size).map((i) => `${a.name}[${i}]`))].map(
    (v) => `       if :: ${v} > 0 -> ${v}-- :: else -> skip fi;`,
  );
  const shape = hops.map((h) => h.type).join(' -> ');

  const header = [
    `/*`,
    ` * midpath ${t.name}: an equivalent Promela model for SPIN (a second opinion).`,
    ` * Generated by midpath (src/reporting/promela.ts, promelaHops.ts) from the resolved topology.`,
    ` * Path (client side first): ${shape}.`,
    ` *`,
    ` * Check one property per run (a property's assertion is active only when`,
    ` * its name is defined; with none defined, all four are active):`,
    ` *   spin -DCHECK_DROP -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000`,
    ` *   CHECK_DROP        no-mid-path-drop   assert(!dropped_live)`,
    ` *   CHECK_RESET       no-mid-path-reset  assert(!reset_live)`,
    ` *   CHECK_HALF_OPEN   no-half-open       assert(!half_open)`,
    ` *   CHECK_CLEAN_CLOSE clean-close        assert(!unclean_close)`,
    ` * "errors: 0" means the property holds; each error is a violation (./pan -c0 lists all).`,
    ` * A "max search depth too small" warning means the search was cut short: raise -m.`,
    ` *`,
    ` * Time is DISCRETE: one tick = ${fmt(1 / tps)} s; every timer is a counter of ticks left`,
    ` * (OFF = -1, due at 0). midpath explores dense time; here applications act only on`,
    ` * tick instants and a strict boundary "idle for longer than T" becomes "gone at the`,
    ` * tick after T", so violation windows are integer-rounded (e.g. midpath's idle gap`,
    ` * (350, inf) is reached here from 351). Verdicts agree when no behaviour needs two`,
    ` * events strictly between consecutive ticks.`,
    ` *`,
    ` * Semantics kept from midpath (src/system/product.ts, crossing.ts):`,
    ` * - applications connect, send (one request at a time: only when nothing is`,
    ` *   outstanding) and close at any instant the endpoint allows, never while a`,
    ` *   segment is in flight; environment: client sends ${env.clientSends ? 'yes' : 'no'}, client closes ${env.clientCloses ? 'yes' : 'no'},`,
    ` *   server sends ${env.serverSends ? 'yes' : 'no'}, server closes ${env.serverCloses ? 'yes' : 'no'} (the server's idle timer closes anyway)${env.connectAtStart === true ? ';\n *   every client connects at time 0 (connectAtStart)' : ''};`,
    ` * - a segment crosses the whole path in zero time, in one atomic step, hop after`,
    ` *   hop in its direction (client to server: hop 0 first); the first hop that drops`,
    ` *   it or answers it with an RST ends the crossing (the RST goes straight to the`,
    ` *   sender); FIFO within each direction, directions in any order; time cannot`,
    ` *   pass while a segment is in flight;`,
    ` * - timers due at the same instant fire in every order (also between crossings);`,
    ...hops.flatMap((h) => h.notes.map((n) => ` * - ${n}`)),
    ` *`,
    ` * Abstractions: segments carry kind + acksFin only (no sequence numbers, no`,
    ` * retransmit mark, no addresses: a NAT hop's translation changes no decision);`,
    ` * firewall sessions keep only which side closed first; no logs; in-flight`,
    ` * segments per direction bounded by QLEN (asserted, never lost).`,
    ...(ticks.notes.length > 0 ? [` * Constants rounded to whole ticks:`, ...ticks.notes.map((n) => ` *   ${n}`)] : [` * Every constant is a whole number of ticks (no rounding).`]),
    ` */`,
  ].join('\n');

  const sections: string[] = [];
  sections.push(header);
  sections.push(`
/* ===================== Property selection ===================== */
${selected ? `#define ${selected.define}\n` : ''}#if !defined(CHECK_DROP) && !defined(CHECK_RESET) && !defined(CHECK_HALF_OPEN) && !defined(CHECK_CLEAN_CLOSE)
#define CHECK_DROP
#define CHECK_RESET
#define CHECK_HALF_OPEN
#define CHECK_CLEAN_CLOSE
#endif`);

  sections.push(`
/* ===================== Sizes (from the topology) ===================== */
#define NC ${NC}      /* connections */
#define NE ${NE}      /* endpoints: e = 2*conn + role (role 0 client, 1 server) */
#define NH ${hops.length}      /* hops on the path: ${shape} */
#define QLEN ${qlen}    /* in-flight segments per direction (asserted) */
#define OFF (-1)
#define TT ${timerType}    /* timer counters */

/* ===================== Constants (ticks; one tick = ${fmt(1 / tps)} s) ===================== */
/* endpoints (per endpoint index e) */
#define KA_ON(e)       ${perEndpoint(c.kaOn)}
#define KA_IDLE(e)     ${perEndpoint(c.kaIdle)}
#define KA_INTVL(e)    ${perEndpoint(c.kaIntvl)}
#define KA_PROBES(e)   ${perEndpoint(c.kaProbes)}
#define IDLE_CLOSE(e)  ${perEndpoint(c.idleClose)}    /* application idle close; OFF = never */
#define CLOSE_ON_FIN(e) ${perEndpoint(c.closeOnFin)}
#define RETRIES2(e)    ${perEndpoint(c.retries2)}
#define USER_TO(e)     ${perEndpoint(c.user)}    /* TCP_USER_TIMEOUT; OFF = not set */
#define TIME_WAIT_T(e) ${perEndpoint(c.timeWait)}
#define FIN_TIMEOUT(e) ${perEndpoint(c.finTimeout)}
${hops.map((h) => h.defines).join('')}
/* segment kinds; + 8 when acksFin (the sender had received the peer's FIN) */
#define SYN 1
#define SYNACK 2
#define ACK 3
#define DATA 4
#define FIN 5
#define RST 6
#define KEEPALIVE 7
/* endpoint states (RFC 9293) */
#define CLOSED 0
#define LISTEN 1
#define SYN_SENT 2
#define SYN_RCVD 3
#define ESTAB 4
#define CLOSE_WAIT 5
#define FIN_WAIT1 6
#define FIN_WAIT2 7
#define CLOSING 8
#define TIME_WAIT 9
#define LAST_ACK 10
#define ENDED 11
/* transmit side of ESTABLISHED / CLOSE-WAIT */
#define TX_NONE 0
#define TX_KAWAIT 1
#define TX_QUIET 2
#define TX_PROBING 3
#define TX_SENDING 4
/* end reasons */
#define END_FIN 1
#define END_RETX 2
#define END_USER 3
#define END_KEEPALIVE 4
#define END_RESET 5
${HOP_STATE_DEFINES}
/* crossing outcomes */
#define F_PASS 0
#define F_DROP 1
#define F_RESET 2

#define ACTIVE(e) (st[e] != CLOSED && st[e] != LISTEN && st[e] != ENDED)
#define HELD(c) (ACTIVE(2*(c)) || ACTIVE(2*(c)+1))
#define OPEN(e) (st[e] == ESTAB || st[e] == CLOSE_WAIT)
#define HALF_OPEN(c) ((OPEN(2*(c)) && st[2*(c)+1] == ENDED) || (OPEN(2*(c)+1) && st[2*(c)] == ENDED))
#define QUIET (${all(NE, (e) => `len(q[${e}]) == 0`)})`);

  sections.push(`
/* ===================== State ===================== */
chan q[NE] = [QLEN] of { byte };   /* segments in flight, sent by endpoint e */
/* endpoints */
byte st[NE];        /* RFC 9293 state */
byte tx[NE];        /* transmit side in ESTABLISHED / CLOSE-WAIT */
byte outst[NE];     /* outstanding segment kind (what an RTO retransmits), 0 = none */
byte retries[NE];   /* retransmissions of the outstanding segment */
byte probes[NE];    /* unanswered keepalive probes */
byte endr[NE];      /* why the connection ended */
bit pfin[NE];       /* the peer's FIN has arrived: later segments with ACK carry acksFin */
TT t_rto[NE];       /* retransmission timer */
TT t_user[NE];      /* TCP_USER_TIMEOUT */
TT t_ka[NE];        /* keepalive idle / interval */
TT t_idle[NE];      /* application idle close */
TT t_st[NE];        /* TIME-WAIT or orphaned FIN-WAIT-2 */
${hops.map((h) => h.state).join('')}/* step variables: set by a nondeterministic choice and read by the d_step after it, so
   they are in the state vector (pan restores them on backtracking); every step ends with
   them back at 0, so they add no states */
byte d, ee${choosing.length > 0 ? `, need, ${choosing.map((h) => `tgt${h.index}`).join(', ')}` : ''};
/* scratch, used within one d_step only (not part of the state) */
hidden byte sk, seg, k, af, c, f, s, x, fate${proactive ? ', pend, pc, pe' : ''};
/* property flags: set and asserted within one atomic step, then cleared */
hidden byte dropped_live, reset_live, half_open, unclean_close;`);

  sections.push(`
/* ===================== Properties ===================== */
inline report_drop(c) {   /* a middlebox silently discards a segment of a held connection */
  dropped_live = HELD(c);
#ifdef CHECK_DROP
  assert(!dropped_live);
#endif
  dropped_live = 0
}
inline report_reset(c) {  /* a middlebox injects an RST into a held connection */
  reset_live = HELD(c);
#ifdef CHECK_RESET
  assert(!reset_live);
#endif
  reset_live = 0
}
inline check_state() {    /* checked in every state with nothing in flight */
  if
  :: QUIET ->
     half_open = (${range(NC).map((i) => `HALF_OPEN(${i})`).join(' || ')});
#ifdef CHECK_HALF_OPEN
     assert(!half_open);
#endif
     half_open = 0
  :: else -> skip
  fi
}`);

  sections.push(`
/* ===================== TCP endpoint (src/models/tcpEndpointMachine.ts) ===================== */
inline send(e, kind) {
  sk = kind;
  if :: pfin[e] && sk != SYN && sk != RST -> sk = sk + 8 :: else -> skip fi;
  assert(len(q[e]) < QLEN);
  q[e]!sk
}
inline set_rto(e) {       /* rto = min(rtoMin * 2^retries, rtoMax), in ticks */
${rtoBody}
}
inline arm_retx(e) {      /* entering FIN-WAIT-1, CLOSING or LAST-ACK (retries carry over) */
  set_rto(e);
  t_user[e] = USER_TO(e)
}
inline leave(e) {         /* leaving a state cancels its timers */
  t_rto[e] = OFF; t_user[e] = OFF; t_ka[e] = OFF; t_idle[e] = OFF; t_st[e] = OFF;
  tx[e] = TX_NONE; probes[e] = 0
}
inline enter_open(e, state) {   /* ESTABLISHED or CLOSE-WAIT, entered afresh */
  st[e] = state;
  if :: KA_ON(e) -> tx[e] = TX_KAWAIT; t_ka[e] = KA_IDLE(e) :: else -> tx[e] = TX_QUIET fi;
  t_idle[e] = IDLE_CLOSE(e)
}
inline tx_idle(e) {       /* transmit side back to idle: keepalive wait (restarted) or quiet */
  t_rto[e] = OFF; t_user[e] = OFF; probes[e] = 0;
  if :: KA_ON(e) -> tx[e] = TX_KAWAIT; t_ka[e] = KA_IDLE(e) :: else -> tx[e] = TX_QUIET; t_ka[e] = OFF fi
}
inline finish(e, reason) {  /* the connection is gone (state ended) */
  unclean_close = (reason != END_FIN && st[e] >= CLOSE_WAIT && st[e] <= LAST_ACK);
#ifdef CHECK_CLEAN_CLOSE
  assert(!unclean_close);
#endif
  unclean_close = 0;
  leave(e); st[e] = ENDED; endr[e] = reason; outst[e] = 0; retries[e] = 0; pfin[e] = 0
}
inline close_app(e) {     /* APP_CLOSE or the application idle close: send FIN */
  leave(e); send(e, FIN); outst[e] = FIN;
  if :: st[e] == ESTAB -> st[e] = FIN_WAIT1 :: else -> st[e] = LAST_ACK fi;
  arm_retx(e)
}
inline peer_fin_close(e) { /* a FIN arrived in ESTABLISHED (or SYN-RECEIVED) */
  pfin[e] = 1; send(e, ACK);
  if
  :: CLOSE_ON_FIN(e) -> send(e, FIN); outst[e] = FIN; st[e] = LAST_ACK; arm_retx(e)
  :: else -> enter_open(e, CLOSE_WAIT)
  fi
}
inline ep_in(e, k, af) {  /* segment kind k (acksFin af) arrives at endpoint e */
  if
  :: st[e] == CLOSED || st[e] == ENDED ->
     if :: k != RST -> send(e, RST) :: else -> skip fi
  :: st[e] == LISTEN ->
     if
     :: k == SYN -> st[e] = SYN_RCVD; send(e, SYNACK); outst[e] = SYNACK; set_rto(e)
     :: k == RST -> skip
     :: else -> send(e, RST)
     fi
  :: st[e] == SYN_SENT ->
     if
     :: k == SYNACK -> leave(e); outst[e] = 0; retries[e] = 0; send(e, ACK); enter_open(e, ESTAB)
     :: k == RST -> finish(e, END_RESET)
     :: k == ACK || k == DATA || k == FIN || k == KEEPALIVE -> send(e, RST)
     :: else -> skip
     fi
  :: st[e] == SYN_RCVD ->
     if
     :: k == RST -> leave(e); st[e] = LISTEN; outst[e] = 0; retries[e] = 0
     :: k == SYN -> send(e, SYNACK)
     :: k == ACK -> leave(e); outst[e] = 0; retries[e] = 0; enter_open(e, ESTAB)
     :: k == DATA || k == KEEPALIVE -> leave(e); outst[e] = 0; retries[e] = 0; send(e, ACK); enter_open(e, ESTAB)
     :: k == FIN -> leave(e); outst[e] = 0; retries[e] = 0; peer_fin_close(e)
     :: else -> skip
     fi
  :: st[e] == ESTAB || st[e] == CLOSE_WAIT ->
     /* a region (transmit / application) that handles the event takes it; only if none does, the state itself */
     if
     :: k == RST -> finish(e, END_RESET)
     :: k == FIN && st[e] == ESTAB -> leave(e); peer_fin_close(e)
     :: k == FIN || k == SYN || k == SYNACK -> send(e, ACK)
     :: k == ACK ->
        if
        :: tx[e] == TX_SENDING -> outst[e] = 0; retries[e] = 0; tx_idle(e)
        :: tx[e] == TX_KAWAIT || tx[e] == TX_PROBING -> tx_idle(e)
        :: else -> skip
        fi
     :: k == DATA || k == KEEPALIVE ->
        send(e, ACK);
        if :: tx[e] == TX_KAWAIT || tx[e] == TX_PROBING -> tx_idle(e) :: else -> skip fi;
        if :: k == DATA && t_idle[e] != OFF -> t_idle[e] = IDLE_CLOSE(e) :: else -> skip fi
     fi
  :: st[e] == FIN_WAIT1 ->
     if
     :: k == RST -> finish(e, END_RESET)
     :: k == FIN && af -> leave(e); outst[e] = 0; retries[e] = 0; pfin[e] = 1; send(e, ACK); st[e] = TIME_WAIT; t_st[e] = TIME_WAIT_T(e)
     :: k == FIN && !af -> leave(e); pfin[e] = 1; send(e, ACK); st[e] = CLOSING; arm_retx(e)
     :: k == ACK && af -> leave(e); outst[e] = 0; retries[e] = 0; st[e] = FIN_WAIT2; t_st[e] = FIN_TIMEOUT(e)
     :: k == DATA && af -> leave(e); outst[e] = 0; retries[e] = 0; send(e, ACK); st[e] = FIN_WAIT2; t_st[e] = FIN_TIMEOUT(e)
     :: (k == DATA && !af) || k == KEEPALIVE || k == SYN || k == SYNACK -> send(e, ACK)
     :: else -> skip
     fi
  :: st[e] == FIN_WAIT2 ->
     if
     :: k == RST -> finish(e, END_RESET)
     :: k == FIN -> leave(e); pfin[e] = 1; send(e, ACK); st[e] = TIME_WAIT; t_st[e] = TIME_WAIT_T(e)
     :: k == DATA || k == KEEPALIVE || k == SYN || k == SYNACK -> send(e, ACK)
     :: else -> skip
     fi
  :: st[e] == CLOSING ->
     if
     :: k == RST -> finish(e, END_RESET)
     :: k == ACK && af -> leave(e); outst[e] = 0; retries[e] = 0; st[e] = TIME_WAIT; t_st[e] = TIME_WAIT_T(e)
     :: (k == DATA || k == FIN) && af -> leave(e); outst[e] = 0; retries[e] = 0; send(e, ACK); st[e] = TIME_WAIT; t_st[e] = TIME_WAIT_T(e)
     :: ((k == DATA || k == FIN) && !af) || k == KEEPALIVE || k == SYN || k == SYNACK -> send(e, ACK)
     :: else -> skip
     fi
  :: st[e] == TIME_WAIT ->
     if
     :: k == RST -> finish(e, END_RESET)
     :: k == FIN -> send(e, ACK); t_st[e] = TIME_WAIT_T(e)
     :: else -> skip
     fi
  :: st[e] == LAST_ACK ->
     if
     :: k == RST -> finish(e, END_RESET)
     :: (k == ACK || k == DATA || k == FIN) && af -> finish(e, END_FIN)
     :: ((k == DATA || k == FIN) && !af) || k == KEEPALIVE || k == SYN || k == SYNACK -> send(e, ACK)
     :: else -> skip
     fi
  fi
}
inline on_rto(e) {        /* retransmission timer: retransmit with backoff, or give up (no RST) */
  if
  :: retries[e] >= RETRIES2(e) -> finish(e, END_RETX)
  :: else -> send(e, outst[e]); retries[e]++; set_rto(e)
  fi
}
inline on_keepalive(e) {  /* keepalive idle expired, or a probe unanswered for an interval */
  if
  :: tx[e] == TX_KAWAIT -> tx[e] = TX_PROBING; send(e, KEEPALIVE); probes[e] = 1; t_ka[e] = KA_INTVL(e)
  :: else ->
     if
     :: probes[e] >= KA_PROBES(e) -> send(e, RST); finish(e, END_KEEPALIVE)
     :: else -> send(e, KEEPALIVE); probes[e]++; t_ka[e] = KA_INTVL(e)
     fi
  fi
}
inline app_send(e) {      /* one request: only when nothing is outstanding */
  tx[e] = TX_SENDING; t_ka[e] = OFF; probes[e] = 0;
  send(e, DATA); outst[e] = DATA; set_rto(e); t_user[e] = USER_TO(e);
  if :: t_idle[e] != OFF -> t_idle[e] = IDLE_CLOSE(e) :: else -> skip fi
}`);

  sections.push(`
/* ===================== Hops (src/reporting/promelaHops.ts; one rendering per kind) ===================== */
${hops.map((h) => `/* ---- hop ${h.index}: ${h.label} (${h.source}) ---- */\n${h.inlines}`).join('')}`);

  const chain = (order: readonly PromelaHop[], indent: string): string =>
    order.map((h, j) => (j === 0 ? `${indent}h${h.index}_in()` : `${indent}if :: fate == F_PASS -> h${h.index}_in() :: else -> skip fi`)).join(';\n');
  const reversed = [...hops].reverse();
  sections.push(`
/* ===================== The crossing (src/system/crossing.ts) ===================== */${
    choosing.length > 0
      ? `
inline peek() {           /* the first segment sent by endpoint d (peeked): which choosing hops open a new entry */
  q[d]?<seg>; k = seg % 8; c = d / 2; x = d % 2;
  need = 0;
${choosing.map((h, j) => `  if :: ${h.choice!.need} -> need = need | ${1 << j} :: else -> skip fi;`).join('\n')}
  seg = 0; k = 0; c = 0; x = 0
}`
      : ''
  }
${
    proactive
      ? `inline deliver_pending() {   /* the RSTs of the proactive resets of this step: to both endpoints of each connection, client first */
  pc = 0;
  do
  :: pc < NC ->
     if
     :: pend & (1 << pc) ->
        pe = 2*pc;
        do
        :: pe <= 2*pc + 1 -> ep_in(pe, RST, 0); pe++
        :: else -> break
        od
     :: else -> skip
     fi;
     pc++
  :: else -> break
  od;
  pend = 0; pc = 0; pe = 0
}
`
      : ''
  }inline cross() {          /* the segment leaves its channel and crosses the hops in its direction */
  q[d]?seg; k = seg % 8; af = seg / 8; c = d / 2; x = d % 2; fate = F_PASS;
  if
  :: x == 0 ->   /* client to server */
${chain(hops, '     ')}
  :: else ->     /* server to client */
${chain(reversed, '     ')}
  fi;${proactive ? '\n  deliver_pending();   /* a reset a hop made at its expiry, at this instant, before this segment went on */' : ''}
  if
  :: fate == F_RESET -> report_reset(c); ee = d; k = RST; af = 0   /* the RST goes to the sender */
  :: fate == F_PASS -> ee = d ^ 1
  :: else -> skip
  fi;
  if
  :: fate == F_DROP -> report_drop(c)
  :: else -> ep_in(ee, k, af)
  fi;
  fate = 0; seg = 0; k = 0; af = 0; c = 0; f = 0; s = 0; x = 0; sk = 0; ee = 0; d = 0${choosing.length > 0 ? `; need = 0; ${choosing.map((h) => `tgt${h.index} = 0`).join('; ')}` : ''}
}`);

  const appLines: string[] = [];
  for (let i = 0; i < NC; i++) {
    const ce = 2 * i;
    const se = 2 * i + 1;
    appLines.push(`  :: d_step { QUIET && st[${ce}] == CLOSED -> st[${ce}] = SYN_SENT; send(${ce}, SYN); outst[${ce}] = SYN; set_rto(${ce}); sk = 0 }   /* client ${i} connects */`);
    for (const [e, who, sends, closes] of [
      [ce, `client ${i}`, env.clientSends, env.clientCloses],
      [se, `server ${i}`, env.serverSends, env.serverCloses],
    ] as const) {
      if (sends) appLines.push(`  :: d_step { QUIET && OPEN(${e}) && outst[${e}] == 0 -> app_send(${e}); sk = 0 }   /* ${who} sends a request */`);
      if (closes) appLines.push(`  :: d_step { QUIET && OPEN(${e}) -> close_app(${e}); sk = 0 }   /* ${who} closes */`);
    }
  }
  const timerLines: string[] = [];
  const pick = (timer: string): string => range(NE).map((e) => `     :: ${timer}[${e}] == 0 -> ee = ${e}`).join('\n');
  for (const [timer, action, what] of [
    ['t_rto', 'on_rto(ee)', 'retransmission timeout'],
    ['t_user', 'finish(ee, END_USER)', 'TCP_USER_TIMEOUT: give up, no RST'],
    ['t_ka', 'on_keepalive(ee)', 'keepalive idle / interval'],
    ['t_idle', 'close_app(ee)', 'application idle close: FIN'],
    ['t_st', 'finish(ee, END_FIN)', 'TIME-WAIT or orphaned FIN-WAIT-2 over'],
  ] as const) {
    timerLines.push(`  :: atomic {   /* ${what} */\n     if\n${pick(timer)}\n     fi;\n     d_step { ${action}; check_state(); sk = 0; ee = 0 }\n     }`);
  }
  for (const a of timers.filter(byTimers)) {
    const why = a.boundary === 'ambiguous' ? 'ambiguous boundary: in every order with the segments of this instant' : 'closed boundary with a reset: in every order with the applications of this instant';
    for (let i = 0; i < a.size; i++) timerLines.push(`  :: d_step { ${a.name}[${i}] == 0 -> ${a.expire}(${i})${proactive ? '; deliver_pending(); check_state()' : ''} }   /* ${why} */`);
  }
  const choices = choosing
    .map(
      (h, j) => `
     if   /* hop ${h.index}: a new entry may land on any of its ${h.choice!.count} targets */
     :: need & ${1 << j} ->
        if
${range(h.choice!.count)
  .map((a) => `        :: tgt${h.index} = ${a}`)
  .join('\n')}
        fi
     :: else -> skip
     fi;`,
    )
    .join('');

  sections.push(`
/* ===================== Processes ===================== */
init {   /* servers listen, clients are closed, no entries, no sessions, no timers */
  atomic {
${range(NE)
  .map((e) => `    st[${e}] = ${e % 2 === 0 ? 'CLOSED' : 'LISTEN'}; t_rto[${e}] = OFF; t_user[${e}] = OFF; t_ka[${e}] = OFF; t_idle[${e}] = OFF; t_st[${e}] = OFF;`)
  .join('\n')}
${timers.map((a) => `    ${range(a.size).map((i) => `${a.name}[${i}] = OFF;`).join(' ')}`).join('\n')}
${hops.flatMap((h) => h.init ?? []).map((l) => `    ${l}\n`).join('')}${
  env.connectAtStart === true
    ? `    /* connectAtStart: every client connects at time 0 */\n${range(NC)
        .map((i) => `    st[${2 * i}] = SYN_SENT; send(${2 * i}, SYN); outst[${2 * i}] = SYN; set_rto(${2 * i});`)
        .join('\n')}\n    sk = 0;\n`
    : ''
}    run Tick(); run Timers(); run Network(); run Apps()
  }
}

proctype Tick() {   /* time passes by one tick when nothing is in flight and no timer is due */
end_tick:
  do
  :: d_step {
     QUIET &&
     ${endpointsNotDue}${ambiguousNotDue.length > 0 ? ` &&\n     ${ambiguousNotDue.join(' && ')}` : ''} ->
${expire('open').length > 0 ? `       /* open boundary: entries idle exactly T existed at this instant; gone from the next */\n${expire('open').join('\n')}\n` : ''}${decrement.join('\n')}${
    expire('closed').length > 0 ? `\n       /* closed boundary: gone at the instant the entry has been idle T */\n${expire('closed').join('\n')}` : ''
  }${proactive ? '\n       deliver_pending(); check_state();   /* a proactive reset at a timeout may leave a connection half-open */' : ''}
       skip
     }
  od
}

proctype Timers() {   /* due timers fire, in every order */
end_timers:
  do
${timerLines.join('\n')}
  od
}

proctype Network() {   /* the first segment of a direction crosses the path */
end_network:
  do
  :: atomic {
     if   /* any direction with a segment in flight */
${range(NE)
  .map((d) => `     :: len(q[${d}]) > 0 -> d = ${d}`)
  .join('\n')}
     fi;${choosing.length > 0 ? `\n     d_step { peek() };${choices}` : ''}
     d_step { cross(); check_state() }
     }
  od
}

proctype Apps() {   /* the applications (environment) act at any instant, never while a segment is in flight */
end_apps:
  do
${appLines.join('\n')}
  od
}
`);
  return sections.join('\n');
}
