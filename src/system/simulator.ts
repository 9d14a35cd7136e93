import { createActor, SimulatedClock, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { needsTargetChoice, type GwlbFlowSnapshot } from '../models/gwlbFlowMachine.ts';
import { peerOf, type MachineOutput, type Role, type Segment } from '../models/segment.ts';
import { buildLayout, type AppEventType, type Layout, type MachineSet } from './components.ts';
import type { HopRecord, LogRecord } from './labels.ts';
import { stateText, topState } from './inspect.ts';
import type { Topology } from './topology.ts';

/**
 * xstate's SimulatedClock that stops at every deadline on the way when
 * advanced, so a timer armed by a firing timer fires at its own time (a
 * plain `increment` fires chained timers late).
 */
export class SteppingClock extends SimulatedClock {
  private readonly deadlines = new Map<number, number>();

  override setTimeout(fn: () => void, timeout: number): number {
    const id: number = super.setTimeout(() => {
      this.deadlines.delete(id);
      fn();
    }, timeout);
    this.deadlines.set(id, this.now() + timeout);
    return id;
  }

  override clearTimeout(id: number): void {
    this.deadlines.delete(id);
    super.clearTimeout(id);
  }

  /** Advances to `to` ms, stopping at every deadline on the way. */
  advanceTo(to: number, onStep?: () => void): void {
    for (;;) {
      let next = Number.POSITIVE_INFINITY;
      for (const d of this.deadlines.values()) if (d < next) next = d;
      if (!(next <= to)) break;
      this.set(Math.max(next, this.now()));
      onStep?.();
    }
    this.set(to);
  }
}

/** Something the simulator saw happen. */
export type SimEvent =
  | { readonly kind: 'segment'; readonly time: number; readonly seg: Segment; readonly hops: readonly HopRecord[]; readonly outcome: 'delivered' | 'dropped' | 'reset' }
  | { readonly kind: 'log'; readonly time: number; readonly log: LogRecord }
  | { readonly kind: 'app'; readonly time: number; readonly component: string; readonly action: AppEventType };

/** An application action at a time (ms). */
export interface ScheduledAction {
  readonly time: number;
  readonly conn: number;
  readonly role: Role;
  readonly action: AppEventType;
}

/** Chooses a target for a new GWLB flow (the scheduler's choice). */
export type TargetChooser = (conn: number, seg: Segment, time: number) => number;

/**
 * The concrete simulator (design.md, "Two engines"): real xstate actors on a
 * simulated clock, one per component instance of the topology, wired by the
 * same routing as the composed system: segments cross the path in zero time
 * and in order; a new GWLB flow's target is chosen by a scheduler.
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
      const actor = createActor(comp.logic.machine as AnyStateMachine, { input: comp.logic.input, clock: this.clock });
      actor.on('*', (e: MachineOutput) => this.onOutput(comp.index, e));
      this.actors.push(actor);
    }
    for (const a of this.actors) a.start();
    this.drain();
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

  /** Advances the clock, firing due timers one deadline at a time. */
  advanceTo(ms: number): void {
    this.clock.advanceTo(ms, () => this.drain());
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
    } else if (e.type === 'LOG' && comp.kind !== 'session') {
      this.events.push({ kind: 'log', time: this.now(), log: { component: comp.name, conn: e.conn, reason: e.reason } });
    } else if (e.type === 'LOG') {
      this.events.push({ kind: 'log', time: this.now(), log: { component: comp.name, conn: e.conn, reason: e.reason } });
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
  private sendTo(i: number, event: { type: 'SEG_IN'; seg: Segment; target?: number }): MachineOutput[] {
    const out: MachineOutput[] = [];
    const sub = this.actors[i]!.on('*', (e: MachineOutput) => out.push(e));
    this.actors[i]!.send(event);
    sub.unsubscribe();
    return out;
  }

  private cross(seg: Segment): void {
    const c = seg.conn;
    const f = this.layout.flowOf[c]!;
    const flowName = this.layout.components[f]!.name;
    const hops: HopRecord[] = [];
    const time = this.now();
    const snap = this.actors[f]!.getSnapshot() as GwlbFlowSnapshot;
    const choose = needsTargetChoice(snap, seg);
    const target = choose ? this.chooseTarget(c, seg, time) : undefined;
    const gw = this.sendTo(f, target === undefined ? { type: 'SEG_IN', seg } : { type: 'SEG_IN', seg, target });
    let outcome: 'delivered' | 'dropped' | 'reset' = 'dropped';
    for (const o of gw) {
      if (o.type === 'SEG_FORWARD') {
        const a = o.target!;
        hops.push(choose ? { component: flowName, action: 'forward', chosenTarget: a, target: a } : { component: flowName, action: 'forward', target: a });
        const sIdx = this.layout.session[a]![c]!;
        const sName = this.layout.components[sIdx]!.name;
        for (const p of this.sendTo(sIdx, { type: 'SEG_IN', seg })) {
          if (p.type === 'SEG_FORWARD') {
            hops.push({ component: sName, action: 'forward' });
            const ep = this.layout.endpoint[c]![peerOf(seg.from) === 'client' ? 0 : 1];
            hops.push({ component: this.layout.components[ep]!.name, action: 'deliver' });
            outcome = 'delivered';
            this.events.push({ kind: 'segment', time, seg, hops, outcome });
            this.actors[ep]!.send({ type: 'SEG_IN', seg });
            return;
          }
          if (p.type === 'SEG_DROP') hops.push({ component: sName, action: 'drop', reason: p.reason });
        }
        break;
      }
      if (o.type === 'SEG_DROP') {
        hops.push({ component: flowName, action: 'drop', reason: o.reason });
        break;
      }
      if (o.type === 'SEG_RESET') {
        hops.push({ component: flowName, action: 'reset', reason: o.reason, resetTo: o.to });
        outcome = 'reset';
        this.events.push({ kind: 'segment', time, seg, hops, outcome });
        const roles = o.to === 'both' ? (['client', 'server'] as const) : [o.to];
        for (const r of roles) {
          const ep = this.layout.endpoint[c]![r === 'client' ? 0 : 1];
          this.actors[ep]!.send({ type: 'SEG_IN', seg: { conn: c, from: peerOf(r), kind: 'rst', injected: true } });
        }
        return;
      }
    }
    this.events.push({ kind: 'segment', time, seg, hops, outcome });
  }
}
