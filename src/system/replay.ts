import type { AnyMachineSnapshot } from 'xstate';
import type { Role, Segment } from '../models/segment.ts';
import type { AppEventType } from './components.ts';
import { CLOSING, HOLDS_OPEN, NOT_CONNECTED, contextText, stateText, topState } from './inspect.ts';
import type { HopRecord, LogRecord } from './labels.ts';
import type { ProductSystem } from './product.ts';
import { Simulator } from './simulator.ts';
import type { Trace, TraceStep } from './trace.ts';

/** Where a replay first disagreed with its trace. */
export interface ReplayMismatch {
  /** Index of the trace step. */
  readonly step: number;
  /** The trace field (or rule) that does not hold, e.g. `states.server0`, `outcome`, `time`. */
  readonly field: string;
  /** What the trace says and what the simulator did or allows. */
  readonly expected: string;
  readonly got: string;
}

/** The outcome of replaying a trace on the concrete simulator. */
export interface ReplayResult {
  /**
   * True when the simulator follows every step of the trace (its time, the
   * order of actions, timer firings and crossings, each step's hops,
   * outcome, logs, component states and context) and the trace's property
   * is violated on the simulator exactly at the trace's violation step.
   */
  readonly reproduced: boolean;
  /** What the simulator did, in one line (for messages): the first mismatch, or the reproduced violation. */
  readonly observed: string;
  /** The first disagreement, when not reproduced. */
  readonly mismatch?: ReplayMismatch;
  readonly sim: Simulator;
}

const ms = (seconds: number) => Math.round(seconds * 1000);
const EPS = 1e-6;

/** An endpoint's view for the property predicates: top-level state and end reason. */
interface EndpointView {
  readonly state: string;
  readonly endReason: string | null;
}

/**
 * The catalogue's properties (catalogue.ts) read off the simulator, from
 * the endpoints before and after one step and the step's crossing: a second
 * reading of the same definitions, so a trace whose property does not hold
 * at its violation step is not confirmed.
 */
function violatedOnSim(
  property: string,
  before: readonly (readonly [EndpointView, EndpointView])[],
  after: readonly (readonly [EndpointView, EndpointView])[],
  crossing: { readonly seg: Segment; readonly outcome: 'delivered' | 'dropped' | 'reset' } | undefined,
  inflight: number,
  /** Connections a middlebox reset on its own at this step's timer (Azure LB tcpReset). */
  timerResets: readonly number[] = [],
): boolean {
  const held = (c: number) => before[c]!.some((e) => !NOT_CONNECTED.has(e.state));
  switch (property) {
    case 'no-mid-path-drop':
      return crossing !== undefined && crossing.outcome === 'dropped' && crossing.seg.injected !== true && held(crossing.seg.conn);
    case 'no-mid-path-reset':
      return (crossing !== undefined && crossing.outcome === 'reset' && held(crossing.seg.conn)) || timerResets.some(held);
    case 'no-half-open':
      return inflight === 0 && after.some(([a, b]) => (HOLDS_OPEN.has(a.state) && b.state === 'ended') || (HOLDS_OPEN.has(b.state) && a.state === 'ended'));
    case 'clean-close':
      return before.some((pair, c) => pair.some((e, r) => e.state !== 'ended' && CLOSING.has(e.state) && after[c]![r]!.state === 'ended' && after[c]![r]!.endReason !== 'fin'));
    default:
      return false;
  }
}

function logKey(l: LogRecord): string {
  return `${l.component}:${l.conn}:${l.reason}`;
}

function sameSegment(a: Segment, b: Segment): boolean {
  const norm = (s: Segment) => JSON.stringify(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== false).sort(([x], [y]) => (x < y ? -1 : 1))));
  return norm(a) === norm(b);
}

function hopsText(hops: readonly HopRecord[]): string {
  return JSON.stringify(hops.map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)))));
}

/**
 * Replays a concrete trace on the simulator step by step, in the trace's
 * order (design.md, "Two engines"). The simulator runs in manual mode, so
 * it follows every order the explorer explores at one instant: each step
 * fires the named timer, performs the named application action or carries
 * the named segment across, and nothing else happens in between. Each step
 * is checked against the rules of the composition, independently of the
 * explorer:
 * - time never goes back; it passes only with no segment in flight and no
 *   armed timer past its deadline (a timer fires by its deadline);
 * - a timer fires only when due; an application acts only when no segment
 *   is in flight, the environment allows it and the endpoint accepts it;
 * - a segment crosses only from the front of its direction, the same
 *   segment as recorded, a new flow's target as recorded, and at a
 *   middlebox's boundary instant (domain-facts §10) only in the allowed
 *   order: `closed` expires before the segment, `open` after it;
 * - after the step, its hops, outcome and logs, and every component's
 *   nested state and context equal the trace's;
 * - the trace's property is violated on the simulator exactly at the steps
 *   the trace marks with it, and at the violation step.
 * Anything else (an edited or impossible trace) is not reproduced, with the
 * first step and field that disagree.
 */
