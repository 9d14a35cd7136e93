import { explore } from '../engine/explore.ts';
import type { Edge } from '../engine/timedSystem.ts';
import { segmentLabel } from '../models/segment.ts';
import type { ReachableEdge, ReachableGraph, ReachableNode } from './systemDot.ts';
import { stateText } from '../system/inspect.ts';
import type { SystemLabel } from '../system/labels.ts';
import { ProductSystem, shortTimer, type SystemState } from '../system/product.ts';
import type { Topology } from '../system/topology.ts';

function nodeLines(sys: ProductSystem, s: SystemState): string[] {
  const lines = sys.layout.components.map((c) => `${c.name}: ${stateText(c.logic.snapshot(s.locals[c.index]!))}`);
  if (s.inflight.length > 0) lines.push(`in flight: ${s.inflight.map(segmentLabel).join(' ')}`);
  return lines;
}

function edgeOf(l: SystemLabel): Pick<ReachableEdge, 'label' | 'kind' | 'agedOut'> {
  const agedOut = l.logs.some((g) => g.reason === 'aged-out');
  if (l.kind === 'timer') return { label: `${l.component} ${shortTimer(l.timer).split('@')[0]}`, kind: 'timer', agedOut };
  if (l.kind === 'app') return { label: `${l.component} ${l.action.replace('APP_', '').toLowerCase()}`, kind: 'app', agedOut };
  const where = l.hops.find((h) => h.action !== 'forward' && h.action !== 'deliver');
  const target = l.hops.find((h) => h.chosenTarget !== undefined)?.chosenTarget;
  const via = target === undefined ? '' : ` → appliance${target}`;
  const fate = where === undefined ? '' : ` ${where.action} @${where.component}`;
  return { label: `${segmentLabel(l.seg)}${via}${fate}`, kind: l.outcome, agedOut };
}

/**
 * Explores a topology's composed system (with its symmetry reduction) and
 * projects the zone graph onto discrete states: one node per discrete
 * state, one edge per distinct (source, target, step). Stops, marking the
 * graph truncated, once more than `maxNodes` discrete states are seen.
 */
export function reachableGraph(t: Topology, maxNodes: number): ReachableGraph {
  const sys = new ProductSystem(t);
  const targets = new WeakMap<object, SystemState>();
  const wrapped = {
    initial: () => sys.initial(),
    clocks: (s: SystemState) => sys.clocks(s),
    key: (s: SystemState) => sys.key(s),
    urgent: (s: SystemState) => sys.urgent(s),
    successors: (s: SystemState): readonly Edge<SystemState, SystemLabel>[] => {
      const edges = sys.successors(s);
      for (const e of edges) targets.set(e.label, e.target);
      return edges;
    },
  };
  const byKey = new Map<string, number>();
  const nodeOfId: number[] = [];
  const nodes: ReachableNode[] = [];
  const edges = new Map<string, ReachableEdge>();
  const discrete = (s: SystemState): number => {
    let n = byKey.get(s.key);
    if (n === undefined) {
      n = nodes.length;
      byKey.set(s.key, n);
      nodes.push({ id: n, lines: nodeLines(sys, s), initial: n === 0 });
    }
    return n;
  };
  const run = explore(wrapped, { ids: [] }, {
    maxStates: maxNodes * 8,
    onState: (id, s) => {
      nodeOfId[id] = discrete(s as SystemState);
    },
    onEdge: (from, to, label) => {
      const target = to === undefined ? targets.get(label as object) : undefined;
      const a = nodeOfId[from];
      const b = to !== undefined ? nodeOfId[to] : target ? discrete(target) : undefined;
      if (a === undefined || b === undefined) return;
      const e = { from: a, to: b, ...edgeOf(label as SystemLabel) };
      const k = `${a}>${b}>${e.label}`;
      if (!edges.has(k)) edges.set(k, e);
    },
  });
  const truncated = !run.complete ? { truncated: `more than ${run.stats.states} symbolic states` } : {};
  return { title: t.name, nodes, edges: [...edges.values()], ...truncated };
}
