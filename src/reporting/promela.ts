/**
 * Export of a topology as a Promela model, so a user can check a scenario
 * with SPIN as a second opinion (issue 7, "SPIN side by side").
 *
 * The model is written by hand from the same sources as the xstate models
 * (src/models) and the composition (src/system/product.ts), not generated
 * from them: it is an independent rendering, which is what makes agreement
 * between SPIN and midpath worth something. It keeps the composition's
 * semantics (environment, zero latency, FIFO per direction, one crossing per
 * step, every order of simultaneous events, the boundary parameters) with one
 * deliberate difference: **time is discrete**. A global `Tick` process
 * advances time by one tick (one second by default) and every timer is a
 * counter of the ticks left until it fires.
 *
 * Paths covered ({@link PROMELA_HOP_KINDS}): exactly one hop, either the KB
 * path's GWLB with its appliances, a standalone `pan-os` / `conntrack-loose`
 * firewall (one session per connection, the same session logic as behind
 * the GWLB), or a single-timer flow hop (`nat-gateway`, `azure-nat-gateway`,
 * `aws-network-firewall`, `gcp-firewall`: one entry per connection, its
 * no-entry rules read off the kind's machine, see `flowShape`). Every other
 * kind and every path of two or more hops is refused
 * ({@link promelaRefusal}; the CLI exits 2). The pan output parser is
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
 *   (digitisation, see src/engine/discreteExplore.ts).
 * - The retransmission chain `min(rtoMin·2^k, rtoMax)` is rounded per step
 *   to whole ticks (at least one); with the default 1-s tick Linux's 0.2 s
 *   `rtoMin` becomes 1, 1, 1, 2, 3, 6, 13, 26, 51, 102, 120, … s. The number
 *   of retries (`tcp_retries2`) is kept.
 * - Segments carry only what changes behaviour: their kind and the
 *   `acksFin` bit (src/models/segment.ts). The `retransmit` mark (which no
 *   machine reads) is dropped.
 * - The endpoint follows src/models/tcpEndpointMachine.ts state by state,
 *   with its abstractions (no sequence numbers, one outstanding request at a
 *   time: the application sends again only when nothing is outstanding).
 *   The firewall session keeps only the side that closed first (its
 *   `finFrom`/`rstFrom` fields only pick the log reason otherwise). Logs are
 *   not modelled.
 * - No symmetry reduction: a new GWLB flow chooses every appliance
 *   (`if :: target = 0 :: target = 1 … fi`).
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
import { soleGwlb, type Boundary, type EndpointSettings, type FirewallHopSpec, type FlowHopSpec, type GwlbHopSpec, type HopSpec, type Topology } from '../system/topology.ts';

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
}

/** The scenario `type` strings of the hop kinds the Promela export models (a path of exactly one such hop); every other kind, and every path of two or more hops, is refused ({@link promelaRefusal}). */
export const PROMELA_HOP_KINDS: readonly string[] = ['gwlb', 'pan-os', 'conntrack-loose', 'nat-gateway', 'azure-nat-gateway', 'aws-network-firewall', 'gcp-firewall'];

/** A hop's scenario `type` string (`gwlb`, the firewall kind of a standalone firewall hop, or a flow hop's type). */
function hopType(h: HopSpec): string {
  return h.kind === 'gwlb' ? 'gwlb' : h.kind === 'firewall' ? h.firewall.kind : h.type;
}

/**
 * Why the Promela export cannot model a topology's path, naming the first
 * hop it does not cover as `path[i].type` and the kinds it covers; or
 * undefined when {@link toPromela} models it. The export writes one model
 * per covered shape by hand (see the module comment), so a path it does not
 * cover is refused rather than rendered approximately.
 */
