import type { EventObject } from 'xstate';
import type { ClockGuard, ClockSpec, LazyEdge, TimedSystem } from '../engine/timedSystem.ts';
import type { MachineOutput } from '../models/segment.ts';
import { applyTimers, fireTimer, guardBoundary, openGhostGuards } from './boundaryClocks.ts';
import { buildLayout, type AppEventType, type Layout, type MachineSet } from './components.ts';
import { crossPath, segIn, timeoutResetDeliveries, type CrossingPort } from './crossing.ts';
import type { SystemLabel } from './labels.ts';
import { directionOf, segKey, StateKeys } from './stateKeys.ts';
import { Symmetry } from './symmetry.ts';
import { draftOf, emptyDraft, type Draft, type SystemEdge, type SystemState } from './systemState.ts';
import { observerBoundMs } from './observerBound.ts';
import { observedConnections } from './observedConnections.ts';
import { connectionsAlike, type Topology } from './topology.ts';

export type { SystemEdge, SystemState, TimerSlot } from './systemState.ts';
export { shortTimer } from './stateKeys.ts';

/** Options of the composed system. */
export interface ProductOptions {
  /** Symmetry reduction over interchangeable targets and connections (default true). */
  readonly symmetry?: boolean;
  /** The machines to compose (default: the real models; tests pass mutants). */
  readonly machines?: MachineSet;
  /** Observe only connection 0 when connections are interchangeable (observedConnections.ts; default false here, `checkTopology` turns it on). */
  readonly observeOne?: boolean;
}

/**
 * The composed system of a topology as one timed transition system
 * (design.md, "Composition"): every instance's xstate snapshot, its armed
 * timers as clocks, the segments in flight, and one observer clock per
 * connection, "time since a segment of this connection was last delivered
 * end to end" (reset on delivery), whose value at a violation is the idle gap.
 * This file holds the edges; state keys and clock specs are in
 * `stateKeys.ts`, clocks and boundary ghosts in `boundaryClocks.ts`,
 * symmetry reduction in `symmetry.ts`, and the crossing of the path, shared
 * with the simulator, in `crossing.ts`.
 *
 * Semantics (kept explicit, design.md "Time"):
 * - Applications may connect, send and close at any time the endpoint
 *   allows (xstate `snapshot.can`), unless the topology's environment forbids it.
 * - Segments cross the path in zero time, in the order they were sent within
 *   each direction of a connection. Each in-flight segment crosses the
 *   whole path in ONE step (every hop's flow entry, a chosen target's
 *   session, delivery), recorded hop by hop in the label. Time cannot pass
 *   while a segment is in flight, and applications do not act then; timers
 *   due at that instant may fire before or after it, and segments of
 *   different directions in flight together cross in every order. One step
 *   per crossing (instead of one per hop) removes only interleavings of
 *   zero-time hops that touch disjoint state.
 * - At equal deadlines every order is explored.
 * - A middlebox's timer boundary (topology.ts `Boundary`) adds guards to the
 *   delivery of a segment at the instant of expiry.
 * - A new entry's target (a GWLB appliance) is a nondeterministic choice:
 *   every target is a branch (symmetric targets collapse under symmetry
 *   reduction); on a path with several choosing hops every combination is.
 */
export class ProductSystem implements TimedSystem<SystemState, SystemLabel> {
  readonly layout: Layout;
  /** The machines composed (undefined = the real models). */
  readonly machines: MachineSet | undefined;
  private readonly scale: number;
  private readonly conns: number;
  /**
   * Connections 0..observed-1 have an observer clock and are checked
   * (observedConnections.ts): every connection, or only connection 0.
   */
  readonly observed: number;
  /** Connections are interchangeable: identical endpoint settings. */
  private readonly connSymmetry: boolean;
  private readonly keys: StateKeys;
  private readonly sym: Symmetry;

