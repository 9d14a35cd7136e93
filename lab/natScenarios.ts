/**
 * Scenarios of the NAT-hop lab (issue 12 §6): a Linux conntrack NAT
 * (nftables masquerade) between a real client and server, with conntrack
 * timeouts scaled ÷25, compared with the `linux-conntrack` hop machine.
 */
import { LINUX_CONNTRACK_TIMEOUT_DEFAULTS, parseLinuxConntrackConfig, type LinuxConntrackConfig, type LinuxConntrackTimeouts } from '../src/models/linuxConntrackConfig.ts';

/** An endpoint's scheduled application action, seconds after t0 (scaled). */
export interface NatAction {
  readonly t: number;
  readonly action: 'connect' | 'send' | 'shutdown';
}

/** One NAT-lab scenario (all times already scaled). */
export interface NatScenario {
  readonly name: string;
  /** What it shows, one sentence. */
  readonly description: string;
  /** nf_conntrack_tcp_timeout_established (scaled seconds). */
  readonly established: number;
  /** The other per-state sysctls (scaled seconds). */
  readonly timeouts: LinuxConntrackTimeouts;
  /** nf_conntrack_tcp_loose. */
  readonly loose: boolean;
  /** `ct state invalid drop` in the forward and input chains (else counted only). */
  readonly dropInvalid: boolean;
  /** `masquerade` or `masquerade random` (a random source port for every new entry). */
  readonly masquerade: 'plain' | 'random';
  readonly clientKeepalive: { readonly idle: number; readonly interval: number; readonly probes: number } | null;
  readonly client: readonly NatAction[];
  readonly server: readonly NatAction[];
  /** Seconds after t0 at which observation stops. */
  readonly horizon: number;
  /** sysctl nf_conntrack_tcp_timeout_unacknowledged (scaled seconds); absent: 300 ×1/25 = 12. */
  readonly unacknowledged?: number;
  /** From this time on the server's namespace silently drops every TCP segment (the server host is gone). */
  readonly serverVanishesAt?: number;
}

/** Timeout scale of the NAT lab, as the GWLB lab (lab/README.md, "Scaling"). */
export const NAT_LAB_SCALE = 1 / 25;

/** Real-time nf_conntrack_tcp_timeout_established of the scenarios: 100 s, ×1/25 = 4 s. */
export const NAT_LAB_ESTABLISHED_REAL = 100;

const scaled = (s: number): number => Math.max(1, Math.round(s * NAT_LAB_SCALE));

/** The Linux default per-state timeouts ×1/25, whole seconds, at least 1 (120 → 5, 60 → 2, 30 → 1, 10 → 1). */
export const NAT_LAB_TIMEOUTS: LinuxConntrackTimeouts = Object.freeze(
  Object.fromEntries(Object.entries(LINUX_CONNTRACK_TIMEOUT_DEFAULTS).map(([k, v]) => [k, scaled(v)])) as unknown as LinuxConntrackTimeouts,
);

const T = scaled(NAT_LAB_ESTABLISHED_REAL);

/** nf_conntrack_tcp_timeout_unacknowledged unless a scenario sets it: the Linux default 300 s ×1/25. */
export const NAT_LAB_DEFAULT_UNACKNOWLEDGED = scaled(300);

const base = {
  established: T,
  timeouts: NAT_LAB_TIMEOUTS,
  loose: true,
  dropInvalid: true,
  masquerade: 'plain',
  clientKeepalive: null,
  server: [],
  horizon: 9,
} as const satisfies Partial<NatScenario>;

/**
 * The compared scenarios. Idle gaps: 3 s (75 s real) below the 4 s
 * established timeout, 5.5 s (137.5 s real) above it; keepalive idle 2 s /
 * interval 1 s (50 s / 25 s real).
 */
