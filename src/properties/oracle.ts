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
 *    (the peer ACKs at the same instant). So before any FIN the idle gap of
 *    a held connection never exceeds the earliest endpoint timer that makes a
 *    segment: either side's keepalive idle (§4.1: measured since the last
 *    received segment; "keepalive from either endpoint is enough",
 *    consequence 7), or either side's application idle close (consequence
 *    6b: the FIN goes at that gap, whatever the peer does with it; what
 *    follows the FIN is rule 6). A = min of those, ∞ if none.
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
 * 6. **Half-closed connections** (§3.1 half-closed timeout H, refreshed by
 *    every segment; RFC 9293 CLOSE-WAIT). A side that does not close on the
 *    peer's FIN stays in CLOSE-WAIT: (i) the server, after the client's FIN
 *    (the client may close at any time); (ii) the client, after the server's
 *    idle-close FIN, when that FIN comes first and is delivered. After the
 *    FIN the threshold is H' = the least of H (reached through the live
 *    entry when H < G, or a new flow) and the GWLB-side causes at G. A client
 *    in CLOSE-WAIT may still send or close at any time: a drop at every gap
 *    above H' unless its own keepalive or idle close comes no later. A
 *    server in CLOSE-WAIT sends only by its own keepalive or idle close (a
 *    drop when that passes H', window not predicted), else never. The side
 *    in CLOSE-WAIT without an idle close outlives its peer's FIN-WAIT-2
 *    timeout: `no-half-open` is violated.
 * 7. **Shared entry** (§1.3, 2-/3-tuple stickiness, several connections,
 *    identical and free to connect at any time). The other connections may
 *    stay silent, so every single-connection behaviour remains; with
 *    `resetOnIdleTimeout` (no new flows for non-SYN segments) another
 *    connection's SYN re-creates an expired entry on another appliance
 *    (N ≥ 2) and this connection's next segment follows it and is dropped:
 *    a drop cause at G.
 *
 * Anything outside these rules gives `unknown`: a non-default environment;
 * connections sharing an entry that differ or all start at once (one may
 * keep the entry alive for another); half-closed connections with GWLB
 * resets or a shared entry; equal timers where the order decides (with no
 * new flows: F = G always; H = G only when a session can stay half-closed,
 * i.e. a rule-6 phase or a shared entry; otherwise the answering FIN crosses
 * at the same instant as the first and H never runs).
 */
import type { PropertyId } from './catalogue.ts';
import { predictPath } from './pathOracle.ts';
import { connectionsAlike, endpointSettings, kbHop, soleGwlb, type Boundary, type EndpointSettings, type Topology } from '../system/topology.ts';

/** A predicted verdict. `unknown`: outside the oracle's exact rules. */
export type OracleVerdict = 'holds' | 'violated' | 'unknown';

/**
 * A predicted idle-gap window, in seconds: from `from` (inclusive or not) to
 * infinity (`to: null`), to a finite end the oracle does not predict
 * (`to: 'unknown'`), or to an end the oracle does not predict at all, not
 * even whether there is one (`to: 'unpredicted'`).
 */
export interface OracleWindow {
  readonly from: number;
  readonly fromInclusive: boolean;
  readonly to: null | 'unknown' | 'unpredicted';
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
  readonly what: 'appliance-aged-out' | 'rehash-to-other-appliance' | 'gwlb-drops-unknown-non-syn' | 'syn-of-another-connection' | 'half-closed-aged-out';
}

/** The oracle's reading of a topology. */
export interface TheoremPrediction {
  /** GWLB idle timeout G (s). */
  readonly gwlbTimeout: number;
  /** Appliance established-session timeout F (s). */
  readonly applianceTimeout: number;
  /** Drop causes that apply before any FIN, least threshold first. */
  readonly causes: readonly DropCause[];
  /** Drop threshold T (s): the least cause threshold; null when nothing can drop. */
  readonly threshold: number | null;
  /** Activity bound A per connection (s), null = none (rule 1). */
  readonly activity: readonly (number | null)[];
  /** Drop causes once one side has sent a FIN (rule 6), least threshold first. */
  readonly halfClosedCauses: readonly DropCause[];
  readonly predictions: readonly OraclePrediction[];
}

const endpointOf = (t: Topology, c: number, role: 'client' | 'server'): EndpointSettings => endpointSettings(t, c, role);

function isDefaultEnvironment(t: Topology): boolean {
  const e = t.environment;
  return e.clientSends && e.clientCloses && !e.serverSends && !e.serverCloses;
}

/** The GWLB flow entry is shared by several connections (2-/3-tuple stickiness, domain-facts §1.3). */
function sharedEntry(t: Topology): boolean {
  return t.connections > 1 && kbHop(t).gwlb.stickiness !== '5-tuple';
}

/** Rule 1: the earliest endpoint timer that makes a segment on an idle connection before any FIN (keepalive idle or idle close, either side). */
export function activityBound(t: Topology, c: number): number | null {
  const bounds: number[] = [];
  for (const e of [endpointOf(t, c, 'client'), endpointOf(t, c, 'server')]) {
    if (e.keepalive !== 'off') bounds.push(e.keepalive.idle);
    if (e.idleClose !== 'never') bounds.push(e.idleClose);
  }
  return bounds.length === 0 ? null : Math.min(...bounds);
}

/** Rule 2: the drop causes of the path before any FIN (and rule 7's SYN of another connection). */
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
    // Rule 7: another connection's SYN re-creates the shared entry on another appliance; this connection's next segment follows it.
    if (sharedEntry(t) && kbHop(t).appliances.count >= 2 && !newFlows) causes.push({ at: g.idleTimeout, boundary: g.boundary, what: 'syn-of-another-connection' });
  }
  if (!g.resetOnIdleTimeout && g.unknownNonSyn === 'drop') causes.push({ at: g.idleTimeout, boundary: g.boundary, what: 'gwlb-drops-unknown-non-syn' });
  return causes.sort((a, b) => a.at - b.at);
}

