/**
 * Configuration of one Linux netfilter conntrack TCP entry
 * ({@link linuxConntrackFlowMachine}): a NAT instance or a Kubernetes node.
 *
 * Sources: domain-facts §2 (Linux netfilter conntrack row: sysctl defaults
 * `nf_conntrack_tcp_timeout_established` 432000, syn_sent 120, syn_recv 60,
 * fin_wait 120, close_wait 60, last_ack 30, time_wait 120, close 10;
 * `nf_conntrack_tcp_loose=1` by default), §11.2 (loose pickup adopts only
 * ACK-class segments; a FIN, RST or SYN-ACK of an unknown flow is INVALID, and
 * whether INVALID is dropped is the ruleset's choice, `ct state invalid drop`
 * being common: parameter `dropInvalid`, default true; an ESTABLISHED entry
 * with no reply-direction segment yet is capped at
 * `nf_conntrack_tcp_timeout_unacknowledged`, 300 s: `timeouts.unacknowledged`).
 * `max_retrans`, and the `unacknowledged` cap on unacknowledged data, are not
 * modelled. No boundary wording: `ambiguous`.
 */
import * as z from 'zod';
import { flag, intRange, show } from './gwlbConfig.ts';
import { boundaryField, hopEnvelopeFields, notAnObject, parseHopFields, type HopBoundary, type HopConfigBase } from './hopConfig.ts';

/** Accepted range of every conntrack timeout sysctl in seconds (jiffies; INT_MAX ms as the ceiling). */
export const LINUX_CONNTRACK_TIMEOUT_RANGE = { min: 1, max: 2_147_483 } as const;

/** The per-state timeouts other than established, in seconds (sysctl `nf_conntrack_tcp_timeout_<name>`). */
export interface LinuxConntrackTimeouts {
  /** `nf_conntrack_tcp_timeout_syn_sent`, default 120. */
  readonly synSent: number;
  /** `nf_conntrack_tcp_timeout_syn_recv`, default 60. */
  readonly synRecv: number;
  /** `nf_conntrack_tcp_timeout_fin_wait`, default 120. */
  readonly finWait: number;
  /** `nf_conntrack_tcp_timeout_close_wait`, default 60. */
  readonly closeWait: number;
  /** `nf_conntrack_tcp_timeout_last_ack`, default 30. */
  readonly lastAck: number;
  /** `nf_conntrack_tcp_timeout_time_wait`, default 120. */
  readonly timeWait: number;
  /** `nf_conntrack_tcp_timeout_close`, default 10. */
  readonly close: number;
  /**
   * `nf_conntrack_tcp_timeout_unacknowledged`, default 300: the cap on the
   * timeout of an ESTABLISHED entry whose reply direction had not been seen
   * before the packet (IPS_SEEN_REPLY unset: a loose pickup not answered
   * yet, or the first answer itself, since the kernel sets the bit after the
   * timeout is chosen), which then times out after min(established,
   * unacknowledged) (domain-facts §11.2, nf_conntrack_proto_tcp.c
   * `nf_conntrack_tcp_packet`, nf_conntrack_core.c `nf_conntrack_in`;
   * measured by the NAT lab, lab/README.md `pickup-unreplied`,
   * `pickup-reply-idle`).
   */
  readonly unacknowledged: number;
}

/** Linux defaults of the per-state timeouts (domain-facts §2, Documentation/networking/nf_conntrack-sysctl.rst). */
export const LINUX_CONNTRACK_TIMEOUT_DEFAULTS: LinuxConntrackTimeouts = Object.freeze({
  synSent: 120,
  synRecv: 60,
  finWait: 120,
  closeWait: 60,
  lastAck: 30,
  timeWait: 120,
  close: 10,
  unacknowledged: 300,
});

/** Linux default of `nf_conntrack_tcp_timeout_established`: 5 days (domain-facts §2). */
export const LINUX_CONNTRACK_ESTABLISHED_DEFAULT = 432_000;

/** No boundary wording is recorded for conntrack (domain-facts §10): explore both. */
export const LINUX_CONNTRACK_BOUNDARY: HopBoundary = 'ambiguous';

/** A validated Linux conntrack configuration. */
export interface LinuxConntrackConfig extends HopConfigBase {
  /** `nf_conntrack_tcp_timeout_established`, default 432000 (domain-facts §2). */
  readonly idleTimeout: number;
  readonly timeouts: LinuxConntrackTimeouts;
  /** `nf_conntrack_tcp_loose`, default true (1): adopt ACK-class segments of unknown flows (domain-facts §2, §11.2). */
  readonly tcpLoose: boolean;
  /** The ruleset drops `ct state invalid` (domain-facts §11.2: the ruleset's choice, common), default true. */
  readonly dropInvalid: boolean;
}

