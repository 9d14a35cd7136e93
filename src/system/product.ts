import type { EventObject } from 'xstate';
import type { ClockGuard, ClockSpec, Edge, TimedSystem } from '../engine/timedSystem.ts';
import { needsTargetChoice, type GwlbFlowSnapshot } from '../models/gwlbFlowMachine.ts';
import { peerOf, segmentLabel, type MachineOutput, type SegInEvent, type Segment } from '../models/segment.ts';
import { buildLayout, type AppEventType, type Layout, type MachineSet } from './components.ts';
import type { HopRecord, LogRecord, SystemLabel } from './labels.ts';
import { observerBoundMs } from './observerBound.ts';
import type { Topology } from './topology.ts';

/** A pending timer of a component: an armed `after` (or, for `open` boundaries, the ghost of an expired one). */
export interface TimerSlot {
  /** Raise id; a ghost's id ends with `~`. */
  readonly id: string;
  /** Delay in ms (scaled). */
  readonly delay: number;
  /** True for the ghost of an expired timer (no invariant, no firing). */
  readonly ghost: boolean;
  /** The event to send when it fires. */
  readonly event: EventObject | undefined;
}

/** A state of the composed system (its zone lives in the explorer). */
export interface SystemState {
  /** Interned local snapshot id per component. */
  readonly locals: readonly number[];
  /** Pending timers per component, sorted by id. */
  readonly timers: readonly (readonly TimerSlot[])[];
  /** Segments sent but not yet carried across the path (time cannot pass while any exist). */
  readonly inflight: readonly Segment[];
  readonly key: string;
  readonly clocks: readonly ClockSpec[];
}

/**
 * A system edge. `perm` and `connPerm` record the renumbering symmetry
 * reduction applied to the target (new position → old appliance / old
 * connection), so traces can name components consistently.
 */
export interface SystemEdge extends Edge<SystemState, SystemLabel> {
  readonly perm?: readonly number[];
  readonly connPerm?: readonly number[];
}

/** Options of the composed system. */
export interface ProductOptions {
  /** Symmetry reduction over interchangeable appliances and connections (default true). */
  readonly symmetry?: boolean;
  /** The machines to compose (default: the real models; tests pass mutants). */
  readonly machines?: MachineSet;
}

interface DraftSlot extends TimerSlot {
  /** Source clock index this slot continues, or -1 when it starts now. */
  readonly src: number;
}

interface Draft {
  locals: number[];
  timers: DraftSlot[][];
  inflight: Segment[];
  obsSrc: number[];
  guard: ClockGuard[];
  feasible: boolean;
  logs: LogRecord[];
  sent: Segment[];
}

const segKey = (s: Segment): string => segmentLabel(s);

function segIn(seg: Segment, target?: number): SegInEvent {
  return target === undefined ? { type: 'SEG_IN', seg } : { type: 'SEG_IN', seg, target };
}

/**
 * The composed system of a topology as one timed transition system
 * (design.md, "Composition"): every instance's xstate snapshot, its armed
 * timers as clocks, the segments in flight, and one observer clock per
 * connection, "time since a segment of this connection was last delivered
 * end to end" (reset on delivery), whose value at a violation is the idle gap.
 *
 * Semantics (kept explicit, design.md "Time"):
 * - Applications may connect, send and close at any time the endpoint
 *   allows (xstate `snapshot.can`), unless the topology's environment forbids it.
 * - Segments cross the path in zero time, in the order they were sent within
 *   each direction of a connection. Each in-flight segment crosses the
 *   whole path in ONE step (GWLB flow lookup, appliance session, delivery),
 *   recorded hop by hop in the label. Time cannot pass while a segment is in
 *   flight, and applications do not act then; timers due at that instant may
 *   fire before or after it, and segments of different directions in flight
 *   together cross in every order. One step per crossing (instead of one per hop) removes only
 *   interleavings of zero-time hops that touch disjoint state.
 * - At equal deadlines every order is explored.
 * - A middlebox's timer boundary (topology.ts `Boundary`) adds guards to the
 *   delivery of a segment at the instant of expiry.
 * - A new GWLB flow's target is a nondeterministic choice: every appliance is
 *   a branch (symmetric appliances collapse under symmetry reduction).
 */
