/**
 * The hops of the Promela model of src/reporting/promela.ts: one hand-written
 * rendering per hop kind of the registry (src/models/hopKinds.ts), each
 * following its xstate machine state by state (the machine and the
 * domain-facts sections it follows are named in its `source` and in the
 * model's comments). A rendering is independent of the machine: it is
 * written from the same sources, not generated from it, which is what makes
 * agreement between SPIN and midpath worth something.
 *
 * Every hop `i` of the path becomes, in Promela:
 * - its state arrays `hI_…[n]` (one entry per connection, or one shared entry
 *   for a GWLB with 2-/3-tuple stickiness) and, for a hop with firewall
 *   targets (GWLB appliances, Azure LB `backends`), their sessions;
 * - its timer arrays (counters of ticks left, `OFF` = -1, due at 0), each
 *   with the hop's boundary (domain-facts §10) and the inline that expires
 *   one of its entries;
 * - `inline hI_in()`: the segment of kind `k` sent by role `x` (0 client,
 *   1 server) of connection `c` meets the hop's entry: it passes (`fate`
 *   stays `F_PASS`), or the hop drops it (`F_DROP`) or answers its sender with
 *   an RST (`F_RESET`);
 * - for a hop that chooses a target for a new entry: the condition, read
 *   before the crossing, under which the segment creates a new entry, and the
 *   number of targets (every one a branch: `tgtI`).
 *
 * Only the segment's kind, its `acksFin` bit and its sender's role enter a
 * hop's decision; a NAT hop's address translation changes none of them and is
 * not modelled.
 */
import type { Boundary, FirewallHopSpec, FlowHopSpec, GwlbHopSpec, HopSpec } from '../system/topology.ts';
import type { FirewallConfig } from '../models/firewallConfig.ts';
import type { HopKind } from '../models/hopKinds.ts';

/** Converts seconds to whole ticks (rounding noted by the caller). */
export type TickFn = (seconds: number, what: string) => number;

/** One array of timer counters of a hop. */
export interface PromelaTimerArray {
  /** The array's name, e.g. `t_h0`. */
  readonly name: string;
  readonly size: number;
  readonly boundary: Boundary;
  /** The inline that expires entry `i` (called as `<expire>(i)`). */
  readonly expire: string;
  /**
   * True when the expiry is observable (a proactive reset): with a `closed`
   * boundary it then fires from the Timers process, in every order with
   * the applications' actions of its instant, and a segment that reaches the
   * hop at that instant expires it first (src/system/boundaryClocks.ts: a
   * segment needs `x < T` while the timer is armed).
   */
  readonly proactive?: boolean;
}

/** The Promela rendering of one hop. */
export interface PromelaHop {
  readonly index: number;
  /** The hop's scenario `type` (`gwlb`, `pan-os`, `nlb`, …). */
  readonly type: string;
  /** The product's name, for comments. */
  readonly label: string;
  /** The machine(s) and the domain-facts sections the rendering follows. */
  readonly source: string;
  /** `#define`s of its constants. */
  readonly defines: string;
  /** Its state declarations. */
  readonly state: string;
  /** Its inlines: `hI_in()`, the expiry inlines, the session inline. */
  readonly inlines: string;
  readonly timers: readonly PromelaTimerArray[];
  /** For a hop that chooses a target for a new entry: the condition (over `k`, `c`, the state before the crossing) and the number of targets. */
  readonly choice?: { readonly need: string; readonly count: number };
  /** True when the hop may reset connections on its own at a timeout (Azure LB `tcpReset`). */
  readonly proactiveReset: boolean;
  /** Header lines (without the leading ` * `). */
  readonly notes: readonly string[];
  /** Every tick constant, for the choice of the counter type. */
  readonly constants: readonly number[];
  /** Initial values other than 0 (timers are set OFF by the caller). */
  readonly init?: readonly string[];
}

/** A hop's scenario `type` string (`gwlb`, the firewall kind of a standalone firewall hop, or a flow hop's type). */
export function hopType(h: HopSpec): string {
  return h.kind === 'gwlb' ? 'gwlb' : h.kind === 'firewall' ? h.firewall.kind : h.type;
}

/** Segment-class test of `k` (segment.ts `ACK_CLASS_KINDS`: ACK, data, keepalive). */
const ACKC = '(k == ACK || k == DATA || k == KEEPALIVE)';

/** The timer constants of a firewall session group, in ticks. */
interface FwTicks {
  readonly reject: number;
  readonly init: number;
  readonly handshake: number;
  readonly established: number;
  readonly halfClosed: number;
  readonly timeWait: number;
}

function fwTicks(fw: Omit<FirewallConfig, 'conn'>, tick: TickFn, what: string): FwTicks {
  const t = fw.timeouts;
  return {
    reject: fw.rejectNonSyn ? 1 : 0,
    init: tick(t.init, `${what} init timeout`),
    handshake: tick(t.handshake, `${what} handshake timeout`),
    established: tick(t.established, `${what} established timeout`),
    halfClosed: tick(t.halfClosed, `${what} half-closed timeout`),
    timeWait: tick(t.timeWait, `${what} time-wait timeout`),
  };
}

/**
 * A group of firewall sessions (src/models/firewallSessionMachine.ts,
 * domain-facts §3.1–§3.3): GWLB appliances, Azure LB backends or a
 * standalone firewall hop. `p` is the array prefix (`h0f`).
 */