export function promelaRefusal(t: Topology): string | undefined {
  const covers = `the Promela export covers a path of exactly one hop, of one of the types ${PROMELA_HOP_KINDS.join(', ')}`;
  const i = t.path.findIndex((h) => !PROMELA_HOP_KINDS.includes(hopType(h)));
  if (i >= 0) return `path[${i}].type: ${hopType(t.path[i]!)} is not covered; ${covers}`;
  if (t.path.length !== 1) return `path: ${t.path.length} hops (${t.path.map(hopType).join(', ')}) are not covered; ${covers}`;
  return undefined;
}

/** Thrown by {@link toPromela} for a path it does not cover; the message is {@link promelaRefusal}'s. */
export class PromelaCoverageError extends Error {
  override readonly name = 'PromelaCoverageError';
}

/** What a single-timer flow hop does with a segment of a connection it has no entry for: open an entry and forward, drop silently, or RST to the sender. */
type NoEntryAction = 'open' | 'drop' | 'reset';

/** A {@link NoEntryAction} per segment class, for the segments of one side. */
interface NoEntryRules {
  readonly syn: NoEntryAction;
  readonly rst: NoEntryAction;
  readonly other: NoEntryAction;
}

/**
 * A single-timer flow hop: one entry per connection, opened as its rules
 * say, refreshed by every segment it forwards in either direction, forgotten
 * silently at its idle timeout; read off the kind's machine (cited in
 * `source`).
 */
interface FlowShape {
  readonly kind: 'flow';
  readonly type: string;
  /** The product's name, for comments. */
  readonly label: string;
  /** The machine and the domain-facts sections it follows. */
  readonly source: string;
  readonly idleTimeout: number;
  readonly boundary: Boundary;
  readonly client: NoEntryRules;
  readonly server: NoEntryRules;
}

/** The covered shapes: the KB path (one GWLB hop with appliances), one standalone firewall hop, or one single-timer flow hop. */
type Shape = { readonly kind: 'gwlb'; readonly g: GwlbHopSpec } | { readonly kind: 'firewall'; readonly hop: FirewallHopSpec } | FlowShape;

/**
 * The no-entry rules of the covered flow kinds, each read off its machine:
 * - `nat-gateway` (natGatewayFlowMachine.ts): a client SYN opens; an RST is
 *   dropped; any other client segment gets an RST; a server segment an RST
 *   or a drop per `lateSegmentFromOutside`;
 * - `azure-nat-gateway` (azureNatGatewayFlowMachine.ts): a client SYN opens;
 *   an RST is dropped; anything else from either side gets an RST;
 * - `aws-network-firewall` (awsNetworkFirewallFlowMachine.ts): a SYN from
 *   either side opens; any other segment is dropped silently;
 * - `gcp-firewall` (gcpFirewallFlowMachine.ts): a client SYN opens; any
 *   other segment opens when `lateSegment[side]` is `pass`, else is dropped.
 */
function flowShape(h: FlowHopSpec): FlowShape | undefined {
  const base = { kind: 'flow' as const, type: h.type, idleTimeout: h.config.idleTimeout, boundary: h.config.boundary };
  switch (h.type) {
    case 'nat-gateway': {
      const out: NoEntryAction = h.config.lateSegmentFromOutside === 'reset' ? 'reset' : 'drop';
      return { ...base, label: 'AWS NAT gateway', source: 'src/models/natGatewayFlowMachine.ts, domain-facts 2, 10, 11.1', client: { syn: 'open', rst: 'drop', other: 'reset' }, server: { syn: out, rst: 'drop', other: out } };
    }
    case 'azure-nat-gateway':
      return { ...base, label: 'Azure NAT gateway', source: 'src/models/azureNatGatewayFlowMachine.ts, domain-facts 2, 11.2', client: { syn: 'open', rst: 'drop', other: 'reset' }, server: { syn: 'reset', rst: 'drop', other: 'reset' } };
    case 'aws-network-firewall':
      return { ...base, label: 'AWS Network Firewall', source: 'src/models/awsNetworkFirewallFlowMachine.ts, domain-facts 2', client: { syn: 'open', rst: 'drop', other: 'drop' }, server: { syn: 'open', rst: 'drop', other: 'drop' } };
    case 'gcp-firewall': {
      const late = (side: 'client' | 'server'): NoEntryAction => (h.config.lateSegment[side] === 'pass' ? 'open' : 'drop');
      return { ...base, label: 'GCP VPC firewall connection tracking', source: 'src/models/gcpFirewallFlowMachine.ts, domain-facts 11.2', client: { syn: 'open', rst: late('client'), other: late('client') }, server: { syn: late('server'), rst: late('server'), other: late('server') } };
    }
    default:
      return undefined;
  }
}

