import { peerOf, type Role } from '../models/segment.ts';
import type { WireEvent, WireLeg } from './wirePackets.ts';
import type { HopRecord } from '../system/labels.ts';
import type { Trace, TraceStep } from '../system/trace.ts';

function sideOf(role: Role): WireLeg {
  return { at: role === 'client' ? 'client-side' : 'server-side' };
}

function applianceOf(component: string): number | undefined {
  const m = /^appliance(\d+)/.exec(component);
  return m ? Number(m[1]) : undefined;
}

/**
 * The legs a segment crossed, read from its hops: it starts on the sender's
 * side; a GWLB forward to target k adds `to-appliance k`; appliance k's
 * forward adds `from-appliance k`; delivery adds the receiver's side. A drop
 * at appliance k therefore ends at `to-appliance k`, a drop or reset at the
 * GWLB at the sender's side.
 */
function legsOf(from: Role, hops: readonly HopRecord[]): WireLeg[] {
  const legs: WireLeg[] = [sideOf(from)];
  for (const h of hops) {
    if (h.action === 'deliver') legs.push(sideOf(peerOf(from)));
    if (h.action !== 'forward') continue;
    const k = applianceOf(h.component);
    if (k !== undefined) legs.push({ at: 'from-appliance', appliance: k });
    else if (h.target !== undefined) legs.push({ at: 'to-appliance', appliance: h.target });
  }
  return legs;
}

/** The RSTs a hop injected (GWLB `send_tcp_reset`): one toward each endpoint it reset, pretending to come from that endpoint's peer. */
function injectedResets(step: TraceStep, conn: number): WireEvent[] {
  const out: WireEvent[] = [];
  for (const h of step.hops ?? []) {
    if (h.action !== 'reset' || h.resetTo === undefined) continue;
    const to: Role[] = h.resetTo === 'both' ? ['client', 'server'] : [h.resetTo];
    for (const r of to) out.push({ time: step.time, conn, from: peerOf(r), kind: 'rst', injected: true, legs: [sideOf(r)] });
  }
  return out;
}

/**
 * The wire events of a counterexample, for `wirePackets`: one per trace
 * step of kind `segment` (with the legs its hops crossed, at the step's
 * time), plus the RSTs a middlebox injected in answer.
 */
export function traceWireEvents(trace: Trace): WireEvent[] {
  return trace.steps.flatMap((step): WireEvent[] => {
    const seg = step.segment;
    if (step.kind !== 'segment' || !seg) return [];
    const injected = seg.injected === true;
    const legs = injected ? (step.outcome === 'delivered' ? [sideOf(peerOf(seg.from))] : []) : legsOf(seg.from, step.hops ?? []);
    const ev: WireEvent = {
      time: step.time,
      conn: seg.conn,
      from: seg.from,
      kind: seg.kind,
      ...(seg.retransmit === true ? { retransmit: true } : {}),
      ...(injected ? { injected: true } : {}),
      legs,
    };
    return [ev, ...injectedResets(step, seg.conn)];
  });
}