const sysctl = (field: string) => intRange(field, LINUX_CONNTRACK_TIMEOUT_RANGE.min, LINUX_CONNTRACK_TIMEOUT_RANGE.max, 'seconds', '');

const timeoutsSchema = z.strictObject(
  {
    synSent: sysctl('timeouts.synSent')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.synSent)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_syn_sent (domain-facts §2).' }),
    synRecv: sysctl('timeouts.synRecv')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.synRecv)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_syn_recv (domain-facts §2).' }),
    finWait: sysctl('timeouts.finWait')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.finWait)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_fin_wait (domain-facts §2).' }),
    closeWait: sysctl('timeouts.closeWait')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.closeWait)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_close_wait (domain-facts §2).' }),
    lastAck: sysctl('timeouts.lastAck')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.lastAck)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_last_ack (domain-facts §2).' }),
    timeWait: sysctl('timeouts.timeWait')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.timeWait)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_time_wait (domain-facts §2).' }),
    close: sysctl('timeouts.close')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.close)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_close (domain-facts §2).' }),
    unacknowledged: sysctl('timeouts.unacknowledged')
      .default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS.unacknowledged)
      .meta({ description: 'sysctl net.netfilter.nf_conntrack_tcp_timeout_unacknowledged: caps the ESTABLISHED timeout armed by every packet up to and including the first reply-direction segment (the kernel sets IPS_SEEN_REPLY only after choosing the timeout of that packet); later packets arm the established timeout. The same kernel cap on data not yet ACKed is not modelled (domain-facts §11.2).' }),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `timeouts: ${show(iss.input)} is not an object`) },
);

/** The zod schema of a `linux-conntrack` hop. */
export const linuxConntrackConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('linux-conntrack'),
    /** sysctl `net.netfilter.nf_conntrack_tcp_timeout_established` (domain-facts §2). */
    idleTimeout: sysctl('idleTimeout').default(LINUX_CONNTRACK_ESTABLISHED_DEFAULT).meta({ description: "sysctl net.netfilter.nf_conntrack_tcp_timeout_established (domain-facts §2)." }),
    /** sysctls `net.netfilter.nf_conntrack_tcp_timeout_{syn_sent,syn_recv,fin_wait,close_wait,last_ack,time_wait,close,unacknowledged}` (domain-facts §2, §11.2). */
    timeouts: timeoutsSchema.default(LINUX_CONNTRACK_TIMEOUT_DEFAULTS).meta({ description: "sysctls net.netfilter.nf_conntrack_tcp_timeout_{syn_sent,syn_recv,fin_wait,close_wait,last_ack,time_wait,close,unacknowledged} (domain-facts §2, §11.2)." }),
    /** sysctl `net.netfilter.nf_conntrack_tcp_loose` (domain-facts §2, §11.2). */
    tcpLoose: flag('tcpLoose').default(true).meta({ description: "sysctl net.netfilter.nf_conntrack_tcp_loose (domain-facts §2, §11.2)." }),
    /** No sysctl: whether the ruleset has `ct state invalid drop` (domain-facts §11.2). */
    dropInvalid: flag('dropInvalid').default(true).meta({ description: "No sysctl: whether the ruleset has ct state invalid drop (domain-facts §11.2)." }),
    /** Timeout boundary (domain-facts §10), default `ambiguous`. */
    boundary: boundaryField(LINUX_CONNTRACK_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default ambiguous." }),
  },
  notAnObject('linux-conntrack hop'),
);

/**
 * Validates a `linux-conntrack` hop's fields and fills in the Linux defaults.
 * @param path prefix of field names in errors, `''` for none
 * @throws {ConfigError} naming the field and the allowed range
 */
export function parseLinuxConntrackConfig(raw: unknown, path = ''): LinuxConntrackConfig {
  const c = parseHopFields(linuxConntrackConfigSchema, raw ?? {}, 'linux-conntrack hop', path, { timeouts: Object.keys(timeoutsSchema.shape) });
  return { idleTimeout: c.idleTimeout, timeouts: c.timeouts, tcpLoose: c.tcpLoose, dropInvalid: c.dropInvalid, boundary: c.boundary, targets: 1 };
}
