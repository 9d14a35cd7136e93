import { createActor, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, type InspectionEvent } from 'xstate';
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
  private readonly timers = new Map<number, { readonly at: number; readonly prio: number; readonly owner: number; readonly label: string; readonly fn: () => void }>();
  /**
   * Raise ids (`xstate.after.…`) each owner's actor is about to schedule, in
   * order: xstate reports a delayed raise to the inspector, then schedules it
   * on the clock (deferred, in the same order), so each `setTimeout` of an
   * owner takes the next label.
   */
  private readonly labels = new Map<number, string[]>();

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
    const label = this.labels.get(owner)?.shift() ?? '';
    this.timers.set(id, { at: this.time + timeout, prio, owner, label, fn });
    return id;
  }

  /** Names the next timer `owner` schedules (its raise id); see {@link Simulator}'s inspector. */
  expectLabel(owner: number, label: string): void {
    const l = this.labels.get(owner);
    if (l) l.push(label);
    else this.labels.set(owner, [label]);
  }

  /** Sets the time without firing anything (a replay decides what fires; {@link pending} shows what is due). */
  setTime(ms: number): void {
    this.time = ms;
  }

  /** The pending timers: owner (component index), raise id and deadline (ms). */
  pending(): readonly { readonly owner: number; readonly label: string; readonly at: number }[] {
    return [...this.timers.values()].map((t) => ({ owner: t.owner, label: t.label, at: t.at }));
  }

  /** Fires the pending timer `label` of `owner` (whatever its deadline; the caller checks it). Returns whether there was one. */
  fire(owner: number, label: string): boolean {
    for (const [id, t] of this.timers) {
      if (t.owner !== owner || t.label !== label) continue;
      this.timers.delete(id);
      t.fn();
      return true;
    }
    return false;
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
 * Decides whether a segment may reach a middlebox now (a replay's boundary
 * check, domain-facts §10); returns why not, or undefined when it may.
 */
export type BoundaryCheck = (component: number) => string | undefined;

/** Options of the {@link Simulator}. */
export interface SimulatorOptions {
  /**
   * Manual stepping (for replaying a trace step by step): emitted segments
   * wait in flight until {@link Simulator.crossFirst} carries one, and timers
   * fire only through {@link Simulator.fireTimer}. Default false: segments
   * cross at once and timers fire by themselves (one of the orders the
   * explorer explores, {@link TIMER_PRIORITY}).
   */
  readonly manual?: boolean;
}

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
  private readonly manual: boolean;

  constructor(
    readonly topology: Topology,
    private readonly chooseTarget: TargetChooser,
    machines?: MachineSet,
    options: SimulatorOptions = {},
  ) {
    this.layout = buildLayout(topology, machines);
    this.manual = options.manual ?? false;
    this.scale = topology.timeScale ?? 1;
    if (this.scale !== 1) throw new Error('the simulator runs unscaled topologies (timeScale 1)');
    for (const comp of this.layout.components) {
      const prio = comp.kind === 'endpoint' ? TIMER_PRIORITY.endpoint : TIMER_PRIORITY[comp.boundary];
      // the inspector names each timer by its raise id before the clock gets it (see SteppingClock.expectLabel)
      const inspect = (e: InspectionEvent) => {
        if (e.type !== '@xstate.action' || e.action.type !== 'xstate.raise') return;
        const params = e.action.params as { id?: unknown; delay?: unknown } | undefined;
        if (typeof params?.delay === 'number' && typeof params.id === 'string') {
          this.clock.expectLabel(comp.index, params.id);
          this.onArm?.(comp.index, params.id);
        }
      };
      const actor = createActor(comp.logic.machine as AnyStateMachine, { input: comp.logic.input, clock: this.clock.withPriority(prio, comp.index), inspect });
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

  /** Called when component `i` arms timer `id` (a replay uses it to forget an open boundary's expired timer). */
  onArm: ((i: number, id: string) => void) | undefined;

  /** Segments in flight (manual mode), in the order they were sent. */
  inflight(): readonly Segment[] {
    return this.queue;
  }

  /** The snapshot of a component. */
  snapshotOf(i: number): AnyMachineSnapshot {
    return this.actors[i]!.getSnapshot() as AnyMachineSnapshot;
  }

  /** Fires the pending timer `id` of component `i` (manual mode). Returns whether it was pending. */
  fireTimer(i: number, id: string): boolean {
    const fired = this.clock.fire(i, id);
    this.drain();
    return fired;
  }

  /**
   * Carries the first in-flight segment of a direction across the path
   * (manual mode), asking `boundary` before it reaches each middlebox.
   * Returns the segment event, a refusal, or undefined when that direction
   * has nothing in flight.
   */
  crossFirst(conn: number, from: Role, boundary: BoundaryCheck): Extract<SimEvent, { kind: 'segment' }> | { readonly refused: string } | undefined {
    const j = this.queue.findIndex((g) => g.conn === conn && g.from === from);
    if (j < 0) return undefined;
    const seg = this.queue[j]!;
    this.queue.splice(j, 1);
    const r = this.cross(seg, boundary);
    this.drain();
    return r;
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
    if (this.draining || this.manual) return;
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

  /** Carries a segment across the path with the one crossing function (crossing.ts), on the live actors; `boundary` may refuse it at a middlebox (a replay). */
  private cross(seg: Segment, boundary?: BoundaryCheck): Extract<SimEvent, { kind: 'segment' }> | { readonly refused: string } {
    const c = seg.conn;
    const time = this.now();
    const endpoints = { client: this.endpointState(c, 'client'), server: this.endpointState(c, 'server') };
    const port: CrossingPort = {
      snapshot: (i) => this.actors[i]!.getSnapshot() as AnyMachineSnapshot,
      toMiddlebox: (i, event) => this.sendTo(i, event),
      chooseTarget: (hop, g) => this.chooseTarget(c, g, time, hop.index),
      // the actors' own subscription (onOutput) records their logs
      log: () => {},
      ...(boundary ? { mayReach: boundary } : {}),
    };
    const crossing = crossPath(this.layout, port, seg);
    if ('refused' in crossing) return crossing;
    const hops = crossing.hops.map(({ ref: _ref, ...h }) => h);
    const ev = { kind: 'segment' as const, time, seg, hops, hopRefs: crossing.hops.map((h) => h.ref), outcome: crossing.outcome, endpoints };
    this.events.push(ev);
    for (const { endpoint, seg: g } of crossing.deliveries) this.actors[endpoint]!.send(segIn(g));
    return ev;
  }
}
