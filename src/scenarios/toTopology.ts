import { parseConntrackLooseHopConfig, parsePanOsHopConfig } from '../models/existingHopConfigs.ts';
import { firewallPresets } from '../models/firewallConfig.ts';
import { flowHop } from '../system/flowHop.ts';
import { defaultEnvironment, type ApplianceGroup, type EndpointSettings, type HopSpec, type Topology } from '../system/topology.ts';
import type { ApplianceGroup as ScenarioAppliances, EndpointConfig, FirewallHop, FlowHop, Hop, Scenario } from './scenario.ts';

/** Linux endpoint defaults the scenario file does not (yet) expose (domain-facts §4.1). */
const linuxTimers = { rtoMin: 0.2, rtoMax: 120, timeWait: 60, finTimeout: 60 } as const;

function endpoint(e: EndpointConfig): EndpointSettings {
  return {
    keepalive: e.keepalive === 'off' ? 'off' : { ...e.keepalive, preset: 'custom' },
    idleClose: e.idleClose,
    closeOnPeerFin: e.closeOnPeerFin,
    retries2: e.retries2,
    ...(e.userTimeout === 'off' ? {} : { userTimeout: e.userTimeout }),
    ...linuxTimers,
  };
}

/** An appliance group (GWLB appliances, Azure LB backends): the firewall preset of its type with its established timeout. */
function appliances(a: ScenarioAppliances): ApplianceGroup {
  const preset = firewallPresets[a.type];
  return { count: a.count, firewall: { kind: a.type, rejectNonSyn: a.rejectNonSyn, timeouts: { ...preset.timeouts, established: a.tcpTimeout } }, boundary: a.boundary };
}

function isFirewallHop(h: Hop): h is FirewallHop {
  return h.type === 'pan-os' || h.type === 'conntrack-loose';
}

/** The system's hop for a validated scenario hop `h` at position `i`. */
function hopSpec(h: Hop, i: number): HopSpec {
  const name = h.name === undefined ? {} : { name: h.name };
  if (h.type === 'gwlb') {
    return {
      kind: 'gwlb',
      ...name,
      gwlb: { idleTimeout: h.idleTimeout, stickiness: h.stickiness, unknownNonSyn: h.unknownNonSyn, resetOnIdleTimeout: h.resetOnIdleTimeout, boundary: h.boundary },
      appliances: appliances(h.appliances),
    };
  }
  if (isFirewallHop(h)) {
    const parse = h.type === 'pan-os' ? parsePanOsHopConfig : parseConntrackLooseHopConfig;
    const { type: _t, name: _n, ...fields } = h;
    const c = parse(fields, `path.${i}`);
    return { kind: 'firewall', ...name, firewall: { kind: c.kind, rejectNonSyn: c.rejectNonSyn, timeouts: c.timeouts }, boundary: c.boundary };
  }
  const { type, name: _n, backends, ...fields } = h as FlowHop;
  return flowHop(type, fields, { ...name, ...(backends ? { backends: appliances(backends) } : {}), path: `path.${i}` });
}

/**
 * The topology a validated scenario describes: its hops in order (each
 * kind's config parsed by the kind's own parser, src/models/hopKinds.ts),
 * endpoint settings and the default environment (topology.ts).
 */
export function toTopology(s: Scenario, timeScale = 1): Topology {
  return {
    name: s.name,
    connections: s.connections,
    client: endpoint(s.client),
    server: endpoint(s.server),
    path: s.path.map(hopSpec),
    environment: defaultEnvironment,
    ...(timeScale === 1 ? {} : { timeScale }),
  };
}
