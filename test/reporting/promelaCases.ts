/**
 * The SPIN agreement cases of the hop kinds added in issue 12 §6 (nlb,
 * eni-conntrack, azure-lb, gcp-cloud-nat, linux-conntrack), of multi-hop
 * paths (one where the order of the crossing changes a verdict), at small
 * whole-second timeouts and at 10 ticks per second with sub-second
 * constants, and the mutants of the Promela rendering: one per hop kind and
 * one of the shared crossing. Used by test/reporting/promela.test.ts.
 */
import { incidentPresetNames, loadPreset } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import type { PromelaOptions, PromelaPropertyId } from '../../src/reporting/promela.ts';
import type { ApplianceGroup, EndpointSettings, FlowHopKind, FlowHopSpec, GwlbHopSpec, HopSpec, Topology } from '../../src/system/topology.ts';

/** One agreement case. */
export interface PathCase {
  readonly name: string;
  readonly topology: Topology;
  /** Export options (default: one tick per second). */
  readonly options?: PromelaOptions;
}

/** Endpoint timers at small whole seconds (the same numbers for both checkers: RTO 1, 2, 4, 4 s). */
function small(e: EndpointSettings): EndpointSettings {
  return { ...e, keepalive: 'off', idleClose: 'never', rtoMin: 1, rtoMax: 4, retries2: 4, timeWait: 2, finTimeout: 2 };
}

/** The endpoints of nat-gateway-python-pool (Linux defaults), timers scaled down. */
const base = toTopology(loadPreset('nat-gateway-python-pool'));

/** Endpoint options of a case: the client's keepalive idle (interval 1 s, 3 probes), the server's idle close. */
export interface EndsOptions {
  readonly kaIdle?: number;
  readonly serverIdleClose?: number;
}

/** Paths of `hops` between endpoints made by `ends`, the client's keepalive (if any) probing every `interval` s, 3 probes. */
function pathsBetween(ends: (e: EndpointSettings) => EndpointSettings, interval: number) {
  return (name: string, hops: readonly HopSpec[], o: EndsOptions = {}): Topology => {
    const client = ends(base.client);
    return {
      ...base,
      name,
      path: hops,
      client: o.kaIdle === undefined ? client : { ...client, keepalive: { idle: o.kaIdle, interval, probes: 3, preset: 'custom' } },
      server: { ...ends(base.server), ...(o.serverIdleClose === undefined ? {} : { idleClose: o.serverIdleClose }) },
    };
  };
}

/** A path of `hops` between small endpoints. */
export const smallPath = pathsBetween(small, 1);

/**
 * A flow hop of `type` from its raw fields, with its parsed config patched
 * afterwards (`patch`: small timeouts below the vendor's minimum, as a
 * scale-down the parser would refuse).
 */
export function hop(type: FlowHopKind, raw: Readonly<Record<string, unknown>> = {}, patch: Readonly<Record<string, unknown>> = {}, backends?: ApplianceGroup): FlowHopSpec {
  const h = flowHop(type, raw, backends ? { backends } : {});
  return { ...h, config: { ...h.config, ...patch } } as FlowHopSpec;
}

/** Two PAN-OS firewalls (tcp-reject-non-syn) at small timeouts, as Azure LB backends. */
export const panOsPair: ApplianceGroup = {
  count: 2,
  firewall: { kind: 'pan-os', rejectNonSyn: true, timeouts: { init: 5, handshake: 3, established: 144, halfClosed: 5, timeWait: 5 } },
  boundary: 'open',
};

/** A standalone PAN-OS firewall hop at small timeouts (established `est`). */
export function panOs(est = 144): HopSpec {
  return { kind: 'firewall', firewall: { ...panOsPair.firewall, timeouts: { ...panOsPair.firewall.timeouts, established: est } }, boundary: 'open' };
}

/** A GWLB with two PAN-OS appliances at small timeouts. */
export function gwlb(idle: number): HopSpec {
  return gwlbHop(idle);
}

