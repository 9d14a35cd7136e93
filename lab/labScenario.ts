/**
 * A lab scenario: one scaled topology, one client schedule and one GWLB
 * target-choice policy, run both on the real Linux system and on the model.
 *
 * Scaling: every timeout of the topology is multiplied by the same factor
 * (default 1/25: 350 s → 14 s, 400 → 16, 325 → 13, 600 → 24, 300 → 12, PAN
 * 3600 → 144, keepalive interval 75 → 3). Values the kernel takes in whole
 * seconds (conntrack timeouts, TCP_KEEPIDLE/KEEPINTVL) are rounded to whole
 * seconds (at least 1), and the model gets exactly the rounded values, so the
 * two sides always run the same numbers. Linux's retransmission timer is NOT
 * scaled: TCP_RTO_MIN stays 200 ms (it is a kernel constant), so the model
 * keeps `rtoMin` 0.2 and both sides lower `tcp_retries2` instead (a
 * retransmission abort 0.2·(2^(retries2+2) − 1) = 6.2 s after the segment
 * for retries2 = 3, rather than the 1044.6 s of retries2 = 15), which keeps
 * a run short. Consequence: compared
 * with the idle timeouts, retransmissions are 25× slower in the lab than in
 * reality, so a scenario whose outcome depends on retransmissions racing an
 * idle timeout would differ; the generator avoids such races (see
 * `boundaryMargin`). TIME-WAIT (60 s, Linux TCP_TIMEWAIT_LEN) is not scaled
 * either; no comparison depends on it.
 */
import { kbHop, withGwlb, type EndpointSettings, type Topology } from '../src/system/topology.ts';
import type { FirewallTimeouts } from '../src/models/firewallConfig.ts';
import { loadPreset, presetNames } from '../src/scenarios/presets.ts';
import { toTopology } from '../src/scenarios/toTopology.ts';

/** A client application action at a time (seconds since the start of the run). */
export interface LabAction {
  readonly t: number;
  readonly action: 'connect' | 'send' | 'close';
}

/**
 * How the GWLB stand-in chooses the appliance of a new flow:
 * - `forced`: the first flow (the SYN) goes to appliance 0, every later new
 *   flow (a re-pinned mid-stream segment) to `repin`; the model's chooser
 *   makes the same choices.
 * - `numgen`: nft `numgen random` for new conntrack flows (`symhash` for
 *   segments conntrack cannot track); the model's chooser replays the
 *   choices the real run made, read from the capture.
 */
export type ChoicePolicy = { readonly mode: 'forced'; readonly repin: 0 | 1 } | { readonly mode: 'numgen' };

/** One lab run's full description. */
export interface LabScenario {
  /** Run name, e.g. `kb-16099/repin-1`. */
  readonly name: string;
  /** Where it came from: a preset name, or `generated` with its seed and index. */
  readonly origin: string;
  /** The scale factor applied to the preset's timeouts (1 for generated scenarios, which are built scaled). */
  readonly scale: number;
  /** The scaled topology (timeScale 1), exactly what the model runs and the real system is configured from. */
  readonly topology: Topology;
  /** Client actions (seconds). */
  readonly schedule: readonly LabAction[];
  readonly choice: ChoicePolicy;
  /** Seconds after the start at which both sides stop observing. */
  readonly horizon: number;
}

/**
 * The lab's tcp_retries2 (both sides): Linux's give-up bound is
 * 0.2·(2^4 − 1) = 3.0 s counted from the first retransmission, so the abort
 * comes at the RTO expiry after 4 retransmissions, 6.2 s after the segment
 * (plus the tail loss probe, see {@link linuxAbortBound}).
 */
export const LAB_RETRIES2 = 3;

/** Linux TCP_RTO_MIN in seconds (not scaled; domain-facts §4.1). */
export const LINUX_RTO_MIN = 0.2;

/**
 * Linux's give-up bound tcp_model_timeout(retries2) in seconds,
 * rtoMin·(2^(retries2+1) − 1) (uncapped backoff), measured from the FIRST
 * RETRANSMISSION, not from the original transmission (3.0 s for 3, 924.6 s
 * for 15).
 */
export function retransmitBudget(retries2: number, rtoMin = LINUX_RTO_MIN): number {
  return rtoMin * (2 ** (retries2 + 1) - 1);
}