/**
 * Rule 6: the drop causes once a FIN has crossed: the appliance session is
 * half-closed and ages out after H (domain-facts §3.1, refreshed by every
 * segment), reached through the live entry (H < G) or a new flow; the
 * GWLB-side causes at G stay as before.
 */
export function halfClosedCauses(t: Topology): DropCause[] {
  const g = kbHop(t).gwlb;
  const fw = kbHop(t).appliances.firewall;
  const causes: DropCause[] = [];
  const newFlows = !g.resetOnIdleTimeout && g.unknownNonSyn === 'forward';
  const h = fw.timeouts.halfClosed;
  if (fw.rejectNonSyn) {
    if (newFlows || h < g.idleTimeout) causes.push({ at: h, boundary: kbHop(t).appliances.boundary, what: 'half-closed-aged-out' });
    if (kbHop(t).appliances.count >= 2 && newFlows) causes.push({ at: g.idleTimeout, boundary: g.boundary, what: 'rehash-to-other-appliance' });
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

function windowFrom(th: Threshold, to: OracleWindow['to']): OracleWindow {
  return { from: th.at, fromInclusive: th.closed, to };
}

/** The earliest timer of one endpoint that makes a segment (keepalive idle or idle close), null when none. */
function ownTimer(e: EndpointSettings): number | null {
  const b = [...(e.keepalive === 'off' ? [] : [e.keepalive.idle]), ...(e.idleClose === 'never' ? [] : [e.idleClose])];
  return b.length === 0 ? null : Math.min(...b);
}

/** One connection's drop outcome: verdict and, when predicted, the window. */
interface ConnDrop {
  readonly verdict: OracleVerdict;
  readonly window?: OracleWindow;
  readonly because: string;
}

/**
 * Rule 6 for one connection: the half-closed phases of the default
 * environment. (i) the server does not close on the client's FIN (the
 * client may close at any time): the server sits in CLOSE-WAIT and sends
 * only by its own keepalive or idle close; (ii) the client does not close on
 * the server's idle-close FIN: it sits in CLOSE-WAIT, and its application
 * may still send or close at any time. A drop follows when the CLOSE-WAIT
 * side's gap can pass the half-closed threshold H'. Returns the phases that
 * apply (for rule 5) and their drop outcome, or undefined when none applies.
 */
function halfClosedPhase(t: Topology, c: number, hp: Threshold | null, dropTh: Threshold | null): { drop: ConnDrop; staysOpen: boolean } | 'unknown' | undefined {
  const client = endpointOf(t, c, 'client');
  const server = endpointOf(t, c, 'server');
  // (i) the client may close at any time, right after a delivery: its FIN always gets through
  const serverWaits = !server.closeOnPeerFin;
  // (ii) needs the server's idle-close FIN first (the client's own idle close, restarted by the same data, would come first
  // if shorter) and delivered: its gap is bounded by that idle close and by either side's keepalive
  let clientWaits = false;
  if (!client.closeOnPeerFin && server.idleClose !== 'never') {
    if (client.idleClose === server.idleClose) return 'unknown';
    const keepalives = [client, server].flatMap((e) => (e.keepalive === 'off' ? [] : [e.keepalive.idle]));
    const finGap = Math.min(server.idleClose, ...keepalives);
    clientWaits = (client.idleClose === 'never' || client.idleClose > server.idleClose) && (dropTh === null || !passes(finGap, dropTh));
  }
  if (!serverWaits && !clientWaits) return undefined;
  // The side in CLOSE-WAIT stays there (past its peer's FIN-WAIT-2 timeout) unless its own idle close ends it.
  const staysOpen = (serverWaits && server.idleClose === 'never') || (clientWaits && client.idleClose === 'never');
  const out: ConnDrop[] = [];
  if (hp && clientWaits && passes(ownTimer(client), hp)) {
    out.push({ verdict: 'violated', window: windowFrom(hp, 'unpredicted'), because: `the client sits in CLOSE-WAIT and may send after H' = ${hp.at} s (half-closed session aged out, §3.1)` });
  }
  const st = ownTimer(server);
  if (hp && serverWaits && st !== null && passes(st, hp)) {
    // timer-driven sends only: the window starts at the server's own timer, not at H'
    out.push({ verdict: 'violated', because: `the server in CLOSE-WAIT sends at ${st} s, past H' = ${hp.at} s (§3.1)` });
  }
  if (out.length === 0) return { staysOpen, drop: { verdict: 'holds', because: 'after a FIN the side in CLOSE-WAIT sends nothing past the half-closed timeout (rule 6)' } };
  const win = out.every((x) => x.window) ? out.map((x) => x.window!).reduce((a, b) => (b.from < a.from || (b.from === a.from && b.fromInclusive) ? b : a)) : undefined;
  return { staysOpen, drop: { verdict: 'violated', ...(win ? { window: win } : {}), because: out.map((x) => x.because).join('; ') } };
}

/** Joins two drop windows (a union's start, and unbounded when either is). */
function joinWindows(a: OracleWindow | undefined, b: OracleWindow | undefined): OracleWindow | undefined {
  if (!a || !b) return undefined;
  const first = b.from < a.from || (b.from === a.from && b.fromInclusive && !a.fromInclusive) ? b : a;
  return { from: first.from, fromInclusive: first.fromInclusive, to: a.to === null || b.to === null ? null : a.to === 'unpredicted' || b.to === 'unpredicted' ? 'unpredicted' : 'unknown' };
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
  const hcCauses = halfClosedCauses(t);
  const hp = thresholdOf(hcCauses);
  const conns = Array.from({ length: t.connections }, (_, c) => c);
  const activity = conns.map((c) => activityBound(t, c));
  const base = { gwlbTimeout: kbHop(t).gwlb.idleTimeout, applianceTimeout: kbHop(t).appliances.firewall.timeouts.established, causes, threshold: dropTh?.at ?? null, activity, halfClosedCauses: hcCauses };
  const unknown = (property: PropertyId, because: string): OraclePrediction => ({ property, verdict: 'unknown', because });
  const ids: PropertyId[] = ['no-mid-path-drop', 'no-mid-path-reset', 'no-half-open', 'clean-close'];
  const allUnknown = (because: string): TheoremPrediction => ({ ...base, predictions: ids.map((p) => unknown(p, because)) });
  if (!isDefaultEnvironment(t)) return allUnknown('non-default environment: outside the oracle');
  if (sharedEntry(t) && (t.environment.connectAtStart === true || !connectionsAlike(t))) {
    return allUnknown('connections share a flow entry and differ (or all start at once): one may keep the entry alive for another, outside the oracle');
  }
  const g = kbHop(t).gwlb;
  const fw = kbHop(t).appliances.firewall;
  const noNewFlows = g.resetOnIdleTimeout || g.unknownNonSyn === 'drop';
  if (fw.rejectNonSyn && noNewFlows && fw.timeouts.established === g.idleTimeout) {
    return allUnknown('the appliance’s established timer and GWLB expire at the same instant with no new flows: outside the oracle');
  }
  const phaseOf = conns.map((c) => halfClosedPhase(t, c, hp, dropTh));
  if (phaseOf.includes('unknown')) return allUnknown('both sides idle-close at the same instant and one does not close on the peer’s FIN: outside the oracle');
  const phases = phaseOf.map((x) => (x === 'unknown' ? undefined : x));
  const anyPhase = phases.some((x) => x !== undefined);
  // The half-closed timer H runs only while one FIN (or RST) has crossed the appliance and the other has not
  // (firewallSessionMachine: halfClosed, then timeWait on the other side's FIN). When both sides close on the peer's
  // FIN (no rule-6 phase) the answering FIN crosses at the same instant, and a GWLB RST never crosses the appliance,
  // so H never runs long enough to tie with G; it can when a side stays in CLOSE-WAIT, or when another connection's
  // SYN re-creates a shared entry and an ended endpoint's RST crosses an appliance (rule 7).
  if (fw.rejectNonSyn && noNewFlows && fw.timeouts.halfClosed === g.idleTimeout && (anyPhase || sharedEntry(t))) {
    return allUnknown('the half-closed timer and GWLB expire at the same instant with no new flows while a session can stay half-closed: outside the oracle');
  }
  if (anyPhase && (g.resetOnIdleTimeout || sharedEntry(t))) return allUnknown('a half-closed connection with GWLB resets or a shared entry: outside the oracle');

  // Rules 2–3 and 6: silent drops, per connection, before and after a FIN.
  const perConn: ConnDrop[] = conns.map((c) => {
    const pre: ConnDrop | undefined =
      dropTh && passes(activity[c]!, dropTh)
        ? {
            verdict: 'violated',
            // With GWLB RST on, a late segment that outlives the entry is reset, not dropped: the tail is bounded.
            window: windowFrom(
              dropTh,
              causes.some((x) => x.what === 'syn-of-another-connection' && x.at === dropTh.at) ? 'unpredicted' : !g.resetOnIdleTimeout && clientHoldsForever(t, c) ? null : 'unknown',
            ),
            because: `idle gap can pass T = ${dropTh.at} s (${causes.filter((x) => x.at === dropTh.at).map((x) => x.what).join(', ')}; consequence 5)`,
          }
        : undefined;
    const post = phases[c]?.drop;
    if (pre && post?.verdict === 'violated') return { verdict: 'violated', ...(joinWindows(pre.window, post.window) ? { window: joinWindows(pre.window, post.window)! } : {}), because: `${pre.because}; ${post.because}` };
    if (pre) return pre;
    if (post?.verdict === 'violated') return post;
    return { verdict: 'holds', because: !dropTh ? 'no drop cause before a FIN: appliances adopt mid-stream segments (consequence 4) and GWLB forwards or resets (§1.2, §1.4)' : `keepalive or idle close (A = ${activity[c]} s) acts no later than T = ${dropTh.at} s (consequence 6a/6b)${post ? `; ${post.because}` : ''}` };
  });
  const violatedConns = perConn.filter((x) => x.verdict === 'violated');
  let drop: OraclePrediction;
  if (violatedConns.length === 0) drop = { property: 'no-mid-path-drop', verdict: 'holds', because: perConn[0]!.because };
  else {
    const win = violatedConns.map((x) => x.window).reduce<OracleWindow | undefined>((a, b) => (a === undefined ? undefined : joinWindows(a, b)), violatedConns[0]!.window);
    drop = { property: 'no-mid-path-drop', verdict: 'violated', ...(win ? { window: win } : {}), because: violatedConns[0]!.because };
  }

  // Rule 4: injected resets.
  const dropConns = conns.filter((c) => perConn[c]!.verdict === 'violated');
  let reset: OraclePrediction;
  if (!g.resetOnIdleTimeout) {
    reset = { property: 'no-mid-path-reset', verdict: 'holds', because: 'GWLB RST on idle timeout is off (§1.2 default); no other middlebox sends RSTs (§3.3)' };
  } else {
    const resetTh: Threshold = { at: g.idleTimeout, closed: g.boundary !== 'open' };
    const resetConns = conns.filter((c) => passes(activity[c]!, resetTh));
    if (resetConns.length > 0) {
      reset = {
        property: 'no-mid-path-reset',
        verdict: 'violated',
        window: windowFrom(resetTh, sharedEntry(t) ? 'unpredicted' : resetConns.some((c) => clientHoldsForever(t, c)) ? null : 'unknown'),
        because: `idle gap can pass G = ${resetTh.at} s; the next segment finds no entry and GWLB answers it with an RST (§1.2)`,
      };
    } else if (dropConns.length > 0) {
      reset = unknown('no-mid-path-reset', 'appliance drops before G: whether a retransmission outlives the GWLB entry depends on backoff timing');
    } else {
      reset = { property: 'no-mid-path-reset', verdict: 'holds', because: `keepalive or idle close acts no later than G = ${resetTh.at} s` };
    }
  }

  // Rule 5: half-open and clean close follow from drops and resets, and from rule 6's CLOSE-WAIT.
  const broken: OracleVerdict =
    drop.verdict === 'violated' || reset.verdict === 'violated' ? 'violated' : drop.verdict === 'holds' && reset.verdict === 'holds' ? 'holds' : 'unknown';
  const halfOpen: OraclePrediction =
    broken === 'violated'
      ? { property: 'no-half-open', verdict: 'violated', because: 'a drop or reset is reachable; the broken side times out or is reset while its peer stays open (consequence 5)' }
      : phases.some((x) => x?.staysOpen === true)
        ? { property: 'no-half-open', verdict: 'violated', because: 'one side ends after its FIN (FIN-WAIT-2 timeout) while the other, without an idle close, stays in CLOSE-WAIT (rule 6)' }
        : anyPhase
          ? unknown('no-half-open', 'the side in CLOSE-WAIT closes by its own idle timer: whether its peer has ended first depends on timing')
          : broken === 'holds'
          ? { property: 'no-half-open', verdict: 'holds', because: 'nothing is lost mid-path and both sides close on the peer’s FIN' }
          : unknown('no-half-open', 'follows drops and resets, which are unknown here');
  const cleanClose: OraclePrediction =
    broken === 'violated'
      ? { property: 'clean-close', verdict: 'violated', because: 'a drop or reset is reachable; the client may close at any time, so its FIN can be the segment lost or reset (consequence 5)' }
      : anyPhase
        ? unknown('clean-close', 'a side in CLOSE-WAIT may be reset by its ended peer: outside the oracle')
        : broken === 'holds'
          ? { property: 'clean-close', verdict: 'holds', because: 'nothing is lost mid-path, so every close completes' }
          : unknown('clean-close', 'follows drops and resets, which are unknown here');

  return { ...base, predictions: [drop, reset, halfOpen, cleanClose] };
}

/** The prediction for one property. */
export function predictionFor(p: TheoremPrediction, id: PropertyId): OraclePrediction {
  const x = p.predictions.find((q) => q.property === id);
  if (!x) throw new Error(`oracle: no prediction for ${id}`);
  return x;
}