function gwlbHop(idle: number): GwlbHopSpec {
  return { kind: 'gwlb', gwlb: { idleTimeout: idle, stickiness: '5-tuple', unknownNonSyn: 'forward', resetOnIdleTimeout: false, boundary: 'open' }, appliances: panOsPair };
}

const nat = (idle = 14): FlowHopSpec => hop('nat-gateway', {}, { idleTimeout: idle });
const nlb = (idle = 14, raw: Readonly<Record<string, unknown>> = {}): FlowHopSpec => hop('nlb', raw, { idleTimeout: idle, halfOpenTimeout: idle });
const eni = (lateSegment: unknown, idle = 14): FlowHopSpec => hop('eni-conntrack', { lateSegment }, { idleTimeout: idle });
const azure = (raw: Readonly<Record<string, unknown>> = {}, backends?: ApplianceGroup, idle = 14): FlowHopSpec => hop('azure-lb', raw, { idleTimeout: idle }, backends);
const cloudNat = (raw: Readonly<Record<string, unknown>> = {}, idle = 14): FlowHopSpec => hop('gcp-cloud-nat', raw, { idleTimeout: idle, tcpTransitoryIdleTimeoutSec: 3, tcpTimeWaitTimeoutSec: 4 });
const gcpFw = (idle = 14): FlowHopSpec => hop('gcp-firewall', { lateSegment: 'drop' }, { idleTimeout: idle });
const linux = (raw: Readonly<Record<string, unknown>> = {}, idle = 14): FlowHopSpec =>
  hop('linux-conntrack', raw, { idleTimeout: idle, timeouts: { synSent: 4, synRecv: 3, finWait: 4, closeWait: 3, lastAck: 3, timeWait: 4, close: 2, unacknowledged: 5 } });