export const NAT_SCENARIOS: readonly NatScenario[] = [
  {
    ...base,
    name: 'idle-below',
    description: 'two idle gaps of 3 s below the 4 s established timeout: one entry throughout, everything forwarded',
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 3.8, action: 'send' }, { t: 6.8, action: 'send' }],
  },
  {
    ...base,
    name: 'late-data-loose',
    description: 'idle 5.5 s above the timeout, loose=1: the entry expires, the late client data is picked up as a new entry (original direction client) and re-NATed',
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 6.3, action: 'send' }],
  },
  {
    ...base,
    name: 'late-fin-loose',
    description: 'idle above the timeout, loose=1: the late client FIN is INVALID and dropped by ct state invalid drop, with its retransmissions',
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 6.3, action: 'shutdown' }],
  },
  {
    ...base,
    name: 'late-data-strict',
    description: 'idle above the timeout, loose=0: the late client data is INVALID and dropped, with its retransmissions',
    loose: false,
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 6.3, action: 'send' }],
  },
  {
    ...base,
    name: 'keepalive-below',
    description: 'client keepalive idle 2 s (below the 4 s timeout) over an 8 s idle gap: probes and their ACKs refresh the entry, the late data uses it',
    clientKeepalive: { idle: 2, interval: 1, probes: 3 },
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 8.8, action: 'send' }],
    horizon: 10,
  },
  {
    ...base,
    name: 'late-server-data-loose',
    description: 'idle above the timeout, loose=1, the server speaks first: picked up as an entry of original direction server, but nothing maps the NAT address back to the client',
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }],
    server: [{ t: 6.3, action: 'send' }],
  },
  {
    ...base,
    name: 'late-data-random-port',
    description: 'as late-data-loose with masquerade random: the picked-up entry gets a new source port (domain-facts §11.2), the server answers the unknown 4-tuple with an RST',
    masquerade: 'random',
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 6.3, action: 'send' }],
  },
  {
    ...base,
    name: 'pickup-unreplied',
    description:
      'established 6 s, unacknowledged 2 s, the server host gone at 2 s: a keepalive probe after expiry is picked up, never answered; the kernel caps the unreplied entry at the unacknowledged timeout, the next probe is a new entry',
    established: 6,
    unacknowledged: 2,
    serverVanishesAt: 2,
    clientKeepalive: { idle: 7, interval: 5, probes: 2 },
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }],
    horizon: 14,
  },
  {
    ...base,
    name: 'pickup-reply-idle',
    description:
      'established 6 s, unacknowledged 2 s: late client data after expiry is picked up and the server ACKs it once (the first reply-direction segment), then both idle 4 s (above 2 s, below 6 s) before more data: does the first reply still arm the unacknowledged cap?',
    established: 6,
    unacknowledged: 2,
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 8.3, action: 'send' }, { t: 12.3, action: 'send' }],
    horizon: 16,
  },
  {
    ...base,
    name: 'pickup-reply-then-segment',
    description:
      'as pickup-reply-idle, but 0.5 s after the first reply the client sends once more (and the server ACKs): the SEEN_REPLY cap is lifted from that data on, but the data itself is still capped until ACKed (the unacknowledged-data cap, not modelled; the machine arms 6 s on the data and agrees only because the ACK follows within 1 ms); the server\'s ACK arms the full established timeout, the entry survives the 4 s idle gap',
    established: 6,
    unacknowledged: 2,
    client: [{ t: 0.3, action: 'connect' }, { t: 0.8, action: 'send' }, { t: 8.3, action: 'send' }, { t: 8.8, action: 'send' }, { t: 12.8, action: 'send' }],
    horizon: 16,
  },
];

/** The `linux-conntrack` hop config of a scenario (validated by the model's own parser). */
export function natModelConfig(sc: NatScenario): LinuxConntrackConfig {
  return parseLinuxConntrackConfig({ idleTimeout: sc.established, timeouts: { ...sc.timeouts, unacknowledged: sc.unacknowledged ?? NAT_LAB_DEFAULT_UNACKNOWLEDGED }, tcpLoose: sc.loose, dropInvalid: sc.dropInvalid });
}
