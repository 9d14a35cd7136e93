import { concretize } from '../engine/concretize.ts';
import type { PathStep } from '../engine/explore.ts';
import type { Segment } from '../models/segment.ts';
import { componentName, renumberRef, targetPrefix, type ComponentRef } from './componentRef.ts';
import type { HopRecord, HopStep, LogRecord, SystemLabel } from './labels.ts';
import { contextText, stateText } from './inspect.ts';
import { shortTimer, type ProductSystem, type SystemEdge, type SystemState } from './product.ts';
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
  /** Every component's state after the step (the whole nested state value, `inspect.ts` stateText). */
  readonly states: Readonly<Record<string, string>>;
  /**
   * Every component's changing context after the step (`inspect.ts`
   * contextText: counters, pinned appliance, end reason). Written by midpath
   * since issue 11; the replay compares it when present.
   */
  readonly context?: Readonly<Record<string, string>>;
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

function sortedRecord(out: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function statesOf(sys: ProductSystem, s: SystemState, sigma: Sigma): Record<string, string> {
  const out: Record<string, string> = {};
  for (const comp of sys.layout.components) out[componentName(sys.topology, original(comp.ref, sigma))] = stateText(comp.logic.snapshot(s.locals[comp.index]!));
  return sortedRecord(out);
}

function contextOf(sys: ProductSystem, s: SystemState, sigma: Sigma): Record<string, string> {
  const out: Record<string, string> = {};
  for (const comp of sys.layout.components) {
    const hop = comp.ref.kind === 'endpoint' ? undefined : comp.ref.hop;
    out[componentName(sys.topology, original(comp.ref, sigma))] = contextText(comp.logic.snapshot(s.locals[comp.index]!), (a) => (hop === undefined ? a : sigma.a[hop]?.[a] ?? a));
  }
  return sortedRecord(out);
}

/** The names of a state's clocks in the original numbering: observers first, then each component's timers (the order of stateKeys.ts `finish`). */
function clockNames(sys: ProductSystem, s: SystemState, sigma: Sigma): string[] {
  const names: string[] = [];
  for (let c = 0; c < sys.observed; c++) names.push(`idle-gap:c${sigma.c[c] ?? c}`);
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
      steps.push({ time, kind: 'init', actor: 'system', text: 'initial state', logs: [], states: statesOf(sys, p.state, sigma), context: contextOf(sys, p.state, sigma), clocks, zone, violates: v });
      return;
    }
    const l = edge.label;
    const hops = l.kind === 'segment' ? renameHops(sys.topology, l.hops, srcSigma) : [];
    const { actor, text } = describeLabel(sys.topology, l, srcSigma, hops, l.kind === 'segment' ? l.hops : []);
    const logs = l.logs.map(({ ref, ...g }) => ({ ...g, component: ref ? componentName(sys.topology, original(ref, srcSigma)) : g.component, conn: srcSigma.c[g.conn] ?? g.conn }));
    const base = { time, kind: l.kind, actor, text, logs, states: statesOf(sys, p.state, sigma), context: contextOf(sys, p.state, sigma), clocks, zone, violates: v };
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

/** Replay lives in replay.ts (a step-by-step checker); re-exported here for existing imports. */
export { replayTrace, type ReplayMismatch, type ReplayResult } from './replay.ts';