/** One or more cases per new kind: each kind's breaking verdict and a holding case. */
export const kindCases: readonly PathCase[] = [
  { name: 'nlb: idles past 14 s, the client resumes (RST to the client)', topology: smallPath('nlb', [nlb()]) },
  { name: 'nlb: keepalive idle 13 < 14 (holds)', topology: smallPath('nlb-ka', [nlb()], { kaIdle: 13 }) },
  { name: 'nlb: the server closes at 16 s (RST to the server)', topology: smallPath('nlb-server', [nlb()], { serverIdleClose: 16 }) },
  { name: 'eni-conntrack: lateSegment drop, the client resumes (dropped)', topology: smallPath('eni-drop', [eni('drop')]) },
  { name: 'eni-conntrack: lateSegment pass, the client resumes (re-tracked)', topology: smallPath('eni-pass', [eni('pass')]) },
  { name: 'eni-conntrack: default lateSegment, the server closes at 16 s (dropped)', topology: smallPath('eni-server', [hop('eni-conntrack', {}, { idleTimeout: 14 })], { serverIdleClose: 16 }) },
  { name: 'azure-lb: silent, plain backends, the client resumes (a new flow: holds)', topology: smallPath('azure', [azure()]) },
  { name: 'azure-lb: tcpReset, boundary ambiguous, idle past 14 s (RST to both endpoints, also with a FIN in flight)', topology: smallPath('azure-reset', [azure({ tcpReset: true, boundary: 'ambiguous' })]) },
  { name: 'azure-lb: tcpReset, boundary open (documented), idle past 14 s (the reset comes after every event of instant T: a FIN sent at T crosses first)', topology: smallPath('azure-reset-open', [azure({ tcpReset: true })]) },
  { name: 'azure-lb: tcpReset, boundary closed, idle past 14 s (the reset may meet a FIN sent at the instant of expiry)', topology: smallPath('azure-reset-closed', [azure({ tcpReset: true, boundary: 'closed' })]) },
  { name: 'azure-lb: tcpReset, keepalive idle 13 < 14 (holds)', topology: smallPath('azure-reset-ka', [azure({ tcpReset: true })], { kaIdle: 13 }) },
  { name: 'azure-lb: tcpReset with HA ports, the server closes at 16 s (no reset)', topology: smallPath('azure-ha', [azure({ tcpReset: true, haPorts: true })], { serverIdleClose: 16 }) },
  { name: 'azure-lb: two PAN-OS backends, the client resumes (the other firewall drops it)', topology: smallPath('azure-pair', [azure({ haPorts: true }, panOsPair)]) },
  { name: 'azure-lb: two PAN-OS backends, newFlowBackend same (the same firewall: dropped only past its 144 s session timeout)', topology: smallPath('azure-pair-same', [azure({ haPorts: true, newFlowBackend: 'same' }, panOsPair)]) },
  { name: 'azure-lb: two PAN-OS backends, tcpReset at a closed boundary (a segment at the instant of expiry makes a new flow on either backend)', topology: smallPath('azure-pair-reset-closed', [azure({ tcpReset: true, boundary: 'closed' }, panOsPair)]) },
  { name: 'gcp-cloud-nat: idles past 14 s, the client resumes (dropped)', topology: smallPath('cloud-nat', [cloudNat()]) },
  { name: 'gcp-cloud-nat: lateSegment reset, the server closes at 16 s (RST to the server)', topology: smallPath('cloud-nat-reset', [cloudNat({ lateSegment: 'reset' })], { serverIdleClose: 16 }) },
  { name: 'gcp-cloud-nat: keepalive idle 13 < 14 (holds)', topology: smallPath('cloud-nat-ka', [cloudNat()], { kaIdle: 13 }) },
  { name: 'linux-conntrack: loose, the client resumes (adopted mid-stream)', topology: smallPath('linux', [linux()]) },
  { name: 'linux-conntrack: loose, the server closes at 16 s (INVALID FIN dropped)', topology: smallPath('linux-fin', [linux()], { serverIdleClose: 16 }) },
  { name: 'linux-conntrack: dropInvalid false, the server closes at 16 s (passed)', topology: smallPath('linux-pass', [linux({ dropInvalid: false })], { serverIdleClose: 16 }) },
  { name: 'linux-conntrack: tcpLoose false, the client resumes (INVALID dropped)', topology: smallPath('linux-strict', [linux({ tcpLoose: false })]) },
  {
    name: "linux-conntrack 10 (unacknowledged 5): the server's reply to a picked-up keepalive probe still arms the 5 s cap, so the server's FIN at 18 s finds no entry (dropped)",
    topology: firstReplyCapped(),
  },
];

/**
 * The case where the first reply's timer decides a verdict (domain-facts
 * §11.2: IPS_SEEN_REPLY is set after the reply's own timeout was chosen):
 * linux-conntrack idle 10, unacknowledged 5; the client only sends keepalive
 * probes (idle 12, interval 7, 3 probes), the server closes at 18 s. The
 * entry expires at 10 s; the probe at 12 s is picked up (5 s), the server's
 * ACK of it is the first reply and arms 5 s again, not 10 s, so the entry is
 * gone at 17 s, before the server's idle-close FIN at 18 s (no application
 * data at all): no-mid-path-drop is violated. With
 * the bit set before the timer (the reply arming 10 s) it would hold.
 */
function firstReplyCapped(): Topology {
  const t = smallPath('linux-first-reply', [linux({}, 10)], { serverIdleClose: 18 });
  return {
    ...t,
    client: { ...t.client, keepalive: { idle: 12, interval: 7, probes: 3, preset: 'custom' } },
    environment: { ...t.environment, clientSends: false, clientCloses: false },
  };
}

