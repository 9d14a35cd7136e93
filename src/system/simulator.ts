import { createActor, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { MachineOutput, Role, SegInEvent, Segment } from '../models/segment.ts';
import type { ComponentRef } from './componentRef.ts';
import { buildLayout, componentIndex, type AppEventType, type Layout, type MachineSet } from './components.ts';
import { crossPath, segIn, timeoutResetDeliveries, type CrossingPort } from './crossing.ts';
import type { HopRecord, LogRecord } from './labels.ts';
import { stateText, topState } from './inspect.ts';
import type { Topology } from './topology.ts';

/** A clock as xstate's `createActor(…, { clock })` uses it. */
export interface ActorClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number;
  clearTimeout(id: number): void;
}

/**
 * Order of timers due at the same instant (domain-facts §10, topology.ts
 * `Boundary`): a `closed` middlebox's expiry comes before anything else at
 * that instant (a segment at exactly the timeout finds the entry gone), an
 * `open` one's after everything else (the entry still exists at exactly
 * the timeout), endpoints and `ambiguous` middleboxes in between, in the
 * order they were armed (one of the orders the explorer explores).
 */
export const TIMER_PRIORITY = { closed: 0, endpoint: 1, ambiguous: 1, open: 2 } as const;

/**
 * A simulated clock (like xstate's SimulatedClock) that, when advanced,
 * fires due timers ONE at a time in (deadline, priority, arming order),
 * calling back after each, so a timer armed by a firing timer fires at its
 * own time and the segments a timer emits cross the path before the next
 * timer due at the same instant fires.
 */
export class SteppingClock implements ActorClock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, { readonly at: number; readonly prio: number; readonly owner: number; readonly fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    return this.schedule(fn, timeout, TIMER_PRIORITY.endpoint);
  }

  clearTimeout(id: number): void {
    this.timers.delete(id);
  }

  /** A view of this clock whose timers carry `prio` (see {@link TIMER_PRIORITY}) and an owner (a component index). */
  withPriority(prio: number, owner = -1): ActorClock {
    return { setTimeout: (fn, timeout) => this.schedule(fn, timeout, prio, owner), clearTimeout: (id) => this.clearTimeout(id) };
  }

  private schedule(fn: () => void, timeout: number, prio: number, owner = -1): number {
    const id = this.seq++;
    this.timers.set(id, { at: this.time + timeout, prio, owner, fn });
    return id;
  }

  /**
   * Fires the earliest-armed timer of `owner` that is due now, if any (for
   * replaying a trace's order of timers at one instant). Returns whether one fired.
   */
  fireDue(owner: number): boolean {
    let pick: number | undefined;
    for (const [id, t] of this.timers) {
      if (t.owner !== owner || t.at > this.time) continue;
      if (pick === undefined || t.at < this.timers.get(pick)!.at) pick = id;
    }
    if (pick === undefined) return false;
    const t = this.timers.get(pick)!;
    this.timers.delete(pick);
    t.fn();
    return true;
  }

  /** Fires every timer due strictly before `to` (one at a time, `onStep` after each), then sets the time to `to`. */
  advanceBelow(to: number, onStep?: () => void): void {
    this.advanceTo(to, onStep, Number.NEGATIVE_INFINITY);
  }

  /**
   * Advances to `to` ms, firing every timer due on the way one at a time
   * (`onStep` after each); of the timers due at exactly `to`, only those
   * with priority below `before` fire.
   */
  advanceTo(to: number, onStep?: () => void, before: number = Number.POSITIVE_INFINITY): void {
    for (;;) {
      let pick: number | undefined;
      for (const [id, t] of this.timers) {
        if (!(t.at < to || (t.at === to && t.prio < before))) continue;
        const p = pick === undefined ? undefined : this.timers.get(pick)!;
        if (!p || t.at < p.at || (t.at === p.at && t.prio < p.prio)) pick = id;
      }
      if (pick === undefined) break;
      const t = this.timers.get(pick)!;
      this.timers.delete(pick);
      this.time = Math.max(t.at, this.time);
      t.fn();
      onStep?.();
    }
    this.time = Math.max(this.time, to);
  }
}