function sessions(p: string, P: string, kind: string, n: number, boundary: Boundary, f: FwTicks): { defines: string; state: string; inlines: string; timer: PromelaTimerArray; constants: number[] } {
  return {
    defines: `/* ${kind} sessions (src/models/firewallSessionMachine.ts, domain-facts 3.1-3.3) */
#define ${P}_REJECT ${f.reject}         /* tcp-reject-non-syn */
#define ${P}_T_INIT ${f.init}
#define ${P}_T_HANDSHAKE ${f.handshake}
#define ${P}_T_EST ${f.established}
#define ${P}_T_HALF ${f.halfClosed}
#define ${P}_T_TWAIT ${f.timeWait}
`,
    state: `byte ${p}[${n}];       /* ${kind} session state (FW_…) */
bit ${p}_cl[${n}];     /* in FW_HALF: the role that closed first */
TT t_${p}[${n}];
`,
    inlines: `inline ${p}_expire(s) { ${p}[s] = FW_NONE; ${p}_cl[s] = 0; t_${p}[s] = OFF }   /* aged out, silently (no RST) */
inline ${p}_sin(s) {   /* segment kind k from role x at session s: F_DROP or unchanged */
  if
  :: ${p}[s] == FW_NONE ->
     if
     :: k == SYN -> ${p}[s] = FW_INIT; t_${p}[s] = ${P}_T_INIT
     :: else ->
        if
        :: ${P}_REJECT -> fate = F_DROP   /* tcp-reject-non-syn: silent, no session, no RST */
        :: else ->                       /* loose pickup of a mid-stream flow */
           if
           :: k == RST || k == FIN -> skip   /* passes, opens nothing (firewallSessionMachine none: a mid-stream FIN/RST is INVALID to Linux conntrack even with loose=1) */
           :: else -> ${p}[s] = FW_EST; t_${p}[s] = ${P}_T_EST
           fi
        fi
     fi
  :: ${p}[s] == FW_INIT ->
     if
     :: k == SYNACK -> ${p}[s] = FW_HANDSHAKE; t_${p}[s] = ${P}_T_HANDSHAKE
     :: k == ACK || k == DATA || k == KEEPALIVE -> ${p}[s] = FW_EST; t_${p}[s] = ${P}_T_EST
     :: k == FIN || k == RST -> ${p}[s] = FW_HALF; ${p}_cl[s] = x; t_${p}[s] = ${P}_T_HALF
     :: else -> t_${p}[s] = ${P}_T_INIT
     fi
  :: ${p}[s] == FW_HANDSHAKE ->
     if
     :: k == ACK || k == DATA || k == KEEPALIVE -> ${p}[s] = FW_EST; t_${p}[s] = ${P}_T_EST
     :: k == FIN || k == RST -> ${p}[s] = FW_HALF; ${p}_cl[s] = x; t_${p}[s] = ${P}_T_HALF
     :: else -> t_${p}[s] = ${P}_T_HANDSHAKE
     fi
  :: ${p}[s] == FW_EST ->
     if
     :: k == FIN || k == RST -> ${p}[s] = FW_HALF; ${p}_cl[s] = x; t_${p}[s] = ${P}_T_HALF
     :: else -> t_${p}[s] = ${P}_T_EST
     fi
  :: ${p}[s] == FW_HALF ->
     if
     :: (k == FIN || k == RST) && x != ${p}_cl[s] -> ${p}[s] = FW_TWAIT; ${p}_cl[s] = 0; t_${p}[s] = ${P}_T_TWAIT
     :: else -> t_${p}[s] = ${P}_T_HALF
     fi
  :: ${p}[s] == FW_TWAIT -> t_${p}[s] = ${P}_T_TWAIT
  fi
}
`,
    timer: { name: `t_${p}`, size: n, boundary, expire: `${p}_expire` },
    constants: [f.init, f.handshake, f.established, f.halfClosed, f.timeWait],
  };
}

/** The GWLB hop with its appliances (src/models/gwlbFlowMachine.ts, domain-facts §1.1–§1.4). */
function gwlbHop(i: number, g: GwlbHopSpec, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const P = `H${i}`;
  const shared = g.gwlb.stickiness !== '5-tuple';
  const nf = shared ? 1 : nc;
  const na = g.appliances.count;
  const idle = tick(g.gwlb.idleTimeout, `hop ${i} GWLB idle timeout`);
  const fw = sessions(`${p}f`, `${P}F`, `${g.appliances.firewall.kind} appliance`, na * nc, g.appliances.boundary, fwTicks(g.appliances.firewall, tick, `hop ${i} appliance`));
  const newFlow = `(k == SYN || (${P}_NEWFLOW_NONSYN && !(${P}_RESET && k != RST)))`;
  return {
    index: i,
    type: 'gwlb',
    label: 'AWS Gateway Load Balancer',
    source: 'src/models/gwlbFlowMachine.ts and firewallSessionMachine.ts, domain-facts 1.1-1.4, 3.1-3.3',
    defines: `/* hop ${i}: GWLB (domain-facts 1.1-1.4) */
#define ${P}_NA ${na}      /* appliances behind the GWLB */
#define ${P}_FLOW(c) (${shared ? '0' : 'c'})   /* stickiness ${g.gwlb.stickiness}${shared ? ': one entry shared by every connection' : ': one entry per connection'} */
#define ${P}_IDLE ${idle}
#define ${P}_RESET ${g.gwlb.resetOnIdleTimeout ? 1 : 0}          /* send_tcp_reset.on_idle_timeout */
#define ${P}_NEWFLOW_NONSYN ${g.gwlb.unknownNonSyn === 'forward' ? 1 : 0} /* unknown non-SYN: 1 forward as a new flow, 0 drop */
${fw.defines}`,
    state: `/* hop ${i}: GWLB flow table (${nf} entr${nf === 1 ? 'y' : 'ies'}) and appliance sessions (s = appliance*NC + conn) */
bit ${p}_on[${nf}];
byte ${p}_tgt[${nf}];
TT t_${p}[${nf}];
${fw.state}`,
    inlines: `inline ${p}_expire(f) { ${p}_on[f] = 0; ${p}_tgt[f] = 0; t_${p}[f] = OFF }   /* forgotten silently */
${fw.inlines}inline ${p}_in() {   /* hop ${i}: the GWLB flow entry, then the appliance's session */
  f = ${P}_FLOW(c);
  if
  :: ${p}_on[f] -> t_${p}[f] = ${P}_IDLE      /* any packet, either direction, refreshes the entry */
  :: else ->
     if
     :: ${newFlow} -> ${p}_on[f] = 1; ${p}_tgt[f] = tgt${i}; t_${p}[f] = ${P}_IDLE   /* a new flow on the chosen appliance */
     :: else ->
        if
        :: ${P}_RESET && k != RST -> fate = F_RESET   /* RST to the sender only */
        :: else -> fate = F_DROP                       /* unknown non-SYN dropped at the GWLB */
        fi
     fi
  fi;
  if
  :: fate == F_PASS -> s = ${p}_tgt[f] * NC + c; ${p}f_sin(s)
  :: else -> skip
  fi
}
`,
    timers: [{ name: `t_${p}`, size: nf, boundary: g.gwlb.boundary, expire: `${p}_expire` }, fw.timer],
    choice: { need: `!${p}_on[${P}_FLOW(c)] && ${newFlow}`, count: na },
    proactiveReset: false,
    notes: [
      `hop ${i}: GWLB, boundary ${boundaryNote(g.gwlb.boundary)};`,
      `  its ${na} appliances (${g.appliances.firewall.kind}), boundary ${boundaryNote(g.appliances.boundary)};`,
      `  a new GWLB flow may land on any appliance (no symmetry reduction).`,
    ],
    constants: [idle, ...fw.constants],
  };
}