const FATE: Readonly<Record<NoEntryAction, string>> = { open: 'F_NEWFLOW', drop: 'F_DROP', reset: 'F_RESET' };

/** The Promela choice of the fate of a segment with no entry, sent by endpoint `d`, of kind `k`. */
function noEntryChoice(f: FlowShape, indent: string): string {
  const side = (r: NoEntryRules, i: string): string =>
    [`${i}if`, `${i}:: k == SYN -> fate = ${FATE[r.syn]}`, `${i}:: k == RST -> fate = ${FATE[r.rst]}`, `${i}:: else -> fate = ${FATE[r.other]}`, `${i}fi`].join('\n');
  return [`${indent}if`, `${indent}:: d % 2 == 0 ->   /* from the client (the inside) */`, side(f.client, `${indent}   `), `${indent}:: else ->         /* from the server */`, side(f.server, `${indent}   `), `${indent}fi`].join('\n');
}

function shapeOf(t: Topology): Shape {
  const refused = promelaRefusal(t);
  if (refused !== undefined) throw new PromelaCoverageError(`toPromela: ${t.name}: ${refused}`);
  const g = soleGwlb(t);
  if (g) return { kind: 'gwlb', g };
  const h = t.path[0]!;
  if (h.kind === 'firewall') return { kind: 'firewall', hop: h };
  const f = h.kind === 'flow' ? flowShape(h) : undefined;
  if (f) return f;
  throw new PromelaCoverageError(`toPromela: ${t.name}: path[0].type: ${hopType(h)} is not covered`);
}

/** Per-connection endpoint overrides, when the topology has them (read structurally, so older topologies work too). */
interface WithPerConnection {
  readonly perConnection?: readonly { readonly client?: Partial<EndpointSettings>; readonly server?: Partial<EndpointSettings> }[];
}

