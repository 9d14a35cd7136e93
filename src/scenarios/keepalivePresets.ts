import type { KeepaliveTimers } from './scenario.ts';

/** Operating systems whose default keepalive timers a scenario may name. */
export type KeepaliveOs = 'linux' | 'windows' | 'macos';

/**
 * Default keepalive timers per operating system, applied when the
 * application enables `SO_KEEPALIVE` without setting its own values
 * (domain-facts §4 and Modelling consequences 7):
 * - Linux: 7200 / 75 / 9 (ip-sysctl, §4.1);
 * - Windows: 7200 / 1 / 10 (KeepAliveTime, KeepAliveInterval, 10 probes since Vista, §4.2);
 * - macOS/BSD: 7200 / 75 / 8 (TCPTV_KEEPCNT; XNU UNCONFIRMED, §4.3).
 */
export const KEEPALIVE_PRESETS: { readonly [K in KeepaliveOs]: KeepaliveTimers } = {
  linux: { idle: 7200, interval: 75, probes: 9 },
  windows: { idle: 7200, interval: 1, probes: 10 },
  macos: { idle: 7200, interval: 75, probes: 8 },
};

/**
 * Limits of the keepalive socket options on Linux (`MAX_TCP_KEEPIDLE`,
 * `MAX_TCP_KEEPINTVL`, `MAX_TCP_KEEPCNT` in include/net/tcp.h).
 */
export const KEEPALIVE_LIMITS = {
  idle: { min: 1, max: 32767 },
  interval: { min: 1, max: 32767 },
  probes: { min: 1, max: 127 },
} as const;

/**
 * Software whose shipped keepalive behaviour a scenario may name for an
 * endpoint (issue 12 §3), beside the OS presets. Each resolves to `'off'` or
 * to timers, given the OS the software runs on ({@link endpointPresetKeepalive}).
 */
export const ENDPOINT_PRESET_NAMES = [
  'go',
  'node',
  'node-keepalive',
  'pgjdbc',
  'pgjdbc-tcpkeepalive',
  'libpq',
  'grpc',
  'redis-server',
  'java-socket',
  'librdkafka',
  'librdkafka-azure',
  'envoy-downstream',
] as const;

/** A software endpoint preset name. */
export type EndpointPresetName = (typeof ENDPOINT_PRESET_NAMES)[number];

/**
 * How a piece of software sets keepalive: `off`, `os` (SO_KEEPALIVE on, every
 * timer from the OS), or timers where `idle`, `interval` or `probes` may be
 * `'os'` (that one taken from the OS preset).
 */
export type SoftwareKeepalive =
  | 'off'
  | 'os'
  | {
      readonly idle: number | 'os';
      readonly interval: number | 'os';
      readonly probes: number | 'os';
    };

/** One software endpoint preset: its keepalive behaviour and where the fact comes from. */
export interface EndpointPreset {
  readonly name: EndpointPresetName;
  /** e.g. `Go net.Dialer (Go >= 1.23)`. */
  readonly label: string;
  /** Which side the software usually is. */
  readonly role: 'client' | 'server';
  /** Keepalive on Linux (the OS timers filled in by {@link endpointPresetKeepalive} for other OSes). */
  readonly keepalive: SoftwareKeepalive;
  /** Keepalive on other OSes when it differs from `keepalive` (Redis sets only the idle time off Linux). */
  readonly keepaliveOffLinux?: SoftwareKeepalive;
  /** Seconds of idle after which the software itself closes the connection, or `never` (the default). */
  readonly idleClose?: number | 'never';
  /** The domain-facts section (and any further source) the values come from. */
  readonly source: string;
}

/**
 * Keepalive defaults of the software people run (domain-facts §11.3, "Client
 * and server defaults"):
 * - `go`: Go `net.Dialer` keepalive on, 15 s; Go >= 1.23 `KeepAliveConfig`
 *   idle 15 / interval 15 / count 9.
 * - `node`: Node.js `socket.setKeepAlive` off by default.
 * - `node-keepalive`: `setKeepAlive(true)` with `initialDelay 0`: the OS idle
 *   (7200 s), and Node sets `TCP_KEEPCNT=10`, `TCP_KEEPINTVL=1`.
 * - `pgjdbc`: pgJDBC `tcpKeepAlive` default false.
 * - `pgjdbc-tcpkeepalive`: `tcpKeepAlive=true`, on/off only: every timer from the OS (7200 s idle).
 * - `libpq`: `keepalives` on, timers from the OS ([2nd] in §11.3).
 * - `grpc`: gRPC core client keepalive off (server pings every 2 h are HTTP/2 PINGs, not TCP keepalive).
 * - `redis-server`: `tcp-keepalive 300` (since 3.2.1). §11.3 gives the 300;
 *   the interval and count come from Redis `src/anet.c` `anetKeepAlive`
 *   (on Linux `TCP_KEEPINTVL` = 300/3 = 100 and `TCP_KEEPCNT` = 3; elsewhere
 *   only the idle time is set), read from the vendor source, not in domain-facts.
 * - `java-socket`: Java `Socket` SO_KEEPALIVE off ([2nd] in §11.3).
 * - `librdkafka`: `connections.max.idle.ms` off, keepalive off.
 * - `librdkafka-azure`: `connections.max.idle.ms` 9 min (540 s) when
 *   `bootstrap.servers` contains "azure" (librdkafka PR #3286): an idle close.
 * - `envoy-downstream`: Envoy's listener socket keepalive is not set by default.
 * The most common misconfiguration is keepalive on with the OS idle of 7200 s
 * (§11.3): `node-keepalive`, `pgjdbc-tcpkeepalive`, `libpq`.
 */
