/**
 * The headline theorem as an oracle: plain reasoning over a topology's
 * numbers, written independently of the explorer (no machines, no
 * exploration). It predicts each property's verdict and, where it can reason
 * exactly, the idle-gap window of a violation; elsewhere it says `unknown`.
 * The property tests compare it with the explorer; a disagreement means one
 * of the two is wrong.
 *
 * The model it reasons about (src/system/product.ts, README "Semantics"):
 * the client may connect, send (one request at a time) and close at any
 * time; the server only ACKs and closes by its own idle timer; segments cross
 * in zero time and are lost only mid-path; the idle gap is the time since a
 * segment of the connection was last delivered end to end.
 *
 * Rules, with the domain facts they rest on:
 *
 * 1. **Activity bound A** (consequence 6a, 6b, 7). Every delivered segment
 *    resets the idle gap, and each endpoint hears of every delivery at once
 *    (the peer ACKs at the same instant). So the idle gap of a held
 *    connection never exceeds the earliest endpoint timer that makes a
 *    segment: either side's keepalive idle (§4.1: measured since the last
 *    received segment; "keepalive from either endpoint is enough",
 *    consequence 7), or either side's application idle close (consequence
 *    6b), the latter only when the peer closes on the FIN (else the peer sits
 *    in CLOSE-WAIT and can still send later). A = min of those, ∞ if none.
 * 2. **Drop causes** (consequences 2, 4, 5), each a threshold on the idle
 *    gap and the boundary of the timer behind it (consequence 10):
 *    - the appliance's own established session ages out after F (§3.1;
 *      reject-non-SYN, §3.2): a later segment that reaches it, via a new flow
 *      landing on the same appliance or via the still-live GWLB entry, is
 *      dropped. With GWLB RST on, or GWLB dropping unknown non-SYN
 *      segments, there are no new flows for non-SYN segments, so this cause
 *      needs F < G (an exact tie F = G is left `unknown`);
 *    - with N ≥ 2 appliances the GWLB entry expires after G and a new flow may
 *      land on another appliance, which never saw the SYN (consequence 2, 5):
 *      only when GWLB forwards unknown non-SYN segments as new flows and
 *      sends no RST (§1.2, §1.4); with N = 1 the new flow re-lands on the same
 *      appliance, so only F counts;
 *    - GWLB configured to drop unknown non-SYN segments itself (§1.4,
 *      UNCONFIRMED alternative): after G, whatever N.
 *    `conntrack-loose` (and PAN-OS with `rejectNonSyn: false`) adopts
 *    mid-stream segments (consequence 4, §2): it never drops.
 *    The drop threshold T is the least threshold; its bound is closed
 *    (`[T, …)`) when any cause at T has a `closed` or `ambiguous` boundary,
 *    else open (`(T, …)`, AWS's "idle for longer than").
 * 3. **Verdict**. A drop is reachable iff A comes after T: A > T, or A = T
 *    with a closed bound (the segment at exactly T is already lost). Then
 *    the window starts at T; it is unbounded (to = ∞) when the client can
 *    hold the connection and act forever (no keepalive, no idle close: the
 *    KB's client) and GWLB sends no RST, otherwise its end depends on
 *    probe and retransmission timing and the oracle says `unknown`.
 * 4. **Reset** (§1.2, consequence 3, 6d). With `resetOnIdleTimeout` GWLB
 *    answers a non-RST segment that has no entry with an RST to its sender:
 *    a reset is reachable iff A comes after G (GWLB boundary); window from
 *    G, to = ∞ under the same condition as above. Re-hash drops become
 *    resets, but an appliance timeout F < G still drops on the same
 *    appliance (rule 2, first cause). When F-drops are reachable and A ≤ G,
 *    whether a retransmission later outlives the entry depends on backoff
 *    timing: `unknown`.
 * 5. **Half-open and clean close** (consequence 5). In the default
 *    environment (client closes on the server's FIN and vice versa), a
 *    silent drop or an injected reset is the only way a connection breaks:
 *    the dropped side times out (no RST reaches the peer, §4.1) or the reset
 *    side ends while its peer stays ESTABLISHED, and the client may close at
 *    any time, so its FIN can be the segment lost. Both properties are
 *    violated iff a drop or a reset is reachable; their windows are not
 *    predicted.
 *
 * Anything outside these rules (a non-default environment, an endpoint that
 * does not close on the peer's FIN) gives `unknown`.
 */
import type { PropertyId } from './catalogue.ts';
import { predictPath } from './pathOracle.ts';
import { endpointSettings, kbHop, soleGwlb, type Boundary, type EndpointSettings, type Topology } from '../system/topology.ts';

/** A predicted verdict. `unknown`: outside the oracle's exact rules. */
export type OracleVerdict = 'holds' | 'violated' | 'unknown';

/**
 * A predicted idle-gap window, in seconds: from `from` (inclusive or not) to
 * infinity (`to: null`), or to an end the oracle does not predict
 * (`to: 'unknown'`).
 */