/** A standalone firewall hop: one session per connection. */
function firewallHop(i: number, h: FirewallHopSpec, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const fw = sessions(p, `H${i}`, h.firewall.kind, nc, h.boundary, fwTicks(h.firewall, tick, `hop ${i} firewall`));
  return {
    index: i,
    type: h.firewall.kind,
    label: `${h.firewall.kind} firewall`,
    source: 'src/models/firewallSessionMachine.ts, domain-facts 3.1-3.3 (conntrack row of 2)',
    defines: fw.defines,
    state: `/* hop ${i}: standalone ${h.firewall.kind} firewall, one session per connection (s = conn) */\n${fw.state}`,
    inlines: `${fw.inlines}inline ${p}_in() { ${p}_sin(c) }   /* hop ${i}: the connection's session */
`,
    timers: [fw.timer],
    proactiveReset: false,
    notes: [`hop ${i}: standalone ${h.firewall.kind} firewall, one session per connection, boundary ${boundaryNote(h.boundary)};`],
    constants: fw.constants,
  };
}

/** What a single-timer flow hop does with a segment of a connection it has no entry for. */
type NoEntryAction = 'open' | 'drop' | 'reset';

/** A {@link NoEntryAction} per segment class, for the segments of one side. */
interface NoEntryRules {
  readonly syn: NoEntryAction;
  readonly rst: NoEntryAction;
  readonly other: NoEntryAction;
}

/**
 * The no-entry rules of the single-timer kinds (src/models/singleTimerEntryMachine.ts:
 * one entry, refreshed by every segment it forwards in either direction,
 * forgotten silently at its idle timeout), each read off its machine:
 * - `nat-gateway` (natGatewayFlowMachine.ts): a client SYN opens; an RST is
 *   dropped; any other client segment gets an RST; a server segment an RST
 *   or a drop per `lateSegmentFromOutside`;
 * - `azure-nat-gateway` (azureNatGatewayFlowMachine.ts): a client SYN opens;
 *   an RST is dropped; anything else from either side gets an RST;
 * - `aws-network-firewall` (awsNetworkFirewallFlowMachine.ts): a SYN from
 *   either side opens; any other segment is dropped silently;
 * - `gcp-firewall` (gcpFirewallFlowMachine.ts) and `eni-conntrack`
 *   (eniConntrackFlowMachine.ts): a client SYN opens; any other segment opens
 *   when `lateSegment[side]` is `pass` (passed and re-tracked), else is
 *   dropped silently.
 */
function singleTimerRules(h: SingleTimerHopSpec): { label: string; source: string; client: NoEntryRules; server: NoEntryRules } {
  switch (h.type) {
    case 'nat-gateway': {
      const out: NoEntryAction = h.config.lateSegmentFromOutside === 'reset' ? 'reset' : 'drop';
      return { label: 'AWS NAT gateway', source: 'src/models/natGatewayFlowMachine.ts, domain-facts 2, 10, 11.1', client: { syn: 'open', rst: 'drop', other: 'reset' }, server: { syn: out, rst: 'drop', other: out } };
    }
    case 'azure-nat-gateway':
      return { label: 'Azure NAT gateway', source: 'src/models/azureNatGatewayFlowMachine.ts, domain-facts 2, 11.2', client: { syn: 'open', rst: 'drop', other: 'reset' }, server: { syn: 'reset', rst: 'drop', other: 'reset' } };
    case 'aws-network-firewall':
      return { label: 'AWS Network Firewall', source: 'src/models/awsNetworkFirewallFlowMachine.ts, domain-facts 2', client: { syn: 'open', rst: 'drop', other: 'drop' }, server: { syn: 'open', rst: 'drop', other: 'drop' } };
    case 'gcp-firewall':
    case 'eni-conntrack': {
      const late = (side: 'client' | 'server'): NoEntryAction => (h.config.lateSegment[side] === 'pass' ? 'open' : 'drop');
      const [label, source] =
        h.type === 'gcp-firewall'
          ? ['GCP VPC firewall connection tracking', 'src/models/gcpFirewallFlowMachine.ts, domain-facts 11.2']
          : ['EC2 ENI connection tracking', 'src/models/eniConntrackFlowMachine.ts, domain-facts 1.1, 2, 11.2'];
      return { label, source, client: { syn: 'open', rst: late('client'), other: late('client') }, server: { syn: late('server'), rst: late('server'), other: late('server') } };
    }
  }
}

/** The single-timer kinds (src/models/singleTimerEntryMachine.ts), rendered by {@link singleTimerHop}. */
type SingleTimerKind = 'nat-gateway' | 'azure-nat-gateway' | 'aws-network-firewall' | 'gcp-firewall' | 'eni-conntrack';
type SingleTimerHopSpec = Extract<FlowHopSpec, { readonly type: SingleTimerKind }>;

