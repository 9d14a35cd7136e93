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
 * 2. **What a late client segment meets.** It crosses the hops from the
 *    client side; hops with a longer timeout still have the entry; the first
 *    hop whose timeout is T answers it: an RST to the sender (AWS NAT
 *    gateway toward the inside, NLB, Azure NAT gateway: §2, §11.1, §11.2) or
 *    a silent discard (AWS Network Firewall, GCP Cloud NAT by default, PAN-OS
 *    tcp-reject-non-syn, EC2 or GCP connection tracking whose rules refuse
 *    the segment, Linux conntrack without loose pickup: §2, §3.2, §11.2).
 * 3. **Activity bound A** (oracle.ts rule 1): the client's keepalive idle or
 *    its idle close (when the server closes on the FIN). A violation of that
 *    hop's property is reachable iff A is after T, or A = T and the hop's
 *    boundary is not `open` (§10); its window starts at T, inclusive iff the
 *    boundary is not `open` (when one hop alone has timeout T). Its end is ∞
 *    on a one-hop path whose client can hold the connection forever;
 *    otherwise a hop nearer the client may expire later and end it:
 *    `unknown`. A client that acts exactly at T meets every hop with
 *    timeout T at its own boundary: when the first keeps its entry (open)
 *    but a later one does not, that later hop answers (its property is
 *    violated, no window predicted) and the rest is `unknown`.
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
  const first = t.path.findIndex((h) => hopIdleTimeout(h) === T);
  const hop = t.path[first]!;
  const fate = fates[first]!;
  const boundary = hopBoundaryOf(hop);
  const loneAtT = t.path.filter((h) => hopIdleTimeout(h) === T).length === 1;
  // A client that acts exactly at T (and never later) meets every hop whose timeout is T at the
  // instant of expiry, each by its own boundary (§10). When the first of them keeps its entry
  // (open) but a later one does not, that later hop answers instead: rule 2's "the first hop at T
  // decides" does not hold, and what follows is outside the oracle. When all keep their entries,
  // nothing expires before the client acts (the rule below).
  const onlyAtT = !activity.some((a) => a === null || a > T) && activity.some((a) => a === T);
  const answersAtT = t.path.findIndex((h, i) => i > first && hopIdleTimeout(h) === T && hopBoundaryOf(h) !== 'open');
  if (onlyAtT && boundary === 'open' && answersAtT >= 0) {
    // Every hop before it keeps its entry at T (a longer timeout, or an open boundary), so the
    // client's segment at T reaches it, and it answers (closed), or may (ambiguous): a run exists.
    const atT = fates[answersAtT]!;
    const property: PropertyId = atT === 'reset' ? 'no-mid-path-reset' : 'no-mid-path-drop';
    const because = `the client acts exactly at T = ${T} s; hop ${answersAtT} expires then (boundary ${hopBoundaryOf(t.path[answersAtT]!)}) and ${atT === 'reset' ? 'answers with an RST' : 'drops'}`;
    const rest = 'the client acts exactly at T, where a later hop with timeout T answers first: what follows is outside the path oracle';
    return { ...base, predictions: IDS.map((id) => (id === property ? { property: id, verdict: 'violated', because } : { property: id, verdict: 'unknown', because: rest })) };
  }
  const reaches = activity.some((a) => a === null || a > T || (a === T && boundary !== 'open'));
  const decided: PropertyId = fate === 'reset' ? 'no-mid-path-reset' : 'no-mid-path-drop';
  const other: PropertyId = fate === 'reset' ? 'no-mid-path-drop' : 'no-mid-path-reset';
  const holdsForever = clients.some((c) => c.keepalive === 'off' && c.idleClose === 'never');
  const window: OracleWindow | undefined = loneAtT ? { from: T, fromInclusive: boundary !== 'open', to: t.path.length === 1 && holdsForever ? null : 'unknown' } : undefined;
  const main: OraclePrediction = reaches
    ? { property: decided, verdict: 'violated', ...(window ? { window } : {}), because: `the idle gap can pass T = ${T} s, where hop ${first} (${hop.kind === 'flow' ? hop.type : hop.kind}) ${fate === 'reset' ? 'answers with an RST' : 'drops'} the next client segment` }
    : { property: decided, verdict: 'holds', because: `the client acts (A = ${activity.join('/')} s) before T = ${T} s expires anything` };
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
