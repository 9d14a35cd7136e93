import type { TcpEndpointConfig } from '../models/tcpEndpointConfig.ts';
import { endpointSettings, hopTimeouts, sharesEntry, type EndpointSettings, type Topology } from './topology.ts';

/**
 * Seconds of the longest retransmission chain of one outstanding segment:
 * the RTO doubles from `rtoMin`, capped at `rtoMax`, and the sender aborts
 * at the timeout after `retries2 + 1` retransmissions (domain-facts §4.1:
 * 1044.6 s for 15), or earlier by TCP_USER_TIMEOUT, which runs in parallel
 * from the first transmission and only ever shortens the chain.
 */
export function retransmissionChainSeconds(e: Pick<TcpEndpointConfig, 'rtoMin' | 'rtoMax' | 'retries2' | 'userTimeout'>): number {
  let sum = 0;
  for (let k = 0; k <= e.retries2 + 1; k++) sum += Math.min(e.rtoMin * 2 ** k, e.rtoMax);
  return e.userTimeout === undefined ? sum : Math.min(sum, e.userTimeout);
}

/**
 * Seconds an endpoint can keep firing its own timers while it receives
 * nothing, every timer chained after the previous one (an over-estimate:
 * most of them exclude each other): the SYN's and one data/FIN segment's
 * retransmission chains, the application idle close, the keepalive chain
 * (idle, then `probes` probes every `interval`, domain-facts §4.1), FIN-WAIT-2
 * and TIME-WAIT. Without a received segment an endpoint has nothing else
 * that starts a timer (it sends one request at a time, until it is acknowledged).
 */
export function quietEndpointSeconds(e: EndpointSettings): number {
  const keepalive = e.keepalive === 'off' ? 0 : e.keepalive.idle + e.keepalive.probes * e.keepalive.interval;
  const idleClose = e.idleClose === 'never' ? 0 : e.idleClose;
  return 2 * retransmissionChainSeconds(e) + idleClose + keepalive + e.finTimeout + e.timeWait;
}

/**
 * The extrapolation bound (ms, before `timeScale`) of the idle-gap observer
 * clocks: an upper bound on every finite value an observer's zone bounds can
 * be forced to by what the system can actually do.
 *
 * The observer is never in a guard, so it changes no verdict; but the
 * explorer reads windows off it, and maximal-constant extrapolation makes a
 * clock exact only up to its bound (values above it collapse into `(B, ∞)`).
 * A bound such as "twice the largest constant" therefore cut windows whose
 * true start lies beyond it (a retransmission chain of 1044.6 s after a
 * 400 s idle close) and moved them when an unrelated constant was added.
 *
 * Between two deliveries of a connection (the observer's resets) its value
 * is forced upwards only by timers that fire in the meantime; every endpoint
 * fires at most {@link quietEndpointSeconds} of them without receiving a
 * segment, and a middlebox timer is armed only by a crossing and starts
 * nothing itself. The sum of all of them over the endpoints that can act
 * on the connection (its own with 5-tuple stickiness, every connection's
 * with a shared entry) and every middlebox timeout bounds every finite window end
 * reached through them, so no such window is cut, and a constant that never
 * fires does not change a window (it may only raise the bound).
 * The bound stays finite so that the zone graph stays finite: coupled
 * connections (a shared 2-/3-tuple flow entry) may cycle forever, each
 * cycle raising another connection's observer; gaps above the bound that
 * only such unbounded cycles reach are reported as part of `(B, ∞)`.
 */
export function observerBoundMs(t: Topology): number {
  const middleboxes = t.path.flatMap(hopTimeouts).reduce((a, b) => a + b, 0);
  const own = Array.from({ length: t.connections }, (_, c) => quietEndpointSeconds(endpointSettings(t, c, 'client')) + quietEndpointSeconds(endpointSettings(t, c, 'server')));
  // With 5-tuple stickiness a connection shares no component with another (domain-facts §1.3), so only its own
  // timers force its observer; a shared 2-/3-tuple entry lets every connection's timers act on it.
  const seconds = middleboxes + (!t.path.some(sharesEntry) ? Math.max(...own) : own.reduce((a, b) => a + b, 0));
  // whole milliseconds (the engine's unit), rounded up so the bound is never below the sum
  return Math.ceil(seconds * 1000);
}