function singleTimerHop(i: number, h: SingleTimerHopSpec, nc: number, tick: TickFn): PromelaHop {
  const rules = singleTimerRules(h);
  const p = `h${i}`;
  const P = `H${i}`;
  const idle = tick(h.config.idleTimeout, `hop ${i} ${h.type} idle timeout`);
  const act = (a: NoEntryAction): string =>
    a === 'open' ? `${p}_on[c] = 1; t_${p}[c] = ${P}_IDLE   /* opens an entry, forwarded */` : a === 'drop' ? 'fate = F_DROP   /* dropped silently */' : 'fate = F_RESET   /* RST to the sender */';
  const side = (r: NoEntryRules, ind: string): string =>
    [`${ind}if`, `${ind}:: k == SYN -> ${act(r.syn)}`, `${ind}:: k == RST -> ${act(r.rst)}`, `${ind}:: else -> ${act(r.other)}`, `${ind}fi`].join('\n');
  return {
    index: i,
    type: h.type,
    label: rules.label,
    source: rules.source,
    defines: `/* hop ${i}: ${rules.label} (${rules.source}) */
#define ${P}_IDLE ${idle}    /* the entry's idle timeout */
`,
    state: `/* hop ${i}: ${rules.label} entries, one per connection (its 5-tuple) */
bit ${p}_on[${nc}];
TT t_${p}[${nc}];
`,
    inlines: `inline ${p}_expire(f) { ${p}_on[f] = 0; t_${p}[f] = OFF }   /* the entry is forgotten, silently */
inline ${p}_in() {   /* hop ${i}: ${rules.label} */
  if
  :: ${p}_on[c] -> t_${p}[c] = ${P}_IDLE      /* any segment, either direction, refreshes the entry */
  :: else ->   /* no entry */
     if
     :: x == 0 ->   /* from the client (the inside) */
${side(rules.client, '        ')}
     :: else ->     /* from the server */
${side(rules.server, '        ')}
     fi
  fi
}
`,
    timers: [{ name: `t_${p}`, size: nc, boundary: h.config.boundary, expire: `${p}_expire` }],
    proactiveReset: false,
    notes: [`hop ${i}: ${h.type}, boundary ${boundaryNote(h.config.boundary)}; one entry per connection (${rules.source}).`],
    constants: [idle],
  };
}

/**
 * AWS NLB (src/models/nlbFlowMachine.ts, domain-facts §2, §11.2): `none`,
 * `halfOpen` (halfOpenTimeout), `established`, `closing`, `lastAck` (idle
 * timeout); the side of the first FIN; an RST passing removes the entry, so
 * does the final ACK of a graceful close; with no entry, a SYN opens, an RST
 * is dropped, anything else gets an RST to its sender.
 */
function nlbHop(i: number, h: Extract<FlowHopSpec, { type: 'nlb' }>, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const P = `H${i}`;
  const idle = tick(h.config.idleTimeout, `hop ${i} nlb idle timeout`);
  const half = tick(h.config.halfOpenTimeout, `hop ${i} nlb halfOpenTimeout`);
  const forget = `${p}_st[c] = NLB_NONE; ${p}_fin[c] = 0; t_${p}[c] = OFF`;
  return {
    index: i,
    type: 'nlb',
    label: 'AWS Network Load Balancer',
    source: 'src/models/nlbFlowMachine.ts, domain-facts 2, 10, 11.2',
    defines: `/* hop ${i}: AWS NLB (src/models/nlbFlowMachine.ts, domain-facts 2, 11.2) */
#define ${P}_IDLE ${idle}    /* tcp.idle_timeout.seconds */
#define ${P}_HALF ${half}    /* halfOpenTimeout (UNCONFIRMED, a parameter) */
`,
    state: `/* hop ${i}: NLB flows, one per connection */
byte ${p}_st[${nc}];    /* NLB_… */
byte ${p}_fin[${nc}];   /* side of the first FIN: 0 none, 1 client, 2 server */
TT t_${p}[${nc}];
`,
    inlines: `inline ${p}_expire(f) { ${p}_st[f] = NLB_NONE; ${p}_fin[f] = 0; t_${p}[f] = OFF }   /* removed silently */
inline ${p}_in() {   /* hop ${i}: NLB flow */
  if
  :: ${p}_st[c] == NLB_NONE ->
     if
     :: k == SYN -> ${p}_st[c] = NLB_HALFOPEN; t_${p}[c] = ${P}_HALF
     :: k == RST -> fate = F_DROP     /* an RST is never answered with an RST */
     :: else -> fate = F_RESET        /* a late segment from either side: RST to its sender */
     fi
  :: ${p}_st[c] == NLB_HALFOPEN ->
     if
     :: ${ACKC} -> ${p}_st[c] = NLB_EST; t_${p}[c] = ${P}_IDLE
     :: k == RST -> ${forget}   /* reset flows are not tracked */
     :: k == FIN -> ${p}_st[c] = NLB_CLOSING; if :: ${p}_fin[c] == 0 -> ${p}_fin[c] = x + 1 :: else -> skip fi; t_${p}[c] = ${P}_IDLE
     :: else -> t_${p}[c] = ${P}_HALF
     fi
  :: ${p}_st[c] == NLB_EST ->
     if
     :: k == RST -> ${forget}
     :: k == FIN -> ${p}_st[c] = NLB_CLOSING; if :: ${p}_fin[c] == 0 -> ${p}_fin[c] = x + 1 :: else -> skip fi; t_${p}[c] = ${P}_IDLE
     :: else -> t_${p}[c] = ${P}_IDLE
     fi
  :: ${p}_st[c] == NLB_CLOSING ->
     if
     :: k == RST -> ${forget}
     :: k == FIN && ${p}_fin[c] != 0 && ${p}_fin[c] != x + 1 -> ${p}_st[c] = NLB_LASTACK; t_${p}[c] = ${P}_IDLE
     :: else -> t_${p}[c] = ${P}_IDLE
     fi
  :: ${p}_st[c] == NLB_LASTACK ->
     if
     :: ${ACKC} && ${p}_fin[c] == x + 1 && af -> ${forget}   /* the final ACK: a closed flow is not tracked */
     :: k == RST -> ${forget}
     :: else -> t_${p}[c] = ${P}_IDLE
     fi
  fi
}
`,
    timers: [{ name: `t_${p}`, size: nc, boundary: h.config.boundary, expire: `${p}_expire` }],
    proactiveReset: false,
    notes: [`hop ${i}: nlb, boundary ${boundaryNote(h.config.boundary)}; one flow per connection; half-open, closed and reset flows not tracked.`],
    constants: [idle, half],
  };
}

