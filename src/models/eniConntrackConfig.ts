/**
 * Configuration of one EC2 ENI connection-tracking entry (security groups),
 * {@link eniConntrackFlowMachine}.
 *
 * Sources: domain-facts §1.1 (EC2 API `ConnectionTrackingConfiguration`:
 * `TcpEstablishedTimeout` min 60, max 432000, default 432000; 350 on Nitro v6
 * excluding P6e-GB200; the ENI silently drops connection state), §2 (EC2 ENI
 * conntrack row), §11.2 (tracked automatically on GWLB, NLB, NAT gateway,
 * Network Firewall, TGW paths; a late packet meets the rules as a NEW
 * connection: dropped silently when they do not allow it in that direction,
 * passed and re-tracked when they do, UNCONFIRMED: parameter `lateSegment`).
 * No boundary wording is recorded: `ambiguous`.
 */
import * as z from 'zod';
import { flag, intRange } from './gwlbConfig.ts';
import {
  boundaryField,
  hopEnvelopeFields,
  LATE_SEGMENT_FIELDS,
  lateSegmentField,
  notAnObject,
  parseHopFields,
  type HopBoundary,
  type HopConfigBase,
  type LateSegmentPolicy,
} from './hopConfig.ts';

/** Allowed `TcpEstablishedTimeout` in seconds, default 432000 (domain-facts §1.1). */
export const ENI_CONNTRACK_IDLE_TIMEOUT_RANGE = { min: 60, max: 432_000, default: 432_000 } as const;

/** Default `TcpEstablishedTimeout` on Nitro v6 instances, excluding P6e-GB200 (domain-facts §1.1). */
export const ENI_CONNTRACK_NITRO_V6_DEFAULT = 350;

/** No boundary wording is recorded for ENI conntrack (domain-facts §10): explore both. */
export const ENI_CONNTRACK_BOUNDARY: HopBoundary = 'ambiguous';

/** A validated ENI conntrack configuration. */
export interface EniConntrackConfig extends HopConfigBase {
  /** `TcpEstablishedTimeout`, 60..432000 s; default 432000, or 350 with `nitroV6` (domain-facts §1.1). */
  readonly idleTimeout: number;
  /** True for a Nitro v6 instance: only changes the default idle timeout to 350 (domain-facts §1.1). */
  readonly nitroV6: boolean;
  /** Per sender side: a segment with no entry passes (re-tracked) or is dropped (domain-facts §11.2, UNCONFIRMED). */
  readonly lateSegment: LateSegmentPolicy;
}

/** The zod schema of an `eni-conntrack` hop. */
export const eniConntrackConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('eni-conntrack'),
    /** ENI `ConnectionTrackingSpecification.TcpEstablishedTimeout` (EC2 API, domain-facts §1.1). */
    idleTimeout: intRange('idleTimeout', ENI_CONNTRACK_IDLE_TIMEOUT_RANGE.min, ENI_CONNTRACK_IDLE_TIMEOUT_RANGE.max, 'seconds', 'EC2 ').optional().meta({ description: "ENI ConnectionTrackingSpecification.TcpEstablishedTimeout (EC2 API, domain-facts §1.1)." }),
    /** No vendor attribute: the instance is Nitro v6, whose `TcpEstablishedTimeout` default is 350 (domain-facts §1.1). */
    nitroV6: flag('nitroV6').default(false).meta({ description: "No vendor attribute: the instance is Nitro v6, whose TcpEstablishedTimeout default is 350 (domain-facts §1.1)." }),
    /** No vendor attribute: the security-group rules' verdict on a late segment as a new connection (domain-facts §11.2, UNCONFIRMED). */
    lateSegment: lateSegmentField().meta({ description: "No vendor attribute: the security-group rules' verdict on a late segment as a new connection (domain-facts §11.2, UNCONFIRMED)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous`. */
    boundary: boundaryField(ENI_CONNTRACK_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous." }),
  },
  notAnObject('eni-conntrack hop'),
);

/**
 * Validates an `eni-conntrack` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range
 */
export function parseEniConntrackConfig(raw: unknown, path = ''): EniConntrackConfig {
  const c = parseHopFields(eniConntrackConfigSchema, raw ?? {}, 'eni-conntrack hop', path, { lateSegment: LATE_SEGMENT_FIELDS });
  const idleTimeout = c.idleTimeout ?? (c.nitroV6 ? ENI_CONNTRACK_NITRO_V6_DEFAULT : ENI_CONNTRACK_IDLE_TIMEOUT_RANGE.default);
  return { idleTimeout, nitroV6: c.nitroV6, lateSegment: c.lateSegment, boundary: c.boundary, targets: 1 };
}
