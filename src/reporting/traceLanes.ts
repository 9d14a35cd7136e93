import type { Trace, TraceStep } from '../system/trace.ts';
import { pathHops } from './traceWireEvents.ts';

/** A lane of a sequence diagram: the client, a hop of the path (the GWLB), one of a hop's targets (an appliance), the server. */
export interface Lane {
  /** Stable id: `client`, a hop name (`gwlb`), `appliance<k>`, `server`. */
  readonly id: string;
  /** What a person reads in the header. */
  readonly title: string;
}

/** A target lane id in a component name: `appliance1` (the GWLB's), `inspection.appliance1` or `azure-lb.backend0` (another hop's), with its owning hop. */
const TARGET = /^(?:([^.]+)\.)?((?:appliance|backend)(\d+))(?:\.|$)/;

/** The target lane of a component (its owning hop and number), if it is a hop's target. */
function targetOf(component: string): { id: string; hop: string; k: number; title: string } | undefined {
  const m = TARGET.exec(component);
  if (!m) return undefined;
  const hop = m[1] ?? 'gwlb';
  const word = m[2]!.replace(/\d+$/, '');
  return { id: m[1] === undefined ? m[2]! : `${m[1]}.${m[2]!}`, hop, k: Number(m[3]), title: `${m[1] === undefined ? '' : `${m[1]} `}${word} ${m[3]}` };
}

/** The targets (appliances, backends) a trace's segments and logs touch, per owning hop in number order (all those its states name when none is touched). */
function touchedTargets(trace: Trace): Map<string, Lane[]> {
  const touched = new Map<string, { id: string; hop: string; k: number; title: string }>();
  const fromStates = new Map<string, { id: string; hop: string; k: number; title: string }>();
  for (const st of trace.steps) {
    for (const name of [...(st.hops ?? []).map((h) => h.component), ...st.logs.map((g) => g.component)]) {
      const t = targetOf(name);
      if (t) touched.set(t.id, t);
    }
    for (const name of Object.keys(st.states)) {
      const t = targetOf(name);
      if (t) fromStates.set(t.id, t);
    }
  }
  const chosen = [...(touched.size > 0 ? touched : fromStates).values()].sort((a, b) => (a.hop === b.hop ? a.k - b.k : a.hop < b.hop ? -1 : 1));
  const byHop = new Map<string, Lane[]>();
  for (const t of chosen) byHop.set(t.hop, [...(byHop.get(t.hop) ?? []), { id: t.id, title: t.title }]);
  return byHop;
}

/** A hop's title in a lane header: `GWLB` for the GWLB, the hop's name otherwise. */
function hopTitle(hop: string): string {
  return hop === 'gwlb' ? 'GWLB' : hop;
}

/**
 * The lanes of a trace: the client, every hop of the path in order (read
 * off the hop records, so any path works), right after a hop the targets
 * (the GWLB's appliances, a load balancer's backends) its segments or logs
 * touch (untouched ones get no lane), then the server.
 */
export function traceLanes(trace: Trace): Lane[] {
  const hops = pathHops(trace);
  const targets = touchedTargets(trace);
  const order = hops.length > 0 ? hops : [...targets.keys()];
  const middle = order.flatMap((h) => [{ id: h, title: hopTitle(h) }, ...(targets.get(h) ?? [])]);
  for (const [h, lanes] of targets) if (!order.includes(h)) middle.push(...lanes);
  return [{ id: 'client', title: 'client' }, ...middle, { id: 'server', title: 'server' }];
}

/** True when a lane id is a hop's target (an appliance, a backend). */
export function isTargetLane(lane: string): boolean {
  return TARGET.test(lane);
}

