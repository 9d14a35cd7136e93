/**
 * Configuration of one Azure NAT gateway TCP mapping ({@link azureNatGatewayFlowMachine}).
 *
 * Sources: domain-facts §2 (Azure NAT Gateway row: TCP idle 4 min default,
 * 4..120 min; silent drop of the flow, unidirectional RST only when traffic
 * arrives on the dropped flow), §11.2 (the RST goes to the sender, "from
 * either the Azure side or the internet side"; keepalives "appear as
 * duplicate ACKs"; timers "subject to change"). No boundary wording is
 * recorded: `ambiguous`.
 */
import * as z from 'zod';
import {
  boundaryField,
  hopEnvelopeFields,
  minutesAsSeconds,
  notAnObject,
  parseHopFields,
  type HopBoundary,
  type HopConfigBase,
} from './hopConfig.ts';

/** Allowed TCP idle timeout in seconds: 4..120 minutes, default 4 (domain-facts §2, §11.2). */
export const AZURE_NAT_GATEWAY_IDLE_TIMEOUT_RANGE = { min: 240, max: 7200, default: 240 } as const;

/** No boundary wording is recorded for Azure NAT gateway (domain-facts §10): explore both. */
export const AZURE_NAT_GATEWAY_BOUNDARY: HopBoundary = 'ambiguous';

/** A validated Azure NAT gateway configuration. */
export interface AzureNatGatewayConfig extends HopConfigBase {
  /** `idleTimeoutInMinutes` × 60: 240..7200 seconds in whole minutes, default 240 (domain-facts §11.2). */
  readonly idleTimeout: number;
}

/** The zod schema of an `azure-nat-gateway` hop. */
export const azureNatGatewayConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('azure-nat-gateway'),
    /** NAT gateway resource `idleTimeoutInMinutes`, written in seconds (domain-facts §2, §11.2). */
    idleTimeout: minutesAsSeconds('idleTimeout', 4, 120, 'idleTimeoutInMinutes').default(AZURE_NAT_GATEWAY_IDLE_TIMEOUT_RANGE.default).meta({ description: "NAT gateway resource idleTimeoutInMinutes, written in seconds (domain-facts §2, §11.2)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous` (no wording recorded). */
    boundary: boundaryField(AZURE_NAT_GATEWAY_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous (no wording recorded)." }),
  },
  notAnObject('azure-nat-gateway hop'),
);

/**
 * Validates an `azure-nat-gateway` hop's fields and fills in defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range, e.g.
 *   `idleTimeout: 250 is not a whole number of minutes (allowed 240..7200 seconds in steps of 60, …)`
 */
export function parseAzureNatGatewayConfig(raw: unknown, path = ''): AzureNatGatewayConfig {
  const { idleTimeout, boundary } = parseHopFields(azureNatGatewayConfigSchema, raw ?? {}, 'azure-nat-gateway hop', path);
  return { idleTimeout, boundary, targets: 1 };
}