export function replayTrace(sys: ProductSystem, trace: Trace): ReplayResult {
  let chosen: number | undefined;
  const sim = new Simulator(sys.topology, () => chosen ?? 0, sys.machines, { manual: true });
  const comps = sys.layout.components;
  const byName = new Map(comps.map((c) => [c.name, c.index]));
  const refByName = new Map(comps.map((c) => [c.name, c.ref] as const));
  const conns = sys.topology.connections;
  /** Expired timers of `open` middleboxes since their last crossing: component → (raise id → expiry ms). */
  const ghosts = new Map<number, Map<string, number>>();
  sim.onArm = (i, id) => ghosts.get(i)?.delete(id);

  const views = (): [EndpointView, EndpointView][] =>
    Array.from({ length: conns }, (_, c) =>
      sys.layout.endpoint[c]!.map((i) => {
        const snap = sim.snapshotOf(i);
        return { state: topState(snap), endReason: ((snap.context as { endReason?: string | null }).endReason ?? null) as string | null };
      }) as [EndpointView, EndpointView],
    );

  const fail = (step: number, field: string, expected: string, got: string): ReplayResult => {
    const mismatch = { step, field, expected, got };
    return { reproduced: false, observed: `step ${step}, ${field}: the trace says ${expected}, the simulator ${got}`, mismatch, sim };
  };

  const boundary = (i: number): string | undefined => {
    const comp = comps[i]!;
    if (comp.kind === 'endpoint') return undefined;
    const now = sim.now();
    if (comp.boundary === 'closed') {
      const due = sim.clock.pending().find((t) => t.owner === i && Math.abs(t.at - now) < EPS);
      if (due) return `${comp.name}'s ${due.label} expires at this instant first (boundary: closed)`;
    }
    const g = ghosts.get(i);
    if (g) {
      for (const [id, at] of g) if (Math.abs(at - now) < EPS) return `${comp.name}'s ${id} expired at this very instant: the segment must cross before it (boundary: open)`;
      ghosts.delete(i);
    }
    return undefined;
  };

  const snapshotText = (i: number): { state: string; context: string } => {
    const snap: AnyMachineSnapshot = sim.snapshotOf(i);
    return { state: stateText(snap), context: contextText(snap) };
  };

  let violatedAtStep = false;
  for (let k = 0; k < trace.steps.length; k++) {
    const st: TraceStep = trace.steps[k]!;
    const at = ms(st.time);
    const before = views();
    const logStart = sim.events.length;
    let crossing: { seg: Segment; outcome: 'delivered' | 'dropped' | 'reset' } | undefined;
    if (k === 0 || st.kind === 'init') {
      if (k !== 0 || st.kind !== 'init') return fail(k, 'kind', k === 0 ? st.kind : 'init', k === 0 ? 'starts with init' : 'has init only as step 0');
      if (at !== 0) return fail(k, 'time', `${st.time} s`, 'starts at 0 s');
    } else {
      // time
      if (at < sim.now() - EPS) return fail(k, 'time', `${st.time} s`, `is already at ${sim.now() / 1000} s`);
      if (at > sim.now() + EPS) {
        if (sim.inflight().length > 0) return fail(k, 'time', `${st.time} s`, `has a segment in flight at ${sim.now() / 1000} s (it crosses in zero time)`);
        const overdue = sim.clock.pending().find((t) => t.at < at - EPS);
        if (overdue) return fail(k, 'time', `${st.time} s`, `fires ${comps[overdue.owner]?.name ?? '?'}'s ${overdue.label} at ${overdue.at / 1000} s first`);
        sim.clock.setTime(at);
      }
      // the step itself
      if (st.kind === 'timer') {
        const i = byName.get(st.actor);
        if (i === undefined) return fail(k, 'actor', st.actor, 'has no such component');
        const id = st.timer ?? '';
        const t = sim.clock.pending().find((p) => p.owner === i && p.label === id);
        if (!t) return fail(k, 'timer', id, `has no such timer armed at ${st.actor}`);
        if (t.at > at + EPS) return fail(k, 'timer', `${id} firing at ${st.time} s`, `has it due at ${t.at / 1000} s`);
        sim.fireTimer(i, id);
        const comp = comps[i]!;
        if (comp.kind !== 'endpoint' && comp.boundary === 'open') {
          let g = ghosts.get(i);
          if (!g) ghosts.set(i, (g = new Map()));
          g.set(id, at);
        }
      } else if (st.kind === 'app') {
        // the actor is looked up by name, never parsed
        const ref = refByName.get(st.actor);
        if (ref?.kind !== 'endpoint') return fail(k, 'actor', st.actor, `has endpoints client0..${conns - 1} and server0..${conns - 1}`);
        const conn = ref.conn;
        const role: Role = ref.role;
        const action = (st.action ?? '') as AppEventType;
        const env = sys.topology.environment;
        const allowed = role === 'client' ? ['APP_CONNECT', ...(env.clientSends ? ['APP_SEND'] : []), ...(env.clientCloses ? ['APP_CLOSE'] : [])] : [...(env.serverSends ? ['APP_SEND'] : []), ...(env.serverCloses ? ['APP_CLOSE'] : [])];
        if (!allowed.includes(action)) return fail(k, 'action', st.action ?? '(none)', `allows ${role} ${allowed.join(', ') || 'no action'}`);
        if (sim.inflight().length > 0) return fail(k, 'action', action, 'has a segment in flight (applications act only when none is)');
        const idx = sys.layout.endpoint[conn]![role === 'client' ? 0 : 1];
        const outstanding = (sim.snapshotOf(idx).context as { outstanding?: string }).outstanding;
        if (action === 'APP_SEND' && outstanding !== undefined && outstanding !== 'none') return fail(k, 'action', action, `has ${outstanding} outstanding (one request at a time)`);
        if (!sim.act(conn, role, action)) return fail(k, 'action', action, `refuses it in ${snapshotText(idx).state}`);
      } else if (st.kind === 'segment') {
        const seg = st.segment;
        if (!seg) return fail(k, 'segment', '(missing)', 'needs the segment of a segment step');
        if (seg.conn >= conns) return fail(k, 'segment.conn', String(seg.conn), `has connections 0..${conns - 1}`);
        const front = sim.inflight().find((g) => g.conn === seg.conn && g.from === seg.from);
        if (!front) return fail(k, 'segment', `${seg.from}${seg.conn} ${seg.kind}`, `has no segment of ${seg.from}${seg.conn} in flight`);
        if (!sameSegment(front, seg)) return fail(k, 'segment', JSON.stringify(seg), `has ${JSON.stringify(front)} first in that direction`);
        const choice = st.hops?.find((h) => h.chosenTarget !== undefined)?.chosenTarget;
        chosen = choice;
        const r = sim.crossFirst(seg.conn, seg.from, boundary);
        chosen = undefined;
        if (!r) return fail(k, 'segment', JSON.stringify(seg), 'has nothing in flight');
        if ('refused' in r) return fail(k, 'order', `${seg.from}${seg.conn} ${seg.kind} crossing at ${st.time} s`, r.refused);
        if (hopsText(r.hops) !== hopsText(st.hops ?? [])) return fail(k, 'hops', hopsText(st.hops ?? []), hopsText(r.hops));
        if (r.outcome !== st.outcome) return fail(k, 'outcome', String(st.outcome), r.outcome);
        crossing = { seg: r.seg, outcome: r.outcome };
      } else {
        return fail(k, 'kind', String(st.kind), 'knows init, timer, app and segment');
      }
    }
    // what the step did
    const logs = sim.events.slice(logStart).flatMap((e) => (e.kind === 'log' ? [logKey(e.log)] : []));
    const wantLogs = st.logs.map(logKey);
    if ([...logs].sort().join(',') !== [...wantLogs].sort().join(',')) return fail(k, 'logs', `[${wantLogs.join(', ')}]`, `[${logs.join(', ')}]`);
    const names = comps.map((c) => c.name).sort();
    const recorded = Object.keys(st.states).sort();
    if (recorded.join(',') !== names.join(',')) return fail(k, 'states', `components ${recorded.join(', ') || '(none)'}`, `has ${names.join(', ')}`);
    for (const c of comps) {
      const got = snapshotText(c.index);
      if (st.states[c.name] !== got.state) return fail(k, `states.${c.name}`, String(st.states[c.name]), got.state);
      if (st.context !== undefined && st.context[c.name] !== got.context) return fail(k, `context.${c.name}`, String(st.context[c.name]), got.context);
    }
    // the trace's property, at every step
    const timerResets = sim.events.slice(logStart).flatMap((e) => (e.kind === 'timeout-reset' ? [e.conn] : []));
    const violated = violatedOnSim(trace.property, before, views(), crossing, sim.inflight().length, timerResets);
    const marked = st.violates.includes(trace.property);
    if (violated !== marked) return fail(k, 'violates', marked ? `${trace.property} violated here` : `${trace.property} not violated here`, violated ? 'violates it here' : 'does not violate it here');
    if (k === trace.violationStep) violatedAtStep = violated;
  }
  const v = trace.steps[trace.violationStep];
  if (!v || !violatedAtStep) return fail(trace.violationStep, 'violationStep', `${trace.property} violated at step ${trace.violationStep}`, 'does not violate it there');
  return { reproduced: true, observed: `${trace.property} violated at step ${trace.violationStep} (${v.text})`, sim };
}
