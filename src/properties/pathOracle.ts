/**
 * The theorem on paths of any hops (README "Paths"), as an oracle: plain
 * reasoning over the hops' settings, independent of the explorer. It decides
 * the paths whose every hop forgets an idle flow and does not adopt a late
 * client segment, for one connection (or independent ones) whose server
 * never acts on its own; everything else is `unknown`.
 *
 * Rules, with the facts they rest on (docs/domain-facts.md):
 * 1. **T** is the shortest idle timeout along the path (each hop's
 *    established timeout, §2, §11.2).
 * 2. **What a late client segment meets** ({@link answeringHop}). It
 *    crosses the hops from the client side; the hop that answers a segment
 *    sent after idle gap g is the first in path order whose entry is gone at
 *    g: its timeout is below g, or equal to g with a boundary that is not
 *    `open` (§10). It answers with an RST to the sender (AWS NAT gateway
 *    toward the inside, NLB, Azure NAT gateway: §2, §11.1, §11.2) or a
 *    silent discard (AWS Network Firewall, GCP Cloud NAT by default, PAN-OS
 *    tcp-reject-non-syn, EC2 or GCP connection tracking whose rules refuse
 *    the segment, Linux conntrack without loose pickup: §2, §3.2, §11.2).
 * 3. **Activity bound A** (oracle.ts rule 1): the client's keepalive idle or
 *    its idle close (when the server closes on the FIN); the clients reach
 *    every gap up to the largest A. The decided property is that of the hop
 *    answering at the largest reachable gap nearest T: just after T when
 *    A > T (the first hop with timeout T), at T when A = T (the first hop at
 *    T whose boundary is not `open`, which may be a later one), none when
 *    A < T: then it holds. Its window starts at T, inclusive iff the same hop
 *    already answers at T (predicted when one hop alone has timeout T). Its
 *    end is ∞ on a one-hop path whose client can hold the connection
 *    forever; otherwise a hop nearer the client may expire later and end it:
 *    `unknown`.
 * 4. **The other property** holds on a one-hop path (the hop does only one
 *    thing), and no-mid-path-reset holds on a path where no hop sends an RST;
 *    otherwise a retransmission may meet another expired hop: `unknown`.
 *    Half-open and clean close: `unknown` once something is lost.
 */
import { activityBound, type OraclePrediction, type OracleWindow, type TheoremPrediction } from './oracle.ts';
import type { PropertyId } from './catalogue.ts';
import { endpointSettings, type HopSpec, type Topology } from '../system/topology.ts';

/** What a late client segment meets at a hop (rule 2), or undefined when the oracle does not decide the hop. */
export function lateClientSegmentFate(h: HopSpec): 'reset' | 'drop' | undefined {
  if (h.kind === 'gwlb') return undefined;
  if (h.kind === 'firewall') return h.firewall.rejectNonSyn ? 'drop' : undefined;
  const c = h.config as unknown as Record<string, unknown>;
  switch (h.type) {
    case 'nat-gateway':
    case 'nlb':
    case 'azure-nat-gateway':
      return 'reset';
    case 'aws-network-firewall':
      return 'drop';
    case 'gcp-cloud-nat':
      return c['lateSegment'] === 'drop' ? 'drop' : 'reset';
    case 'eni-conntrack':
    case 'gcp-firewall':
      return (c['lateSegment'] as { client?: string } | undefined)?.client === 'drop' ? 'drop' : undefined;
    case 'linux-conntrack':
      return c['tcpLoose'] === false && c['dropInvalid'] === true ? 'drop' : undefined;
    default:
      return undefined;
  }
}

/** The established idle timeout of a hop (seconds), rule 1. */
export function hopIdleTimeout(h: HopSpec): number {
  if (h.kind === 'gwlb') return h.gwlb.idleTimeout;
  if (h.kind === 'firewall') return h.firewall.timeouts.established;
  return h.config.idleTimeout;
}

function hopBoundaryOf(h: HopSpec) {
  return h.kind === 'gwlb' ? h.gwlb.boundary : h.kind === 'firewall' ? h.boundary : h.config.boundary;
}

/** An idle gap of the client: exactly `at` seconds, or (`after`) any gap in a small interval just above it. */
export interface Gap {
  readonly at: number;
  readonly after: boolean;
}

/**
 * Rule 2 as a function of the idle gap: the index of the hop that answers a
 * client segment sent after idle gap `g`, or -1 when every hop still has the
 * entry. It is the first hop in path order whose entry may be gone at `g`:
 * its timeout is below `g`, or equal to it with a boundary that is not
 * `open` (§10: `closed` expires at the timeout, `ambiguous` may). Every hop
 * before it still has the entry and forwards the segment, so a run exists in
 * which this hop answers.
 */
export function answeringHop(path: readonly HopSpec[], g: Gap): number {
  return path.findIndex((h) => {
    const timeout = hopIdleTimeout(h);
    return timeout < g.at || (timeout === g.at && (g.after || hopBoundaryOf(h) !== 'open'));
  });
}