/** The settings of endpoint `e = 2·conn + role` (0 client, 1 server). */
function endpointAt(t: Topology, e: number): EndpointSettings {
  const conn = Math.floor(e / 2);
  const role = e % 2 === 0 ? 'client' : 'server';
  const base = role === 'client' ? t.client : t.server;
  const over = (t as Topology & WithPerConnection).perConnection?.[conn]?.[role];
  return over ? { ...base, ...over } : base;
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

/** The pieces of the model that depend on where a middlebox timer's boundary puts its expiry. */
function boundaryNote(b: Boundary): string {
  switch (b) {
    case 'open':
      return 'open: "idle for longer than T": an entry idle exactly T ticks still exists at that instant and is gone at the next tick';
    case 'closed':
      return 'closed: "T seconds or more": the entry is gone at the instant it has been idle T ticks, before any segment of that instant';
    case 'ambiguous':
      return 'ambiguous: at the instant it has been idle T ticks the entry expires before or after each segment of that instant (both orders)';
  }
}

/**
 * Writes an equivalent Promela model of a topology: discrete time in whole
 * ticks (seconds by default), the client and server endpoints of every
 * connection, the path's one hop, and the properties as assertions
 * selectable with `-D` defines. The hop is either the KB path's GWLB (its
 * flow table with a nondeterministic target choice for every new flow, the
 * appliances' firewall sessions with reject-non-SYN and their timers) or an
 * AWS NAT gateway (one mapping per connection, opened by a client SYN,
 * refreshed by every segment, forgotten silently at its idle timeout; a late
 * segment from the client gets an RST to its sender, one from the server an
 * RST or a drop per `lateSegmentFromOutside`, an RST is dropped:
 * src/models/natGatewayFlowMachine.ts, domain-facts §2, §10, §11.1).
 * Numbers come from the topology; every rounding to whole ticks is listed in
 * the header comment. See the module comment for the abstractions.
 *
 * @throws PromelaCoverageError for a path it does not cover ({@link promelaRefusal})
 */
export function toPromela(t: Topology, options: PromelaOptions = {}): string {
  const shape = shapeOf(t);
  const gw = shape.kind === 'gwlb' ? shape.g : undefined;
  const fwHop = shape.kind === 'firewall' ? shape.hop : undefined;
  const tps = options.ticksPerSecond ?? 1;
  if (!(tps > 0) || !Number.isFinite(tps)) throw new RangeError(`toPromela: ticksPerSecond must be a positive number, got ${tps}`);
  const qlen = options.queueLength ?? 8;
  const ticks = new Ticks(tps, t.timeScale ?? 1);
  const NC = t.connections;
  const NE = 2 * NC;
  const NA = gw ? gw.appliances.count : 0;
  const shared = gw ? gw.gwlb.stickiness !== '5-tuple' : false;
  const NF = fwHop ? 0 : shared ? 1 : NC;
  const NS = fwHop ? NC : NA * NC;
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
  const flow = shape.kind === 'flow' ? shape : undefined;
  const gwIdle = gw ? ticks.of(gw.gwlb.idleTimeout, 'GWLB idle timeout') : flow ? ticks.of(flow.idleTimeout, `${flow.type} idle timeout`) : 0;
  const fwT = gw ? gw.appliances.firewall.timeouts : fwHop?.firewall.timeouts;
  const fw = fwT
    ? {
        init: ticks.of(fwT.init, 'firewall init timeout'),
        handshake: ticks.of(fwT.handshake, 'firewall handshake timeout'),
        established: ticks.of(fwT.established, 'firewall established timeout'),
        halfClosed: ticks.of(fwT.halfClosed, 'firewall half-closed timeout'),
        timeWait: ticks.of(fwT.timeWait, 'firewall time-wait timeout'),
      }
    : { init: 0, handshake: 0, established: 0, halfClosed: 0, timeWait: 0 };
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
  const largest = Math.max(gwIdle, ...Object.values(fw), ...c.kaIdle, ...c.kaIntvl, ...c.idleClose, ...c.user, ...c.timeWait, ...c.finTimeout, ...eps.map((s) => ticks.of(s.rtoMax, 'rtoMax')));
  const timerType = largest <= 32_000 ? 'short' : 'int';

  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const all = (n: number, f: (i: number) => string): string => range(n).map(f).join(' && ');
  const gwB: Boundary = gw ? gw.gwlb.boundary : flow ? flow.boundary : 'open';
  const fwB: Boundary = gw ? gw.appliances.boundary : fwHop ? fwHop.boundary : 'open';   /* a flow hop has no sessions (NS = 0): unused */
  const env = t.environment;
  const selected = options.property ? PROMELA_PROPERTIES.find((p) => p.id === options.property)! : undefined;

  const endpointTimers = ['t_rto', 't_user', 't_ka', 't_idle', 't_st'];
  const endpointsNotDue = range(NE)
    .map((e) => endpointTimers.map((x) => `${x}[${e}] != 0`).join(' && '))
    .join(' &&\n     ');
  const ambiguousNotDue = [
    ...(gwB === 'ambiguous' ? range(NF).map((f) => `t_gw[${f}] != 0`) : []),
    ...(fwB === 'ambiguous' ? range(NS).map((s) => `t_fw[${s}] != 0`) : []),
  ];
  const expire = (b: Boundary): string[] => [
    ...(gwB === b ? range(NF).map((f) => `       if :: t_gw[${f}] == 0 -> gw_expire(${f}) :: else -> skip fi;`) : []),
    ...(fwB === b ? range(NS).map((s) => `       if :: t_fw[${s}] == 0 -> fw_expire(${s}) :: else -> skip fi;`) : []),
  ];
  const decrement = [
    ...range(NE).flatMap((e) => endpointTimers.map((x) => `${x}[${e}]`)),
    ...range(NF).map((f) => `t_gw[${f}]`),
    ...range(NS).map((s) => `t_fw[${s}]`),
  ].map((v) => `       if :: ${v} > 0 -> ${v}-- :: else -> skip fi;`);

  const fwConstants = `/* firewall sessions (${gw ? gw.appliances.firewall.kind : fwHop?.firewall.kind ?? ''}, domain-facts 3.1-3.3) */
#define FW_REJECT ${(gw ? gw.appliances.firewall.rejectNonSyn : fwHop?.firewall.rejectNonSyn) ? 1 : 0}         /* tcp-reject-non-syn */
#define FW_T_INIT ${fw.init}
#define FW_T_HANDSHAKE ${fw.handshake}
#define FW_T_EST ${fw.established}
#define FW_T_HALF ${fw.halfClosed}
#define FW_T_TWAIT ${fw.timeWait}
`;
  const header = [
    `/*`,
    ` * midpath ${t.name}: an equivalent Promela model for SPIN (a second opinion).`,
    ` * Generated by midpath (src/reporting/promela.ts) from the resolved topology.`,
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
    ` * Semantics kept from midpath (src/system/product.ts):`,
    ` * - applications connect, send (one request at a time: only when nothing is`,
    ` *   outstanding) and close at any instant the endpoint allows, never while a`,
    ` *   segment is in flight; environment: client sends ${env.clientSends ? 'yes' : 'no'}, client closes ${env.clientCloses ? 'yes' : 'no'},`,
    ` *   server sends ${env.serverSends ? 'yes' : 'no'}, server closes ${env.serverCloses ? 'yes' : 'no'} (the server's idle timer closes anyway)${env.connectAtStart === true ? ';\n *   every client connects at time 0 (connectAtStart)' : ''};`,
    ...(gw
      ? [
          ` * - segments cross the whole path in zero time, in one atomic step (GWLB flow,`,
          ` *   appliance session, far endpoint), FIFO within each direction, directions in`,
          ` *   any order; time cannot pass while a segment is in flight;`,
          ` * - timers due at the same instant fire in every order (also between crossings);`,
          ` * - GWLB boundary ${boundaryNote(gwB)};`,
          ` * - appliance boundary ${boundaryNote(fwB)};`,
          ` * - a new GWLB flow may land on any appliance (no symmetry reduction).`,
        ]
      : fwHop
      ? [
          ` * - segments cross the whole path in zero time, in one atomic step (the firewall`,
          ` *   session, far endpoint), FIFO within each direction, directions in any order;`,
          ` *   time cannot pass while a segment is in flight;`,
          ` * - timers due at the same instant fire in every order (also between crossings);`,
          ` * - firewall boundary ${boundaryNote(fwB)};`,
          ` * - a standalone ${fwHop.firewall.kind} firewall on the path: one session per connection.`,
        ]
      : [
          ` * - segments cross the whole path in zero time, in one atomic step (the hop's`,
          ` *   entry, far endpoint), FIFO within each direction, directions in any order;`,
          ` *   time cannot pass while a segment is in flight;`,
          ` * - timers due at the same instant fire in every order (also between crossings);`,
          ` * - ${flow?.type ?? ''} boundary ${boundaryNote(gwB)};`,
          ` * - one entry per connection, opened as the hop's no-entry rules say (${flow?.source ?? ''}).`,
        ]),
    ` *`,
    ` * Abstractions: segments carry kind + acksFin only (no sequence numbers, no`,
    ` * retransmit mark); ${gw || fwHop ? 'firewall sessions keep only which side closed first' : 'no address translation (an entry is only present or not)'}; no logs;`,
    ` * in-flight segments per direction bounded by QLEN (asserted, never lost).`,
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
${
  gw
    ? `#define NA ${NA}      /* appliances behind the GWLB */
#define NF ${NF}      /* GWLB flow entries (stickiness ${gw.gwlb.stickiness}${shared ? ': one entry shared by every connection' : ': one per connection'}) */
#define NS ${NS}      /* firewall sessions: s = appliance*NC + conn */
`
    : fwHop
    ? `#define NS ${NS}      /* firewall sessions: one per connection (s = conn) */
`
    : `#define NF ${NF}      /* ${flow?.label ?? ''} entries: one per connection (its 5-tuple) */
`
}#define QLEN ${qlen}    /* in-flight segments per direction (asserted) */
#define FLOW(c) (${shared ? '0' : 'c'})
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
${
  gw
    ? `/* GWLB (domain-facts 1.1-1.4) */
#define GW_IDLE ${gwIdle}
#define GW_RESET ${gw.gwlb.resetOnIdleTimeout ? 1 : 0}          /* send_tcp_reset.on_idle_timeout */
#define GW_NEWFLOW_NONSYN ${gw.gwlb.unknownNonSyn === 'forward' ? 1 : 0} /* unknown non-SYN: 1 forward as a new flow, 0 drop */
${fwConstants}`
    : fwHop
    ? fwConstants
    : `/* ${flow?.label ?? ''} (${flow?.source ?? ''}) */
#define GW_IDLE ${gwIdle}    /* the entry's idle timeout */
`
}
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
/* firewall session states */
#define FW_NONE 0
#define FW_INIT 1
#define FW_HANDSHAKE 2
#define FW_EST 3
#define FW_HALF 4
#define FW_TWAIT 5
/* crossing outcomes */
#define F_PASS 0
#define F_DROP 1
#define F_RESET 2
#define F_NEWFLOW 3

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
${
  gw
    ? `/* GWLB flow table */
bit gw_on[NF];
byte gw_tgt[NF];
TT t_gw[NF];
/* firewall sessions */
byte fw[NS];
bit fw_closer[NS];  /* in FW_HALF: the role that closed first */
TT t_fw[NS];
`
    : fwHop
    ? `/* firewall sessions */
byte fw[NS];
bit fw_closer[NS];  /* in FW_HALF: the role that closed first */
TT t_fw[NS];
`
    : `/* ${flow?.label ?? ''} entries */
bit gw_on[NF];
TT t_gw[NF];
`
}/* step variables: set by a nondeterministic choice and read by the d_step after it, so
   they are in the state vector (pan restores them on backtracking); every step ends with
   them back at 0, so they add no states */
byte d, tgt, fate, ee;
/* scratch, used within one d_step only (not part of the state) */
hidden byte sk, seg, k, af, c, f, s, x;
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

  const fwFunctions = `inline fw_expire(s) { fw[s] = FW_NONE; fw_closer[s] = 0; t_fw[s] = OFF }   /* aged out, silently (no RST) */
inline fw_in(s, r, k) {   /* segment kind k from role r at session s: sets fate F_PASS or F_DROP */
  fate = F_PASS;
  if
  :: fw[s] == FW_NONE ->
     if
     :: k == SYN -> fw[s] = FW_INIT; t_fw[s] = FW_T_INIT
     :: else ->
        if
        :: FW_REJECT -> fate = F_DROP   /* tcp-reject-non-syn: silent, no session, no RST */
        :: else ->                       /* loose pickup of a mid-stream flow */
           if
           :: k == RST -> skip
           :: k == FIN -> fw[s] = FW_HALF; fw_closer[s] = r; t_fw[s] = FW_T_HALF
           :: else -> fw[s] = FW_EST; t_fw[s] = FW_T_EST
           fi
        fi
     fi
  :: fw[s] == FW_INIT ->
     if
     :: k == SYNACK -> fw[s] = FW_HANDSHAKE; t_fw[s] = FW_T_HANDSHAKE
     :: k == ACK || k == DATA || k == KEEPALIVE -> fw[s] = FW_EST; t_fw[s] = FW_T_EST
     :: k == FIN || k == RST -> fw[s] = FW_HALF; fw_closer[s] = r; t_fw[s] = FW_T_HALF
     :: else -> t_fw[s] = FW_T_INIT
     fi
  :: fw[s] == FW_HANDSHAKE ->
     if
     :: k == ACK || k == DATA || k == KEEPALIVE -> fw[s] = FW_EST; t_fw[s] = FW_T_EST
     :: k == FIN || k == RST -> fw[s] = FW_HALF; fw_closer[s] = r; t_fw[s] = FW_T_HALF
     :: else -> t_fw[s] = FW_T_HANDSHAKE
     fi
  :: fw[s] == FW_EST ->
     if
     :: k == FIN || k == RST -> fw[s] = FW_HALF; fw_closer[s] = r; t_fw[s] = FW_T_HALF
     :: else -> t_fw[s] = FW_T_EST
     fi
  :: fw[s] == FW_HALF ->
     if
     :: (k == FIN || k == RST) && r != fw_closer[s] -> fw[s] = FW_TWAIT; fw_closer[s] = 0; t_fw[s] = FW_T_TWAIT
     :: else -> t_fw[s] = FW_T_HALF
     fi
  :: fw[s] == FW_TWAIT -> t_fw[s] = FW_T_TWAIT
  fi
}
`;
  if (gw)
    sections.push(`
/* ===================== GWLB flow entry and firewall session ===================== */
inline gw_expire(f) { gw_on[f] = 0; gw_tgt[f] = 0; t_gw[f] = OFF }
${fwFunctions}inline gw_lookup() {      /* the GWLB flow entry of the first segment sent by endpoint d (peeked) */
  q[d]?<seg>; k = seg % 8;
  c = d / 2; f = FLOW(c);
  if
  :: gw_on[f] -> tgt = gw_tgt[f]; fate = F_PASS
  :: else ->
     if
     :: k == SYN || (GW_NEWFLOW_NONSYN && !(GW_RESET && k != RST)) -> fate = F_NEWFLOW
     :: else ->
        if
        :: GW_RESET && k != RST -> fate = F_RESET   /* RST to the sender only */
        :: else -> fate = F_DROP                    /* unknown non-SYN dropped at the GWLB */
        fi
     fi
  fi
}
inline choose_target() {  /* a new flow: GWLB may pick ANY appliance (a nondeterministic choice) */
  if
${range(NA).map((a) => `  :: tgt = ${a}`).join('\n')}
  fi
}
inline cross_rest() {     /* the segment leaves its channel; the appliance's session, the far endpoint */
  q[d]?seg; k = seg % 8; af = seg / 8;
  c = d / 2; f = FLOW(c);
  if
  :: fate == F_NEWFLOW -> gw_on[f] = 1; gw_tgt[f] = tgt; t_gw[f] = GW_IDLE; fate = F_PASS
  :: fate == F_PASS -> t_gw[f] = GW_IDLE      /* any packet, either direction, refreshes the entry */
  :: else -> skip
  fi;
  if
  :: fate == F_RESET -> report_reset(c); ee = d; k = RST; af = 0     /* the RST goes to the sender */
  :: fate == F_PASS ->
     s = tgt * NC + c; x = d % 2;
     fw_in(s, x, k);
     ee = d ^ 1
  :: else -> skip
  fi;
  if
  :: fate == F_DROP -> report_drop(c)
  :: else -> ep_in(ee, k, af)
  fi;
  tgt = 0; fate = 0; seg = 0; k = 0; af = 0; c = 0; f = 0; s = 0; x = 0; sk = 0; ee = 0; d = 0
}`);
  else if (fwHop)
    sections.push(`
/* ===================== Firewall session (src/models/firewallSessionMachine.ts) ===================== */
${fwFunctions}inline gw_lookup() {      /* the session decides (fw_in in cross_rest); only peek */
  q[d]?<seg>; fate = F_PASS
}
inline cross_rest() {     /* the segment leaves its channel; the connection's session, the far endpoint */
  q[d]?seg; k = seg % 8; af = seg / 8;
  c = d / 2; s = c; x = d % 2;
  fw_in(s, x, k);
  if
  :: fate == F_DROP -> report_drop(c)
  :: else -> ep_in(d ^ 1, k, af)
  fi;
  tgt = 0; fate = 0; seg = 0; k = 0; af = 0; c = 0; f = 0; s = 0; x = 0; sk = 0; ee = 0; d = 0
}`);
  else
    sections.push(`
/* ===================== ${flow?.label ?? ''} entry (${flow?.source ?? ''}) ===================== */
inline gw_expire(f) { gw_on[f] = 0; t_gw[f] = OFF }   /* the entry is forgotten, silently */
inline gw_lookup() {      /* the entry of the first segment sent by endpoint d (peeked) */
  q[d]?<seg>; k = seg % 8;
  c = d / 2; f = c;
  if
  :: gw_on[f] -> fate = F_PASS
  :: else ->   /* no entry: F_NEWFLOW opens one and forwards, F_DROP drops silently, F_RESET answers the sender with an RST */
${flow ? noEntryChoice(flow, '     ') : ''}
  fi
}
inline cross_rest() {     /* the segment leaves its channel; the entry, the far endpoint */
  q[d]?seg; k = seg % 8; af = seg / 8;
  c = d / 2; f = c;
  if
  :: fate == F_NEWFLOW -> gw_on[f] = 1; t_gw[f] = GW_IDLE; fate = F_PASS
  :: fate == F_PASS -> t_gw[f] = GW_IDLE      /* any segment, either direction, refreshes the entry */
  :: else -> skip
  fi;
  if
  :: fate == F_RESET -> report_reset(c); ee = d; k = RST; af = 0     /* the RST goes to the sender */
  :: fate == F_PASS -> ee = d ^ 1
  :: else -> skip
  fi;
  if
  :: fate == F_DROP -> report_drop(c)
  :: else -> ep_in(ee, k, af)
  fi;
  tgt = 0; fate = 0; seg = 0; k = 0; af = 0; c = 0; f = 0; s = 0; x = 0; sk = 0; ee = 0; d = 0
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
  if (gwB === 'ambiguous') for (let f = 0; f < NF; f++) timerLines.push(`  :: d_step { t_gw[${f}] == 0 -> gw_expire(${f}) }`);
  if (fwB === 'ambiguous') for (let s = 0; s < NS; s++) timerLines.push(`  :: d_step { t_fw[${s}] == 0 -> fw_expire(${s}) }`);

  sections.push(`
/* ===================== Processes ===================== */
init {   /* servers listen, clients are closed, no flows, no sessions, no timers */
  atomic {
${range(NE)
  .map((e) => `    st[${e}] = ${e % 2 === 0 ? 'CLOSED' : 'LISTEN'}; t_rto[${e}] = OFF; t_user[${e}] = OFF; t_ka[${e}] = OFF; t_idle[${e}] = OFF; t_st[${e}] = OFF;`)
  .join('\n')}
${range(NF).map((f) => `    t_gw[${f}] = OFF;`).join('\n')}
${range(NS).map((s) => `    t_fw[${s}] = OFF;`).join('\n')}${NS > 0 ? '\n' : ''}${
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
  }
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
     fi;
     d_step { gw_lookup() };${
       gw
         ? `
     if
     :: fate == F_NEWFLOW -> choose_target()
     :: else -> skip
     fi;`
         : ''
     }
     d_step { cross_rest(); check_state() }
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
