import { peerOf, type Role } from '../models/segment.ts';
import type { HopRecord } from '../system/labels.ts';
import type { Trace, TraceStep } from '../system/trace.ts';
import type { CapturePoint } from './capturePoint.ts';
import type { WireEvent, WireLeg } from './wirePackets.ts';

/** The hop a component belongs to: its name up to the first dot (`gwlb.flow0` → `gwlb`). */
function hopName(component: string): string {
  return component.split('.')[0] ?? component;
}

/** The link between two neighbours, `a` on the sender's side of `b`. */
function link(from: Role, a: string, b: string): CapturePoint {
  return from === 'client' ? { at: 'link', near: a, far: b } : { at: 'link', near: b, far: a };
}

/** The target a forwarding record hands the segment to (a GWLB's appliance), if any. */
function targetOf(h: HopRecord): number | undefined {
  return h.action === 'forward' ? (h.target ?? h.chosenTarget) : undefined;
}

/**
 * The capture points a segment crossed, read from its hop records in order:
 * it starts at the sender; reaching hop X adds the link from the previous
 * element to X; a forward of X to target k adds `X → target k`, the target's
 * own forward adds `target k → X`; delivery adds the link to the receiver.
 * A drop at target k therefore ends at `X → target k`, a drop or reset at X
 * at the link into X.
 */
function legsOf(from: Role, hops: readonly HopRecord[]): WireLeg[] {
  const legs: WireLeg[] = [];
  let prev: string = from;
  let pending: { hop: string; target: number } | undefined;
  for (const h of hops) {
    if (pending !== undefined) {
      const { hop, target } = pending;
      pending = undefined;
      if (h.action === 'forward') legs.push({ at: 'from-target', hop, target });
      if (h.action !== 'forward') break;
      continue;
    }
    if (h.action === 'deliver') {
      legs.push(link(from, prev, peerOf(from)));
      break;
    }
    const name = hopName(h.component);
    legs.push(link(from, prev, name));
    prev = name;
    if (h.action !== 'forward') break;
    const target = targetOf(h);
    if (target !== undefined) {
      legs.push({ at: 'to-target', hop: name, target });
      pending = { hop: name, target };
    }
  }
  return legs;
}

/** The hops of the path, client side first, read from the trace's segments (the first client segment that went furthest). */
export function pathHops(trace: Trace): string[] {
  let best: string[] = [];
  for (const st of trace.steps) {
    if (st.kind !== 'segment' || !st.segment) continue;
    const names: string[] = [];
    let skip = false;
    for (const h of st.hops ?? []) {
      if (skip) {
        skip = false;
        continue;
      }
      if (h.action === 'deliver') break;
      names.push(hopName(h.component));
      skip = targetOf(h) !== undefined;
    }
    const ordered = st.segment.from === 'client' ? names : [...names].reverse();
    if (ordered.length > best.length) best = ordered;
  }
  return best;
}

/** The links an RST crosses from hop `at` to endpoint `to`, nearest first. */
function linksToward(at: string, to: Role, order: readonly string[]): WireLeg[] {
  const k = order.indexOf(at);
  if (k < 0) return [to === 'client' ? { at: 'link', near: 'client', far: at } : { at: 'link', near: at, far: 'server' }];
  const chain = ['client', ...order, 'server'];
  const i = k + 1;
  const legs: WireLeg[] = [];
  if (to === 'client') for (let j = i; j > 0; j--) legs.push({ at: 'link', near: chain[j - 1]!, far: chain[j]! });
  else for (let j = i; j < chain.length - 1; j++) legs.push({ at: 'link', near: chain[j]!, far: chain[j + 1]! });
  return legs;
}

/** The RSTs a hop injected (GWLB `send_tcp_reset`): one toward each endpoint it reset, pretending to come from that endpoint's peer. */
function injectedResets(step: TraceStep, conn: number, order: readonly string[]): WireEvent[] {
  const out: WireEvent[] = [];
  for (const h of step.hops ?? []) {
    if (h.action !== 'reset' || h.resetTo === undefined) continue;
    const to: Role[] = h.resetTo === 'both' ? ['client', 'server'] : [h.resetTo];
    for (const r of to) out.push({ time: step.time, conn, from: peerOf(r), kind: 'rst', injected: true, legs: linksToward(hopName(h.component), r, order) });
  }
  return out;
}

/**
 * The wire events of a counterexample, for `wireCapture`: one per trace
 * step of kind `segment` (with the capture points its hops crossed, at the
 * step's time), plus the RSTs a middlebox injected in answer. Generic over
 * the path: the capture points come from the hop records, whatever hops the
 * path has.
 */
export function traceWireEvents(trace: Trace): WireEvent[] {
  const order = pathHops(trace);
  return trace.steps.flatMap((step): WireEvent[] => {
    const seg = step.segment;
    if (step.kind !== 'segment' || !seg) return [];
    const injected = seg.injected === true;
    const receiver = peerOf(seg.from);
    const nextTo = receiver === 'client' ? order[0] : order[order.length - 1];
    const legs = injected
      ? step.outcome === 'delivered' && nextTo !== undefined ? [link(seg.from, nextTo, receiver)] : []
      : legsOf(seg.from, step.hops ?? []);
    const ev: WireEvent = {
      time: step.time,
      conn: seg.conn,
      from: seg.from,
      kind: seg.kind,
      ...(seg.retransmit === true ? { retransmit: true } : {}),
      ...(injected ? { injected: true } : {}),
      legs,
    };
    return [ev, ...injectedResets(step, seg.conn, order)];
  });
}