export class ProductSystem implements TimedSystem<SystemState, SystemLabel> {
  readonly layout: Layout;
  /** The machines composed (undefined = the real models). */
  readonly machines: MachineSet | undefined;
  private readonly scale: number;
  private readonly obsMax: number;
  private readonly conns: number;
  private readonly symmetry: boolean;
  /** Connections are interchangeable: identical endpoint settings. */
  private readonly connSymmetry: boolean;
  private readonly timerNames = new Map<string, number>();

  constructor(
    readonly topology: Topology,
    options: ProductOptions = {},
  ) {
    this.layout = buildLayout(topology, options.machines);
    this.machines = options.machines;
    this.scale = topology.timeScale ?? 1;
    this.conns = topology.connections;
    // The observer is exact up to this bound: see observerBound.ts (issue 11 §1).
    this.obsMax = observerBoundMs(topology) * this.scale;
    this.symmetry = options.symmetry ?? true;
    // Connections are interchangeable unless their endpoint settings differ; a shared
    // (2-/3-tuple) flow entry is shared by all of them alike, so it does not break the symmetry.
    this.connSymmetry = this.symmetry && topology.connections > 1 && topology.perConnection === undefined;
  }

  initial(): SystemState {
    const d = this.emptyDraft();
    for (const comp of this.layout.components) {
      const init = comp.logic.initial;
      d.locals.push(init.next);
      d.timers.push([]);
      this.applyResult(d, comp.index, init.cancels, init.arms);
      this.route(d, comp.index, init.outputs);
    }
    for (let c = 0; c < this.conns; c++) d.obsSrc.push(-1);
    if (this.topology.environment.connectAtStart) {
      for (let c = 0; c < this.conns; c++) {
        const ep = this.layout.endpoint[c]![0];
        const outputs = this.deliver(d, ep, { type: 'APP_CONNECT' }, 'APP_CONNECT', false);
        this.route(d, ep, outputs);
      }
    }
    return this.finish(d, []).state;
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
  private readonly edgeCache = new Map<string, readonly SystemEdge[]>();

  successors(s: SystemState): readonly SystemEdge[] {
    const hit = this.edgeCache.get(s.key);
    if (hit) return hit;
    const out = this.computeSuccessors(s);
    this.edgeCache.set(s.key, out);
    return out;
  }

  private computeSuccessors(s: SystemState): SystemEdge[] {
    const out: SystemEdge[] = [];
    this.timerEdges(s, out);
    this.segmentEdges(s, out);
    if (s.inflight.length === 0) this.appEdges(s, out);
    return out;
  }

  /**
   * The state without some clocks: only ghosts of expired timers are ever
   * dropped (their `dropAbove`), once the zone shows they are past their
   * deadline, so the boundary guard they carry can no longer fail.
   */
  dropClocks(s: SystemState, clocks: readonly number[]): SystemState {
    const d = this.draftOf(s);
    const drop = new Set(clocks);
    d.timers = d.timers.map((slots) => slots.filter((t) => !drop.has(t.src)));
    return this.finish(d, []).state;
  }

  /**
   * A state key without the ghosts of expired timers. Ghosts are dropped at
   * different moments by the zone explorer (once a whole zone is past the
   * deadline) and by a discrete-time explorer (once a valuation is), so
   * cross-checks compare keys modulo ghosts.
   */
  stripGhosts(key: string): string {
    const ghosts = new Set<string>();
    for (const [id, n] of this.timerNames) if (id.endsWith('~')) ghosts.add(String(n));
    const parts = key.split('|');
    const last = parts.length - 1;
    return parts.map((p, i) => (i === 0 || i === last ? p : p.split('.').filter((t) => t !== '' && !ghosts.has(t)).join('.'))).join('|');
  }

  /**
   * Where connection `conn` of an edge's source is numbered in its target:
   * symmetry reduction may renumber connections (and appliances) on any edge,
   * so anything that compares a source with its target (a property reading
   * both sides of an edge) must map through this.
   */
  connectionInTarget(edge: SystemEdge, conn: number): number {
    return edge.connPerm ? edge.connPerm.indexOf(conn) : conn;
  }

  /** The observer clock index of a connection (clock lists start with the observers). */
  observerClock(conn: number): number {
    return conn;
  }

  /** Name of a component in the numbering of a state. */
  componentName(i: number): string {
    return this.layout.components[i]!.name;
  }

  // ---- edges ----

  private timerEdges(s: SystemState, out: SystemEdge[]): void {
    let k = this.conns;
    for (let i = 0; i < s.timers.length; i++) {
      const slots = s.timers[i]!;
      for (let j = 0; j < slots.length; j++, k++) {
        const slot = slots[j]!;
        if (slot.ghost || !slot.event) continue;
        const d = this.draftOf(s);
        d.guard.push({ clock: k, op: '>=', value: slot.delay });
        const comp = this.layout.components[i]!;
        d.timers[i] = d.timers[i]!.filter((t) => t.id !== slot.id);
        if (comp.kind !== 'endpoint' && comp.boundary === 'open') {
          d.timers[i]!.push({ id: `${slot.id}~`, delay: slot.delay, ghost: true, event: undefined, src: k });
        }
        const outputs = this.deliver(d, i, slot.event, slot.id, false);
        this.route(d, i, outputs);
        const label: SystemLabel = { kind: 'timer', component: comp.name, timer: slot.id, sent: d.sent, logs: d.logs };
        this.push(out, d, label);
      }
    }
  }

  private appEdges(s: SystemState, out: SystemEdge[]): void {
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
          const d = this.draftOf(s);
          const outputs = this.deliver(d, ep, ev, type, false);
          this.route(d, ep, outputs);
          this.push(out, d, { kind: 'app', component: comp.name, conn: c, action: type, sent: d.sent, logs: d.logs });
        }
      }
    }
  }

  private segmentEdges(s: SystemState, out: SystemEdge[]): void {
    // Segments of one direction arrive in the order they were sent (FIFO per direction).
    const seen = new Set<number>();
    for (let j = 0; j < s.inflight.length; j++) {
      const seg = s.inflight[j]!;
      const direction = seg.conn * 2 + (seg.from === 'client' ? 0 : 1);
      if (seen.has(direction)) continue;
      seen.add(direction);
      const c = seg.conn;
      const f = this.layout.flowOf[c]!;
      const flowComp = this.layout.components[f]!;
      const choose = needsTargetChoice(flowComp.logic.snapshot(s.locals[f]!) as GwlbFlowSnapshot, seg);
      const targets = choose ? this.targetChoices(s) : [undefined];
      for (const target of targets) {
        const d = this.draftOf(s);
        d.inflight.splice(j, 1);
        const hops: HopRecord[] = [];
        const outcome = this.cross(d, seg, target, hops);
        this.push(out, d, { kind: 'segment', seg, hops, outcome, sent: d.sent, logs: d.logs });
      }
    }
  }

  /** Targets a new flow may choose; with symmetry, one representative per class of identical idle appliances. */
  private targetChoices(s: SystemState): number[] {
    const n = this.topology.appliances.count;
    const all = Array.from({ length: n }, (_, a) => a);
    if (!this.symmetry) return all;
    const seen = new Set<string>();
    const reps: number[] = [];
    const referenced = new Set<number>();
    for (const f of this.layout.flows) {
      const t = (this.layout.components[f]!.logic.snapshot(s.locals[f]!).context as { target: number | null }).target;
      if (t !== null) referenced.add(t);
    }
    for (const a of all) {
      const sig = referenced.has(a) ? `ref${a}` : this.applianceSignature(s.locals, s.timers, a);
      if (seen.has(sig)) continue;
      seen.add(sig);
      reps.push(a);
    }
    return reps;
  }

  /** Carries a segment across the path: GWLB flow, appliance session, far endpoint. */
  private cross(d: Draft, seg: Segment, target: number | undefined, hops: HopRecord[]): 'delivered' | 'dropped' | 'reset' {
    const c = seg.conn;
    const f = this.layout.flowOf[c]!;
    const flowName = this.layout.components[f]!.name;
    const sk = segKey(seg);
    const ev = segIn(seg, target);
    const gw = this.deliver(d, f, ev, target === undefined ? sk : `${sk}@${target}`, true);
    for (const o of gw) {
      if (o.type === 'SEG_FORWARD') {
        const a = o.target!;
        hops.push(target === undefined ? { component: flowName, action: 'forward', target: a } : { component: flowName, action: 'forward', chosenTarget: a, target: a });
        const sIdx = this.layout.session[a]![c]!;
        const sName = this.layout.components[sIdx]!.name;
        const fw = this.deliver(d, sIdx, segIn(seg), sk, true);
        let fate: 'delivered' | 'dropped' = 'dropped';
        for (const p of fw) {
          if (p.type === 'SEG_FORWARD') {
            hops.push({ component: sName, action: 'forward' });
            const ep = this.layout.endpoint[c]![peerOf(seg.from) === 'client' ? 0 : 1];
            hops.push({ component: this.layout.components[ep]!.name, action: 'deliver' });
            d.obsSrc[c] = -1;
            const eo = this.deliver(d, ep, segIn(seg), sk, false);
            this.route(d, ep, eo);
            fate = 'delivered';
          } else if (p.type === 'SEG_DROP') {
            hops.push({ component: sName, action: 'drop', reason: p.reason });
          } else if (p.type === 'LOG') {
            d.logs.push({ component: sName, conn: p.conn, reason: p.reason });
          }
        }
        return fate;
      }
      if (o.type === 'SEG_DROP') {
        hops.push({ component: flowName, action: 'drop', reason: o.reason });
        return 'dropped';
      }
      if (o.type === 'SEG_RESET') {
        hops.push({ component: flowName, action: 'reset', reason: o.reason, resetTo: o.to });
        const roles = o.to === 'both' ? (['client', 'server'] as const) : [o.to];
        for (const r of roles) {
          const rst: Segment = { conn: c, from: peerOf(r), kind: 'rst', injected: true };
          const ep = this.layout.endpoint[c]![r === 'client' ? 0 : 1];
          const eo = this.deliver(d, ep, segIn(rst), segKey(rst), false);
          this.route(d, ep, eo);
        }
        return 'reset';
      }
    }
    // The flow machine emitted nothing: treat as a silent drop (a model bug would show here).
    hops.push({ component: flowName, action: 'drop', reason: 'no-flow-entry' });
    return 'dropped';
  }

  // ---- drafts ----

  private emptyDraft(): Draft {
    return { locals: [], timers: [], inflight: [], obsSrc: [], guard: [], feasible: true, logs: [], sent: [] };
  }

  private draftOf(s: SystemState): Draft {
    let k = this.conns;
    const timers: DraftSlot[][] = s.timers.map((slots) => slots.map((t) => ({ ...t, src: k++ })));
    return {
      locals: [...s.locals],
      timers,
      inflight: [...s.inflight],
      obsSrc: Array.from({ length: this.conns }, (_, c) => c),
      guard: [],
      feasible: true,
      logs: [],
      sent: [],
    };
  }

  /** Delivers an event to component i; for a segment at a middlebox, adds the boundary guards. */
  private deliver(d: Draft, i: number, event: EventObject, eventKey: string, boundary: boolean): readonly MachineOutput[] {
    const comp = this.layout.components[i]!;
    if (boundary && comp.kind !== 'endpoint') {
      const slots = d.timers[i]!;
      if (comp.boundary === 'closed') {
        for (const t of slots) if (!t.ghost && t.src >= 0) d.guard.push({ clock: t.src, op: '<', value: t.delay });
      }
      if (slots.some((t) => t.ghost)) {
        const guards = this.ghostGuards(slots.filter((t) => t.ghost));
        if (guards) d.guard.push(...guards);
        else d.feasible = false;
        d.timers[i] = slots.filter((t) => !t.ghost);
      }
    }
    const res = comp.logic.step(d.locals[i]!, event, eventKey);
    d.locals[i] = res.next;
    this.applyResult(d, i, res.cancels, res.arms);
    return res.outputs;
  }

  /**
   * The guards an `open` boundary (domain-facts §10) puts on a segment that
   * reaches a middlebox whose timers have expired (their ghosts, `src` the
   * ghost's clock): it crosses only strictly after each expiry, since at
   * exactly the timeout the entry still existed and the segment would have
   * found it. Undefined when a ghost started in this very step (infeasible).
   * Protected so that a composition mutant (test/fixtures/mutants.ts) can
   * remove the guard and show that the replay catches it.
   */
  protected ghostGuards(ghosts: readonly { readonly src: number; readonly delay: number }[]): ClockGuard[] | undefined {
    const out: ClockGuard[] = [];
    for (const t of ghosts) {
      if (t.src < 0) return undefined;
      out.push({ clock: t.src, op: '>', value: t.delay });
    }
    return out;
  }

  private applyResult(d: Draft, i: number, cancels: readonly string[], arms: readonly { id: string; delay: number; event: EventObject }[]): void {
    let slots = d.timers[i]!;
    if (cancels.length > 0) slots = slots.filter((t) => !cancels.includes(t.id));
    for (const a of arms) {
      slots = slots.filter((t) => t.id !== a.id && t.id !== `${a.id}~`);
      slots.push({ id: a.id, delay: a.delay * this.scale, ghost: false, event: a.event, src: -1 });
    }
    d.timers[i] = slots;
  }

  /** Endpoint outputs: segments go in flight, logs to the label. */
  private route(d: Draft, i: number, outputs: readonly MachineOutput[]): void {
    const name = this.layout.components[i]!.name;
    for (const o of outputs) {
      if (o.type === 'SEG_OUT') {
        d.inflight.push(o.seg);
        d.sent.push(o.seg);
      } else if (o.type === 'LOG') {
        d.logs.push({ component: name, conn: o.conn, reason: o.reason });
      }
    }
  }

  private push(out: SystemEdge[], d: Draft, label: SystemLabel): void {
    if (!d.feasible) return;
    const connPerm = this.connSymmetry ? this.canonicalizeConnections(d) : undefined;
    const perm = this.symmetry ? this.canonicalize(d) : undefined;
    const { state, clockMap } = this.finish(d, []);
    out.push({ label, target: state, guard: d.guard, clockMap, ...(perm ? { perm } : {}), ...(connPerm ? { connPerm } : {}) });
  }

  private timerName(id: string): number {
    let n = this.timerNames.get(id);
    if (n === undefined) {
      n = this.timerNames.size;
      this.timerNames.set(id, n);
    }
    return n;
  }

  private readonly clockSpecs: Map<number, Map<number, ClockSpec>>[] = [];
  private readonly observerSpecs: ClockSpec[] = [];

  private clockSpec(i: number, t: TimerSlot): ClockSpec {
    let perComp = this.clockSpecs[i];
    if (!perComp) {
      perComp = new Map();
      this.clockSpecs[i] = perComp;
    }
    const k = this.timerName(t.id) * 2 + (t.ghost ? 1 : 0);
    let perTimer = perComp.get(k);
    if (!perTimer) {
      perTimer = new Map();
      perComp.set(k, perTimer);
    }
    let spec = perTimer.get(t.delay);
    if (!spec) {
      const name = `${this.layout.components[i]!.name}:${shortTimer(t.id)}`;
      spec = t.ghost ? { name: `${name}(expired)`, max: t.delay, dropAbove: t.delay } : { name, max: t.delay, invariant: t.delay };
      perTimer.set(t.delay, spec);
    }
    return spec;
  }

  private finish(d: Draft, _unused: readonly number[]): { state: SystemState; clockMap: number[] } {
    const clocks: ClockSpec[] = [];
    const clockMap: number[] = [];
    for (let c = 0; c < this.conns; c++) {
      let spec = this.observerSpecs[c];
      if (!spec) {
        spec = { name: `idle-gap:c${c}`, max: this.obsMax };
        this.observerSpecs[c] = spec;
      }
      clocks.push(spec);
      clockMap.push(d.obsSrc[c]!);
    }
    const timers: TimerSlot[][] = [];
    let key = d.locals.join(',');
    for (let i = 0; i < d.timers.length; i++) {
      let slots = d.timers[i]!;
      if (slots.length > 1) slots = [...slots].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      key += '|';
      for (let j = 0; j < slots.length; j++) {
        const t = slots[j]!;
        clocks.push(this.clockSpec(i, t));
        clockMap.push(t.src);
        key += j === 0 ? this.timerName(t.id) : `.${this.timerName(t.id)}`;
      }
      timers.push(slots);
    }
    // FIFO per direction: keep each direction's order, canonical order across directions.
    let inflight: readonly Segment[] = d.inflight;
    if (inflight.length > 1) {
      const dir = (x: Segment) => x.conn * 2 + (x.from === 'client' ? 0 : 1);
      inflight = [...inflight].sort((a, b) => dir(a) - dir(b));
    }
    key += `|${inflight.map(segKey).join(' ')}`;
    const state: SystemState = { locals: d.locals, timers, inflight, key, clocks };
    return { state, clockMap };
  }

  // ---- symmetry ----

  private applianceSignature(locals: readonly number[], timers: readonly (readonly TimerSlot[])[], a: number): string {
    const row = this.layout.session[a]!;
    let sig = '';
    for (const sIdx of row) {
      sig += `${locals[sIdx]}:`;
      for (const t of timers[sIdx]!) sig += `${this.timerName(t.id)}.`;
      sig += ';';
    }
    return sig;
  }

  private connectionSignature(d: Draft, c: number): string {
    const [cl, sv] = this.layout.endpoint[c]!;
    const f = this.layout.flowOf[c]!;
    const part = (i: number) => `${this.layout.components[i]!.logic.key(d.locals[i]!)}:${d.timers[i]!.map((t) => t.id).join('.')}`;
    const sessions = this.layout.session.map((row) => part(row[c]!)).join(';');
    const inflight = d.inflight.filter((g) => g.conn === c).map((g) => segKey({ ...g, conn: 0 })).join(' ');
    return `${part(cl)}|${part(sv)}|${part(f)}|${sessions}|${inflight}`;
  }

  /**
   * Renumbers connections into a canonical order (sorted by the discrete
   * state of everything that belongs to one connection), in place. Sound:
   * with identical endpoint settings and one flow entry per connection,
   * any renumbering of connections is a symmetry. A connection's snapshots
   * are re-interned in the machine logic of its new position (its config
   * differs only in the connection index); its timers, observer clock and
   * in-flight segments move with it.
   */
  private canonicalizeConnections(d: Draft): number[] | undefined {
    const n = this.conns;
    const sigs = Array.from({ length: n }, (_, c) => this.connectionSignature(d, c));
    const perm = Array.from({ length: n }, (_, c) => c).sort((x, y) => (sigs[x]! < sigs[y]! ? -1 : sigs[x]! > sigs[y]! ? 1 : x - y));
    if (perm.every((v, i) => v === i)) return undefined;
    const newPos: number[] = [];
    perm.forEach((old, q) => (newPos[old] = q));
    const locals = [...d.locals];
    const timers = [...d.timers];
    const move = (from: number, to: number) => {
      const fl = this.layout.components[from]!.logic;
      const tl = this.layout.components[to]!.logic;
      locals[to] = fl === tl ? d.locals[from]! : tl.translate(fl, d.locals[from]!);
      timers[to] = d.timers[from]!;
    };
    for (let q = 0; q < n; q++) {
      const old = perm[q]!;
      move(this.layout.endpoint[old]![0], this.layout.endpoint[q]![0]);
      move(this.layout.endpoint[old]![1], this.layout.endpoint[q]![1]);
      move(this.layout.flowOf[old]!, this.layout.flowOf[q]!);
      for (const row of this.layout.session) move(row[old]!, row[q]!);
    }
    d.locals = locals;
    d.timers = timers;
    d.obsSrc = perm.map((old) => d.obsSrc[old]!);
    d.inflight = d.inflight.map((g) => ({ ...g, conn: newPos[g.conn]! }));
    return perm;
  }

  /**
   * Renumbers appliances into a canonical order (sorted by their sessions'
   * discrete state and the flows pinned to them), in place. Sound: any
   * renumbering of identically configured appliances is a symmetry of the
   * system; flows' pinned targets and timers move with their appliance.
   * Returns the permutation (new position → old appliance), or undefined if
   * the order was already canonical.
   */
  private canonicalize(d: Draft): number[] | undefined {
    const n = this.topology.appliances.count;
    if (n < 2) return undefined;
    // pinned[a]: bit mask of the flows pinned to appliance a
    const pinned = new Array<number>(n).fill(0);
    for (let k = 0; k < this.layout.flows.length; k++) {
      const f = this.layout.flows[k]!;
      const t = (this.layout.components[f]!.logic.snapshot(d.locals[f]!).context as { target: number | null }).target;
      if (t !== null) pinned[t] = pinned[t]! | (1 << k);
    }
    const cmp = (x: number, y: number): number => {
      const rx = this.layout.session[x]!;
      const ry = this.layout.session[y]!;
      for (let c = 0; c < rx.length; c++) {
        const a = rx[c]!;
        const b = ry[c]!;
        if (d.locals[a] !== d.locals[b]) return d.locals[a]! - d.locals[b]!;
        const ta = d.timers[a]!;
        const tb = d.timers[b]!;
        if (ta.length !== tb.length) return ta.length - tb.length;
        for (let j = 0; j < ta.length; j++) {
          const na = this.timerName(ta[j]!.id);
          const nb = this.timerName(tb[j]!.id);
          if (na !== nb) return na - nb;
        }
      }
      return pinned[x]! - pinned[y]! || x - y;
    };
    let sorted = true;
    for (let a = 1; a < n && sorted; a++) if (cmp(a - 1, a) > 0) sorted = false;
    if (sorted) return undefined;
    const perm = Array.from({ length: n }, (_, a) => a).sort(cmp);
    const newPos: number[] = [];
    perm.forEach((old, p) => (newPos[old] = p));
    const locals = [...d.locals];
    const timers = [...d.timers];
    for (let p = 0; p < n; p++) {
      const from = this.layout.session[perm[p]!]!;
      const to = this.layout.session[p]!;
      for (let c = 0; c < from.length; c++) {
        locals[to[c]!] = d.locals[from[c]!]!;
        timers[to[c]!] = d.timers[from[c]!]!;
      }
    }
    for (const f of this.layout.flows) {
      const logic = this.layout.components[f]!.logic;
      const t = (logic.snapshot(d.locals[f]!).context as { target: number | null }).target;
      if (t !== null && newPos[t] !== t) locals[f] = logic.withContext(d.locals[f]!, { target: newPos[t] });
    }
    d.locals = locals;
    d.timers = timers;
    return perm;
  }
}

/** `xstate.after.idleTimeout.gwlbFlow.active` → `idleTimeout@active`. */
export function shortTimer(id: string): string {
  const parts = id.split('.');
  if (parts[0] === 'xstate' && parts[1] === 'after' && parts.length >= 5) return `${parts[2]}@${parts.slice(4).join('.')}`;
  return id;
}