/**
 * Seconds from a segment's transmission to the retransmission abort, as the
 * model has it (and Linux without its tail loss probe and RTO excess): the
 * first retransmission at rtoMin plus {@link retransmitBudget} rounded up to
 * the next RTO expiry, i.e. rtoMin·(2^(retries2+2) − 1) (6.2 s for 3; 1044.6 s
 * for 15 once the 120 s cap applies).
 */
export function modelAbortTime(retries2: number, rtoMin = LINUX_RTO_MIN): number {
  return rtoMin * (2 ** (retries2 + 2) - 1);
}

/**
 * An upper bound (seconds) on when real Linux aborts after `retries2`
 * unanswered retransmissions, for sizing horizons: {@link modelAbortTime}
 * plus 3·rtoMin, which covers the later real abort (tail loss probe and RTO
 * excess, ≈ 0.46 s for 3: compare.ts `tlpAbortOffset`) and observation
 * jitter. 6.8 s for 3.
 */
export function linuxAbortBound(retries2: number, rtoMin = LINUX_RTO_MIN): number {
  return modelAbortTime(retries2, rtoMin) + 3 * rtoMin;
}

const whole = (v: number, f: number): number => Math.max(1, Math.round(v * f));
const ms = (v: number): number => Math.round(v * 1000) / 1000;

function scaleEndpoint(e: EndpointSettings, f: number, retries2: number): EndpointSettings {
  return {
    keepalive: e.keepalive === 'off' ? 'off' : { ...e.keepalive, idle: whole(e.keepalive.idle, f), interval: whole(e.keepalive.interval, f), preset: 'custom' },
    idleClose: e.idleClose === 'never' ? 'never' : ms(e.idleClose * f),
    closeOnPeerFin: e.closeOnPeerFin,
    retries2,
    ...(e.userTimeout === undefined ? {} : { userTimeout: ms(e.userTimeout * f) }),
    rtoMin: LINUX_RTO_MIN,
    rtoMax: e.rtoMax,
    timeWait: e.timeWait,
    finTimeout: e.finTimeout,
  };
}

/**
 * A topology with every idle timeout multiplied by `f` (whole seconds where
 * the kernel needs them), Linux RTO untouched, tcp_retries2 set to `retries2`.
 */
export function scaleTopology(t: Topology, f: number, retries2 = LAB_RETRIES2): Topology {
  const fw = kbHop(t).appliances.firewall.timeouts;
  const timeouts: FirewallTimeouts = {
    init: whole(fw.init, f),
    handshake: whole(fw.handshake, f),
    established: whole(fw.established, f),
    halfClosed: whole(fw.halfClosed, f),
    timeWait: whole(fw.timeWait, f),
  };
  return {
    ...withGwlb(t, { gwlb: { idleTimeout: whole(kbHop(t).gwlb.idleTimeout, f) }, appliances: { firewall: { ...kbHop(t).appliances.firewall, timeouts } } }),
    client: scaleEndpoint(t.client, f, retries2),
    server: scaleEndpoint(t.server, f, retries2),
  };
}

/**
 * The KB presets the lab runs by default (README "The headline result"): the
 * built-in KB 16099 scenarios, in the order of {@link presetNames} (the KB case first).
 */
export const LAB_PRESETS: readonly string[] = presetNames().filter((name) => name.startsWith('kb-16099'));

/** Default scale: 1/25 keeps every KB number a whole number of seconds. */
export const DEFAULT_SCALE = 1 / 25;

/**
 * A preset as a lab scenario: the KB story's schedule (connect at 0, a
 * request at 12.5 s unscaled, the client's next request at 450 s unscaled,
 * after the GWLB timeout and the server's idle close) and a forced re-pin
 * target.
 */
export function presetScenario(name: string, repin: 0 | 1, scale = DEFAULT_SCALE): LabScenario {
  const topology = scaleTopology(toTopology(loadPreset(name)), scale);
  const schedule: LabAction[] = [
    { t: 0, action: 'connect' },
    { t: ms(12.5 * scale), action: 'send' },
    { t: ms(450 * scale), action: 'send' },
  ];
  const last = schedule[schedule.length - 1]!.t;
  const horizon = ms(last + linuxAbortBound(LAB_RETRIES2) + 1.5);
  return { name: `${name}/repin-${repin}`, origin: name, scale, topology: { ...topology, name }, schedule, choice: { mode: 'forced', repin }, horizon };
}
