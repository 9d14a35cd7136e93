import type { Trace, TraceStep } from '../system/trace.ts';

/** A lane of a sequence diagram: the client, the GWLB, one appliance, the server. */
export interface Lane {
  /** Stable id: `client`, `gwlb`, `appliance<k>`, `server`. */
  readonly id: string;
  /** What a person reads in the header. */
  readonly title: string;
}

/** The lanes of a trace: client, GWLB, every appliance the trace names (in number order), server. */
export function traceLanes(trace: Trace): Lane[] {
  const appliances = new Set<number>();
  for (const st of trace.steps) {
    for (const name of Object.keys(st.states)) {
      const m = /^appliance(\d+)/.exec(name);
      if (m) appliances.add(Number(m[1]));
    }
  }
  const sorted = [...appliances].sort((a, b) => a - b);
  return [
    { id: 'client', title: 'client' },
    { id: 'gwlb', title: 'GWLB' },
    ...sorted.map((k) => ({ id: `appliance${k}`, title: `appliance ${k}` })),
    { id: 'server', title: 'server' },
  ];
}

/** The lane a component name belongs to (`client0` → `client`, `appliance1.c0` → `appliance1`, `gwlb.flow0` → `gwlb`). */
export function laneOf(component: string): string | undefined {
  if (/^client\d*$/.test(component)) return 'client';
  if (/^server\d*$/.test(component)) return 'server';
  if (component.startsWith('gwlb')) return 'gwlb';
  const m = /^appliance(\d+)/.exec(component);
  return m ? `appliance${m[1]}` : undefined;
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

/** The legs of a segment step: sender → GWLB → appliance → receiver, cut at a drop; a reset adds the injected RST legs. */
export function segmentPath(st: TraceStep): SegmentPath | undefined {
  if (st.kind !== 'segment' || !st.segment) return undefined;
  const legs: Leg[] = [];
  let here: string = st.segment.from;
  let newFlowTarget: number | undefined;
  for (const h of st.hops ?? []) {
    const lane = laneOf(h.component);
    if (lane === undefined) continue;
    if (h.chosenTarget !== undefined) newFlowTarget = h.chosenTarget;
    if (lane !== here) legs.push({ from: here, to: lane, injected: false });
    here = lane;
    if (h.action === 'drop') return { legs, outcome: 'dropped', at: lane, ...(h.reason === undefined ? {} : { reason: h.reason }), ...(newFlowTarget === undefined ? {} : { newFlowTarget }) };
    if (h.action === 'reset') {
      const to = h.resetTo === 'both' ? ['client', 'server'] : [h.resetTo ?? st.segment.from];
      for (const r of to) legs.push({ from: lane, to: r, injected: true });
      return { legs, outcome: 'reset', at: lane, ...(h.reason === undefined ? {} : { reason: h.reason }) };
    }
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
