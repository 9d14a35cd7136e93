import { concretize } from '../engine/concretize.ts';
import type { PathStep } from '../engine/explore.ts';
import type { Segment } from '../models/segment.ts';
import { componentName, renumberRef, targetPrefix, type ComponentRef } from './componentRef.ts';
import type { HopRecord, HopStep, LogRecord, SystemLabel } from './labels.ts';
import { stateText } from './inspect.ts';
import { shortTimer, type ProductSystem, type SystemEdge, type SystemState } from './product.ts';
import { Simulator, type ScheduledAction } from './simulator.ts';
import type { Topology } from './topology.ts';

/** One step of a concrete counterexample trace (the `*.trace.json` format). */
export interface TraceStep {
  /** Seconds since the start. */
  readonly time: number;
  readonly kind: 'init' | 'timer' | 'app' | 'segment';
  /** Who acted: an endpoint, a middlebox timer, or the sender of a segment. */
  readonly actor: string;
  /** A one-line description in the KB's terms. */
  readonly text: string;
  readonly segment?: Segment;
  readonly hops?: readonly HopRecord[];
  readonly outcome?: 'delivered' | 'dropped' | 'reset';
  readonly action?: string;
  readonly timer?: string;
  readonly logs: readonly LogRecord[];
  /** Every component's state after the step. */
  readonly states: Readonly<Record<string, string>>;
  /** Every active clock's concrete value (seconds) after the step, e.g. `gwlb.flow0:idleTimeout@active = 350`. */
  readonly clocks: readonly string[];
  /** The symbolic zone after the step (and the delay that may follow), as bounds in seconds. */
  readonly zone: readonly string[];
  /** Property ids violated by this step. */
  readonly violates: readonly string[];
}

/** A concrete, replayable counterexample. */
export interface Trace {
  readonly format: 'midpath-trace/1';
  readonly scenario: string;
  readonly property: string;
  /** Index of the violating step. */
  readonly violationStep: number;
  readonly steps: readonly TraceStep[];
  /** The resolved topology the trace was made from, so a replay needs no other file (absent in traces of older versions). */
  readonly topology?: Topology;
}

/** Canonical → original numbering of each hop's targets (`a[hop]`) and of connections (`c`) at one step. */
interface Sigma {
  readonly a: readonly (readonly number[])[];
  readonly c: readonly number[];
}

/** A reference in the original numbering. */
function original(ref: ComponentRef, sigma: Sigma): ComponentRef {
  return renumberRef(
    ref,
    (c) => sigma.c[c] ?? c,
    (h, a) => sigma.a[h]?.[a] ?? a,
  );
}

/** Hop records in the original numbering, as the trace format keeps them (names, no references). */
function renameHops(t: Topology, hops: readonly HopStep[], sigma: Sigma): HopRecord[] {
  return hops.map((h) => {
    const { ref, ...rest } = h;
    const hop = ref.kind === 'endpoint' ? undefined : ref.hop;
    const map = (a: number) => (hop === undefined ? a : sigma.a[hop]?.[a] ?? a);
    const out: HopRecord = { ...rest, component: componentName(t, original(ref, sigma)) };
    const c = h.chosenTarget === undefined ? {} : { chosenTarget: map(h.chosenTarget) };
    const tg = h.target === undefined ? {} : { target: map(h.target) };
    return { ...out, ...c, ...tg };
  });
}

function describeLabel(t: Topology, l: SystemLabel, sigma: Sigma, hops: readonly HopRecord[], refs: readonly HopStep[]): { actor: string; text: string } {
  if (l.kind === 'app') {
    const who = componentName(t, original(l.ref, sigma));
    return { actor: who, text: `${who}: application ${l.action.replace('APP_', '').toLowerCase()}` };
  }
  if (l.kind === 'timer') {
    const who = componentName(t, original(l.ref, sigma));
    const name = l.timer.split('.')[2] ?? l.timer;
    const logs = l.logs.map((g) => ` → ${g.reason}`).join('');
    const resets = (l.resets ?? []).map((c) => ` → RST to both ends of ${l.ref.kind === 'entry' ? `connection ${sigma.c[c] ?? c}` : c}`).join('');
    return { actor: who, text: `${who}: timer ${name} fired${resets}${logs}` };
  }
  const who = `${l.seg.from}${sigma.c[l.seg.conn] ?? l.seg.conn}`;
  const path = hops
    .map((h, k) => {
      const ref = refs[k]!.ref;
      if (h.action === 'forward') return h.chosenTarget !== undefined && ref.kind !== 'endpoint' ? `${h.component} (new flow → ${targetPrefix(t, ref.hop)}${h.chosenTarget})` : h.component;
      if (h.action === 'drop') return `${h.component} DROPS it (${h.reason})`;
      if (h.action === 'reset') return `${h.component} answers RST to ${h.resetTo} (${h.reason})`;
      return `delivered to ${h.component}`;
    })
    .join(' → ');
  return { actor: who, text: `${who} sends ${l.seg.kind}${l.seg.retransmit ? ' (retransmission)' : ''}: ${path}` };
}