/**
 * Azure Load Balancer (src/models/azureLbFlowMachine.ts, domain-facts §2,
 * §11.1, §11.2): `none`, `adopted`, `opening`, `established`, `closing`, one
 * idle timer; every segment with no flow makes a new flow on a backend (the
 * free choice, or the previous one with `newFlowBackend: same`); at the
 * timeout of an ESTABLISHED flow with `tcpReset` (not HA ports) an RST to
 * both endpoints. With `backends`, the backend's firewall session follows.
 */
function azureLbHop(i: number, h: Extract<FlowHopSpec, { type: 'azure-lb' }>, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const P = `H${i}`;
  const cfg = h.config;
  const idle = tick(cfg.idleTimeout, `hop ${i} azure-lb idle timeout`);
  const b = h.backends;
  const nb = b ? b.count : 0;
  const fw = b ? sessions(`${p}f`, `${P}F`, `${b.firewall.kind} backend`, nb * nc, b.boundary, fwTicks(b.firewall, tick, `hop ${i} backend`)) : undefined;
  const resets = cfg.tcpReset && !cfg.haPorts;
  const same = cfg.newFlowBackend === 'same';
  const pin = b ? `if :: ${P}_SAME && ${p}_last[c] != NOLAST -> ${p}_tgt[c] = ${p}_last[c] :: else -> ${p}_tgt[c] = tgt${i} fi` : `${p}_tgt[c] = 0`;
  return {
    index: i,
    type: 'azure-lb',
    label: 'Azure Load Balancer',
    source: `src/models/azureLbFlowMachine.ts${b ? ' and firewallSessionMachine.ts' : ''}, domain-facts 2, 10, 11.1, 11.2`,
    defines: `/* hop ${i}: Azure Load Balancer (src/models/azureLbFlowMachine.ts, domain-facts 2, 11.1, 11.2) */
#define ${P}_IDLE ${idle}    /* idleTimeoutInMinutes x 60 */
#define ${P}_RESETS ${resets ? 1 : 0}   /* enableTcpReset${cfg.haPorts ? ' (HA ports: never)' : ''}: RST to both endpoints at the timeout, ESTABLISHED only */
#define ${P}_ADOPT_EST ${cfg.adoptedFlowEstablished ? 1 : 0}   /* adoptedFlowEstablished (UNCONFIRMED) */
#define ${P}_SAME ${same ? 1 : 0}   /* newFlowBackend: 1 same, 0 any */
#define ${P}_NB ${nb}   /* backends with firewall sessions (0: plain hosts, no choice that changes behaviour) */
${fw ? fw.defines : ''}`,
    state: `/* hop ${i}: Azure LB flows, one per connection */
byte ${p}_st[${nc}];    /* AZ_… */
byte ${p}_tgt[${nc}];   /* the flow's backend */
byte ${p}_last[${nc}];  /* the backend of the last expired flow, NOLAST before any */
TT t_${p}[${nc}];
${fw ? fw.state : ''}`,
    inlines: `inline ${p}_expire(f) {   /* idle timeout: ${resets ? 'with tcpReset, on an ESTABLISHED flow, an RST to both endpoints' : 'silent'} */
${
  resets
    ? `  if
  :: ${p}_st[f] == AZ_EST && ${P}_RESETS ->
     report_reset(f); pend = pend | (1 << (f))   /* the RSTs are delivered by deliver_pending() */
  :: else -> skip
  fi;
`
    : ''
}  ${p}_last[f] = ${p}_tgt[f]; ${p}_tgt[f] = 0; ${p}_st[f] = AZ_NONE; t_${p}[f] = OFF
}
${fw ? fw.inlines : ''}inline ${p}_in() {   /* hop ${i}: Azure LB flow${b ? ', then the backend firewall session' : ''} */${
      resets && cfg.boundary === 'closed'
        ? `
  if :: t_${p}[c] == 0 -> ${p}_expire(c) :: else -> skip fi;   /* closed boundary: at the instant of expiry the flow is gone before this segment */`
        : ''
    }
  if
  :: ${p}_st[c] == AZ_NONE ->   /* any segment becomes a new flow on a backend */
     ${pin};
     if
     :: k == SYN -> ${p}_st[c] = AZ_OPENING
     :: k == FIN || k == RST -> ${p}_st[c] = AZ_CLOSING
     :: else -> if :: ${P}_ADOPT_EST -> ${p}_st[c] = AZ_EST :: else -> ${p}_st[c] = AZ_ADOPTED fi
     fi
  :: ${p}_st[c] == AZ_ADOPTED || ${p}_st[c] == AZ_EST ->
     if :: k == FIN || k == RST -> ${p}_st[c] = AZ_CLOSING :: else -> skip fi
  :: ${p}_st[c] == AZ_OPENING ->
     if
     :: ${ACKC} -> ${p}_st[c] = AZ_EST
     :: k == FIN || k == RST -> ${p}_st[c] = AZ_CLOSING
     :: else -> skip
     fi
  :: else -> skip   /* AZ_CLOSING */
  fi;
  t_${p}[c] = ${P}_IDLE${fw ? `;   /* every segment refreshes the flow */\n  s = ${p}_tgt[c] * NC + c; ${p}f_sin(s)` : '   /* every segment refreshes the flow */'}
}
`,
    timers: [{ name: `t_${p}`, size: nc, boundary: cfg.boundary, expire: `${p}_expire`, proactive: resets }, ...(fw ? [fw.timer] : [])],
    // A new flow chooses its backend. With tcpReset at a closed boundary the flow expires inside
    // the crossing (its timer at 0, `${p}_in`), so a segment meeting it then makes a new flow too.
    ...(b
      ? {
          choice: {
            need: `(${p}_st[c] == AZ_NONE && !(${P}_SAME && ${p}_last[c] != NOLAST))${resets && cfg.boundary === 'closed' ? ` || (${p}_st[c] != AZ_NONE && t_${p}[c] == 0 && !${P}_SAME)` : ''}`,
            count: nb,
          },
        }
      : {}),
    proactiveReset: resets,
    init: Array.from({ length: nc }, (_, c) => `${p}_last[${c}] = NOLAST;`),
    notes: [
      `hop ${i}: azure-lb, boundary ${boundaryNote(cfg.boundary)}; ${resets ? 'tcpReset: an RST to both endpoints at the timeout of an ESTABLISHED flow' : 'silent at its timeout'};`,
      b ? `  ${nb} backends (${b.firewall.kind}), boundary ${boundaryNote(b.boundary)}; a new flow lands on ${same ? 'the previous backend once it had one (newFlowBackend: same)' : 'any backend (newFlowBackend: any)'}.` : `  backends are plain hosts: the backend chosen changes nothing and is not branched on.`,
    ],
    constants: [idle, ...(fw ? fw.constants : [])],
  };
}

