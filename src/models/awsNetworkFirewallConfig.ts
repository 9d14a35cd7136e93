/**
 * Configuration of one AWS Network Firewall flow ({@link awsNetworkFirewallFlowMachine}).
 *
 * Sources: domain-facts §2 (AWS Network Firewall row: `TcpIdleTimeoutSeconds`
 * default 350, 60..6000; after expiry data packets are dropped; the next SYN
 * is a new flow; keepalives reset the timer), §11.2 (a change affects only new
 * flows: the composition builds each flow with the config in force). The
 * vendor's boundary wording is not recorded: `ambiguous`.
 */
import * as z from 'zod';
import { intRange } from './gwlbConfig.ts';
import { boundaryField, hopEnvelopeFields, notAnObject, parseHopFields, type HopBoundary, type HopConfigBase } from './hopConfig.ts';

/** Allowed `TcpIdleTimeoutSeconds` (domain-facts §2). */
export const AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE = { min: 60, max: 6000, default: 350 } as const;

/** No boundary wording is recorded for Network Firewall (domain-facts §10): explore both. */
export const AWS_NETWORK_FIREWALL_BOUNDARY: HopBoundary = 'ambiguous';

/** A validated AWS Network Firewall configuration. */
export interface AwsNetworkFirewallConfig extends HopConfigBase {
  /** `FlowTimeouts.TcpIdleTimeoutSeconds`, 60..6000, default 350 (domain-facts §2). */
  readonly idleTimeout: number;
}

/** The zod schema of an `aws-network-firewall` hop. */
export const awsNetworkFirewallConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('aws-network-firewall'),
    /** Firewall policy `StatefulEngineOptions.FlowTimeouts.TcpIdleTimeoutSeconds` (domain-facts §2). */
    idleTimeout: intRange(
      'idleTimeout',
      AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE.min,
      AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE.max,
      'seconds',
      'AWS ',
    ).default(AWS_NETWORK_FIREWALL_IDLE_TIMEOUT_RANGE.default).meta({ description: "Firewall policy StatefulEngineOptions.FlowTimeouts.TcpIdleTimeoutSeconds (domain-facts §2)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous` (no wording recorded). */
    boundary: boundaryField(AWS_NETWORK_FIREWALL_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous (no wording recorded)." }),
  },
  notAnObject('aws-network-firewall hop'),
);

/**
 * Validates an `aws-network-firewall` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range
 */
export function parseAwsNetworkFirewallConfig(raw: unknown, path = ''): AwsNetworkFirewallConfig {
  const { idleTimeout, boundary } = parseHopFields(awsNetworkFirewallConfigSchema, raw ?? {}, 'aws-network-firewall hop', path);
  return { idleTimeout, boundary, targets: 1 };
}
