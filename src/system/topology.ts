import type { FirewallConfig } from '../models/firewallConfig.ts';
import type { GwlbConfig } from '../models/gwlbConfig.ts';
import type { HopConfigOf, HopKind } from '../models/hopKinds.ts';
import type { TcpEndpointConfig } from '../models/tcpEndpointConfig.ts';

/**
 * Whether a segment that arrives exactly when a middlebox's idle timer
 * expires still finds its entry (domain-facts §10):
 * - `open`: "idle for longer than" (GWLB, NLB docs): at exactly the timeout
 *   the entry still exists; it is gone only after.
 * - `closed`: "N seconds or more" (NAT gateway docs): at exactly the timeout
 *   the entry is already gone.
 * - `ambiguous`: both orders are explored (the union of both readings).
 */
export type Boundary = 'open' | 'closed' | 'ambiguous';

/** Endpoint settings shared by every connection of a role. */
export type EndpointSettings = Omit<TcpEndpointConfig, 'role' | 'conn'>;

/**
 * What the applications may do, at any time the connection allows it
 * (design.md: environment actions may happen at any time unless guarded).
 * An application sends one request at a time: it sends again only once its
 * previous data is acknowledged (request/response), so a stalled connection
 * is not flooded with ever more writes. Defaults follow the KB story: the
 * client sends requests and may close; the server only answers (its ACKs)
 * and closes by its own idle timer.
 */
export interface Environment {
  readonly clientSends: boolean;
  readonly clientCloses: boolean;
  readonly serverSends: boolean;
  readonly serverCloses: boolean;
  /**
   * Every client connects at time 0 instead of at any time (default false).
   * Needed to state "another connection is open and keeps a shared flow
   * entry alive": otherwise the explorer may also delay that connection.
   */
  readonly connectAtStart?: boolean;
}

/** Overrides of one connection's endpoint settings (see {@link Topology.perConnection}). */
export interface PerConnectionSettings {
  readonly client?: Partial<EndpointSettings>;
  readonly server?: Partial<EndpointSettings>;
}

/** The endpoint settings of connection `conn` and `role`: the shared settings with the connection's overrides. */
export function endpointSettings(t: Topology, conn: number, role: 'client' | 'server'): EndpointSettings {
  const base = role === 'client' ? t.client : t.server;
  const over = t.perConnection?.[conn]?.[role];
  return over ? { ...base, ...over } : base;
}

/** A value as JSON with its object keys sorted (so that equal settings give equal text). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * True when every connection of `t` has the same endpoint settings, client and
 * server, as connection 0 (its `perConnection` overrides, if any, change
 * nothing). Then the connections are interchangeable: connection symmetry
 * (product.ts), observing one connection (observedConnections.ts), checking one
 * connection alone when they share nothing (check.ts) and the oracle
 * (oracle.ts) all ask this one question.
 */
export function connectionsAlike(t: Topology): boolean {
  if (t.perConnection === undefined) return true;
  const of = (c: number) => canonicalJson([endpointSettings(t, c, 'client'), endpointSettings(t, c, 'server')]);
  const first = of(0);
  for (let c = 1; c < t.connections; c++) if (of(c) !== first) return false;
  return true;
}

/** The default environment. */
export const defaultEnvironment: Environment = { clientSends: true, clientCloses: true, serverSends: false, serverCloses: false };

/** The GWLB settings of a {@link GwlbHopSpec} (its machine config without the target count, plus the boundary). */
export type GwlbSettings = Omit<GwlbConfig, 'targets'> & { readonly boundary: Boundary };

/** A group of identical firewall appliances (targets) behind a load balancer hop. */
export interface ApplianceGroup {
  /** Number of targets, 1..16. */
  readonly count: number;
  /** The session semantics of every appliance (the connection index is filled in per connection). */
  readonly firewall: Omit<FirewallConfig, 'conn'>;
  /** Timer boundary of the appliances' session timers (domain-facts §10). */
  readonly boundary: Boundary;
}

/**
 * An AWS Gateway Load Balancer hop with its appliance target group
 * (domain-facts §1): one flow entry per stickiness key, each pinned to one
 * appliance; a new flow's appliance is a free, explored choice.
 */
export interface GwlbHopSpec {
  readonly kind: 'gwlb';
  /** Name used in reports (default `gwlb`). */
  readonly name?: string;
  readonly gwlb: GwlbSettings;
  readonly appliances: ApplianceGroup;
}

/**
 * A stateful firewall directly on the path (not behind a load balancer):
 * one session per connection, PAN-OS or loose conntrack semantics
 * (domain-facts §2 conntrack row, §3).
 */
export interface FirewallHopSpec {
  readonly kind: 'firewall';
  /** Name used in reports (default the firewall kind, e.g. `pan-os`). */
  readonly name?: string;
  readonly firewall: Omit<FirewallConfig, 'conn'>;
  readonly boundary: Boundary;
}

/** The hop kinds that {@link FlowHopSpec} composes: every registry kind but the GWLB and the firewall sessions, which have their own specs. */
export type FlowHopKind = Exclude<HopKind, 'gwlb' | 'pan-os' | 'conntrack-loose'>;

/**
 * A hop of any other registry kind (src/models/hopKinds.ts: NAT gateways,
 * load balancers, connection tracking): one flow entry per connection (each
 * is keyed by the connection's 5-tuple), the kind's machine with its parsed
 * config as input, its boundary from the config. A kind that chooses a
 * target (Azure LB with firewall backends) has `backends`, identical
 * appliances as behind a GWLB.
 */
