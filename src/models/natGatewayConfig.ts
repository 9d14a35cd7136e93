/**
 * Configuration of one AWS NAT gateway mapping ({@link natGatewayFlowMachine}).
 *
 * Sources: domain-facts §2 (AWS NAT Gateway row: 350 s, not configurable; an
 * RST "to any resources behind the NAT gateway that attempt to continue the
 * connection"; behaviour toward internet-side senders UNCONFIRMED), §11.1
 * (the *sending* end of a late segment gets an RST, the remote end nothing;
 * internet side still UNCONFIRMED), §10 / §11.2 (boundary: "350 seconds or
 * more", closed). The client side of the path is the inside of the NAT.
 */
import * as z from 'zod';
import { oneOf } from './gwlbConfig.ts';
import {
  boundaryField,
  fixedSeconds,
  hopEnvelopeFields,
  notAnObject,
  parseHopFields,
  type HopBoundary,
  type HopConfigBase,
} from './hopConfig.ts';

/** The AWS NAT gateway idle timeout: fixed at 350 s (domain-facts §2). */
export const NAT_GATEWAY_IDLE_TIMEOUT = 350;

/** The documented boundary: "350 seconds or more" is closed (domain-facts §10, §11.2). */
export const NAT_GATEWAY_BOUNDARY: HopBoundary = 'closed';

/**
 * What the NAT gateway does with a segment from the internet side (the
 * server side) that has no mapping (domain-facts §2, §11.1, UNCONFIRMED):
 * `reset` answers its sender with an RST (default, the §11.1 reading that the
 * sending end of a late segment gets an RST), `drop` discards it silently.
 */
export type NatGatewayOutsideAction = 'reset' | 'drop';

/** A validated AWS NAT gateway configuration. */
export interface NatGatewayConfig extends HopConfigBase {
  /** Always 350: the NAT gateway's idle timeout is not configurable (domain-facts §2). */
  readonly idleTimeout: number;
  /** Internet-side segment with no mapping (UNCONFIRMED, domain-facts §11.1); default `reset`. */
  readonly lateSegmentFromOutside: NatGatewayOutsideAction;
}

/** The zod schema of a `nat-gateway` hop (its own fields plus `type` and `name`). */
export const natGatewayConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('nat-gateway'),
    /** Idle timeout in seconds; the NAT gateway has no attribute for it: fixed at 350 (domain-facts §2). */
    idleTimeout: fixedSeconds('idleTimeout', NAT_GATEWAY_IDLE_TIMEOUT, 'AWS NAT gateway').default(NAT_GATEWAY_IDLE_TIMEOUT).meta({ description: "Idle timeout in seconds; the NAT gateway has no attribute for it: fixed at 350 (domain-facts §2)." }),
    /** Timeout boundary (domain-facts §10), default `closed` ("350 seconds or more"). */
    boundary: boundaryField(NAT_GATEWAY_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default closed (\"350 seconds or more\")." }),
    /** No vendor attribute: behaviour toward an internet-side sender with no mapping (UNCONFIRMED, §11.1). */
    lateSegmentFromOutside: oneOf('lateSegmentFromOutside', ['reset', 'drop']).default('reset').meta({ description: "No vendor attribute: behaviour toward an internet-side sender with no mapping (UNCONFIRMED, §11.1)." }),
  },
  notAnObject('nat-gateway hop'),
);

/**
 * Validates a `nat-gateway` hop's fields and fills in defaults.
 * @param path prefix of field names in errors (e.g. `path.0`), `''` for none
 * @throws {ConfigError} naming the field and what is allowed, e.g.
 *   `idleTimeout: 300 cannot be set, the AWS NAT gateway idle timeout is fixed (allowed 350 seconds)`
 */
export function parseNatGatewayConfig(raw: unknown, path = ''): NatGatewayConfig {
  const { idleTimeout, boundary, lateSegmentFromOutside } = parseHopFields(
    natGatewayConfigSchema,
    raw ?? {},
    'nat-gateway hop',
    path,
  );
  return { idleTimeout, boundary, targets: 1, lateSegmentFromOutside };
}