const IDS: readonly PropertyId[] = ['no-mid-path-drop', 'no-mid-path-reset', 'no-half-open', 'clean-close'];

/** The oracle's prediction for a path of any hops, by the rules above. */
export function predictPath(t: Topology): TheoremPrediction {
  const activity = Array.from({ length: t.connections }, (_, c) => activityBound(t, c));
  const fates = t.path.map(lateClientSegmentFate);
  const T = Math.min(...t.path.map(hopIdleTimeout));
  const base = { gwlbTimeout: 0, applianceTimeout: 0, causes: [], halfClosedCauses: [], threshold: T, activity };
  const unknownAll = (because: string): TheoremPrediction => ({ ...base, predictions: IDS.map((property) => ({ property, verdict: 'unknown', because })) });
  const e = t.environment;
  if (!(e.clientSends && e.clientCloses && !e.serverSends && !e.serverCloses)) return unknownAll('non-default environment: outside the oracle');
  if (fates.some((f) => f === undefined)) return unknownAll('a hop adopts late segments or is not a forgetting hop of rule 2: outside the path oracle');
  const servers = Array.from({ length: t.connections }, (_, c) => endpointSettings(t, c, 'server'));
  if (servers.some((s) => s.keepalive !== 'off' || s.idleClose !== 'never')) return unknownAll('the server acts on its own: its segments meet the hops from the other side');
  const clients = Array.from({ length: t.connections }, (_, c) => endpointSettings(t, c, 'client'));
  if (clients.some((c) => !c.closeOnPeerFin) || servers.some((s) => !s.closeOnPeerFin)) return unknownAll('an endpoint does not close on the peer’s FIN: outside the oracle');
  // Rule 2 as one function of the idle gap: the hop that answers a client segment at gap g.
  const answering = (g: Gap) => answeringHop(t.path, g);
  // The gaps the clients reach: up to the largest activity bound (none: every gap). Entries only
  // disappear as g grows, so the first answer comes at T (when some hop at T may be gone at its
  // own boundary) or just after T (where every hop with timeout T is gone).
  const reach = activity.some((a) => a === null) ? Infinity : Math.max(...(activity as number[]));
  const atT = answering({ at: T, after: false });
  const afterT = answering({ at: T, after: true });
  const answerer = reach > T ? afterT : reach === T ? atT : -1;
  const reaches = answerer >= 0;
  const hopIndex = reaches ? answerer : afterT;
  const hop = t.path[hopIndex]!;
  const fate = fates[hopIndex]!;
  // The window starts at T, inclusive iff the hop that answers past T already answers at T; it is
  // predicted only when that hop is the only one with timeout T (with several, an ambiguous
  // boundary lets either answer at T, and the explorer may split the window between properties).
  const loneAtT = t.path.filter((h) => hopIdleTimeout(h) === T).length === 1;
  const decided: PropertyId = fate === 'reset' ? 'no-mid-path-reset' : 'no-mid-path-drop';
  const other: PropertyId = fate === 'reset' ? 'no-mid-path-drop' : 'no-mid-path-reset';
  const holdsForever = clients.some((c) => c.keepalive === 'off' && c.idleClose === 'never');
  const window: OracleWindow | undefined = loneAtT && reaches ? { from: T, fromInclusive: atT === hopIndex, to: t.path.length === 1 && holdsForever ? null : 'unknown' } : undefined;
  const main: OraclePrediction = reaches
    ? { property: decided, verdict: 'violated', ...(window ? { window } : {}), because: `the idle gap can reach ${reach > T ? 'past ' : ''}T = ${T} s, where hop ${hopIndex} (${hop.kind === 'flow' ? hop.type : hop.kind}) ${fate === 'reset' ? 'answers with an RST' : 'drops'} the next client segment` }
    : { property: decided, verdict: 'holds', because: `the client acts (A = ${activity.join('/')} s) before T = ${T} s expires anything at its boundary` };
  const noRstSource = other === 'no-mid-path-reset' && !fates.includes('reset');
  const second: OraclePrediction =
    !reaches || t.path.length === 1 || noRstSource
      ? { property: other, verdict: 'holds', because: !reaches ? 'nothing expires before the client acts' : noRstSource ? 'no hop of the path sends an RST' : 'the one hop only ever does what rule 2 says' }
      : { property: other, verdict: 'unknown', because: 'a retransmission may meet another expired hop nearer the client' };
  const follow = (property: PropertyId): OraclePrediction =>
    reaches ? { property, verdict: 'unknown', because: 'follows the loss; not predicted on paths' } : { property, verdict: 'holds', because: 'nothing is lost mid-path' };
  const byId = new Map<PropertyId, OraclePrediction>([
    [decided, main],
    [other, second],
    ['no-half-open', follow('no-half-open')],
    ['clean-close', follow('clean-close')],
  ]);
  return { ...base, predictions: IDS.map((id) => byId.get(id)!) };
}