  constructor(
    readonly topology: Topology,
    options: ProductOptions = {},
  ) {
    this.layout = buildLayout(topology, options.machines);
    this.machines = options.machines;
    this.scale = topology.timeScale ?? 1;
    this.conns = topology.connections;
    this.observed = observedConnections(topology, options.observeOne ?? false);
    // The observer is exact up to this bound: see observerBound.ts (issue 11 §1).
    this.keys = new StateKeys(this.layout, observerBoundMs(topology) * this.scale);
    const symmetry = options.symmetry ?? true;
    this.sym = new Symmetry(this.layout, this.keys, symmetry);
    // Connections are interchangeable unless their endpoint settings differ; a shared
    // (2-/3-tuple) flow entry is shared by all of them alike, so it does not break the symmetry.
    this.connSymmetry = symmetry && topology.connections > 1 && connectionsAlike(topology);
  }

  initial(): SystemState {
    const d = emptyDraft();
    for (const comp of this.layout.components) {
      const init = comp.logic.initial;
      d.locals.push(init.next);
      d.timers.push([]);
      applyTimers(d, comp.index, init.cancels, init.arms, this.scale);
      this.route(d, comp.index, init.outputs);
    }
    for (let c = 0; c < this.observed; c++) d.obsSrc.push(-1);
    if (this.topology.environment.connectAtStart) {
      for (let c = 0; c < this.conns; c++) {
        const ep = this.layout.endpoint[c]![0];
        this.route(d, ep, this.deliver(d, ep, { type: 'APP_CONNECT' }, 'APP_CONNECT'));
      }
    }
    return this.keys.finish(d).state;
  }

  clocks(s: SystemState): readonly ClockSpec[] {
    return s.clocks;
  }

  key(s: SystemState): string {
    return s.key;
  }

  urgent(s: SystemState): boolean {
    return s.inflight.length > 0;
  }

  /** Edges depend only on the discrete state: computed once per key (many zones share a key). */
  private readonly edgeCache = new Map<string, readonly ProductLazyEdge[]>();
  private readonly fullEdgeCache = new Map<string, readonly SystemEdge[]>();

  successors(s: SystemState): readonly SystemEdge[] {
    const hit = this.fullEdgeCache.get(s.key);
    if (hit) return hit;
    const out = this.lazySuccessors(s).map((e) => e.materialize());
    this.fullEdgeCache.set(s.key, out);
    return out;
  }

  /**
   * The edges of `s` with their guards, each target symmetry-reduced and
   * keyed only when `materialize()` is called (the explorer calls it the
   * first time a zone satisfies the guard; most guarded edges never are).
   */
  lazySuccessors(s: SystemState): readonly LazyEdge<SystemState, SystemLabel>[] {
    const hit = this.edgeCache.get(s.key);
    if (hit) return hit;
    const out: ProductLazyEdge[] = [];
    this.timerEdges(s, out);
    this.segmentEdges(s, out);
    if (s.inflight.length === 0) this.appEdges(s, out);
    this.edgeCache.set(s.key, out);
    return out;
  }

  /**
   * The state without some clocks: only ghosts of expired timers are ever
   * dropped (their `dropAbove`), once the zone shows they are past their
   * deadline, so the boundary guard they carry can no longer fail.
   */
  dropClocks(s: SystemState, clocks: readonly number[]): SystemState {
    const d = draftOf(s, this.observed);
    const drop = new Set(clocks);
    d.timers = d.timers.map((slots) => slots.filter((t) => !drop.has(t.src)));
    return this.keys.finish(d).state;
  }

  /**
   * A state key without the ghosts of expired timers. Ghosts are dropped at
   * different moments by the zone explorer (once a whole zone is past the
   * deadline) and by a discrete-time explorer (once a valuation is), so
   * cross-checks compare keys modulo ghosts.
   */
  stripGhosts(key: string): string {
    const ghosts = this.keys.ghostNames();
    const parts = key.split('|');
    const last = parts.length - 1;
    return parts.map((p, i) => (i === 0 || i === last ? p : p.split('.').filter((t) => t !== '' && !ghosts.has(t)).join('.'))).join('|');
  }