/**
 * GCP Cloud NAT (src/models/gcpCloudNatFlowMachine.ts, domain-facts §2,
 * §11.2): `none`, `opening` and `closing` (transitory), `established`,
 * `timeWait`; an inside SYN opens; no mapping: an RST is dropped, anything
 * else dropped or (lateSegment: reset) answered with an RST to its sender.
 */
function gcpCloudNatHop(i: number, h: Extract<FlowHopSpec, { type: 'gcp-cloud-nat' }>, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const P = `H${i}`;
  const c = h.config;
  const est = tick(c.idleTimeout, `hop ${i} gcp-cloud-nat tcpEstablishedIdleTimeoutSec`);
  const tr = tick(c.tcpTransitoryIdleTimeoutSec, `hop ${i} gcp-cloud-nat tcpTransitoryIdleTimeoutSec`);
  const tw = tick(c.tcpTimeWaitTimeoutSec, `hop ${i} gcp-cloud-nat tcpTimeWaitTimeoutSec`);
  const recordFin = `if :: ${p}_fin[c] == 0 -> ${p}_fin[c] = x + 1 :: else -> skip fi`;
  return {
    index: i,
    type: 'gcp-cloud-nat',
    label: 'GCP Cloud NAT',
    source: 'src/models/gcpCloudNatFlowMachine.ts, domain-facts 2, 11.2',
    defines: `/* hop ${i}: GCP Cloud NAT (src/models/gcpCloudNatFlowMachine.ts, domain-facts 2, 11.2) */
#define ${P}_EST ${est}    /* tcpEstablishedIdleTimeoutSec */
#define ${P}_TRANS ${tr}   /* tcpTransitoryIdleTimeoutSec */
#define ${P}_TW ${tw}      /* tcpTimeWaitTimeoutSec */
#define ${P}_LATE_RESET ${c.lateSegment === 'reset' ? 1 : 0}   /* lateSegment: 1 reset, 0 drop (UNCONFIRMED) */
`,
    state: `/* hop ${i}: Cloud NAT mappings, one per connection */
byte ${p}_st[${nc}];    /* CN_… */
byte ${p}_fin[${nc}];   /* side of the first FIN: 0 none, 1 client, 2 server */
TT t_${p}[${nc}];
`,
    inlines: `inline ${p}_expire(f) { ${p}_st[f] = CN_NONE; ${p}_fin[f] = 0; t_${p}[f] = OFF }   /* the mapping is dropped */
inline ${p}_in() {   /* hop ${i}: Cloud NAT mapping */
  if
  :: ${p}_st[c] == CN_NONE ->
     if
     :: k == SYN && x == 0 -> ${p}_st[c] = CN_OPENING; t_${p}[c] = ${P}_TRANS   /* an inside SYN opens a mapping */
     :: k == RST -> fate = F_DROP
     :: else -> if :: ${P}_LATE_RESET -> fate = F_RESET :: else -> fate = F_DROP fi
     fi
  :: ${p}_st[c] == CN_OPENING ->
     if
     :: ${ACKC} -> ${p}_st[c] = CN_EST; t_${p}[c] = ${P}_EST
     :: k == FIN -> ${p}_st[c] = CN_CLOSING; ${recordFin}; t_${p}[c] = ${P}_TRANS
     :: k == RST -> ${p}_st[c] = CN_TWAIT; t_${p}[c] = ${P}_TW
     :: else -> t_${p}[c] = ${P}_TRANS
     fi
  :: ${p}_st[c] == CN_EST ->
     if
     :: k == FIN -> ${p}_st[c] = CN_CLOSING; ${recordFin}; t_${p}[c] = ${P}_TRANS
     :: k == RST -> ${p}_st[c] = CN_TWAIT; t_${p}[c] = ${P}_TW
     :: else -> t_${p}[c] = ${P}_EST
     fi
  :: ${p}_st[c] == CN_CLOSING ->
     if
     :: (k == FIN && ${p}_fin[c] != 0 && ${p}_fin[c] != x + 1) || k == RST -> ${p}_st[c] = CN_TWAIT; t_${p}[c] = ${P}_TW
     :: else -> t_${p}[c] = ${P}_TRANS
     fi
  :: ${p}_st[c] == CN_TWAIT ->
     if
     :: k == SYN && x == 0 -> ${p}_st[c] = CN_OPENING; ${p}_fin[c] = 0; t_${p}[c] = ${P}_TRANS   /* a new inside SYN reopens */
     :: else -> t_${p}[c] = ${P}_TW
     fi
  fi
}
`,
    timers: [{ name: `t_${p}`, size: nc, boundary: c.boundary, expire: `${p}_expire` }],
    proactiveReset: false,
    notes: [`hop ${i}: gcp-cloud-nat, boundary ${boundaryNote(c.boundary)}; one mapping per connection, a timer per state (established, transitory, time-wait).`],
    constants: [est, tr, tw],
  };
}

/**
 * Linux conntrack (src/models/linuxConntrackFlowMachine.ts, domain-facts §2,
 * §11.2): the kernel's TCP states with their own timeouts; the ORIGINAL
 * direction and IPS_SEEN_REPLY; loose pickup of ACK-class segments only;
 * INVALID dropped when `dropInvalid`, passed otherwise (leaving the timer
 * alone); an RST before any reply deletes the entry at once; a move to
 * ESTABLISHED by a packet that came before any reply (a pickup, or the first
 * reply itself: the kernel sets IPS_SEEN_REPLY after the timeout is chosen)
 * is capped at `timeouts.unacknowledged`, so the timer is set before the bit.
 */
