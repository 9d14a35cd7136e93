/**
 * Configuration of one GCP VPC firewall connection-tracking entry
 * ({@link gcpFirewallFlowMachine}).
 *
 * Sources: domain-facts §11.2 (VPC firewall connection tracking keeps a
 * connection only "if at least one packet is sent every 10 minutes" [2nd
 * quoting GCP docs]; the Compute Engine troubleshooting page: idle TCP
 * connections are disconnected after 10 minutes). No setting is documented,
 * so the 600 s are fixed. What a late segment meets is the firewall rules as
 * a new connection, as for EC2 security groups (§11.2 by analogy,
 * UNCONFIRMED: parameter `lateSegment`). The wording "every 10 minutes" does
 * not settle the boundary: `ambiguous`.
 */
import * as z from 'zod';
import {
  boundaryField,
  fixedSeconds,
  hopEnvelopeFields,
  LATE_SEGMENT_FIELDS,
  lateSegmentField,
  notAnObject,
  parseHopFields,
  type HopBoundary,
  type HopConfigBase,
  type LateSegmentPolicy,
} from './hopConfig.ts';

/** GCP VPC firewall connection tracking: 10 minutes, no setting documented (domain-facts §11.2). */
export const GCP_FIREWALL_IDLE_TIMEOUT = 600;

/** "at least one packet every 10 minutes" does not settle the boundary (domain-facts §10). */
export const GCP_FIREWALL_BOUNDARY: HopBoundary = 'ambiguous';

/** A validated GCP VPC firewall configuration. */
export interface GcpFirewallConfig extends HopConfigBase {
  /** Always 600 (domain-facts §11.2). */
  readonly idleTimeout: number;
  /** Per sender side: a segment with no entry passes (tracked again) or is dropped silently (UNCONFIRMED, §11.2 by analogy). */
  readonly lateSegment: LateSegmentPolicy;
}

/** The zod schema of a `gcp-firewall` hop. */
export const gcpFirewallConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('gcp-firewall'),
    /** No vendor attribute: connection tracking keeps a connection 10 minutes (domain-facts §11.2). */
    idleTimeout: fixedSeconds('idleTimeout', GCP_FIREWALL_IDLE_TIMEOUT, 'GCP VPC firewall connection tracking').default(GCP_FIREWALL_IDLE_TIMEOUT).meta({ description: "No vendor attribute: connection tracking keeps a connection 10 minutes (domain-facts §11.2)." }),
    /** No vendor attribute: the firewall rules' verdict on a late segment as a new connection (UNCONFIRMED). */
    lateSegment: lateSegmentField().meta({ description: "No vendor attribute: the firewall rules' verdict on a late segment as a new connection (UNCONFIRMED)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous`. */
    boundary: boundaryField(GCP_FIREWALL_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous." }),
  },
  notAnObject('gcp-firewall hop'),
);

/**
 * Validates a `gcp-firewall` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and what is allowed
 */
export function parseGcpFirewallConfig(raw: unknown, path = ''): GcpFirewallConfig {
  const c = parseHopFields(gcpFirewallConfigSchema, raw ?? {}, 'gcp-firewall hop', path, { lateSegment: LATE_SEGMENT_FIELDS });
  return { idleTimeout: c.idleTimeout, lateSegment: c.lateSegment, boundary: c.boundary, targets: 1 };
}
