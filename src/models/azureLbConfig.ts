/**
 * Configuration of one Azure Standard Load Balancer flow ({@link azureLbFlowMachine}).
 *
 * Sources: domain-facts §2 (Azure Load Balancer row: 4 min default; silent
 * drop by default; with `EnableTcpReset` a bidirectional RST to client and
 * server at the idle timeout), §11.1 (ranges: load-balancing and inbound NAT
 * rules 4..100 min, outbound rules 4..120 min, default 4 everywhere), §11.2
 * (the reset is proactive, ESTABLISHED connections only, not for internal
 * load balancers with HA ports; boundary "longer than": open). With several
 * backends (firewall appliances), a segment of an expired flow is a new flow:
 * Azure documents a 5-tuple hash, yet the public incident shows flows moving
 * to the other firewall (issue 12 §2), so the backend of the new flow is a
 * parameter, free by default.
 */
import * as z from 'zod';
import { ConfigError } from './configError.ts';
import { flag, intRange, oneOf } from './gwlbConfig.ts';
import {
  boundaryField,
  hopEnvelopeFields,
  minutesAsSeconds,
  notAnObject,
  parseHopFields,
  type HopBoundary,
  type HopConfigBase,
} from './hopConfig.ts';

/** Which kind of rule the flow matches; it sets the idle-timeout range (domain-facts §11.1). */
export type AzureLbRuleKind = 'load-balancing' | 'inbound-nat' | 'outbound';

/** Idle timeout ranges in seconds per rule kind (domain-facts §11.1), default 240 for every kind. */
export const AZURE_LB_IDLE_TIMEOUT_RANGES: Readonly<Record<AzureLbRuleKind, { min: number; max: number; default: number }>> = {
  'load-balancing': { min: 240, max: 6000, default: 240 },
  'inbound-nat': { min: 240, max: 6000, default: 240 },
  outbound: { min: 240, max: 7200, default: 240 },
};

/**
 * Backend of the new flow that a segment of an expired flow creates: `any`
 * (the engine's free choice among all backends, default: the public incident
 * of flows moving to the other firewall) or `same` (Azure's documented 5-tuple
 * hash: the backend the flow had before).
 */
export type AzureLbNewFlowBackend = 'any' | 'same';

/** Allowed number of backends (targets) of one load-balancing rule. */
export const AZURE_LB_TARGETS_RANGE = { min: 1, max: 64 } as const;

/** Azure LB: "longer than", open boundary (domain-facts §10, §11.2). */
export const AZURE_LB_BOUNDARY: HopBoundary = 'open';

/** A validated Azure Load Balancer configuration. */
export interface AzureLbConfig extends HopConfigBase {
  /** `idleTimeoutInMinutes` × 60 (domain-facts §11.1): 240..6000 s, outbound rules 240..7200 s, whole minutes; default 240. */
  readonly idleTimeout: number;
  /** Which rule kind (domain-facts §11.1), default `load-balancing`. */
  readonly ruleKind: AzureLbRuleKind;
  /** `enableTcpReset` (domain-facts §2, §11.2), default false. */
  readonly tcpReset: boolean;
  /** An internal load balancer's HA-ports rule: no TCP reset is sent even with `tcpReset` (domain-facts §11.2). */
  readonly haPorts: boolean;
  /** Number of backends a new flow may land on, 1..64. */
  readonly targets: number;
  /** Backend of the new flow after expiry (parameter, default `any`). */
  readonly newFlowBackend: AzureLbNewFlowBackend;
  /**
   * Whether a flow created from a mid-stream ACK-class segment counts as
   * ESTABLISHED for the TCP reset at its timeout (domain-facts §11.2 names
   * ESTABLISHED only; for such flows UNCONFIRMED), default true.
   */
  readonly adoptedFlowEstablished: boolean;
}