/** Multi-hop paths, hop after hop as src/system/crossing.ts composes them. */
export const pathCases: readonly PathCase[] = [
  { name: 'nat-gateway 14 + nlb 20: the NAT gateway resets the resuming client first', topology: smallPath('nat-nlb', [nat(14), nlb(20)]) },
  { name: 'nat-gateway 20 + nlb 14: the NLB resets the resuming client', topology: smallPath('nat-nlb-2', [nat(20), nlb(14)]) },
  { name: 'nat-gateway + nlb: keepalive idle 13 below both (holds)', topology: smallPath('nat-nlb-ka', [nat(14), nlb(20)], { kaIdle: 13 }) },
  { name: 'azure-lb with two PAN-OS backends + pan-os: the other backend drops the resuming client', topology: smallPath('azure-pair-fw', [azure({ haPorts: true }, panOsPair), panOs(144)]) },
  { name: 'azure-lb (plain) 20 + pan-os 14: the standalone firewall drops the late FIN', topology: smallPath('azure-fw', [azure({}, undefined, 20), panOs(14)], { serverIdleClose: 16 }) },
  { name: 'gcp-cloud-nat 20 + gcp-firewall 14: the firewall drops the resuming client', topology: smallPath('cloud-nat-fw', [cloudNat({}, 20), gcpFw(14)]) },
  { name: 'gcp-cloud-nat + gcp-firewall: keepalive idle 13 (holds)', topology: smallPath('cloud-nat-fw-ka', [cloudNat({}, 20), gcpFw(14)], { kaIdle: 13 }) },
  { name: 'gwlb 14 + nat-gateway 20: a new GWLB flow lands on the other appliance, which drops it', topology: smallPath('gwlb-nat', [gwlb(14), nat(20)]) },
  {
    name: 'two connections: gwlb 14 with 2-tuple stickiness (one entry shared) + azure-lb 20 with tcpReset (ambiguous)',
    topology: { ...smallPath('two-gwlb-azure', [{ ...gwlbHop(14), gwlb: { ...gwlbHop(14).gwlb, stickiness: '2-tuple' } }, azure({ tcpReset: true, boundary: 'ambiguous' }, undefined, 20)]), connections: 2 },
  },
  { name: 'two connections: nat-gateway 14 + linux-conntrack 10, the server closes at 16 s', topology: { ...smallPath('two-nat-linux', [nat(14), linux({}, 10)], { serverIdleClose: 16 }), connections: 2 } },
  { name: 'eni-conntrack pass 14 + linux-conntrack 20 + nlb 20: three hops, the conntrack drops the late FIN', topology: smallPath('eni-linux-nlb', [eni('pass', 14), linux({}, 20), nlb(20)], { serverIdleClose: 22 }) },
];

/**
 * The order of the crossing: a resetting hop (NLB, 12 s) on the client side,
 * a silently dropping one (GCP firewall, lateSegment drop, 14 s) on the
 * server side. The NLB's entry goes first, so a resuming client always meets
 * the NLB without an entry (an RST) and never reaches the firewall without
 * one; the server's late FIN (16 s) meets the firewall first (dropped).
 * Crossed in the wrong order for the server→client direction, the FIN would
 * meet the NLB first and be answered with an RST: no drop anywhere. (Equal
 * timeouts would not do: at the instant both expire, the NLB's open boundary
 * still passes the client's segment to the firewall, whose ambiguous boundary
 * may have dropped its entry already. nat-gateway + nlb cannot show the order: both
 * reset.)
 */
export const orderCases: readonly PathCase[] = [
  { name: 'nlb 12 + gcp-firewall 14 (drop), the server closes at 16 s: the late FIN meets the firewall first (dropped), the resuming client the NLB (RST)', topology: smallPath('nlb-gcpfw', [nlb(12), gcpFw(14)], { serverIdleClose: 16 }) },
];

/** Endpoint timers at small sub-second values: the whole-second ones of {@link small} divided by 10 (RTO 0.1, 0.2, 0.4, 0.4 s). */
function tenths(e: EndpointSettings): EndpointSettings {
  return { ...e, keepalive: 'off', idleClose: 'never', rtoMin: 0.1, rtoMax: 0.4, retries2: 4, timeWait: 0.2, finTimeout: 0.2 };
}

/** A path of `hops` between endpoints with sub-second timers (client keepalive idle `kaIdle`, interval 0.1 s, 3 probes; the server's idle close). */
export const tenthsPath = pathsBetween(tenths, 0.1);