/** The lane a component name belongs to (`client0` → `client`, `appliance1.c0` → `appliance1`, `azure-lb.backend0.c0` → `azure-lb.backend0`, `gwlb.flow0` → `gwlb`, `nat-gateway.flow0` → `nat-gateway`). */
export function laneOf(component: string): string | undefined {
  if (/^client\d*$/.test(component)) return 'client';
  if (/^server\d*$/.test(component)) return 'server';
  const t = targetOf(component);
  if (t) return t.id;
  const hop = component.split('.')[0];
  return hop === undefined || hop === '' || hop === 'system' ? undefined : hop;
}

/** One leg of a segment's way across the path, lane to lane. */
export interface Leg {
  readonly from: string;
  readonly to: string;
  /** Injected by a middlebox (the RST a GWLB answers with). */
  readonly injected: boolean;
}

/** How a segment step ends: delivered, dropped at a lane (the ✕), or reset by a lane. */
export interface SegmentPath {
  readonly legs: readonly Leg[];
  readonly outcome: 'delivered' | 'dropped' | 'reset';
  /** The lane that dropped or reset it. */
  readonly at?: string;
  readonly reason?: string;
  /** The appliance a new GWLB flow chose, if this segment created one. */
  readonly newFlowTarget?: number;
}

/**
 * The legs of a segment step, lane to lane: sender → each hop → receiver;
 * a hop that hands the segment to a target (the GWLB to an appliance) gets
 * it back from the target (appliance → GWLB) before it goes on; cut at a
 * drop; a reset adds the injected RST legs.
 */
export function segmentPath(st: TraceStep): SegmentPath | undefined {
  if (st.kind !== 'segment' || !st.segment) return undefined;
  const legs: Leg[] = [];
  let here: string = st.segment.from;
  let newFlowTarget: number | undefined;
  let returnTo: string | undefined;
  const go = (lane: string): void => {
    if (lane !== here) legs.push({ from: here, to: lane, injected: false });
    here = lane;
  };
  for (const h of st.hops ?? []) {
    const lane = laneOf(h.component);
    if (lane === undefined) continue;
    if (h.chosenTarget !== undefined) newFlowTarget = h.chosenTarget;
    if (returnTo !== undefined && !isTargetLane(lane)) {
      go(returnTo);
      returnTo = undefined;
    }
    go(lane);
    if (h.action === 'drop') return { legs, outcome: 'dropped', at: lane, ...(h.reason === undefined ? {} : { reason: h.reason }), ...(newFlowTarget === undefined ? {} : { newFlowTarget }) };
    if (h.action === 'reset') {
      const to = h.resetTo === 'both' ? ['client', 'server'] : [h.resetTo ?? st.segment.from];
      for (const r of to) legs.push({ from: lane, to: r, injected: true });
      return { legs, outcome: 'reset', at: lane, ...(h.reason === undefined ? {} : { reason: h.reason }) };
    }
    if (h.action === 'forward' && (h.target ?? h.chosenTarget) !== undefined) returnTo = lane;
  }
  return { legs, outcome: st.outcome === 'dropped' ? 'dropped' : 'delivered', ...(newFlowTarget === undefined ? {} : { newFlowTarget }) };
}

/** `400.2 s`: seconds with at most three decimals, no trailing zeros. */
export function secondsText(t: number): string {
  return `${Number(t.toFixed(3))} s`;
}

/** The segment kind as people say it, e.g. `FIN`, `data (retransmission)`. */
export function segmentWord(st: TraceStep): string {
  const seg = st.segment;
  if (!seg) return '';
  const names: Record<string, string> = { syn: 'SYN', synAck: 'SYN-ACK', ack: 'ACK', data: 'data', fin: 'FIN', rst: 'RST', keepalive: 'keepalive' };
  const conn = ` c${seg.conn}`;
  return `${names[seg.kind] ?? seg.kind}${seg.retransmit ? ' (rtx)' : ''}${conn}`;
}

/** The index of the last step before `upTo` whose segment crossed the whole path, or -1. */
export function lastDelivery(trace: Trace, upTo: number): number {
  for (let i = upTo - 1; i >= 0; i--) if (trace.steps[i]?.outcome === 'delivered') return i;
  return -1;
}
