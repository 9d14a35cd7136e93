/**
 * The validated, fully resolved scenario: what {@link validateScenario},
 * `parseScenarioText`, `loadScenarioFile`, `resolveScenario` and
 * `loadPreset` return. Every default is filled in, so the rest of midpath
 * never needs to know a default. A `Scenario` is itself a valid scenario
 * file (serialise it to YAML or JSON and it loads back to an equal value).
 *
 * The file format and its defaults are defined once, by the zod schema in
 * `scenarioSchema.ts`; the types here are what that schema resolves to.
 *
 * @module
 */

/** Stable ids of the properties midpath checks (design.md, "Properties"). */
export const PROPERTY_IDS = ['no-mid-path-drop', 'no-mid-path-reset', 'no-half-open', 'clean-close'] as const;

/** A property id, e.g. `no-mid-path-drop`. */
export type PropertyId = (typeof PROPERTY_IDS)[number];

/**
 * What a scenario states it must show for a property: `holds`, `violated`,
 * or `any` to ignore it on purpose. A property the scenario does not name
 * must hold.
 */
export type Expectation = 'holds' | 'violated' | 'any';

/**
 * Whether a segment arriving exactly `timeout` seconds after the last one
 * still belongs to the flow (domain-facts §10):
 * - `open`: yes, the entry expires only when idle for *longer than* the
 *   timeout (AWS GWLB/NLB wording);
 * - `closed`: no, the entry is gone at exactly the timeout ("350 seconds or
 *   more", AWS NAT gateway wording);
 * - `ambiguous`: both outcomes are explored.
 */
export type Boundary = 'open' | 'closed' | 'ambiguous';

/** TCP keepalive timers of one socket, in seconds (domain-facts §4). */
export interface KeepaliveTimers {
  /** Idle time before the first probe (`TCP_KEEPIDLE`), seconds, 1..32767. */
  readonly idle: number;
  /** Time between unanswered probes (`TCP_KEEPINTVL`), seconds, 1..32767. */
  readonly interval: number;
  /** Unanswered probes before the socket aborts (`TCP_KEEPCNT`), 1..127. */
  readonly probes: number;
}

/** One endpoint's TCP and application behaviour. */
export interface EndpointConfig {
  /** `'off'` (no `SO_KEEPALIVE`) or the keepalive timers in force. */
  readonly keepalive: 'off' | KeepaliveTimers;
  /** Seconds of application idle before this side closes (FIN), or `'never'`. */
  readonly idleClose: number | 'never';
  /** Whether the application closes its side when the peer's FIN arrives. */
  readonly closeOnPeerFin: boolean;
  /** Linux `tcp_retries2`: retransmissions before the socket aborts (domain-facts §4.1), 1..255. */
  readonly retries2: number;
  /** `TCP_USER_TIMEOUT` in seconds (domain-facts §4.1), or `'off'` when not set. */
  readonly userTimeout: number | 'off';
}

/** Appliance kinds a GWLB can front. */
export type ApplianceType = 'pan-os' | 'conntrack-loose';

/** The target group behind a GWLB: `count` identical appliances. */
export interface ApplianceGroup {
  /** Number of appliances (targets), 1..16. */
  readonly count: number;
  /**
   * `pan-os`: a VM-Series firewall session table (domain-facts §3);
   * `conntrack-loose`: Linux conntrack with `nf_conntrack_tcp_loose=1`,
   * which adopts mid-stream flows (domain-facts §2, Modelling consequences 4).
   */
  readonly type: ApplianceType;
  /** Established-session idle timeout, seconds (PAN-OS 3600, conntrack 432000). */
  readonly tcpTimeout: number;
  /** Drop a non-SYN segment that has no session (PAN-OS `tcp-reject-non-syn`, domain-facts §3.2). Always false for `conntrack-loose`. */
  readonly rejectNonSyn: boolean;
  /** Timeout boundary of the session timer. */
  readonly boundary: Boundary;
}

/** GWLB flow stickiness: which tuple keys a flow entry (domain-facts §1.3). */
export type Stickiness = '5-tuple' | '3-tuple' | '2-tuple';