  /**
   * Where connection `conn` of an edge's source is numbered in its target:
   * symmetry reduction may renumber connections (and targets) on any edge,
   * so anything that compares a source with its target (a property reading
   * both sides of an edge) must map through this.
   */
  connectionInTarget(edge: SystemEdge, conn: number): number {
    return edge.connPerm ? edge.connPerm.indexOf(conn) : conn;
  }

  /** The observer clock index of a connection (clock lists start with the observers; only observed connections have one). */
  observerClock(conn: number): number {
    // an unobserved connection has no observer: its index is another clock's
    if (!this.observes(conn)) throw new Error(`internal: connection ${conn} is not observed (${this.observed} observed), so it has no observer clock`);
    return conn;
  }

  /** Whether violations of connection `conn` are checked (observedConnections.ts). */
  observes(conn: number): boolean {
    return conn < this.observed;
  }

  /** Name of a component in the numbering of a state (for reports). */
  componentName(i: number): string {
    return this.layout.components[i]!.name;
  }

  // ---- edges ----

  /**
   * One edge per armed timer. Its guard is known without building it (the
   * timer's clock at its deadline, `x >= delay`: firing a timer meets no
   * boundary), so the whole edge, target included, is built only when the
   * explorer first finds the guard satisfied: on KB 16099, 6,608 of 8,550
   * timer edges never are (most leave urgent states, where time cannot
   * reach the deadline).
   */
  private timerEdges(s: SystemState, out: ProductLazyEdge[]): void {
    let k = this.observed;
    for (let i = 0; i < s.timers.length; i++) {
      const slots = s.timers[i]!;
      for (let j = 0; j < slots.length; j++, k++) {
        const slot = slots[j]!;
        if (slot.ghost || !slot.event) continue;
        if (s.inflight.length > 0 && this.expiresAfterItsInstant(i)) continue;
        const clock = k;
        const guard: ClockGuard[] = [{ clock, op: '>=', value: slot.delay }];
        out.push(new ProductLazyEdge(guard, () => this.timerEdge(s, i, j, clock, guard)));
      }
    }
  }

  /**
   * Whether a timer of component `i` firing now must wait until the segments
   * in flight have crossed: an `open` boundary (domain-facts §10) says a
   * middlebox entry still exists at exactly its timeout and is gone only
   * after it, so its expiry comes after every crossing of its instant (the
   * simulator orders it so too: an open timer due now fires on the next
   * advance). Firing it earlier would let a segment already in flight meet
   * its ghost at exactly the timeout, where the ghost's guard `x > delay`
   * cannot hold: a run that cannot go on. With a visible expiry (an Azure LB
   * `tcpReset`, domain-facts §2, §11.2) that run also reset a client whose
   * FIN, sent at the instant of the timeout, was still in flight, and was
   * reported as a clean-close violation. Protected: a mutant
   * (test/fixtures/mutants.ts) lets the expiry overtake.
   */
  protected expiresAfterItsInstant(i: number): boolean {
    const comp = this.layout.components[i]!;
    return comp.kind !== 'endpoint' && comp.boundary === 'open';
  }

  /** Builds the edge of timer slot `j` of component `i` (clock `k` of `s`) firing. */
  private timerEdge(s: SystemState, i: number, j: number, k: number, guard: readonly ClockGuard[]): SystemEdge {
    const d = draftOf(s, this.observed);
    const slot = s.timers[i]![j]!;
    const comp = this.layout.components[i]!;
    fireTimer(d, comp, d.timers[i]![j]!, k);
    const outputs = this.deliver(d, i, slot.event!, slot.id);
    this.route(d, i, outputs);
    const resets: number[] = [];
    if (outputs.some((o) => o.type === 'FLOW_TIMEOUT_RESET')) {
      for (const { endpoint, seg } of timeoutResetDeliveries(this.layout, i)) {
        if (!resets.includes(seg.conn)) resets.push(seg.conn);
        this.route(d, endpoint, this.deliver(d, endpoint, segIn(seg), segKey(seg)));
      }
    }
    // The guard announced before building must be the one the draft collected.
    if (!d.feasible || d.guard.length !== 1 || d.guard[0]!.clock !== k || d.guard[0]!.value !== guard[0]!.value) {
      throw new Error(`internal: timer edge ${slot.id} of ${comp.name} gathered guards ${JSON.stringify(d.guard)} beyond its deadline`);
    }
    return this.finishDraft(d, { kind: 'timer', component: comp.name, ref: comp.ref, timer: slot.id, ...(resets.length > 0 ? { resets } : {}), sent: d.sent, logs: d.logs }, guard);
  }