export interface OracleWindow {
  readonly from: number;
  readonly fromInclusive: boolean;
  readonly to: null | 'unknown';
}

/** One property's prediction, with the rule that decided it. */
export interface OraclePrediction {
  readonly property: PropertyId;
  readonly verdict: OracleVerdict;
  /** Present when violated and the window's start is predicted. */
  readonly window?: OracleWindow;
  /** The rule that decided it, in words (cites domain-facts). */
  readonly because: string;
}

/** A way the path can silently lose a segment once the idle gap passes `at`. */
export interface DropCause {
  readonly at: number;
  readonly boundary: Boundary;
  readonly what: 'appliance-aged-out' | 'rehash-to-other-appliance' | 'gwlb-drops-unknown-non-syn';
}

/** The oracle's reading of a topology. */
export interface TheoremPrediction {
  /** GWLB idle timeout G (s). */
  readonly gwlbTimeout: number;
  /** Appliance established-session timeout F (s). */
  readonly applianceTimeout: number;
  /** Drop causes that apply, least threshold first. */
  readonly causes: readonly DropCause[];
  /** Drop threshold T (s): the least cause threshold; null when nothing can drop. */
  readonly threshold: number | null;
  /** Activity bound A per connection (s), null = none (rule 1). */
  readonly activity: readonly (number | null)[];
  readonly predictions: readonly OraclePrediction[];
}

const endpointOf = (t: Topology, c: number, role: 'client' | 'server'): EndpointSettings => endpointSettings(t, c, role);

function isDefaultEnvironment(t: Topology): boolean {
  const e = t.environment;
  return e.clientSends && e.clientCloses && !e.serverSends && !e.serverCloses;
}

/** Rule 1: the earliest endpoint timer that makes a segment on an idle connection. */
export function activityBound(t: Topology, c: number): number | null {
  const client = endpointOf(t, c, 'client');
  const server = endpointOf(t, c, 'server');
  const bounds: number[] = [];
  for (const e of [client, server]) if (e.keepalive !== 'off') bounds.push(e.keepalive.idle);
  if (client.idleClose !== 'never' && server.closeOnPeerFin) bounds.push(client.idleClose);
  if (server.idleClose !== 'never' && client.closeOnPeerFin) bounds.push(server.idleClose);
  return bounds.length === 0 ? null : Math.min(...bounds);
}

/** Rule 2: the drop causes of the path. */
export function dropCauses(t: Topology): DropCause[] {
  const g = kbHop(t).gwlb;
  const fw = kbHop(t).appliances.firewall;
  const causes: DropCause[] = [];
  const newFlows = !g.resetOnIdleTimeout && g.unknownNonSyn === 'forward';
  const f = fw.timeouts.established;
  if (fw.rejectNonSyn) {
    // A late segment reaches the aged-out session through a new flow, or else through the still-live entry (F < G).
    if (newFlows || f < g.idleTimeout) causes.push({ at: f, boundary: kbHop(t).appliances.boundary, what: 'appliance-aged-out' });
    if (kbHop(t).appliances.count >= 2 && newFlows) {
      causes.push({ at: g.idleTimeout, boundary: g.boundary, what: 'rehash-to-other-appliance' });
    }
  }
  if (!g.resetOnIdleTimeout && g.unknownNonSyn === 'drop') causes.push({ at: g.idleTimeout, boundary: g.boundary, what: 'gwlb-drops-unknown-non-syn' });
  return causes.sort((a, b) => a.at - b.at);
}

/** A threshold and whether a segment at exactly it is already lost. */
interface Threshold {
  readonly at: number;
  readonly closed: boolean;
}

function thresholdOf(causes: readonly { at: number; boundary: Boundary }[]): Threshold | null {
  const first = causes[0];
  if (!first) return null;
  const at = Math.min(...causes.map((c) => c.at));
  return { at, closed: causes.some((c) => c.at === at && c.boundary !== 'open') };
}

/** Rule 3: does an idle gap bounded by `a` reach past the threshold? */
function passes(a: number | null, th: Threshold): boolean {
  return a === null || a > th.at || (a === th.at && th.closed);
}

/** The client can hold the connection open and act at any later time (rule 3's unbounded window). */
function clientHoldsForever(t: Topology, c: number): boolean {
  const client = endpointOf(t, c, 'client');
  return client.keepalive === 'off' && client.idleClose === 'never';
}

function windowFrom(th: Threshold, unbounded: boolean): OracleWindow {
  return { from: th.at, fromInclusive: th.closed, to: unbounded ? null : 'unknown' };
}

/**
 * Predicts every property's verdict (and the idle-gap window of
 * `no-mid-path-drop` and `no-mid-path-reset`) for a topology, by the rules in
 * this module's documentation.
 */