/** Something the simulator saw happen. */
export type SimEvent =
  | {
      readonly kind: 'segment';
      readonly time: number;
      readonly seg: Segment;
      readonly hops: readonly HopRecord[];
      /** The typed reference of each hop record's component, in the same order. */
      readonly hopRefs: readonly ComponentRef[];
      readonly outcome: 'delivered' | 'dropped' | 'reset';
      /** Top-level states of the connection's endpoints when the segment started across (what the property predicates read). */
      readonly endpoints: { readonly client: string; readonly server: string };
    }
  | { readonly kind: 'log'; readonly time: number; readonly log: LogRecord; readonly ref: ComponentRef }
  /** A middlebox reset connection `conn` on its own at its idle timeout (RST to both endpoints). */
  | { readonly kind: 'timeout-reset'; readonly time: number; readonly component: string; readonly ref: ComponentRef; readonly conn: number }
  | { readonly kind: 'app'; readonly time: number; readonly component: string; readonly action: AppEventType };

/** An application action at a time (ms). */
export interface ScheduledAction {
  readonly time: number;
  readonly conn: number;
  readonly role: Role;
  readonly action: AppEventType;
}

/** Chooses a target for a new entry of a choosing hop (a GWLB's appliance): the scheduler's choice. */
export type TargetChooser = (conn: number, seg: Segment, time: number, hop: number) => number;

/**
 * The concrete simulator (design.md, "Two engines"): real xstate actors on a
 * simulated clock, one per component instance of the topology, wired by the
 * same crossing as the composed system (crossing.ts `crossPath`): segments
 * cross the path in zero time and in order; a new entry's target is chosen
 * by a scheduler.
 */
export class Simulator {
  readonly layout: Layout;
  readonly clock = new SteppingClock();
  readonly events: SimEvent[] = [];
  private readonly actors: AnyActorRef[] = [];
  private readonly queue: Segment[] = [];
  private draining = false;
  private readonly scale: number;

  constructor(
    readonly topology: Topology,
    private readonly chooseTarget: TargetChooser,
    machines?: MachineSet,
  ) {
    this.layout = buildLayout(topology, machines);
    this.scale = topology.timeScale ?? 1;
    if (this.scale !== 1) throw new Error('the simulator runs unscaled topologies (timeScale 1)');
    for (const comp of this.layout.components) {
      const prio = comp.kind === 'endpoint' ? TIMER_PRIORITY.endpoint : TIMER_PRIORITY[comp.boundary];
      const actor = createActor(comp.logic.machine as AnyStateMachine, { input: comp.logic.input, clock: this.clock.withPriority(prio, comp.index) });
      actor.on('*', (e: MachineOutput) => this.onOutput(comp.index, e));
      this.actors.push(actor);
    }
    for (const a of this.actors) a.start();
    this.drain();
    if (topology.environment.connectAtStart) for (let c = 0; c < topology.connections; c++) this.act(c, 'client', 'APP_CONNECT');
  }

  /** Current time in ms. */
  now(): number {
    return this.clock.now();
  }

  /** Runs the schedule (sorted by time) and then lets time run to `until` ms. */
  run(schedule: readonly ScheduledAction[], until: number): void {
    for (const a of [...schedule].sort((x, y) => x.time - y.time)) {
      this.advanceTo(a.time);
      this.act(a.conn, a.role, a.action);
    }
    this.advanceTo(until);
  }

  /**
   * Advances the clock to `ms`, firing due timers one at a time. An `open`
   * middlebox timer due at exactly `ms` stays pending (it fires on the next
   * advance), so an action at `ms` still finds its entry (domain-facts §10).
   */
  advanceTo(ms: number): void {
    this.clock.advanceTo(ms, () => this.drain(), TIMER_PRIORITY.open);
    this.drain();
  }

