import type { AnyMachineSnapshot } from 'xstate';
import { peerOf, segmentLabel, type LogReason, type MachineOutput, type SegInEvent, type Segment } from '../models/segment.ts';
import type { HopLayout, Layout } from './components.ts';
import type { HopStep } from './labels.ts';

/**
 * What a crossing needs from the engine that runs it: the explorer's product
 * (interned snapshots, boundary guards, every target choice a branch) and
 * the simulator (live actors, a scheduler's choice) implement it; the
 * behaviour of a hop is written once, in {@link crossPath}.
 */
export interface CrossingPort {
  /** The current snapshot of component `i`. */
  snapshot(i: number): AnyMachineSnapshot;
  /** Sends `event` to middlebox component `i` and returns what it emitted; `eventKey` identifies the event completely. */
  toMiddlebox(i: number, event: SegInEvent, eventKey: string): readonly MachineOutput[];
  /** The target a new entry of `hop` lands on (a free choice: the product branches, the simulator asks its scheduler). */
  chooseTarget(hop: HopLayout, seg: Segment): number;
  /** A log record a middlebox wrote while the segment crossed it. */
  log(i: number, conn: number, reason: LogReason): void;
  /** Whether the segment may reach middlebox `i` now (a replay's boundary check): why not, or undefined when it may. */
  mayReach?(i: number): string | undefined;
}

/** A segment (or an injected RST) to hand to an endpoint once the crossing is done. */
export interface Delivery {
  readonly endpoint: number;
  readonly seg: Segment;
}

/** What happened to a segment on its way across the path. */
export interface Crossing {
  /** Hop by hop, in the order the segment met them. */
  readonly hops: readonly HopStep[];
  readonly outcome: 'delivered' | 'dropped' | 'reset';
  /** Segments to deliver to endpoints now, in order: the segment itself, or the RSTs a hop answered with. */
  readonly deliveries: readonly Delivery[];
}

/** A `SEG_IN` event, with a target only for a segment that creates a new entry of a choosing hop. */
export function segIn(seg: Segment, target?: number): SegInEvent {
  return target === undefined ? { type: 'SEG_IN', seg } : { type: 'SEG_IN', seg, target };
}

type Fate =
  | { readonly kind: 'forward'; readonly target?: number }
  | { readonly kind: 'drop'; readonly step: HopStep }
  | { readonly kind: 'reset'; readonly step: HopStep; readonly to: 'client' | 'server' | 'both' };

/**
 * Reads a middlebox's outputs for one segment (segment.ts convention): the
 * first `SEG_FORWARD`, `SEG_DROP` or `SEG_RESET` decides; `LOG` records are
 * passed on; a machine that emits none of the three discarded the segment
 * without a word (a silent drop, reason `no-flow-entry`).
 */
function fateOf(layout: Layout, port: CrossingPort, i: number, outputs: readonly MachineOutput[]): Fate {
  const comp = layout.components[i]!;
  let fate: Fate | undefined;
  for (const o of outputs) {
    if (o.type === 'LOG') port.log(i, o.conn, o.reason);
    if (fate) continue;
    if (o.type === 'SEG_FORWARD') fate = o.target === undefined ? { kind: 'forward' } : { kind: 'forward', target: o.target };
    else if (o.type === 'SEG_DROP') fate = { kind: 'drop', step: { component: comp.name, ref: comp.ref, action: 'drop', reason: o.reason } };
    else if (o.type === 'SEG_RESET') fate = { kind: 'reset', to: o.to, step: { component: comp.name, ref: comp.ref, action: 'reset', reason: o.reason, resetTo: o.to } };
  }
  return fate ?? { kind: 'drop', step: { component: comp.name, ref: comp.ref, action: 'drop', reason: 'no-flow-entry' } };
}

/**
 * Carries one segment across the path in one step (design.md,
 * "Composition"): through the hops from its sender's side to the other
 * (client to server: hop 0 first; server to client: the last hop first). At
 * each hop the segment meets the flow entry its connection's key maps to; a
 * hop that must choose a target for a new entry asks the port; a forwarded
 * segment then meets the chosen target's session (GWLB appliances). The
 * first hop that drops the segment (silently, with a reason) or answers it
 * with an RST ends the crossing; a hop's RST goes straight to the endpoints
 * it names (`to`: the sender, the other side, or both), without crossing
 * the other hops. A segment that every hop forwards is delivered to the
 * peer endpoint.
 */
