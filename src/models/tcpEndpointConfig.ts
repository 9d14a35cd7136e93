/**
 * Configuration of one TCP endpoint (client or server socket) and its
 * validation. The numbers and their ranges come from domain-facts §4
 * (Linux sysctls and socket options, Windows and macOS keepalive defaults).
 */
import * as z from 'zod';
import { ConfigError } from './configError.ts';
import type { Role } from './segment.ts';

/** The operating-system keepalive presets (domain-facts §4.1–4.3, consequence 7). */
export type KeepalivePreset = 'linux' | 'windows' | 'macos';

/** Keepalive timing in seconds: idle time before the first probe, interval between probes, probe count. */
export interface KeepaliveTiming {
  /** TCP_KEEPIDLE / tcp_keepalive_time: seconds since the last received segment before the first probe. */
  readonly idle: number;
  /** TCP_KEEPINTVL / tcp_keepalive_intvl: seconds between unanswered probes. */
  readonly interval: number;
  /** TCP_KEEPCNT / tcp_keepalive_probes: unanswered probes before the connection is aborted. */
  readonly probes: number;
}

/**
 * OS keepalive defaults (domain-facts §4.1 Linux 7200/75/9, §4.2 Windows
 * 7200/1/10 on Vista and later, §4.3 macOS/BSD 7200/75/8, UNCONFIRMED for XNU).
 */
export const keepalivePresets: Readonly<Record<KeepalivePreset, KeepaliveTiming>> = {
  linux: { idle: 7200, interval: 75, probes: 9 },
  windows: { idle: 7200, interval: 1, probes: 10 },
  macos: { idle: 7200, interval: 75, probes: 8 },
};

/** Resolved keepalive settings: the timing, and which preset it came from (`custom` for explicit numbers). */
export interface ResolvedKeepalive extends KeepaliveTiming {
  readonly preset: KeepalivePreset | 'custom';
}

/**
 * A validated TCP endpoint configuration; every duration is in seconds.
 * Built only by {@link parseTcpEndpointConfig}.
 */
export interface TcpEndpointConfig {
  /** Which side of the connection this endpoint is. */
  readonly role: Role;
  /** Connection index, 0-based. */
  readonly conn: number;
  /** Keepalive (SO_KEEPALIVE) off, or its resolved timing (domain-facts §4.1–4.3). */
  readonly keepalive: ResolvedKeepalive | 'off';
  /** The application closes after this long without application data sent or received; `never` = no idle close (consequence 6b). */
  readonly idleClose: number | 'never';
  /** The application closes as soon as it reads the peer's FIN; false = it stays in CLOSE-WAIT until it closes. */
  readonly closeOnPeerFin: boolean;
  /** Linux tcp_retries2: retransmissions of an unacknowledged segment before the abort (domain-facts §4.1). */
  readonly retries2: number;
  /** TCP_USER_TIMEOUT in seconds: longest time sent data may stay unacknowledged (domain-facts §4.1); absent = not set. */
  readonly userTimeout?: number;
  /** Initial retransmission timeout, TCP_RTO_MIN (domain-facts §4.1). */
  readonly rtoMin: number;
  /** Upper bound of the backed-off retransmission timeout, TCP_RTO_MAX (domain-facts §4.1). */
  readonly rtoMax: number;
  /** TIME-WAIT length, Linux TCP_TIMEWAIT_LEN. */
  readonly timeWait: number;
  /** FIN-WAIT-2 timeout of an orphaned socket, Linux tcp_fin_timeout. */
  readonly finTimeout: number;
}

/** Allowed ranges, named in error messages. */
const allowed: Readonly<Record<string, string>> = {
  role: "'client' or 'server'",
  conn: 'an integer >= 0',
  keepalive: "'off', 'linux', 'windows', 'macos' or { idle, interval, probes }",
  'keepalive.idle': '1..32767 seconds',
  'keepalive.interval': '1..32767 seconds',
  'keepalive.probes': '1..255',
  idleClose: "a number of seconds > 0, or 'never'",
  closeOnPeerFin: 'true or false',
  retries2: '1..255',
  userTimeout: 'a number of seconds > 0, or omitted',
  rtoMin: '> 0 .. 120 seconds',
  rtoMax: '1..120 seconds',
  timeWait: '> 0 .. 3600 seconds',
  finTimeout: '> 0 .. 3600 seconds',
};

const seconds = z.number().finite();