  /** Fires the due timer of the component named `component` (a trace's actor) now; false when none is due. */
  fireTimerOf(component: string): boolean {
    const comp = this.layout.components.find((c) => c.name === component);
    return comp ? this.fireTimerOfRef(comp.ref) : false;
  }

  /** Fires the due timer of a component now (trace replay at one instant); false when none is due. */
  fireTimerOfRef(ref: ComponentRef): boolean {
    const i = componentIndex(this.layout, ref);
    if (i === undefined) return false;
    const fired = this.clock.fireDue(i);
    this.drain();
    return fired;
  }

  /** Fires every timer due strictly before `ms` and moves the clock to `ms`. */
  advanceBelow(ms: number): void {
    this.clock.advanceBelow(ms, () => this.drain());
    this.drain();
  }

  /** An application action, if the endpoint accepts it now. Returns whether it was accepted. */
  act(conn: number, role: Role, action: AppEventType): boolean {
    const idx = this.layout.endpoint[conn]![role === 'client' ? 0 : 1];
    const actor = this.actors[idx]!;
    if (!actor.getSnapshot().can({ type: action })) return false;
    this.events.push({ kind: 'app', time: this.now(), component: this.layout.components[idx]!.name, action });
    actor.send({ type: action });
    this.drain();
    return true;
  }

  /** Top-level state of every component, by name. */
  states(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const comp of this.layout.components) out[comp.name] = stateText(this.actors[comp.index]!.getSnapshot());
    return out;
  }

  /** Top-level state of an endpoint. */
  endpointState(conn: number, role: Role): string {
    return topState(this.actors[this.layout.endpoint[conn]![role === 'client' ? 0 : 1]]!.getSnapshot());
  }

  private onOutput(i: number, e: MachineOutput): void {
    const comp = this.layout.components[i]!;
    if (e.type === 'SEG_OUT') {
      this.queue.push(e.seg);
    } else if (e.type === 'LOG') {
      this.events.push({ kind: 'log', time: this.now(), log: { component: comp.name, conn: e.conn, reason: e.reason }, ref: comp.ref });
    } else if (e.type === 'FLOW_TIMEOUT_RESET') {
      const deliveries = timeoutResetDeliveries(this.layout, i);
      for (const conn of new Set(deliveries.map((x) => x.seg.conn))) this.events.push({ kind: 'timeout-reset', time: this.now(), component: comp.name, ref: comp.ref, conn });
      for (const { endpoint, seg } of deliveries) this.actors[endpoint]!.send(segIn(seg));
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) this.cross(this.queue.shift()!);
    } finally {
      this.draining = false;
    }
  }

  /** Collects what `send` makes actor i emit. */
  private sendTo(i: number, event: SegInEvent): MachineOutput[] {
    const out: MachineOutput[] = [];
    const sub = this.actors[i]!.on('*', (e: MachineOutput) => out.push(e));
    this.actors[i]!.send(event);
    sub.unsubscribe();
    return out;
  }

  /** Carries a segment across the path with the one crossing function (crossing.ts), on the live actors. */
  private cross(seg: Segment): void {
    const c = seg.conn;
    const time = this.now();
    const endpoints = { client: this.endpointState(c, 'client'), server: this.endpointState(c, 'server') };
    const port: CrossingPort = {
      snapshot: (i) => this.actors[i]!.getSnapshot() as AnyMachineSnapshot,
      toMiddlebox: (i, event) => this.sendTo(i, event),
      chooseTarget: (hop, g) => this.chooseTarget(c, g, time, hop.index),
      // the actors' own subscription (onOutput) records their logs
      log: () => {},
    };
    const crossing = crossPath(this.layout, port, seg);
    const hops = crossing.hops.map(({ ref: _ref, ...h }) => h);
    this.events.push({ kind: 'segment', time, seg, hops, hopRefs: crossing.hops.map((h) => h.ref), outcome: crossing.outcome, endpoints });
    for (const { endpoint, seg: g } of crossing.deliveries) this.actors[endpoint]!.send(segIn(g));
  }
}