export function crossPath(layout: Layout, port: CrossingPort, seg: Segment): Crossing | { readonly refused: string } {
  const c = seg.conn;
  const hops: HopStep[] = [];
  const key = segmentLabel(seg);
  const order = seg.from === 'client' ? layout.hops : [...layout.hops].reverse();
  const stop = (fate: Exclude<Fate, { kind: 'forward' }>): Crossing => {
    hops.push(fate.step);
    if (fate.kind === 'drop') return { hops, outcome: 'dropped', deliveries: [] };
    const roles = fate.to === 'both' ? (['client', 'server'] as const) : [fate.to];
    const deliveries = roles.map((r) => ({ endpoint: layout.endpoint[c]![r === 'client' ? 0 : 1], seg: { conn: c, from: peerOf(r), kind: 'rst', injected: true } as Segment }));
    return { hops, outcome: 'reset', deliveries };
  };
  for (const hop of order) {
    const e = hop.entryOf[c]!;
    const entry = layout.components[e]!;
    const atEntry = port.mayReach?.(e);
    if (atEntry !== undefined) return { refused: atEntry };
    const choose = hop.needsTargetChoice?.(port.snapshot(e), seg) ?? false;
    const chosen = choose ? port.chooseTarget(hop, seg) : undefined;
    const fate = fateOf(layout, port, e, port.toMiddlebox(e, segIn(seg, chosen), chosen === undefined ? key : `${key}@${chosen}`));
    if (fate.kind !== 'forward') return stop(fate);
    if (fate.target === undefined) {
      hops.push({ component: entry.name, ref: entry.ref, action: 'forward' });
      continue;
    }
    if (hop.targets.length === 0) {
      // targets that are plain hosts (an Azure LB's backend servers): nothing more to cross at this hop, no target to name
      hops.push({ component: entry.name, ref: entry.ref, action: 'forward' });
      continue;
    }
    const a = fate.target;
    hops.push(chosen === undefined ? { component: entry.name, ref: entry.ref, action: 'forward', target: a } : { component: entry.name, ref: entry.ref, action: 'forward', chosenTarget: a, target: a });
    const t = hop.targets[a]?.[c];
    if (t === undefined) throw new Error(`${entry.name} forwarded to target ${a}, which hop ${hop.index} does not have`);
    const atTarget = port.mayReach?.(t);
    if (atTarget !== undefined) return { refused: atTarget };
    const tf = fateOf(layout, port, t, port.toMiddlebox(t, segIn(seg), key));
    if (tf.kind !== 'forward') return stop(tf);
    const tc = layout.components[t]!;
    hops.push({ component: tc.name, ref: tc.ref, action: 'forward' });
  }
  const ep = layout.endpoint[c]![peerOf(seg.from) === 'client' ? 0 : 1];
  const epc = layout.components[ep]!;
  hops.push({ component: epc.name, ref: epc.ref, action: 'deliver' });
  return { hops, outcome: 'delivered', deliveries: [{ endpoint: ep, seg }] };
}

/**
 * The RSTs of a proactive reset at an idle timeout (segment.ts
 * `FLOW_TIMEOUT_RESET`; Azure LB `tcpReset`, domain-facts §2, §11.2): one to
 * each endpoint of every connection whose key maps to entry component `i`,
 * in connection order, client first.
 */
export function timeoutResetDeliveries(layout: Layout, i: number): Delivery[] {
  const hop = layout.hops[layout.components[i]!.hop ?? -1];
  if (!hop) return [];
  const out: Delivery[] = [];
  hop.entryOf.forEach((e, c) => {
    if (e !== i) return;
    for (const role of ['client', 'server'] as const) {
      out.push({ endpoint: layout.endpoint[c]![role === 'client' ? 0 : 1], seg: { conn: c, from: peerOf(role), kind: 'rst', injected: true } });
    }
  });
  return out;
}