function statesOf(sys: ProductSystem, s: SystemState, sigma: Sigma): Record<string, string> {
  const out: Record<string, string> = {};
  for (const comp of sys.layout.components) out[componentName(sys.topology, original(comp.ref, sigma))] = stateText(comp.logic.snapshot(s.locals[comp.index]!));
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The names of a state's clocks in the original numbering: observers first, then each component's timers (the order of stateKeys.ts `finish`). */
function clockNames(sys: ProductSystem, s: SystemState, sigma: Sigma): string[] {
  const names: string[] = [];
  for (let c = 0; c < sys.topology.connections; c++) names.push(`idle-gap:c${sigma.c[c] ?? c}`);
  s.timers.forEach((slots, i) => {
    const name = componentName(sys.topology, original(sys.layout.components[i]!.ref, sigma));
    for (const t of slots) names.push(`${name}:${shortTimer(t.id)}${t.ghost ? '(expired)' : ''}`);
  });
  return names;
}

/**
 * Turns a symbolic counterexample into a concrete trace: times chosen inside
 * its zones (whole seconds where possible, engine/concretize.ts) and
 * appliance numbers mapped back through the symmetry renumbering so every
 * step names the same appliance the same way. Undefined when the path cannot
 * be concretised (a midpath bug).
 */
export function buildTrace(
  sys: ProductSystem,
  path: readonly PathStep<SystemState, SystemLabel>[],
  property: string,
  violates: (step: PathStep<SystemState, SystemLabel>, prev: SystemState | undefined) => readonly string[],
): Trace | undefined {
  const edges = path.slice(1).map((p) => p.edge as SystemEdge);
  const timing = concretize(sys, edges);
  if (!timing) return undefined;
  let sigma: Sigma = { a: sys.layout.hops.map((h) => h.targets.map((_, a) => a)), c: Array.from({ length: sys.topology.connections }, (_, c) => c) };
  const steps: TraceStep[] = [];
  let violationStep = path.length - 1;
  let resetAt: number[] = [];
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  path.forEach((p, i) => {
    const time = timing.times[i]! / 1000;
    const edge = p.edge as SystemEdge | undefined;
    const srcSigma = sigma;
    sigma = {
      a: edge?.perm ? srcSigma.a.map((row, h) => edge.perm?.[h]?.map((old) => row[old]!) ?? row) : srcSigma.a,
      c: edge?.connPerm ? edge.connPerm.map((old) => srcSigma.c[old]!) : srcSigma.c,
    };
    // concrete clock values: each clock continues its source clock or was reset at this step
    resetAt = edge ? edge.clockMap.map((src) => (src < 0 ? time : resetAt[src]!)) : p.clocks.map(() => time);
    const names = clockNames(sys, p.state, sigma);
    const clocks = names.map((n, k) => `${n} = ${round(time - resetAt[k]!)}`);
    const zone = p.zone.describe(names, 1000);
    const v = violates(p, i > 0 ? path[i - 1]!.state : undefined);
    if (!edge) {
      steps.push({ time, kind: 'init', actor: 'system', text: 'initial state', logs: [], states: statesOf(sys, p.state, sigma), clocks, zone, violates: v });
      return;
    }
    const l = edge.label;
    const hops = l.kind === 'segment' ? renameHops(sys.topology, l.hops, srcSigma) : [];
    const { actor, text } = describeLabel(sys.topology, l, srcSigma, hops, l.kind === 'segment' ? l.hops : []);
    const logs = l.logs.map(({ ref, ...g }) => ({ ...g, component: ref ? componentName(sys.topology, original(ref, srcSigma)) : g.component, conn: srcSigma.c[g.conn] ?? g.conn }));
    const base = { time, kind: l.kind, actor, text, logs, states: statesOf(sys, p.state, sigma), clocks, zone, violates: v };
    if (l.kind === 'segment') steps.push({ ...base, segment: { ...l.seg, conn: srcSigma.c[l.seg.conn] ?? l.seg.conn }, hops, outcome: l.outcome });
    else if (l.kind === 'app') steps.push({ ...base, action: l.action });
    else steps.push({ ...base, timer: l.timer });
  });
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]!.violates.includes(property)) {
      violationStep = i;
      break;
    }
  }
  return { format: 'midpath-trace/1', scenario: sys.topology.name, property, violationStep, steps, topology: sys.topology };
}