export const ENDPOINT_PRESETS: { readonly [K in EndpointPresetName]: EndpointPreset & { readonly name: K } } = {
  go: {
    name: 'go',
    label: 'Go net.Dialer (Go >= 1.23 KeepAliveConfig)',
    role: 'client',
    keepalive: { idle: 15, interval: 15, probes: 9 },
    source: 'domain-facts §11.3 (Go net package docs)',
  },
  node: {
    name: 'node',
    label: 'Node.js net.Socket (setKeepAlive not called)',
    role: 'client',
    keepalive: 'off',
    source: 'domain-facts §11.3 (Node net docs)',
  },
  'node-keepalive': {
    name: 'node-keepalive',
    label: 'Node.js socket.setKeepAlive(true) with initialDelay 0',
    role: 'client',
    keepalive: { idle: 'os', interval: 1, probes: 10 },
    source: 'domain-facts §11.3 (Node net docs, since v13.12 / v12.17)',
  },
  pgjdbc: {
    name: 'pgjdbc',
    label: 'PostgreSQL JDBC driver (tcpKeepAlive=false, the default)',
    role: 'client',
    keepalive: 'off',
    source: 'domain-facts §11.3 (pgsql-jdbc list 2008-04-13; pgjdbc-ng#570)',
  },
  'pgjdbc-tcpkeepalive': {
    name: 'pgjdbc-tcpkeepalive',
    label: 'PostgreSQL JDBC driver with tcpKeepAlive=true',
    role: 'client',
    keepalive: 'os',
    source: 'domain-facts §11.3 (on/off only, idle from the OS)',
  },
  libpq: {
    name: 'libpq',
    label: 'libpq (keepalives=1, the default)',
    role: 'client',
    keepalive: 'os',
    source: 'domain-facts §11.3 (PostgreSQL docs [2nd])',
  },
  grpc: {
    name: 'grpc',
    label: 'gRPC core client (keepalive off)',
    role: 'client',
    keepalive: 'off',
    source: 'domain-facts §11.3 (grpc/grpc doc/keepalive.md)',
  },
  'redis-server': {
    name: 'redis-server',
    label: 'Redis server (tcp-keepalive 300)',
    role: 'server',
    keepalive: { idle: 300, interval: 100, probes: 3 },
    keepaliveOffLinux: { idle: 300, interval: 'os', probes: 'os' },
    source: 'domain-facts §11.3 (redis.conf); interval and count: Redis src/anet.c anetKeepAlive',
  },
  'java-socket': {
    name: 'java-socket',
    label: 'Java Socket (SO_KEEPALIVE off)',
    role: 'client',
    keepalive: 'off',
    source: 'domain-facts §11.3 (JDK docs [2nd])',
  },
  librdkafka: {
    name: 'librdkafka',
    label: 'librdkafka (connections.max.idle.ms off)',
    role: 'client',
    keepalive: 'off',
    idleClose: 'never',
    source: 'domain-facts §11.3 (librdkafka PR #3286)',
  },
  'librdkafka-azure': {
    name: 'librdkafka-azure',
    label: 'librdkafka with an Azure bootstrap server (connections.max.idle.ms 9 min)',
    role: 'client',
    keepalive: 'off',
    idleClose: 540,
    source: 'domain-facts §11.3 (librdkafka PR #3286)',
  },
  'envoy-downstream': {
    name: 'envoy-downstream',
    label: 'Envoy listener (downstream) socket, keepalive not set',
    role: 'server',
    keepalive: 'off',
    source: 'domain-facts §11.3 (envoyproxy/envoy#3634), §11.4',
  },
};

/** What a software preset resolves to on an OS: the keepalive and the application idle close. */
export interface ResolvedEndpointPreset {
  readonly keepalive: 'off' | KeepaliveTimers;
  readonly idleClose: number | 'never';
}

/**
 * A software preset resolved on an OS: {@link endpointPresetKeepalive} and
 * its idle close (`never` unless the software closes idle connections itself).
 */
export function resolveEndpointPreset(name: EndpointPresetName, os: KeepaliveOs = 'linux'): ResolvedEndpointPreset {
  return { keepalive: endpointPresetKeepalive(name, os), idleClose: ENDPOINT_PRESETS[name].idleClose ?? 'never' };
}

/** True when `name` is a software endpoint preset. */
export function isEndpointPresetName(name: string): name is EndpointPresetName {
  return (ENDPOINT_PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The keepalive a software preset gives on an OS: `'off'` or the timers,
 * with what the software leaves to the OS taken from {@link KEEPALIVE_PRESETS}.
 * @param os the OS the software runs on, default `linux`
 */
export function endpointPresetKeepalive(name: EndpointPresetName, os: KeepaliveOs = 'linux'): 'off' | KeepaliveTimers {
  const preset = ENDPOINT_PRESETS[name];
  const k = os === 'linux' ? preset.keepalive : (preset.keepaliveOffLinux ?? preset.keepalive);
  if (k === 'off') return 'off';
  const osTimers = KEEPALIVE_PRESETS[os];
  if (k === 'os') return { ...osTimers };
  return {
    idle: k.idle === 'os' ? osTimers.idle : k.idle,
    interval: k.interval === 'os' ? osTimers.interval : k.interval,
    probes: k.probes === 'os' ? osTimers.probes : k.probes,
  };
}