function linuxConntrackHop(i: number, h: Extract<FlowHopSpec, { type: 'linux-conntrack' }>, nc: number, tick: TickFn): PromelaHop {
  const p = `h${i}`;
  const P = `H${i}`;
  const cfg = h.config;
  const t = cfg.timeouts;
  const n = (s: number, what: string): number => tick(s, `hop ${i} linux-conntrack ${what}`);
  const T = {
    est: n(cfg.idleTimeout, 'established'),
    unrep: n(Math.min(cfg.idleTimeout, t.unacknowledged), 'established without a reply (min with unacknowledged)'),
    synSent: n(t.synSent, 'syn_sent'),
    synRecv: n(t.synRecv, 'syn_recv'),
    finWait: n(t.finWait, 'fin_wait'),
    closeWait: n(t.closeWait, 'close_wait'),
    lastAck: n(t.lastAck, 'last_ack'),
    timeWait: n(t.timeWait, 'time_wait'),
    close: n(t.close, 'close'),
  };
  const note = `${p}_rep[c] = ${p}_rep[c] || (${p}_or[c] != 0 && ${p}_or[c] != x + 1)`;   // IPS_SEEN_REPLY
  const forget = `${p}_st[c] = CT_NONE; ${p}_or[c] = 0; ${p}_rep[c] = 0; t_${p}[c] = OFF`;
  const newEntry = `${p}_or[c] = x + 1; ${p}_rep[c] = 0`;
  const go = (state: string, timer: string): string => `${p}_st[c] = ${state}; t_${p}[c] = ${timer}`;
  const goEst = `${p}_st[c] = CT_EST; if :: ${p}_rep[c] -> t_${p}[c] = ${P}_EST :: else -> t_${p}[c] = ${P}_UNREP fi`;
  const unreplied = `k == RST && !${p}_rep[c]`;
  return {
    index: i,
    type: 'linux-conntrack',
    label: 'Linux conntrack',
    source: 'src/models/linuxConntrackFlowMachine.ts, domain-facts 2, 11.2',
    defines: `/* hop ${i}: Linux conntrack (src/models/linuxConntrackFlowMachine.ts, domain-facts 2, 11.2) */
#define ${P}_EST ${T.est}    /* nf_conntrack_tcp_timeout_established */
#define ${P}_UNREP ${T.unrep}   /* ESTABLISHED with no reply seen: min(established, unacknowledged) */
#define ${P}_SYN_SENT ${T.synSent}
#define ${P}_SYN_RECV ${T.synRecv}
#define ${P}_FIN_WAIT ${T.finWait}
#define ${P}_CLOSE_WAIT ${T.closeWait}
#define ${P}_LAST_ACK ${T.lastAck}
#define ${P}_TIME_WAIT ${T.timeWait}
#define ${P}_CLOSE ${T.close}
#define ${P}_LOOSE ${cfg.tcpLoose ? 1 : 0}   /* nf_conntrack_tcp_loose */
#define ${P}_DROP_INVALID ${cfg.dropInvalid ? 1 : 0}   /* ct state invalid drop */
`,
    state: `/* hop ${i}: conntrack entries, one per connection */
byte ${p}_st[${nc}];    /* CT_… */
byte ${p}_or[${nc}];    /* ORIGINAL direction: 0 none, 1 client, 2 server */
bit ${p}_rep[${nc}];    /* IPS_SEEN_REPLY */
TT t_${p}[${nc}];
`,
    inlines: `inline ${p}_expire(f) { ${p}_st[f] = CT_NONE; ${p}_or[f] = 0; ${p}_rep[f] = 0; t_${p}[f] = OFF }   /* the entry times out, silently */
inline ${p}_in() {   /* hop ${i}: conntrack entry */
  if
  :: ${p}_st[c] == CT_NONE ->
     if
     :: k == SYN -> ${newEntry}; ${go('CT_SYN_SENT', `${P}_SYN_SENT`)}
     :: ${P}_LOOSE && ${ACKC} -> ${newEntry}; ${goEst}   /* loose pickup: ACK-class only */
     :: else -> if :: ${P}_DROP_INVALID -> fate = F_DROP :: else -> skip fi   /* INVALID: dropped, or passed without an entry */
     fi
  :: ${p}_st[c] == CT_SYN_SENT ->
     if
     :: k == SYNACK && ${p}_or[c] != 0 && ${p}_or[c] != x + 1 -> ${note}; ${go('CT_SYN_RECV', `${P}_SYN_RECV`)}
     :: ${unreplied} -> ${forget}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: ${ACKC} || k == FIN -> if :: ${P}_DROP_INVALID -> fate = F_DROP :: else -> skip fi   /* INVALID: the timer is left alone */
     :: else -> ${note}; t_${p}[c] = ${P}_SYN_SENT
     fi
  :: ${p}_st[c] == CT_SYN_RECV ->
     if
     :: ${ACKC} && ${p}_or[c] == x + 1 -> ${goEst}; ${note}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: k == FIN -> ${note}; ${go('CT_FIN_WAIT', `${P}_FIN_WAIT`)}
     :: else -> ${note}; t_${p}[c] = ${P}_SYN_RECV
     fi
  :: ${p}_st[c] == CT_EST ->
     if
     :: ${unreplied} -> ${forget}
     :: k == FIN -> ${note}; ${go('CT_FIN_WAIT', `${P}_FIN_WAIT`)}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: else -> ${goEst}; ${note}   /* the timer follows IPS_SEEN_REPLY as before this packet (nf_conntrack_core.c sets it after the handler) */
     fi
  :: ${p}_st[c] == CT_FIN_WAIT ->
     if
     :: ${unreplied} -> ${forget}
     :: k == FIN -> ${note}; ${go('CT_LAST_ACK', `${P}_LAST_ACK`)}
     :: ${ACKC} -> ${note}; ${go('CT_CLOSE_WAIT', `${P}_CLOSE_WAIT`)}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: else -> ${note}; t_${p}[c] = ${P}_FIN_WAIT
     fi
  :: ${p}_st[c] == CT_CLOSE_WAIT ->
     if
     :: ${unreplied} -> ${forget}
     :: k == FIN -> ${note}; ${go('CT_LAST_ACK', `${P}_LAST_ACK`)}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: else -> ${note}; t_${p}[c] = ${P}_CLOSE_WAIT
     fi
  :: ${p}_st[c] == CT_LAST_ACK ->
     if
     :: ${unreplied} -> ${forget}
     :: ${ACKC} -> ${note}; ${go('CT_TIME_WAIT', `${P}_TIME_WAIT`)}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: else -> ${note}; t_${p}[c] = ${P}_LAST_ACK
     fi
  :: ${p}_st[c] == CT_TIME_WAIT ->
     if
     :: ${unreplied} -> ${forget}
     :: k == SYN -> ${newEntry}; ${go('CT_SYN_SENT', `${P}_SYN_SENT`)}
     :: k == RST -> ${note}; ${go('CT_CLOSE', `${P}_CLOSE`)}
     :: else -> ${note}; t_${p}[c] = ${P}_TIME_WAIT
     fi
  :: ${p}_st[c] == CT_CLOSE ->
     if
     :: k == SYN -> ${newEntry}; ${go('CT_SYN_SENT', `${P}_SYN_SENT`)}
     :: else -> ${note}; t_${p}[c] = ${P}_CLOSE
     fi
  fi
}
`,
    timers: [{ name: `t_${p}`, size: nc, boundary: cfg.boundary, expire: `${p}_expire` }],
    proactiveReset: false,
    notes: [`hop ${i}: linux-conntrack, boundary ${boundaryNote(cfg.boundary)}; one entry per connection, a timer per kernel state.`],
    constants: Object.values(T),
  };
}