export function predict(t: Topology): TheoremPrediction {
  // any other path: the path oracle (pathOracle.ts)
  if (!soleGwlb(t)) return predictPath(t);
  const causes = dropCauses(t);
  const dropTh = thresholdOf(causes);
  const conns = Array.from({ length: t.connections }, (_, c) => c);
  const activity = conns.map((c) => activityBound(t, c));
  const base = { gwlbTimeout: kbHop(t).gwlb.idleTimeout, applianceTimeout: kbHop(t).appliances.firewall.timeouts.established, causes, threshold: dropTh?.at ?? null, activity };
  const unknown = (property: PropertyId, because: string): OraclePrediction => ({ property, verdict: 'unknown', because });
  const ids: PropertyId[] = ['no-mid-path-drop', 'no-mid-path-reset', 'no-half-open', 'clean-close'];
  if (!isDefaultEnvironment(t)) return { ...base, predictions: ids.map((p) => unknown(p, 'non-default environment: outside the oracle')) };
  const g = kbHop(t).gwlb;
  const tie = kbHop(t).appliances.firewall.rejectNonSyn && (g.resetOnIdleTimeout || g.unknownNonSyn === 'drop') && kbHop(t).appliances.firewall.timeouts.established === g.idleTimeout;
  if (tie) return { ...base, predictions: ids.map((p) => unknown(p, 'appliance and GWLB expire at the same instant with no new flows: outside the oracle')) };

  // Rules 2–3: silent drops.
  const dropConns = dropTh ? conns.filter((c) => passes(activity[c]!, dropTh)) : [];
  const drop: OraclePrediction = !dropTh
    ? { property: 'no-mid-path-drop', verdict: 'holds', because: 'no drop cause: appliances adopt mid-stream segments (consequence 4) and GWLB forwards or resets (§1.2, §1.4)' }
    : dropConns.length === 0
      ? { property: 'no-mid-path-drop', verdict: 'holds', because: `keepalive or idle close (A = ${activity.join('/')} s) acts no later than T = ${dropTh.at} s (consequence 6a/6b)` }
      : {
          property: 'no-mid-path-drop',
          verdict: 'violated',
          // With GWLB RST on, a late segment that outlives the entry is reset, not dropped: the tail is bounded.
          window: windowFrom(dropTh, !kbHop(t).gwlb.resetOnIdleTimeout && dropConns.some((c) => clientHoldsForever(t, c))),
          because: `idle gap can pass T = ${dropTh.at} s (${causes.filter((x) => x.at === dropTh.at).map((x) => x.what).join(', ')}; consequence 5)`,
        };

  // Rule 4: injected resets.
  let reset: OraclePrediction;
  if (!kbHop(t).gwlb.resetOnIdleTimeout) {
    reset = { property: 'no-mid-path-reset', verdict: 'holds', because: 'GWLB RST on idle timeout is off (§1.2 default); no other middlebox sends RSTs (§3.3)' };
  } else {
    const resetTh: Threshold = { at: kbHop(t).gwlb.idleTimeout, closed: kbHop(t).gwlb.boundary !== 'open' };
    const resetConns = conns.filter((c) => passes(activity[c]!, resetTh));
    if (resetConns.length > 0) {
      reset = {
        property: 'no-mid-path-reset',
        verdict: 'violated',
        window: windowFrom(resetTh, resetConns.some((c) => clientHoldsForever(t, c))),
        because: `idle gap can pass G = ${resetTh.at} s; the next segment finds no entry and GWLB answers it with an RST (§1.2)`,
      };
    } else if (dropConns.length > 0) {
      reset = unknown('no-mid-path-reset', 'appliance drops before G: whether a retransmission outlives the GWLB entry depends on backoff timing');
    } else {
      reset = { property: 'no-mid-path-reset', verdict: 'holds', because: `keepalive or idle close acts no later than G = ${resetTh.at} s` };
    }
  }

  // Rule 5: half-open and clean close follow from drops and resets.
  const closesOnFin = conns.every((c) => endpointOf(t, c, 'client').closeOnPeerFin && endpointOf(t, c, 'server').closeOnPeerFin);
  const broken: OracleVerdict =
    drop.verdict === 'violated' || reset.verdict === 'violated' ? 'violated' : drop.verdict === 'holds' && reset.verdict === 'holds' ? 'holds' : 'unknown';
  const follow = (property: PropertyId): OraclePrediction =>
    !closesOnFin
      ? unknown(property, 'an endpoint does not close on the peer’s FIN: CLOSE-WAIT is outside the oracle')
      : broken === 'unknown'
        ? unknown(property, 'follows drops and resets, which are unknown here')
        : { property, verdict: broken, because: broken === 'violated' ? 'a drop or reset is reachable; the broken side times out or is reset while its peer stays open (consequence 5)' : 'nothing is lost mid-path, so every close completes' };

  return { ...base, predictions: [drop, reset, follow('no-half-open'), follow('clean-close')] };
}

/** The prediction for one property. */
export function predictionFor(p: TheoremPrediction, id: PropertyId): OraclePrediction {
  const x = p.predictions.find((q) => q.property === id);
  if (!x) throw new Error(`oracle: no prediction for ${id}`);
  return x;
}
