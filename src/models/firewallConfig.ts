/**
 * Configuration of one stateful firewall session
 * ({@link firewallSessionMachine}): PAN-OS semantics (domain-facts §3) or a
 * loose Linux conntrack appliance (domain-facts §2, Linux netfilter conntrack
 * row), validated with zod before a machine is built.
 */
import * as z from 'zod';
import { configErrorOf, flag, intRange, oneOf, show } from './gwlbConfig.ts';

/**
 * Which session semantics an appliance has: `pan-os` (domain-facts §3) or
 * `conntrack-loose` (Linux conntrack with `nf_conntrack_tcp_loose=1`,
 * domain-facts §2, consequence 4).
 */
export type FirewallKind = 'pan-os' | 'conntrack-loose';

/** The firewall kinds a config may name. */
export const FIREWALL_KINDS: readonly FirewallKind[] = ['pan-os', 'conntrack-loose'];

/**
 * Per-state idle timeouts in whole seconds (domain-facts §3.1 names; the
 * conntrack preset maps syn_sent/syn_recv/established/fin_wait/time_wait
 * onto them, domain-facts §2).
 */
export interface FirewallTimeouts {
  /** Before SYN-ACK is seen (`timeout-tcpinit`, PAN-OS 5). */
  readonly init: number;
  /** Before the handshake completes (`timeout-tcphandshake`, PAN-OS 10). */
  readonly handshake: number;
  /** Established (PAN-OS 3600, or an application override such as ssl 1800). */
  readonly established: number;
  /** One side sent FIN or RST (PAN-OS ≥ 6.1, 120). */
  readonly halfClosed: number;
  /** Both sides sent FIN or RST (PAN-OS 15). */
  readonly timeWait: number;
}

/** Allowed range of every session timeout in seconds (PAN-OS, domain-facts §3.1). */
export const FIREWALL_TIMEOUT_RANGE = { min: 1, max: 15_999_999 } as const;

/** A validated firewall session configuration (preset of its kind merged under it). */
export interface FirewallConfig {
  readonly kind: FirewallKind;
  /**
   * Drop a non-SYN segment that has no session, silently: no session, no
   * log, no RST (`tcp-reject-non-syn`, domain-facts §3.2; its default `yes`
   * is UNCONFIRMED, hence a parameter).
   */
  readonly rejectNonSyn: boolean;
  readonly timeouts: FirewallTimeouts;
  /** Connection index this session belongs to; LOG records carry it. */
  readonly conn: number;
}

/**
 * PAN-OS defaults: reject non-SYN, timeouts init 5 / handshake 10 /
 * established 3600 / half-closed 120 / time-wait 15 s (domain-facts §3.1,
 * §3.2), connection 0.
 */
export const panOsDefaults: FirewallConfig = Object.freeze({
  kind: 'pan-os',
  rejectNonSyn: true,
  timeouts: Object.freeze({ init: 5, handshake: 10, established: 3600, halfClosed: 120, timeWait: 15 }),
  conn: 0,
});

/**
 * Linux conntrack with `nf_conntrack_tcp_loose=1` (the default): picks up
 * mid-stream connections; syn_sent 120 / syn_recv 60 / established 432000 /
 * fin_wait 120 / time_wait 120 s (domain-facts §2, Linux conntrack row),
 * connection 0.
 */
export const conntrackLooseDefaults: FirewallConfig = Object.freeze({
  kind: 'conntrack-loose',
  rejectNonSyn: false,
  timeouts: Object.freeze({ init: 120, handshake: 60, established: 432_000, halfClosed: 120, timeWait: 120 }),
  conn: 0,
});

/** The preset a partial config of each kind is merged over. */
export const firewallPresets: Readonly<Record<FirewallKind, FirewallConfig>> = Object.freeze({
  'pan-os': panOsDefaults,
  'conntrack-loose': conntrackLooseDefaults,
});

const timeout = (name: keyof FirewallTimeouts) =>
  intRange(`timeouts.${name}`, FIREWALL_TIMEOUT_RANGE.min, FIREWALL_TIMEOUT_RANGE.max, 'seconds', '').optional();

const timeoutsSchema = z.strictObject(
  {
    init: timeout('init'),
    handshake: timeout('handshake'),
    established: timeout('established'),
    halfClosed: timeout('halfClosed'),
    timeWait: timeout('timeWait'),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `timeouts: ${show(iss.input)} is not an object`) },
);

const firewallConfigSchema = z.strictObject(
  {
    kind: oneOf('kind', ['pan-os', 'conntrack-loose']),
    rejectNonSyn: flag('rejectNonSyn').optional(),
    timeouts: timeoutsSchema.optional(),
    conn: intRange('conn', 0, Number.MAX_SAFE_INTEGER, '', '').optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `firewall config: ${show(iss.input)} is not an object`) },
);

/**
 * Validates a raw firewall configuration and merges it over the preset of
 * its `kind` ({@link panOsDefaults} or {@link conntrackLooseDefaults}), so
 * `{ kind: 'pan-os', timeouts: { established: 1800 } }` is PAN-OS with the
 * ssl application override (domain-facts §3.1).
 *
 * @throws {ConfigError} naming the first offending field and its allowed
 *   range or values, e.g. `timeouts.established: 0 is below the minimum 1
 *   (allowed 1..15999999 seconds)`; unknown fields are rejected.
 */
export function parseFirewallConfig(raw: unknown): FirewallConfig {
  const result = firewallConfigSchema.safeParse(raw);
  if (!result.success) {
    throw configErrorOf(result.error, 'firewall config', {
      '': Object.keys(firewallConfigSchema.shape),
      timeouts: Object.keys(timeoutsSchema.shape),
    });
  }
  const given = result.data;
  const preset = firewallPresets[given.kind];
  const t = given.timeouts ?? {};
  return {
    kind: given.kind,
    rejectNonSyn: given.rejectNonSyn ?? preset.rejectNonSyn,
    timeouts: {
      init: t.init ?? preset.timeouts.init,
      handshake: t.handshake ?? preset.timeouts.handshake,
      established: t.established ?? preset.timeouts.established,
      halfClosed: t.halfClosed ?? preset.timeouts.halfClosed,
      timeWait: t.timeWait ?? preset.timeouts.timeWait,
    },
    conn: given.conn ?? preset.conn,
  };
}
