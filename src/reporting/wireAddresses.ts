import type { WireAddresses, WireHop } from './wirePackets.ts';
import { applianceAddress } from '../scenarios/applianceAddress.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { toTopology } from '../scenarios/toTopology.ts';
import { hopName, targetPrefix } from '../system/componentRef.ts';
import type { HopSpec } from '../system/topology.ts';

/**
 * The hop kinds that translate the client's source address and port (source
 * NAT, domain-facts §2, §11.1): AWS NAT gateway, Azure NAT gateway, GCP Cloud
 * NAT. `linux-conntrack` is not among them: its config has no NAT field and
 * the hop registry marks no kind as translating, so a Linux conntrack hop is
 * shown as a pure tracking hop that keeps addresses. Load balancers (`nlb`,
 * `azure-lb`) and firewalls keep addresses too; a GWLB keeps them inside its
 * GENEVE tunnel.
 */
export const NAT_HOP_TYPES: readonly string[] = ['nat-gateway', 'azure-nat-gateway', 'gcp-cloud-nat'];

/** The first outside address: NAT hop at path index i shows `203.0.113.(10 + i)` (RFC 5737 TEST-NET-3, documentation only). */
export const NAT_OUTSIDE_PREFIX = '203.0.113.';
/** The outside address of a NAT hop at path index 0 ends in this; index i adds i. */
export const NAT_OUTSIDE_HOST_BASE = 10;
/** The outside source port of connection c through the n-th NAT hop (0-based) is `NAT_OUTSIDE_PORT_BASE + 100 n + c` (AWS NAT gateways use 1024..65535). */
export const NAT_OUTSIDE_PORT_BASE = 1024;

/** True when a hop translates the client's address (see {@link NAT_HOP_TYPES}). */
export function isNatHop(h: HopSpec): boolean {
  return h.kind === 'flow' && NAT_HOP_TYPES.includes(h.type);
}

/** The number of targets of a choosing hop (GWLB appliances, Azure LB backends), 0 for any other. */
function targetCount(h: HopSpec): number {
  return h.kind === 'gwlb' ? h.appliances.count : h.kind === 'flow' ? (h.backends?.count ?? 0) : 0;
}

/**
 * The capture addresses of a scenario: its `addresses`, client port
 * 49152 + conn, server port 443, and one {@link WireHop} per hop of the path,
 * by the name its trace components carry (so every hop gets its own
 * interfaces, titled by that name):
 * - a NAT hop ({@link NAT_HOP_TYPES}) translates: behind it (server side) the
 *   client is `203.0.113.(10 + i)` for the hop at path index i, port
 *   `1024 + 100 n + conn` for the n-th NAT hop of the path, both directions;
 *   in front of it the client keeps its inside address and port;
 * - a GWLB keeps addresses and wraps the legs to its appliances in GENEVE
 *   (the hop named `gwlb` is left to the default GWLB of `gwlb`/`appliances`,
 *   titled `GWLB`);
 * - every other hop (load balancers, firewalls, conntrack) keeps addresses;
 *   an Azure LB's backends are plain (not encapsulated) targets.
 * Deterministic: a function of the scenario alone.
 */
export function wireAddresses(s: Scenario): WireAddresses {
  const gwlb = s.path.find((h) => h.type === 'gwlb');
  const count = gwlb && 'appliances' in gwlb ? gwlb.appliances.count : 1;
  const t = toTopology(s);
  const hops: Record<string, WireHop> = {};
  let nats = 0;
  t.path.forEach((h, i) => {
    const name = hopName(t, i);
    if (h.kind === 'gwlb' && name === 'gwlb') return;
    const n = targetCount(h);
    const prefix = targetPrefix(t, i);
    const translate = isNatHop(h) ? { address: `${NAT_OUTSIDE_PREFIX}${NAT_OUTSIDE_HOST_BASE + i}`, portBase: NAT_OUTSIDE_PORT_BASE + 100 * nats++ } : undefined;
    hops[name] = {
      title: name,
      address: s.addresses.gwlb,
      geneve: h.kind === 'gwlb',
      targets: Array.from({ length: n }, (_, k) => ({ title: `${prefix}${k}`, address: applianceAddress(s.addresses, k) })),
      ...(translate ? { translate } : {}),
    };
  });
  return {
    client: s.addresses.client,
    server: s.addresses.server,
    gwlb: s.addresses.gwlb,
    appliances: Array.from({ length: count }, (_, k) => applianceAddress(s.addresses, k)),
    clientPortBase: 49152,
    serverPort: 443,
    ...(Object.keys(hops).length > 0 ? { hops } : {}),
  };
}