const keepaliveTimingSchema = z.strictObject({
  idle: seconds.min(1).max(32767),
  interval: seconds.min(1).max(32767),
  probes: z.int().min(1).max(255),
});

/**
 * The raw (user-facing) schema: presets by name, defaults filled in, unknown
 * fields rejected. {@link parseTcpEndpointConfig} resolves presets after it.
 */
export const tcpEndpointConfigSchema = z.strictObject({
  role: z.enum(['client', 'server']),
  conn: z.int().min(0),
  keepalive: z.union([z.enum(['off', 'linux', 'windows', 'macos']), keepaliveTimingSchema]).default('off'),
  idleClose: z.union([z.literal('never'), seconds.gt(0)]).default('never'),
  closeOnPeerFin: z.boolean().default(true),
  retries2: z.int().min(1).max(255).default(15),
  userTimeout: seconds.gt(0).optional(),
  rtoMin: seconds.gt(0).max(120).default(0.2),
  rtoMax: seconds.min(1).max(120).default(120),
  timeWait: seconds.gt(0).max(3600).default(60),
  finTimeout: seconds.gt(0).max(3600).default(60),
});

/** The raw input shape accepted by {@link parseTcpEndpointConfig}. */
export type TcpEndpointConfigInput = z.input<typeof tcpEndpointConfigSchema>;

function describeIssue(issue: z.core.$ZodIssue): ConfigError {
  if (issue.code === 'invalid_union') {
    // Prefer the branch that got furthest (not a plain type mismatch at the union itself).
    const inner = issue.errors.flat().find((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value');
    if (inner !== undefined) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] });
  }
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? '?'].join('.');
    const known = Object.keys(allowed).filter((k) => k.split('.').length === path.length + 1 && k.startsWith(path.join('.')));
    return new ConfigError(field, `${field}: unknown field (allowed fields: ${known.map((k) => k.split('.').at(-1)).join(', ')})`);
  }
  const field = path.length === 0 ? '(config)' : path.join('.');
  const range = allowed[field] ?? 'see the documentation';
  const input = 'input' in issue ? JSON.stringify(issue.input) : 'value';
  switch (issue.code) {
    case 'too_small':
      return new ConfigError(
        field,
        issue.inclusive === false
          ? `${field}: ${input} is not above the minimum ${String(issue.minimum)} (allowed ${range})`
          : `${field}: ${input} is below the minimum ${String(issue.minimum)} (allowed ${range})`,
      );
    case 'too_big':
      return new ConfigError(field, `${field}: ${input} is above the maximum ${String(issue.maximum)} (allowed ${range})`);
    default:
      if (path.length === 0) return new ConfigError(field, `tcp endpoint config: expected an object with fields ${Object.keys(allowed).filter((k) => !k.includes('.')).join(', ')}`);
      return new ConfigError(field, `${field}: ${input ?? 'missing value'} is not allowed (allowed ${range})`);
  }
}

/**
 * Validates a raw endpoint configuration, fills in defaults (Linux values,
 * domain-facts §4.1) and resolves keepalive presets to numbers.
 *
 * @throws ConfigError naming the field and the allowed range, e.g.
 *   `keepalive.probes: 0 is below the minimum 1 (allowed 1..255)`.
 */
export function parseTcpEndpointConfig(raw: unknown): TcpEndpointConfig {
  const parsed = tcpEndpointConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw first === undefined ? new ConfigError('(config)', 'tcp endpoint config: invalid') : describeIssue(first);
  }
  const c = parsed.data;
  if (c.rtoMin > c.rtoMax) {
    throw new ConfigError('rtoMin', `rtoMin: ${c.rtoMin} is above rtoMax ${c.rtoMax} (allowed ${allowed['rtoMin'] ?? ''}, and at most rtoMax)`);
  }
  const keepalive: ResolvedKeepalive | 'off' =
    c.keepalive === 'off'
      ? 'off'
      : typeof c.keepalive === 'string'
        ? { preset: c.keepalive, ...keepalivePresets[c.keepalive] }
        : { preset: 'custom', ...c.keepalive };
  return {
    role: c.role,
    conn: c.conn,
    keepalive,
    idleClose: c.idleClose,
    closeOnPeerFin: c.closeOnPeerFin,
    retries2: c.retries2,
    ...(c.userTimeout === undefined ? {} : { userTimeout: c.userTimeout }),
    rtoMin: c.rtoMin,
    rtoMax: c.rtoMax,
    timeWait: c.timeWait,
    finTimeout: c.finTimeout,
  };
}
