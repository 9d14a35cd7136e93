import { firewallPresets } from '../models/firewallConfig.ts';
import { defaultEnvironment, gwlbTopology, type EndpointSettings, type Topology } from '../system/topology.ts';
import type { EndpointConfig, Scenario } from './scenario.ts';

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

/**
 * The topology a validated scenario describes: its one GWLB hop with its
 * appliance group (the only hop kind modelled so far; the scenario layer
 * refuses the others by name), endpoint settings and the default
 * environment (topology.ts).
 */
export function toTopology(s: Scenario, timeScale = 1): Topology {
  const gwlb = s.path[0]!;
  const preset = firewallPresets[gwlb.appliances.type];
  return gwlbTopology({
    name: s.name,
    connections: s.connections,
    client: endpoint(s.client),
    server: endpoint(s.server),
    gwlb: {
      idleTimeout: gwlb.idleTimeout,
      stickiness: gwlb.stickiness,
      unknownNonSyn: gwlb.unknownNonSyn,
      resetOnIdleTimeout: gwlb.resetOnIdleTimeout,
      boundary: gwlb.boundary,
    },
    appliances: {
      count: gwlb.appliances.count,
      firewall: {
        kind: gwlb.appliances.type,
        rejectNonSyn: gwlb.appliances.rejectNonSyn,
        timeouts: { ...preset.timeouts, established: gwlb.appliances.tcpTimeout },
      },
      boundary: gwlb.appliances.boundary,
    },
    environment: defaultEnvironment,
    ...(timeScale === 1 ? {} : { timeScale }),
  });
}
