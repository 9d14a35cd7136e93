/**
 * Hop-level configurations of the kinds that existed before issue 12, in the
 * shape every hop kind shares ({@link HopConfigBase}): `gwlb` (its flow entry,
 * {@link parseGwlbConfig}) and the firewall session kinds `pan-os` and
 * `conntrack-loose` ({@link parseFirewallConfig}) used as a standalone
 * firewall hop on the path, not behind a GWLB.
 */
import * as z from 'zod';
import { ConfigError } from './configError.ts';
import { FIREWALL_TIMEOUT_RANGE, parseFirewallConfig, type FirewallConfig, type FirewallKind } from './firewallConfig.ts';
import { flag, GWLB_IDLE_TIMEOUT_RANGE, intRange, parseGwlbConfig, type GwlbConfig } from './gwlbConfig.ts';
import { boundaryField, hopEnvelopeFields, notAnObject, parseHopFields, type HopBoundary, type HopConfigBase } from './hopConfig.ts';

/** GWLB: "idle for longer than", open boundary (domain-facts §10, §11.2). */
export const GWLB_BOUNDARY: HopBoundary = 'open';

/**
 * A standalone firewall's timeout wording is not documented as open or
 * closed (domain-facts §3.1 gives only the values): `ambiguous`. Note: GWLB
 * appliances in existing scenario files default to `open`.
 */
export const FIREWALL_HOP_BOUNDARY: HopBoundary = 'ambiguous';

/** A GWLB hop: the flow-entry config plus the boundary. */
export interface GwlbHopConfig extends GwlbConfig, HopConfigBase {}

/** A standalone firewall hop: the session config plus `idleTimeout` (= `timeouts.established`), boundary and one target. */
export interface FirewallHopConfig extends FirewallConfig, HopConfigBase {}

/** Re-prefixes a {@link ConfigError} with `path`. */
function prefixed(error: unknown, path: string): unknown {
  if (path === '' || !(error instanceof ConfigError)) return error;
  return new ConfigError(`${path}.${error.field}`, `${path}.${error.message}`);
}

const gwlbHopSchema = z.looseObject({ ...hopEnvelopeFields('gwlb'), boundary: boundaryField(GWLB_BOUNDARY) });

/**
 * Validates a `gwlb` hop's flow fields (those of {@link parseGwlbConfig}:
 * `idleTimeout`, `targets`, `stickiness`, `unknownNonSyn`,
 * `resetOnIdleTimeout`) plus `boundary` (default `open`), `type`, `name`.
 * @throws {ConfigError} naming the field (prefixed with `path`) and what is allowed
 */
export function parseGwlbHopConfig(raw: unknown, path = ''): GwlbHopConfig {
  const given = raw ?? {};
  const { boundary } = parseHopFields(gwlbHopSchema, given, 'gwlb hop', path);
  const rest: Record<string, unknown> = { ...(given as Record<string, unknown>) };
  delete rest['type'];
  delete rest['name'];
  delete rest['boundary'];
  try {
    return { ...parseGwlbConfig(rest), boundary };
  } catch (e) {
    throw prefixed(e, path);
  }
}

const timeout = (name: string, description: string) =>
  intRange(`timeouts.${name}`, FIREWALL_TIMEOUT_RANGE.min, FIREWALL_TIMEOUT_RANGE.max, 'seconds', '').optional().meta({ description });

const firewallTimeoutsSchema = z.strictObject(
  {
    init: timeout('init', 'PAN-OS timeout-tcpinit (before SYN-ACK), default 5; conntrack syn_sent 120 (domain-facts §3.1, §2).'),
    handshake: timeout('handshake', 'PAN-OS timeout-tcphandshake, default 10; conntrack syn_recv 60 (domain-facts §3.1, §2).'),
    halfClosed: timeout('halfClosed', 'PAN-OS timeout-tcp-half-closed, default 120; conntrack fin_wait 120 (domain-facts §3.1, §2).'),
    timeWait: timeout('timeWait', 'PAN-OS timeout-tcp-time-wait, default 15; conntrack time_wait 120 (domain-facts §3.1, §2).'),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `timeouts: not an object`) },
);

