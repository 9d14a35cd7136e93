import { concretize } from '../engine/concretize.ts';
import type { PathStep } from '../engine/explore.ts';
import type { Segment } from '../models/segment.ts';
import type { HopRecord, LogRecord, SystemLabel } from './labels.ts';
import { contextText, stateText } from './inspect.ts';
import type { ProductSystem, SystemEdge, SystemState } from './product.ts';
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

/** Canonical → original numbering of appliances (`a`) and connections (`c`) at one step. */
interface Sigma {
  readonly a: readonly number[];
  readonly c: readonly number[];
}

/** Renames component, clock and text names from canonical to original numbering. */
function rename(text: string, sigma: Sigma): string {
  const c = (k: string) => String(sigma.c[Number(k)] ?? k);
  return text
    .replace(/\bappliance(\d+)/g, (_, k: string) => `appliance${sigma.a[Number(k)] ?? k}`)
    .replace(/\b(client|server)(\d+)/g, (_, r: string, k: string) => `${r}${c(k)}`)
    .replace(/\bgwlb\.flow(\d+)/g, (_, k: string) => `gwlb.flow${c(k)}`)
    .replace(/\.c(\d+)\b/g, (_, k: string) => `.c${c(k)}`)
    .replace(/idle-gap:c(\d+)/g, (_, k: string) => `idle-gap:c${c(k)}`);
}

function renameHops(hops: readonly HopRecord[], sigma: Sigma): HopRecord[] {
  return hops.map((h) => {
    const out: HopRecord = { ...h, component: rename(h.component, sigma) };
    const t = h.target === undefined ? {} : { target: sigma.a[h.target] ?? h.target };
    const c = h.chosenTarget === undefined ? {} : { chosenTarget: sigma.a[h.chosenTarget] ?? h.chosenTarget };
    return { ...out, ...t, ...c };
  });
}

function describeLabel(l: SystemLabel, hops: readonly HopRecord[]): { actor: string; text: string } {
  if (l.kind === 'app') return { actor: l.component, text: `${l.component}: application ${l.action.replace('APP_', '').toLowerCase()}` };
  if (l.kind === 'timer') {
    const t = l.timer.split('.')[2] ?? l.timer;
    const logs = l.logs.map((g) => ` → ${g.reason}`).join('');
    return { actor: l.component, text: `${l.component}: timer ${t} fired${logs}` };
  }
  const who = `${l.seg.from}${l.seg.conn}`;
  const path = hops
    .map((h) => {
      if (h.action === 'forward') return h.chosenTarget !== undefined ? `${h.component} (new flow → appliance${h.chosenTarget})` : h.component;
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
  for (const comp of sys.layout.components) out[rename(comp.name, sigma)] = stateText(comp.logic.snapshot(s.locals[comp.index]!));
  return sortedRecord(out);
}

function contextOf(sys: ProductSystem, s: SystemState, sigma: Sigma): Record<string, string> {
  const out: Record<string, string> = {};
  for (const comp of sys.layout.components) out[rename(comp.name, sigma)] = contextText(comp.logic.snapshot(s.locals[comp.index]!), (a) => sigma.a[a] ?? a);
  return sortedRecord(out);
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
  const n = sys.topology.appliances.count;
  let sigma: Sigma = { a: Array.from({ length: n }, (_, a) => a), c: Array.from({ length: sys.topology.connections }, (_, c) => c) };
  const steps: TraceStep[] = [];
  let violationStep = path.length - 1;
  let resetAt: number[] = [];
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  path.forEach((p, i) => {
    const time = timing.times[i]! / 1000;
    const edge = p.edge as SystemEdge | undefined;
    const srcSigma = sigma;
    sigma = {
      a: edge?.perm ? edge.perm.map((old) => srcSigma.a[old]!) : srcSigma.a,
      c: edge?.connPerm ? edge.connPerm.map((old) => srcSigma.c[old]!) : srcSigma.c,
    };
    // concrete clock values: each clock continues its source clock or was reset at this step
    resetAt = edge ? edge.clockMap.map((src) => (src < 0 ? time : resetAt[src]!)) : p.clocks.map(() => time);
    const names = p.clocks.map((c) => rename(c.name, sigma));
    const clocks = names.map((n, k) => `${n} = ${round(time - resetAt[k]!)}`);
    const zone = p.zone.describe(names, 1000);
    const v = violates(p, i > 0 ? path[i - 1]!.state : undefined);
    if (!edge) {
      steps.push({ time, kind: 'init', actor: 'system', text: 'initial state', logs: [], states: statesOf(sys, p.state, sigma), context: contextOf(sys, p.state, sigma), clocks, zone, violates: v });
      return;
    }
    const l = edge.label;
    const hops = l.kind === 'segment' ? renameHops(l.hops, srcSigma) : [];
    const { actor, text } = describeLabel(l, l.kind === 'segment' ? l.hops : []); // canonical names, renamed once below
    const logs = l.logs.map((g) => ({ ...g, component: rename(g.component, srcSigma), conn: srcSigma.c[g.conn] ?? g.conn }));
    const base = { time, kind: l.kind, actor: rename(actor, srcSigma), text: rename(text, srcSigma), logs, states: statesOf(sys, p.state, sigma), context: contextOf(sys, p.state, sigma), clocks, zone, violates: v };
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