/** 10 ticks per second. */
export const TENTHS: PromelaOptions = { ticksPerSecond: 10 };

/**
 * Cases at 10 ticks per second with sub-second constants, every one a whole
 * number of tenths (the export notes no rounding): the NAT gateway's closed
 * boundary, a two-hop path and the NLB's RST to the server.
 */
export const tickCases: readonly PathCase[] = [
  { name: '10 ticks/s: nat-gateway 1.4 s, the client resumes after 1.4 s (RST to the client)', topology: tenthsPath('t-nat', [nat(1.4)]), options: TENTHS },
  { name: '10 ticks/s: nat-gateway 1.4 s, keepalive idle 1.3 s (holds)', topology: tenthsPath('t-nat-ka', [nat(1.4)], { kaIdle: 1.3 }), options: TENTHS },
  { name: '10 ticks/s: nat-gateway 1.4 s, keepalive idle 1.4 s, boundary closed (the mapping is gone)', topology: tenthsPath('t-nat-ka-eq', [nat(1.4)], { kaIdle: 1.4 }), options: TENTHS },
  { name: '10 ticks/s: nlb 1.2 s + gcp-firewall 1.4 s (drop), the server closes at 1.6 s (the order case in tenths)', topology: tenthsPath('t-nlb-gcpfw', [nlb(1.2), gcpFw(1.4)], { serverIdleClose: 1.6 }), options: TENTHS },
];

/**
 * Tick rounding: the client's keepalive idle 1.35 s before a NAT gateway
 * mapping of 1.4 s (closed boundary). midpath: 1.35 < 1.4, the keepalive
 * keeps the mapping. At 10 ticks per second the export rounds 13.5 ticks to
 * 14 and notes it; the model is then the one of a 1.4-s keepalive, whose
 * probe meets the mapping's expiry. At 20 ticks per second (27 < 28 ticks)
 * nothing is rounded.
 */
export const roundingCase = {
  exact: tenthsPath('t-nat-ka-round', [nat(1.4)], { kaIdle: 1.35 }),
  /** The topology with the constant the note says the model uses. */
  asRounded: tenthsPath('t-nat-ka-round', [nat(1.4)], { kaIdle: 1.4 }),
  coarse: TENTHS,
  fine: { ticksPerSecond: 20 } satisfies PromelaOptions,
  note: 'keepalive idle: 1.35 s = 13.5 ticks, rounded to 14',
} as const;

/**
 * A mutant of the Promela rendering: a text change of the exported model
 * (a hop forgetting its RST, its drop, its reset at the timeout, its INVALID
 * rule, its refresh; the crossing in the wrong order), on a case where it
 * must change a verdict.
 */
export interface PromelaMutant {
  /** The hop kind whose rendering is changed, or `crossing`. */
  readonly kind: string;
  readonly what: string;
  /** The case (a name of any agreement case list of promela.test.ts) whose verdict the mutant changes. */
  readonly caseName: string;
  readonly from: string;
  readonly to: string;
  /**
   * The direction of the change where it is determined: properties midpath
   * finds holding that the mutant must violate, and violated ones that must
   * hold in the mutant.
   */
  readonly becomesViolated: readonly PromelaPropertyId[];
  readonly becomesHolding: readonly PromelaPropertyId[];
}

/** The name of the one kind case whose name starts with `prefix`. */
function named(prefix: string, list: readonly PathCase[] = kindCases): string {
  const found = list.filter((c) => c.name.startsWith(prefix));
  if (found.length !== 1) throw new Error(`promelaCases: ${found.length} cases start with '${prefix}'`);
  return found[0]!.name;
}

