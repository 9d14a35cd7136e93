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