/** The hop spec of a registry kind: the GWLB's, a standalone firewall's (`pan-os`, `conntrack-loose`) or a flow hop's of that `type`. */
export type HopSpecOf<K extends HopKind> = K extends 'gwlb' ? GwlbHopSpec : K extends FirewallHopSpec['firewall']['kind'] ? FirewallHopSpec : Extract<FlowHopSpec, { readonly type: K }>;

/** Renders hop `i` (of a path with `nc` connections) of one kind. */
export type PromelaRenderer<S extends HopSpec> = (i: number, h: S, nc: number, tick: TickFn) => PromelaHop;

/**
 * The rendering of every hop kind, keyed by the scenario `type` string
 * ({@link hopType}): the one source of truth of which kinds the export
 * renders. Its type requires a key for every kind of the registry
 * (src/models/hopKinds.ts), so a kind added there without a rendering fails
 * `npm run typecheck`; src/reporting/promela.ts derives `PROMELA_HOP_KINDS`
 * and its refusal from these keys.
 */
export type PromelaRenderers = { readonly [K in HopKind]: PromelaRenderer<HopSpecOf<K>> };

/** The renderers, in registry order (see {@link PromelaRenderers}). */
export const PROMELA_RENDERERS: PromelaRenderers = {
  gwlb: gwlbHop,
  'pan-os': firewallHop,
  'conntrack-loose': firewallHop,
  'nat-gateway': singleTimerHop,
  nlb: nlbHop,
  'eni-conntrack': singleTimerHop,
  'aws-network-firewall': singleTimerHop,
  'azure-lb': azureLbHop,
  'azure-nat-gateway': singleTimerHop,
  'gcp-cloud-nat': gcpCloudNatHop,
  'gcp-firewall': singleTimerHop,
  'linux-conntrack': linuxConntrackHop,
};

/**
 * The rendering of hop `i` of a path with `nc` connections, from
 * `renderers` (default {@link PROMELA_RENDERERS}); undefined for a hop whose
 * type has no rendering there (the caller refuses it, naming `path[i].type`).
 */
export function renderHop(i: number, h: HopSpec, nc: number, tick: TickFn, renderers: Partial<Record<string, PromelaRenderer<never>>> = PROMELA_RENDERERS): PromelaHop | undefined {
  const type = hopType(h);
  if (!Object.hasOwn(renderers, type)) return undefined;
  // hopType(h) === K implies that h is a HopSpecOf<K> (the spec types are keyed by the same strings).
  return (renderers[type] as PromelaRenderer<HopSpec> | undefined)?.(i, h, nc, tick);
}

/** The state constants the hop renderings use. */
export const HOP_STATE_DEFINES = `/* firewall session states */
#define FW_NONE 0
#define FW_INIT 1
#define FW_HANDSHAKE 2
#define FW_EST 3
#define FW_HALF 4
#define FW_TWAIT 5
/* NLB flow states */
#define NLB_NONE 0
#define NLB_HALFOPEN 1
#define NLB_EST 2
#define NLB_CLOSING 3
#define NLB_LASTACK 4
/* Azure LB flow states */
#define AZ_NONE 0
#define AZ_ADOPTED 1
#define AZ_OPENING 2
#define AZ_EST 3
#define AZ_CLOSING 4
#define NOLAST 255
/* GCP Cloud NAT mapping states */
#define CN_NONE 0
#define CN_OPENING 1
#define CN_EST 2
#define CN_CLOSING 3
#define CN_TWAIT 4
/* Linux conntrack states */
#define CT_NONE 0
#define CT_SYN_SENT 1
#define CT_SYN_RECV 2
#define CT_EST 3
#define CT_FIN_WAIT 4
#define CT_CLOSE_WAIT 5
#define CT_LAST_ACK 6
#define CT_TIME_WAIT 7
#define CT_CLOSE 8`;

/** The pieces of the model that depend on where a middlebox timer's boundary puts its expiry. */
export function boundaryNote(b: Boundary): string {
  switch (b) {
    case 'open':
      return 'open ("longer than T": an entry idle exactly T ticks exists at that instant, gone at the next tick)';
    case 'closed':
      return 'closed ("T or more": gone at the instant it has been idle T ticks, before any segment of that instant)';
    case 'ambiguous':
      return 'ambiguous (at the instant it has been idle T ticks it expires before or after each segment of that instant: both orders)';
  }
}