/** The no-entry rules of a single-timer hop 0 for one side, as the export writes them (promelaHops.ts singleTimerHop). */
function noEntry(side: 'client' | 'server', syn: string, rst: string, other: string): string {
  return `${side === 'client' ? '/* from the client (the inside) */' : '/* from the server */'}\n        if\n        :: k == SYN -> ${syn}\n        :: k == RST -> ${rst}\n        :: else -> ${other}\n`;
}
const OPEN = 'h0_on[c] = 1; t_h0[c] = H0_IDLE   /* opens an entry, forwarded */';
const DROP = 'fate = F_DROP   /* dropped silently */';
const RESET = 'fate = F_RESET   /* RST to the sender */';
/** The ESTABLISHED timer of linux-conntrack hop 0 and its IPS_SEEN_REPLY update, as the export writes them (promelaHops.ts linuxConntrackHop). */
const EST_TIMER = 'h0_st[c] = CT_EST; if :: h0_rep[c] -> t_h0[c] = H0_EST :: else -> t_h0[c] = H0_UNREP fi';
const NOTE_REPLY = 'h0_rep[c] = h0_rep[c] || (h0_or[c] != 0 && h0_or[c] != x + 1)';

export const mutants: readonly PromelaMutant[] = [
  // the kinds of issue 12 §6
  { kind: 'nlb', what: 'forgets its RST to the sender of a late segment (drops it)', caseName: named('nlb: idles past'), from: 'fate = F_RESET        /* a late segment from either side', to: 'fate = F_DROP        /* a late segment from either side', becomesViolated: ['no-mid-path-drop'], becomesHolding: ['no-mid-path-reset'] },
  { kind: 'eni-conntrack', what: 'passes what lateSegment drop should drop', caseName: named('eni-conntrack: lateSegment drop'), from: ':: else -> fate = F_DROP   /* dropped silently */', to: ':: else -> h0_on[c] = 1; t_h0[c] = H0_IDLE', becomesViolated: [], becomesHolding: ['no-mid-path-drop'] },
  { kind: 'azure-lb', what: 'forgets its tcpReset at the timeout', caseName: named('azure-lb: tcpReset, boundary ambiguous'), from: '#define H0_RESETS 1', to: '#define H0_RESETS 0', becomesViolated: [], becomesHolding: ['no-mid-path-reset'] },
  { kind: 'gcp-cloud-nat', what: 'forgets its RST with lateSegment reset (drops instead)', caseName: named('gcp-cloud-nat: lateSegment reset'), from: 'if :: H0_LATE_RESET -> fate = F_RESET', to: 'if :: H0_LATE_RESET -> fate = F_DROP', becomesViolated: ['no-mid-path-drop'], becomesHolding: [] },
  { kind: 'linux-conntrack', what: 'adopts a FIN of an unknown flow (no INVALID drop)', caseName: named('linux-conntrack: loose, the server closes'), from: ':: H0_LOOSE && (k == ACK || k == DATA || k == KEEPALIVE) ->', to: ':: H0_LOOSE && (k == ACK || k == DATA || k == KEEPALIVE || k == FIN) ->', becomesViolated: [], becomesHolding: ['no-mid-path-drop'] },
  {
    kind: 'linux-conntrack',
    what: 'sets IPS_SEEN_REPLY before choosing the ESTABLISHED timer (the first reply arms the full timeout)',
    caseName: named('linux-conntrack 10 (unacknowledged 5)'),
    from: `:: else -> ${EST_TIMER}; ${NOTE_REPLY}   /*`,
    to: `:: else -> ${NOTE_REPLY}; ${EST_TIMER}   /*`,
    becomesViolated: [],
    becomesHolding: ['no-mid-path-drop'],
  },
  // the other kinds (cases of promela.test.ts)
  { kind: 'gwlb', what: 'forgets that a packet refreshes its flow entry', caseName: 'keepalive idle = GWLB timeout, boundary open (the entry still exists)', from: ':: h0_on[f] -> t_h0[f] = H0_IDLE', to: ':: h0_on[f] -> skip', becomesViolated: ['no-mid-path-drop'], becomesHolding: [] },
  { kind: 'pan-os', what: 'passes a non-SYN without a session although tcp-reject-non-syn is set', caseName: 'pan-os standalone: session times out at 14 s, the server closes at 16 s (dropped)', from: ':: H0_REJECT -> fate = F_DROP', to: ':: H0_REJECT -> skip', becomesViolated: [], becomesHolding: ['no-mid-path-drop'] },
  { kind: 'conntrack-loose', what: 'drops a mid-stream FIN instead of passing it', caseName: 'conntrack-loose standalone: session times out at 14 s, the late FIN passes, no session', from: ':: k == RST || k == FIN -> skip', to: ':: k == RST -> skip\n           :: k == FIN -> fate = F_DROP', becomesViolated: ['no-mid-path-drop'], becomesHolding: [] },
  { kind: 'nat-gateway', what: 'drops a late client segment instead of answering it with an RST', caseName: 'nat-gateway: pooled connection idles past 14 s (reset to the client)', from: noEntry('client', OPEN, DROP, RESET), to: noEntry('client', OPEN, DROP, DROP), becomesViolated: ['no-mid-path-drop'], becomesHolding: ['no-mid-path-reset'] },
  { kind: 'aws-network-firewall', what: 'answers a late client segment with an RST instead of dropping it', caseName: 'aws-network-firewall: idles past 14 s, the client resumes (dropped silently)', from: noEntry('client', OPEN, DROP, DROP), to: noEntry('client', OPEN, DROP, RESET), becomesViolated: ['no-mid-path-reset'], becomesHolding: ['no-mid-path-drop'] },
  { kind: 'azure-nat-gateway', what: 'drops a late server segment instead of answering it with an RST', caseName: 'azure-nat-gateway: server closes at 16 s (reset to the server)', from: noEntry('server', RESET, DROP, RESET), to: noEntry('server', RESET, DROP, DROP), becomesViolated: ['no-mid-path-drop'], becomesHolding: [] },
  { kind: 'gcp-firewall', what: 'passes a late client segment (lateSegment pass) without tracking it again', caseName: 'gcp-firewall: idles past 14 s, the client resumes (passed as new by default)', from: noEntry('client', OPEN, OPEN, OPEN), to: noEntry('client', OPEN, OPEN, 'skip'), becomesViolated: ['no-mid-path-drop'], becomesHolding: [] },
  // the shared crossing
  {
    kind: 'crossing',
    what: 'crosses the hops client side first also for the server→client direction',
    caseName: orderCases[0]!.name,
    from: '/* server to client */\n     h1_in();\n     if :: fate == F_PASS -> h0_in() :: else -> skip fi',
    to: '/* server to client */\n     h0_in();\n     if :: fate == F_PASS -> h1_in() :: else -> skip fi',
    becomesViolated: [],
    becomesHolding: ['no-mid-path-drop'],
  },
];

