import type { FirewallConfig } from '../models/firewallConfig.ts';
import type { GwlbConfig } from '../models/gwlbConfig.ts';
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

/** The default environment. */
export const defaultEnvironment: Environment = { clientSends: true, clientCloses: true, serverSends: false, serverCloses: false };

/**
 * A resolved topology: connections from client(s) to server(s) through an
 * AWS GWLB with `appliances.count` appliance targets (design.md,
 * "Composition"). All values are already validated and defaulted; the
 * scenario layer builds this from a user's file.
 */
export interface Topology {
  readonly name: string;
  /** Number of concurrent connections from the client to the server, 1..3. */
  readonly connections: number;
  readonly client: EndpointSettings;
  readonly server: EndpointSettings;
  readonly gwlb: Omit<GwlbConfig, 'targets'> & { readonly boundary: Boundary };
  readonly appliances: {
    readonly count: number;
    readonly firewall: Omit<FirewallConfig, 'conn'>;
    readonly boundary: Boundary;
  };
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
  const fw = Object.values(t.appliances.firewall.timeouts);
  return Math.max(t.gwlb.idleTimeout, ...fw, ...ends) * 1000;
}