/** The outcome of replaying a trace on the concrete simulator. */
export interface ReplayResult {
  /** True when the simulator reproduces the violating step. */
  readonly reproduced: boolean;
  /** What the simulator did at the violating step's time (for messages). */
  readonly observed: string;
  readonly sim: Simulator;
}

/**
 * Replays a concrete trace on the simulator: the same application actions
 * at the same times and the same target for every new GWLB flow, then
 * checks that the violating step happens there too (the same segment kind
 * dropped or reset by the same hop at the same second; for state properties,
 * the same endpoint states at that time).
 */
export function replayTrace(sys: ProductSystem, trace: Trace): ReplayResult {
  const choices: number[][] = Array.from({ length: sys.topology.connections }, () => []);
  for (const st of trace.steps) {
    if (st.kind === 'segment' && st.segment) {
      for (const h of st.hops ?? []) if (h.chosenTarget !== undefined) choices[st.segment.conn]!.push(h.chosenTarget);
    }
  }
  const sim = new Simulator(sys.topology, (conn) => choices[conn]!.shift() ?? 0, sys.machines);
  // a trace names components; the layout says which component each name is (names are looked up, never parsed)
  const byName = new Map(sys.layout.components.map((c) => [c.name, c.ref] as const));
  const v = trace.steps[trace.violationStep]!;
  const until = Math.round(v.time * 1000);
  // Step by step, in the trace's order: timers due before a step's instant fire
  // first; at the instant, the trace's application actions and timer firings
  // happen in the trace's order (segments cross by themselves, in zero time).
  for (const st of trace.steps.slice(0, trace.violationStep + 1)) {
    const at = Math.round(st.time * 1000);
    if (at > sim.now()) sim.advanceBelow(at);
    const ref = byName.get(st.actor);
    if (st.kind === 'app' && st.action) {
      if (ref?.kind === 'endpoint') sim.act(ref.conn, ref.role, st.action as ScheduledAction['action']);
    } else if (st.kind === 'timer') {
      if (ref) sim.fireTimerOfRef(ref);
    }
  }
  if (v.kind === 'segment' && v.segment && v.outcome !== 'delivered') {
    const hit = v.hops?.find((h) => h.action === 'drop' || h.action === 'reset');
    const seen = sim.events.filter(
      (e) => e.kind === 'segment' && Math.abs(e.time - until) < 1 && e.seg.kind === v.segment!.kind && e.seg.from === v.segment!.from && e.outcome === v.outcome && e.hops.some((h) => h.component === hit?.component && h.action === hit.action),
    );
    return { reproduced: seen.length > 0, observed: seen.length > 0 ? `${v.segment.from} ${v.segment.kind} ${v.outcome} at ${hit?.component}` : describeSim(sim, until), sim };
  }
  // other properties: compare endpoint states at the violation time
  const want = Object.entries(v.states).filter(([k]) => byName.get(k)?.kind === 'endpoint');
  const got = sim.states();
  const same = want.every(([k, val]) => (got[k] ?? '').split('.')[0] === val.split('.')[0]);
  return { reproduced: same, observed: JSON.stringify(Object.fromEntries(want.map(([k]) => [k, got[k]]))), sim };
}

function describeSim(sim: Simulator, at: number): string {
  const near = sim.events.filter((e) => Math.abs(e.time - at) < 1000);
  return near.map((e) => (e.kind === 'segment' ? `${e.seg.from}${e.seg.conn}>${e.seg.kind}:${e.outcome}` : e.kind === 'log' ? `${e.log.component}:${e.log.reason}` : e.kind === 'timeout-reset' ? `${e.component}:reset c${e.conn}` : `${e.component}:${e.action}`)).join(', ') || 'nothing';
}
