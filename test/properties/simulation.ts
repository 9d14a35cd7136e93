import type { Traffic, TargetStrategy } from '../../src/properties/arbitraries.ts';
import { targetChooser } from '../../src/properties/arbitraries.ts';
import type { Interval } from '../../src/engine/interval.ts';
import type { Segment } from '../../src/models/segment.ts';
import type { MachineSet } from '../../src/system/components.ts';
import type { HopRecord } from '../../src/system/labels.ts';
import { NOT_CONNECTED } from '../../src/system/inspect.ts';
import { Simulator, type SimEvent } from '../../src/system/simulator.ts';
import { kbHop, type Topology } from '../../src/system/topology.ts';

/** A segment the simulator saw lost mid-path (dropped or answered with an RST), with the idle gap it was sent after. */
export interface Loss {
  readonly time: number;
  /** Seconds since a segment of its connection was last delivered end to end (the explorer's observer clock). */
  readonly gap: number;
  readonly seg: Segment;
  readonly outcome: 'dropped' | 'reset';
  readonly hops: readonly HopRecord[];
}

/** Runs generated traffic on the simulator with a target strategy. */
export function simulate(t: Topology, traffic: Traffic, strategy: TargetStrategy, machines?: MachineSet): Simulator {
  const sim = new Simulator(t, targetChooser(kbHop(t).appliances.count, strategy), machines);
  sim.run(traffic.schedule, traffic.until);
  return sim;
}

/** The connection is held: some endpoint is past connecting and not yet gone (catalogue.ts, `connectionHeld`). */
function held(endpoints: { readonly client: string; readonly server: string }): boolean {
  return [endpoints.client, endpoints.server].some((s) => !NOT_CONNECTED.has(s));
}

/**
 * Every drop and reset of an endpoint's segment while its connection is
 * held (what no-mid-path-drop / no-mid-path-reset count), with its idle gap
 * (observer clocks start at 0 at time 0).
 */
export function lossesOf(events: readonly SimEvent[], connections: number): Loss[] {
  const last = Array.from({ length: connections }, () => 0);
  const out: Loss[] = [];
  for (const e of events) {
    if (e.kind !== 'segment') continue;
    const c = e.seg.conn;
    if (e.outcome === 'delivered') last[c] = e.time;
    else if (!e.seg.injected && held(e.endpoints)) out.push({ time: e.time, gap: (e.time - last[c]!) / 1000, seg: e.seg, outcome: e.outcome, hops: e.hops });
  }
  return out;
}

/** True when `x` lies in one of the intervals. */
export function inUnion(x: number, union: readonly Interval[]): boolean {
  return union.some((i) => (i.fromInclusive ? x >= i.from : x > i.from) && (i.to === null || (i.toInclusive ? x <= i.to : x < i.to)));
}

/** Text of a loss for assertion messages. */
export function describeLoss(l: Loss): string {
  return `${l.seg.from}${l.seg.conn} ${l.seg.kind} ${l.outcome} at ${l.time / 1000} s after an idle gap of ${l.gap} s (${l.hops.map((h) => `${h.component}:${h.action}`).join(' → ')})`;
}