  private appEdges(s: SystemState, out: ProductLazyEdge[]): void {
    const env = this.topology.environment;
    const allowed = (role: 'client' | 'server'): AppEventType[] => {
      const types: AppEventType[] = role === 'client' ? ['APP_CONNECT'] : [];
      if (role === 'client' ? env.clientSends : env.serverSends) types.push('APP_SEND');
      if (role === 'client' ? env.clientCloses : env.serverCloses) types.push('APP_CLOSE');
      return types;
    };
    for (let c = 0; c < this.conns; c++) {
      for (const ep of this.layout.endpoint[c]!) {
        const comp = this.layout.components[ep]!;
        for (const type of allowed(comp.role!)) {
          const ev = { type };
          if (!comp.logic.can(s.locals[ep]!, ev)) continue;
          if (type === 'APP_SEND' && (comp.logic.snapshot(s.locals[ep]!).context as { outstanding?: string }).outstanding !== 'none') continue;
          const d = draftOf(s, this.observed);
          this.route(d, ep, this.deliver(d, ep, ev, type));
          this.push(out, d, { kind: 'app', component: comp.name, ref: comp.ref, conn: c, action: type, sent: d.sent, logs: d.logs });
        }
      }
    }
  }

  /**
   * One edge per in-flight segment at the head of its direction (FIFO per
   * direction) and per combination of target choices its crossing makes:
   * the crossing runs with a script of choices; at a choice beyond the
   * script it takes the first candidate and queues a run for each other one.
   */
  private segmentEdges(s: SystemState, out: ProductLazyEdge[]): void {
    const seen = new Set<number>();
    for (let j = 0; j < s.inflight.length; j++) {
      const seg = s.inflight[j]!;
      const direction = directionOf(seg);
      if (seen.has(direction)) continue;
      seen.add(direction);
      const scripts: number[][] = [[]];
      while (scripts.length > 0) {
        const script = scripts.shift()!;
        const d = draftOf(s, this.observed);
        d.inflight.splice(j, 1);
        let at = 0;
        const port: CrossingPort = {
          snapshot: (i) => this.layout.components[i]!.logic.snapshot(d.locals[i]!),
          toMiddlebox: (i, ev, key) => this.deliver(d, i, ev, key, true),
          chooseTarget: (hop) => {
            if (at < script.length) return script[at++]!;
            const choices = this.sym.targetChoices(hop, d);
            for (const alt of choices.slice(1)) scripts.push([...script, alt]);
            script.push(choices[0]!);
            return script[at++]!;
          },
          log: (i, conn, reason) => {
            const comp = this.layout.components[i]!;
            d.logs.push({ component: comp.name, ref: comp.ref, conn, reason });
          },
        };
        const crossing = crossPath(this.layout, port, seg);
        if ('refused' in crossing) continue; // the product asks no boundary question of the crossing (its guards do that)
        if (crossing.outcome === 'delivered' && seg.conn < this.observed) d.obsSrc[seg.conn] = -1;
        for (const { endpoint, seg: g } of crossing.deliveries) this.route(d, endpoint, this.deliver(d, endpoint, segIn(g), segKey(g)));
        this.push(out, d, { kind: 'segment', seg, hops: crossing.hops, outcome: crossing.outcome, sent: d.sent, logs: d.logs });
      }
    }
  }