/** An AWS Gateway Load Balancer hop with its appliance target group (domain-facts §1). */
export interface GwlbHop {
  readonly type: 'gwlb';
  /** Name in reports; default `gwlb`. */
  readonly name?: string;
  /** `tcp.idle_timeout.seconds`, 60..6000, default 350 (domain-facts §1.1). */
  readonly idleTimeout: number;
  /** Flow key (domain-facts §1.3), default `5-tuple`. */
  readonly stickiness: Stickiness;
  /** `send_tcp_reset.on_idle_timeout.enabled`, default false (domain-facts §1.2). */
  readonly resetOnIdleTimeout: boolean;
  /**
   * With reset off: what GWLB does with a non-SYN segment that has no flow
   * entry. `forward` as a new flow (seed KB, default) or `drop` (UNCONFIRMED
   * alternative, domain-facts §1.4).
   */
  readonly unknownNonSyn: 'forward' | 'drop';
  /** Timeout boundary of the flow entry (domain-facts §10), default `open`. */
  readonly boundary: Boundary;
  /** The targets behind this GWLB. */
  readonly appliances: ApplianceGroup;
}

/** A stateful firewall directly on the path, not behind a GWLB (domain-facts §2 conntrack row, §3). */
export interface FirewallHop {
  readonly type: 'pan-os' | 'conntrack-loose';
  /** Name in reports; default the type. */
  readonly name?: string;
  /** Established session timeout, seconds (PAN-OS `timeout-tcp`, default 3600; conntrack established, default 432000). */
  readonly idleTimeout: number;
  /** PAN-OS `tcp-reject-non-syn` (domain-facts §3.2); always false for `conntrack-loose`. */
  readonly rejectNonSyn: boolean;
  /** The other per-state timeouts, seconds; omitted ones keep the product defaults (domain-facts §3.1). */
  readonly timeouts?: { readonly init?: number; readonly handshake?: number; readonly halfClosed?: number; readonly timeWait?: number };
  /** Timeout boundary of the session timer (default `ambiguous`). */
  readonly boundary: Boundary;
}

/**
 * A hop of one of the other modelled kinds (src/models/hopKinds.ts: NAT
 * gateways, NLB, Azure LB, Cloud NAT, connection tracking): its `type`, an
 * optional `name`, `idleTimeout` in seconds, `boundary`, and the kind's own
 * fields with their defaults filled in (the JSON Schema lists them), plus,
 * for an Azure LB in front of firewalls, `backends`.
 */
export interface FlowHop {
  readonly type: 'nat-gateway' | 'nlb' | 'eni-conntrack' | 'aws-network-firewall' | 'azure-lb' | 'azure-nat-gateway' | 'gcp-cloud-nat' | 'gcp-firewall' | 'linux-conntrack';
  readonly name?: string;
  readonly idleTimeout?: number;
  readonly boundary: Boundary;
  readonly backends?: ApplianceGroup;
  readonly [field: string]: unknown;
}

/** A hop on the path, client side first. */
export type Hop = GwlbHop | FirewallHop | FlowHop;

/** IPv4 addresses used when rendering traces (pcapng, diagrams). */
export interface Addresses {
  readonly client: string;
  readonly server: string;
  /** The GWLB node (outer source of the GENEVE tunnel). */
  readonly gwlb: string;
  /** The first appliance; appliance `i` is this address plus `i` (see `applianceAddress`). */
  readonly appliance0: string;
}

/** What the scenario must show, per property; a property not listed has no expectation. */
export type Expectations = { readonly [K in PropertyId]?: Expectation };

/** A validated scenario with every default filled in. */
export interface Scenario {
  /** Identifier used in reports and file names. */
  readonly name: string;
  /** What the scenario is about, in words (may be empty). */
  readonly description: string;
  /** Number of concurrent connections between client and server, 1..3. */
  readonly connections: number;
  readonly client: EndpointConfig;
  readonly server: EndpointConfig;
  /** The hops from client to server, in order (1..8). */
  readonly path: readonly Hop[];
  readonly addresses: Addresses;
  readonly expect: Expectations;
}