/** The zod schema of an `azure-lb` hop. */
export const azureLbConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('azure-lb'),
    /** Rule property `idleTimeoutInMinutes`, written in seconds; the range depends on `ruleKind` (domain-facts §11.1). */
    idleTimeout: minutesAsSeconds('idleTimeout', 4, 120, 'idleTimeoutInMinutes').default(240).meta({ description: "Rule property idleTimeoutInMinutes, written in seconds; the range depends on ruleKind (domain-facts §11.1)." }),
    /** No single vendor attribute: the kind of rule (load-balancing rule, inbound NAT rule, outbound rule), domain-facts §11.1. */
    ruleKind: oneOf('ruleKind', ['load-balancing', 'inbound-nat', 'outbound']).default('load-balancing').meta({ description: "No single vendor attribute: the kind of rule (load-balancing rule, inbound NAT rule, outbound rule), domain-facts §11.1." }),
    /** Rule property `enableTcpReset` (domain-facts §2, §11.2). */
    tcpReset: flag('tcpReset').default(false).meta({ description: "Rule property enableTcpReset (domain-facts §2, §11.2)." }),
    /** An HA-ports rule of an internal load balancer (`frontendPort: 0`, `protocol: All`), where no TCP reset is sent (domain-facts §11.2). */
    haPorts: flag('haPorts').default(false).meta({ description: "An HA-ports rule of an internal load balancer (frontendPort: 0, protocol: All), where no TCP reset is sent (domain-facts §11.2)." }),
    /** Number of backend-pool members (e.g. firewall appliances); the path's `backends` give it. */
    targets: intRange('targets', AZURE_LB_TARGETS_RANGE.min, AZURE_LB_TARGETS_RANGE.max, 'backends', '').default(1).meta({ description: "Number of backend-pool members (e.g. firewall appliances); the path's backends give it." }),
    /** No vendor attribute: backend of a new flow after expiry (`any`, default, or `same`: the 5-tuple hash). */
    newFlowBackend: oneOf('newFlowBackend', ['any', 'same']).default('any').meta({ description: "No vendor attribute: backend of a new flow after expiry (any, default, or same: the 5-tuple hash)." }),
    /** No vendor attribute: a flow created mid-stream counts as ESTABLISHED for tcpReset (UNCONFIRMED, §11.2), default true. */
    adoptedFlowEstablished: flag('adoptedFlowEstablished').default(true).meta({ description: "No vendor attribute: a flow created from a mid-stream segment counts as ESTABLISHED for tcpReset (UNCONFIRMED, domain-facts §11.2), default true." }),
    /** Timeout boundary (domain-facts §10), default `open`. */
    boundary: boundaryField(AZURE_LB_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default open." }),
  },
  notAnObject('azure-lb hop'),
);

/**
 * Validates an `azure-lb` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range, e.g.
 *   `idleTimeout: 7200 is above the Azure maximum 6000 for load-balancing rules (…)`
 */
export function parseAzureLbConfig(raw: unknown, path = ''): AzureLbConfig {
  const c = parseHopFields(azureLbConfigSchema, raw ?? {}, 'azure-lb hop', path);
  const range = AZURE_LB_IDLE_TIMEOUT_RANGES[c.ruleKind];
  if (c.idleTimeout > range.max) {
    const field = path === '' ? 'idleTimeout' : `${path}.idleTimeout`;
    throw new ConfigError(
      field,
      `${field}: ${c.idleTimeout} is above the Azure maximum ${range.max} for ${c.ruleKind} rules (allowed ${range.min}..${range.max} seconds in steps of 60, idleTimeoutInMinutes 4..${range.max / 60} minutes; outbound rules up to 7200)`,
    );
  }
  return {
    idleTimeout: c.idleTimeout,
    ruleKind: c.ruleKind,
    tcpReset: c.tcpReset,
    haPorts: c.haPorts,
    targets: c.targets,
    newFlowBackend: c.newFlowBackend,
    adoptedFlowEstablished: c.adoptedFlowEstablished,
    boundary: c.boundary,
  };
}