  // ---- drafts ----

  /** Delivers an event to component i; for a segment at a middlebox (`boundary`), adds the boundary guards first. */
  private deliver(d: Draft, i: number, event: EventObject, eventKey: string, boundary = false): readonly MachineOutput[] {
    const comp = this.layout.components[i]!;
    if (boundary) guardBoundary(d, comp, (ghosts) => this.ghostGuards(ghosts));
    const res = comp.logic.step(d.locals[i]!, event, eventKey);
    d.locals[i] = res.next;
    applyTimers(d, i, res.cancels, res.arms, this.scale);
    return res.outputs;
  }

  /**
   * The guards an `open` boundary (domain-facts §10) puts on a segment that
   * reaches a middlebox whose timers have expired (boundaryClocks.ts
   * `openGhostGuards`). Protected so that a composition mutant
   * (test/fixtures/mutants.ts) can remove the guard and show that the replay
   * catches it.
   */
  protected ghostGuards(ghosts: readonly { readonly src: number; readonly delay: number }[]): ClockGuard[] | undefined {
    return openGhostGuards(ghosts);
  }

  /** Endpoint and timer outputs: segments go in flight, logs to the label. */
  private route(d: Draft, i: number, outputs: readonly MachineOutput[]): void {
    const comp = this.layout.components[i]!;
    for (const o of outputs) {
      if (o.type === 'SEG_OUT') {
        d.inflight.push(o.seg);
        d.sent.push(o.seg);
      } else if (o.type === 'LOG') {
        d.logs.push({ component: comp.name, ref: comp.ref, conn: o.conn, reason: o.reason });
      }
    }
  }

  private push(out: ProductLazyEdge[], d: Draft, label: SystemLabel): void {
    if (!d.feasible) return;
    // Symmetry reduction and the timer names interned now, in the order an eager
    // finish would; only the key and clock map wait for the first use.
    const connPerm = this.connSymmetry ? this.sym.canonicalizeConnections(d, this.observed < this.conns ? this.observed : 0) : undefined;
    const perm = this.sym.enabled ? this.sym.canonicalizeTargets(d) : undefined;
    this.keys.internTimers(d);
    out.push(new ProductLazyEdge(d.guard, () => this.finished(d, label, d.guard, perm, connPerm)));
  }

  /** A draft made into an edge: symmetry reduction, then its target's key and clock map. */
  private finishDraft(d: Draft, label: SystemLabel, guard: readonly ClockGuard[]): SystemEdge {
    const connPerm = this.connSymmetry ? this.sym.canonicalizeConnections(d, this.observed < this.conns ? this.observed : 0) : undefined;
    const perm = this.sym.enabled ? this.sym.canonicalizeTargets(d) : undefined;
    return this.finished(d, label, guard, perm, connPerm);
  }

  private finished(d: Draft, label: SystemLabel, guard: readonly ClockGuard[], perm: (number[] | undefined)[] | undefined, connPerm: number[] | undefined): SystemEdge {
    const { state, clockMap } = this.keys.finish(d);
    // Always the same fields (one object shape for the explorer's hot loop), absent renumberings undefined.
    return { label, target: state, guard, clockMap, perm, connPerm };
  }
}

/**
 * An edge of the product with its guard known and the rest built on first
 * use, once (timedSystem.ts `LazyEdge`). Exact: what `build` returns is a
 * pure function of what it captured (a source state, a draft nothing
 * changes after the edge is pushed).
 */
class ProductLazyEdge implements LazyEdge<SystemState, SystemLabel> {
  private build: (() => SystemEdge) | undefined;
  private built: SystemEdge | undefined;

  constructor(
    readonly guard: readonly ClockGuard[],
    build: () => SystemEdge,
  ) {
    this.build = build;
  }

  materialize(): SystemEdge {
    if (this.built === undefined) {
      this.built = this.build!();
      this.build = undefined;
    }
    return this.built;
  }
}
