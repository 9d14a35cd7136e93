/**
 * Configuration of one GCP Cloud NAT TCP mapping ({@link gcpCloudNatFlowMachine}).
 *
 * Sources: domain-facts §2 (GCP Cloud NAT row: `tcpEstablishedIdleTimeoutSec`
 * 1200, `tcpTransitoryIdleTimeoutSec` 30, `tcpTimeWaitTimeoutSec` 120, all
 * configurable; the TIME_WAIT default drops from 120 to 30 s for new gateways,
 * phased 2026-06-30 to 2026-09-30; "mapping dropped", and that no RST is sent
 * is a [2nd] claim, UNCONFIRMED), §11.2 (Cloud NAT sending an RST:
 * UNCONFIRMED; a field report saw "connection reset by peer"). No range is
 * recorded in domain-facts, so any whole number of seconds 1..2147483 is
 * accepted; no boundary wording either: `ambiguous`.
 */
import * as z from 'zod';
import { flag, intRange, oneOf } from './gwlbConfig.ts';
import { boundaryField, hopEnvelopeFields, notAnObject, parseHopFields, type HopBoundary, type HopConfigBase } from './hopConfig.ts';

/** Accepted range of every Cloud NAT TCP timeout in seconds (none recorded in domain-facts; INT_MAX ms as the ceiling). */
export const GCP_CLOUD_NAT_TIMEOUT_RANGE = { min: 1, max: 2_147_483 } as const;

/** Cloud NAT TCP timeout defaults in seconds (domain-facts §2). */
export const GCP_CLOUD_NAT_DEFAULTS = {
  established: 1200,
  transitory: 30,
  /** Gateways created before the change (domain-facts §2). */
  timeWait: 120,
  /** Gateways created after the 2026 change (domain-facts §2). */
  timeWaitNewGateways: 30,
} as const;

/** No boundary wording is recorded for Cloud NAT (domain-facts §10): explore both. */
export const GCP_CLOUD_NAT_BOUNDARY: HopBoundary = 'ambiguous';

/** What Cloud NAT does with a segment that has no mapping (UNCONFIRMED, domain-facts §2, §11.2). */
export type GcpCloudNatLateAction = 'drop' | 'reset';

/** A validated Cloud NAT configuration. */
export interface GcpCloudNatConfig extends HopConfigBase {
  /** `tcpEstablishedIdleTimeoutSec`, default 1200 (domain-facts §2). */
  readonly idleTimeout: number;
  /** `tcpTransitoryIdleTimeoutSec`, default 30: opening and closing connections (domain-facts §2). */
  readonly tcpTransitoryIdleTimeoutSec: number;
  /** `tcpTimeWaitTimeoutSec`, default 120, or 30 for a gateway created after the 2026 change (domain-facts §2). */
  readonly tcpTimeWaitTimeoutSec: number;
  /** True for a gateway created after the TIME_WAIT default change (domain-facts §2). */
  readonly createdAfterTimeWaitChange: boolean;
  /** A segment with no mapping: dropped silently (default, [2nd]) or answered with an RST to its sender (UNCONFIRMED). */
  readonly lateSegment: GcpCloudNatLateAction;
}

const timeout = (field: string) => intRange(field, GCP_CLOUD_NAT_TIMEOUT_RANGE.min, GCP_CLOUD_NAT_TIMEOUT_RANGE.max, 'seconds', '');

/** The zod schema of a `gcp-cloud-nat` hop. */
export const gcpCloudNatConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('gcp-cloud-nat'),
    /** RouterNat `tcpEstablishedIdleTimeoutSec` (domain-facts §2). */
    idleTimeout: timeout('idleTimeout').default(GCP_CLOUD_NAT_DEFAULTS.established).meta({ description: "RouterNat tcpEstablishedIdleTimeoutSec (domain-facts §2)." }),
    /** RouterNat `tcpTransitoryIdleTimeoutSec` (domain-facts §2). */
    tcpTransitoryIdleTimeoutSec: timeout('tcpTransitoryIdleTimeoutSec').default(GCP_CLOUD_NAT_DEFAULTS.transitory).meta({ description: "RouterNat tcpTransitoryIdleTimeoutSec (domain-facts §2)." }),
    /** RouterNat `tcpTimeWaitTimeoutSec` (domain-facts §2); default depends on `createdAfterTimeWaitChange`. */
    tcpTimeWaitTimeoutSec: timeout('tcpTimeWaitTimeoutSec').optional().meta({ description: "RouterNat tcpTimeWaitTimeoutSec (domain-facts §2); default depends on createdAfterTimeWaitChange." }),
    /** No vendor attribute: the gateway was created after the TIME_WAIT default went from 120 to 30 s (domain-facts §2). */
    createdAfterTimeWaitChange: flag('createdAfterTimeWaitChange').default(false).meta({ description: "No vendor attribute: the gateway was created after the TIME_WAIT default went from 120 to 30 s (domain-facts §2)." }),
    /** No vendor attribute: drop (default) or RST to the sender for a segment with no mapping (UNCONFIRMED, §2, §11.2). */
    lateSegment: oneOf('lateSegment', ['drop', 'reset']).default('drop').meta({ description: "No vendor attribute: drop (default) or RST to the sender for a segment with no mapping (UNCONFIRMED, §2, §11.2)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous`. */
    boundary: boundaryField(GCP_CLOUD_NAT_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous." }),
  },
  notAnObject('gcp-cloud-nat hop'),
);

/**
 * Validates a `gcp-cloud-nat` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range
 */
export function parseGcpCloudNatConfig(raw: unknown, path = ''): GcpCloudNatConfig {
  const c = parseHopFields(gcpCloudNatConfigSchema, raw ?? {}, 'gcp-cloud-nat hop', path);
  const timeWait = c.tcpTimeWaitTimeoutSec ?? (c.createdAfterTimeWaitChange ? GCP_CLOUD_NAT_DEFAULTS.timeWaitNewGateways : GCP_CLOUD_NAT_DEFAULTS.timeWait);
  return {
    idleTimeout: c.idleTimeout,
    tcpTransitoryIdleTimeoutSec: c.tcpTransitoryIdleTimeoutSec,
    tcpTimeWaitTimeoutSec: timeWait,
    createdAfterTimeWaitChange: c.createdAfterTimeWaitChange,
    lateSegment: c.lateSegment,
    boundary: c.boundary,
    targets: 1,
  };
}