/** Every number of a parsed hop config divided by `divisor` (rounded, at least 1), but its target count. */
function scaleNumbers(v: unknown, divisor: number, key = ''): unknown {
  if (typeof v === 'number') return key === 'targets' || key === 'count' || key === 'probes' ? v : Math.max(1, Math.round(v / divisor));
  if (Array.isArray(v)) return v.map((x) => scaleNumbers(x, divisor));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scaleNumbers(x, divisor, k)]));
  return v;
}

/**
 * A preset's topology with every timeout of the path and of the endpoints
 * divided by `divisor` together (order relations kept up to rounding), the
 * retransmission chain at whole seconds (1, 2, 4, 5, 5, … s, 8 retries).
 */
export function presetScaled(name: string, divisor: number): Topology {
  const t = toTopology(loadPreset(name));
  const ends = (e: EndpointSettings): EndpointSettings => ({ ...(scaleNumbers(e, divisor) as EndpointSettings), rtoMin: 1, rtoMax: 5, retries2: 8 });
  return { ...t, client: ends(t.client), server: ends(t.server), path: t.path.map((h) => scaleNumbers(h, divisor) as HopSpec) };
}

/** The bundled incident presets (issue 12 §5), every timeout divided by 25. */
export const incidentCases: readonly PathCase[] = incidentPresetNames()
  .map((name) => ({ name: `${name} (timeouts / 25)`, topology: presetScaled(name, 25) }));