function firewallHopSchema<const K extends FirewallKind>(kind: K) {
  return z.strictObject(
    {
      ...hopEnvelopeFields(kind),
      /** Established session timeout (PAN-OS `timeout-tcp` or an application override; conntrack `nf_conntrack_tcp_timeout_established`), domain-facts §3.1, §2. */
      idleTimeout: intRange('idleTimeout', FIREWALL_TIMEOUT_RANGE.min, FIREWALL_TIMEOUT_RANGE.max, 'seconds', '').optional().meta({ description: "Established session timeout (PAN-OS timeout-tcp or an application override; conntrack nf_conntrack_tcp_timeout_established), domain-facts §3.1, §2." }),
      /** PAN-OS `tcp-reject-non-syn` (domain-facts §3.2, §11.2); always false for conntrack-loose. */
      rejectNonSyn: flag('rejectNonSyn').optional().meta({ description: "PAN-OS tcp-reject-non-syn (domain-facts §3.2, §11.2); always false for conntrack-loose." }),
      /** The other per-state timeouts (PAN-OS `timeout-tcpinit`, `timeout-tcphandshake`, `timeout-tcp-half-closed`, `timeout-tcp-time-wait`, §11.2). */
      timeouts: firewallTimeoutsSchema.optional().meta({ description: "The other per-state timeouts (PAN-OS timeout-tcpinit, timeout-tcphandshake, timeout-tcp-half-closed, timeout-tcp-time-wait, §11.2)." }),
      boundary: boundaryField(FIREWALL_HOP_BOUNDARY).meta({ description: 'Timeout boundary (domain-facts §10), default ambiguous (no wording recorded).' }),
    },
    notAnObject(`${kind} hop`),
  );
}

/** The zod schema of a standalone `pan-os` hop. */
export const panOsHopSchema = firewallHopSchema('pan-os');
/** The zod schema of a standalone `conntrack-loose` hop. */
export const conntrackLooseHopSchema = firewallHopSchema('conntrack-loose');

function parseFirewallHop(kind: FirewallKind, raw: unknown, path: string): FirewallHopConfig {
  const schema = kind === 'pan-os' ? panOsHopSchema : conntrackLooseHopSchema;
  const given = parseHopFields(schema, raw ?? {}, `${kind} hop`, path, { timeouts: Object.keys(firewallTimeoutsSchema.shape) });
  if (kind === 'conntrack-loose' && given.rejectNonSyn === true) {
    const field = path === '' ? 'rejectNonSyn' : `${path}.rejectNonSyn`;
    throw new ConfigError(field, `${field}: true is not allowed for conntrack-loose, which adopts mid-stream flows (allowed false)`);
  }
  const timeouts = { ...(given.timeouts ?? {}), ...(given.idleTimeout === undefined ? {} : { established: given.idleTimeout }) };
  const config = parseFirewallConfig({
    kind,
    ...(given.rejectNonSyn === undefined ? {} : { rejectNonSyn: given.rejectNonSyn }),
    timeouts: Object.fromEntries(Object.entries(timeouts).filter(([, v]) => v !== undefined)),
  });
  return { ...config, idleTimeout: config.timeouts.established, boundary: given.boundary, targets: 1 };
}

/**
 * Validates a standalone `pan-os` firewall hop (domain-facts §3): `idleTimeout`
 * (established, default 3600), `rejectNonSyn` (default true), `timeouts`
 * (`init`, `handshake`, `halfClosed`, `timeWait`), `boundary`. The
 * composition sets `conn` per connection.
 * @throws {ConfigError} naming the field (prefixed with `path`) and what is allowed
 */
export function parsePanOsHopConfig(raw: unknown, path = ''): FirewallHopConfig {
  return parseFirewallHop('pan-os', raw, path);
}

/**
 * Validates a standalone `conntrack-loose` firewall hop (domain-facts §2,
 * consequence 4): like {@link parsePanOsHopConfig}, established default
 * 432000, `rejectNonSyn` only false.
 * @throws {ConfigError} naming the field (prefixed with `path`) and what is allowed
 */
export function parseConntrackLooseHopConfig(raw: unknown, path = ''): FirewallHopConfig {
  return parseFirewallHop('conntrack-loose', raw, path);
}

/** The GWLB idle timeout range, for the registry (domain-facts §1.1). */
export const GWLB_HOP_IDLE_TIMEOUT_RANGE = GWLB_IDLE_TIMEOUT_RANGE;