export type FlowHopSpec = {
  readonly [K in FlowHopKind]: {
    readonly kind: 'flow';
    readonly type: K;
    /** Name used in reports (default the type, e.g. `nat-gateway`). */
    readonly name?: string;
    /** The parsed config (the registry's `parseConfig`), with `idleTimeout`, `boundary` and `targets`. */
    readonly config: HopConfigOf<K>;
    /** The targets of a choosing kind (`config.targets` of them). */
    readonly backends?: ApplianceGroup;
  };
}[FlowHopKind];

/** One hop of a path, client side first (design.md, "Composition"). */
export type HopSpec = GwlbHopSpec | FirewallHopSpec | FlowHopSpec;

/**
 * A resolved topology: connections from client(s) to server(s) through an
 * ordered list of hops (design.md, "Composition"). All values are already
 * validated and defaulted; the scenario layer builds this from a user's file.
 */
export interface Topology {
  readonly name: string;
  /** Number of concurrent connections from the client to the server, 1..3. */
  readonly connections: number;
  readonly client: EndpointSettings;
  readonly server: EndpointSettings;
  /** The hops from the client side to the server side, in order (1..8). */
  readonly path: readonly HopSpec[];
  readonly environment: Environment;
  /**
   * Per-connection endpoint overrides, merged over `client` / `server` for
   * connection `c` (entry `c`; missing entries and fields keep the shared
   * settings). Lets one connection keep a shared 2-tuple GWLB entry alive
   * with keepalive while another idles (domain-facts §1.3).
   */
  readonly perConnection?: readonly PerConnectionSettings[];
  /**
   * Every delay the machines arm is multiplied by this integer (default 1).
   * Used to show that the zone graph does not depend on magnitudes.
   */
  readonly timeScale?: number;
}

/** The fields of a topology besides its path. */
export type TopologyBase = Omit<Topology, 'path'>;

/**
 * A topology of exactly one GWLB hop with its appliances (the KB 16099
 * shape), from its GWLB settings and appliance group.
 */
export function gwlbTopology(t: TopologyBase & { readonly gwlb: GwlbSettings; readonly appliances: ApplianceGroup }): Topology {
  const { gwlb, appliances, ...base } = t;
  return { ...base, path: [{ kind: 'gwlb', gwlb, appliances }] };
}

/** The sole GWLB hop of a KB-shaped topology ({@link soleGwlb}); throws for any other path. */
export function kbHop(t: Topology): GwlbHopSpec {
  const g = soleGwlb(t);
  if (!g) throw new Error(`topology ${t.name} is not a single GWLB hop (path: ${t.path.map((h) => h.kind).join(', ')})`);
  return g;
}

/** The KB-shaped topology with its GWLB settings and appliance group patched. */
export function withGwlb(t: Topology, patch: { readonly gwlb?: Partial<GwlbSettings>; readonly appliances?: Partial<ApplianceGroup> }): Topology {
  const g = kbHop(t);
  return { ...t, path: [{ ...g, gwlb: { ...g.gwlb, ...patch.gwlb }, appliances: { ...g.appliances, ...patch.appliances } }] };
}

/** The path's hop `h`, or an error naming the index (a bug in the caller). */
export function hopAt(t: Topology, h: number): HopSpec {
  const hop = t.path[h];
  if (hop === undefined) throw new Error(`topology ${t.name} has no hop ${h} (it has ${t.path.length})`);
  return hop;
}

/**
 * The GWLB hop of a path that consists of exactly one GWLB hop (the KB 16099
 * shape), or undefined for any other path. Code that knows only that shape
 * (the oracle's GWLB rules, the Promela export) asks this instead of assuming it.
 */
export function soleGwlb(t: Topology): GwlbHopSpec | undefined {
  const only = t.path.length === 1 ? t.path[0] : undefined;
  return only?.kind === 'gwlb' ? only : undefined;
}

/** Whether a hop keeps ONE flow entry for every connection (GWLB 2-/3-tuple stickiness: domain-facts §1.3). */
export function sharesEntry(hop: HopSpec): boolean {
  return hop.kind === 'gwlb' && hop.gwlb.stickiness !== '5-tuple';
}

/** Every number in a config, at any depth. */
function numbersIn(v: unknown): number[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [v] : [];
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(numbersIn);
  return [];
}

/**
 * Every idle timer constant (seconds) a hop can arm, or more: for a registry
 * kind, every number of its config (its timeouts are among them; an upper
 * bound is all the extrapolation needs).
 */
export function hopTimeouts(hop: HopSpec): number[] {
  if (hop.kind === 'gwlb') return [hop.gwlb.idleTimeout, ...Object.values(hop.appliances.firewall.timeouts)];
  if (hop.kind === 'firewall') return Object.values(hop.firewall.timeouts);
  return [...numbersIn(hop.config), ...(hop.backends ? Object.values(hop.backends.firewall.timeouts) : [])];
}

/** The largest timer constant (ms, before timeScale) any machine of the topology can arm. */
export function largestConstantMs(t: Topology): number {
  const each = Array.from({ length: t.connections }, (_, c) => [endpointSettings(t, c, 'client'), endpointSettings(t, c, 'server')]).flat();
  const ends = [t.client, t.server, ...each].flatMap((e) => [
    e.keepalive === 'off' ? 0 : Math.max(e.keepalive.idle, e.keepalive.interval),
    e.idleClose === 'never' ? 0 : e.idleClose,
    e.rtoMax,
    e.timeWait,
    e.finTimeout,
    e.userTimeout ?? 0,
  ]);
  return Math.max(...t.path.flatMap(hopTimeouts), ...ends) * 1000;
}
