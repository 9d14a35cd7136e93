import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';
import type { DirectedGraphEdge, DirectedGraphNode } from 'xstate/graph';
import { dotAttrs, dotString } from './dotString.ts';

/** How an edge of a state graph is highlighted: a silent drop, a reset, a session aging out, an abort. */
export type EdgeHighlight = 'drop' | 'reset' | 'aged-out' | 'abort';

/** Colours of the highlights (shared by the machine and system graphs and the legends). */
export const HIGHLIGHT_COLOURS: Readonly<Record<EdgeHighlight, string>> = {
  drop: '#c62828',
  reset: '#ef6c00',
  'aged-out': '#8d6e63',
  abort: '#6a1b9a',
};

interface ActionInfo {
  readonly name: string;
  readonly reason?: string;
}

function actionInfo(a: unknown): ActionInfo {
  if (typeof a === 'string') return { name: a };
  if (typeof a === 'object' && a !== null && 'type' in a && typeof a.type === 'string') {
    const params = 'params' in a ? (a.params as { reason?: unknown } | undefined) : undefined;
    return typeof params?.reason === 'string' ? { name: a.type, reason: params.reason } : { name: a.type };
  }
  return { name: 'inline' };
}

/** A transition guard's name as the graphs show it (`isSyn`, `a ∧ b` for combined guards), or undefined without a guard. */
export function guardText(g: unknown): string | undefined {
  if (g === undefined || g === null) return undefined;
  if (typeof g === 'string') return g;
  if (typeof g === 'object' && 'type' in g && typeof g.type === 'string') return g.type;
  if (typeof g === 'function') {
    const parts = (g as { guards?: unknown }).guards;
    if (Array.isArray(parts)) return parts.map(guardText).join(' ∧ ');
    return g.name || 'guard';
  }
  return 'guard';
}

/** The highlight of a transition, from its actions (drops, resets, `aged-out` logs, aborting ends). */
export function transitionHighlight(actions: readonly unknown[]): EdgeHighlight | undefined {
  const infos = actions.map(actionInfo);
  if (infos.some((a) => /^drop/i.test(a.name))) return 'drop';
  if (infos.some((a) => /reset|rst/i.test(a.name))) return 'reset';
  if (infos.some((a) => /agedout|halfclosedend/i.test(a.name))) return 'aged-out';
  if (infos.some((a) => a.name === 'end' && a.reason !== undefined && a.reason !== 'fin')) return 'abort';
  return undefined;
}

function eventText(e: DirectedGraphEdge): string {
  const delay = (e.transition as { delay?: unknown }).delay;
  if (delay !== undefined) return `after ${typeof delay === 'number' ? `${delay} ms` : String(delay)}`;
  const t = e.transition.eventType;
  return t === '' ? 'always' : t;
}

/** The text of a transition: `EVENT [guard]` and, on a second line, `/ actions`. */
function edgeLabel(e: DirectedGraphEdge): string {
  const g = guardText(e.transition.guard);
  const head = g === undefined ? eventText(e) : `${eventText(e)} [${g}]`;
  const acts = e.transition.actions.map(actionInfo).map((a) => (a.reason === undefined ? a.name : `${a.name}(${a.reason})`));
  return acts.length === 0 ? head : `${head}\n/ ${acts.join(', ')}`;
}

const ANCHOR = (id: string): string => `${id}#anchor`;
const CLUSTER = (id: string): string => `cluster_${id}`;

/** DOT lines of a state node (atomic: a box; compound or parallel: a cluster with an anchor point). */
function nodeLines(n: DirectedGraphNode, indent: string, out: string[]): void {
  const sn = n.stateNode;
  const tooltip = typeof sn.description === 'string' ? sn.description : undefined;
  if (n.children.length === 0) {
    const final = sn.type === 'final';
    out.push(`${indent}${dotString(n.id)}${dotAttrs({ label: sn.key, tooltip, peripheries: final ? '2' : undefined })};`);
    return;
  }
  const parallel = sn.type === 'parallel';
  out.push(`${indent}subgraph ${dotString(CLUSTER(n.id))} {`);
  out.push(
    `${indent}  graph${dotAttrs({ label: parallel ? `${sn.key} (parallel)` : sn.key, style: parallel ? 'rounded,dashed' : 'rounded', tooltip, color: '#90a4ae' })};`,
  );
  out.push(`${indent}  ${dotString(ANCHOR(n.id))} [shape=point, width=0.01, height=0.01, style=invis];`);
  const initial = sn.initial?.target?.[0];
  if (initial && !parallel) {
    const dot = `${n.id}#initial`;
    out.push(`${indent}  ${dotString(dot)} [shape=circle, width=0.12, height=0.12, label="", style=filled, fillcolor="#37474f", color="#37474f"];`);
  }
  for (const c of n.children) nodeLines(c, `${indent}  `, out);
  out.push(`${indent}}`);
}

/** An endpoint of an edge: the node itself, or for a compound state its anchor with lhead/ltail clipping. */
function endpoint(n: { id: string }, compound: ReadonlySet<string>): { id: string; cluster?: string } {
  return compound.has(n.id) ? { id: ANCHOR(n.id), cluster: CLUSTER(n.id) } : { id: n.id };
}

interface MergedEdge {
  readonly source: { readonly id: string };
  readonly target: { readonly id: string };
  readonly highlight: EdgeHighlight | undefined;
  readonly timed: boolean;
  readonly labels: string[];
}

/** Transitions with the same source, target, highlight and kind (timed or not) become one edge with one label line per transition. */
function mergedEdges(all: readonly DirectedGraphNode[]): MergedEdge[] {
  const groups = new Map<string, MergedEdge>();
  for (const n of all) {
    for (const e of n.edges) {
      const highlight = transitionHighlight(e.transition.actions);
      const timed = (e.transition as { delay?: unknown }).delay !== undefined;
      const key = `${e.source.id}\u0000${e.target.id}\u0000${highlight ?? ''}\u0000${timed}`;
      const g = groups.get(key);
      if (g) g.labels.push(edgeLabel(e));
      else groups.set(key, { source: e.source, target: e.target, highlight, timed, labels: [edgeLabel(e)] });
    }
  }
  return [...groups.values()];
}

function collect(n: DirectedGraphNode, nodes: DirectedGraphNode[]): void {
  nodes.push(n);
  for (const c of n.children) collect(c, nodes);
}

/**
 * The state graph of one xstate machine as Graphviz DOT: every state (a
 * compound or parallel state as a cluster), every transition labelled with
 * its event or `after <delay>`, its guard and its actions, the initial
 * states marked, and transitions that drop a segment, reset a connection,
 * age a session out or abort a connection coloured ({@link HIGHLIGHT_COLOURS}).
 * Pure and deterministic: the machine's own order.
 */
export function machineDot(machine: AnyStateMachine, title: string = machine.id): string {
  const root = toDirectedGraph(machine);
  const all: DirectedGraphNode[] = [];
  collect(root, all);
  const compound = new Set(all.filter((n) => n.children.length > 0).map((n) => n.id));
  const out: string[] = [`digraph ${dotString(machine.id)} {`];
  out.push(`  graph${dotAttrs({ label: title, labelloc: 't', fontname: 'Helvetica', fontsize: '14', rankdir: 'LR', compound: 'true', nodesep: '0.25', ranksep: '0.45', pad: '0.3' })};`);
  out.push('  node [shape=box, style="rounded,filled", fillcolor="#eef3f7", color="#546e7a", fontname="Helvetica", fontsize=11];');
  out.push('  edge [fontname="Helvetica", fontsize=9, color="#607d8b", fontcolor="#37474f", arrowsize=0.7];');
  out.push('  "#start" [shape=circle, width=0.15, height=0.15, label="", style=filled, fillcolor="#37474f", color="#37474f"];');
  for (const c of root.children) nodeLines(c, '  ', out);
  const edgeLine = (from: { id: string; cluster?: string }, to: { id: string; cluster?: string }, attrs: Record<string, string | undefined>): string => {
    const clip = { ltail: from.cluster, lhead: to.cluster === from.cluster ? undefined : to.cluster };
    return `  ${dotString(from.id)} -> ${dotString(to.id)}${dotAttrs({ ...attrs, ...clip })};`;
  };
  const first = root.stateNode.initial?.target?.[0];
  if (first) out.push(edgeLine({ id: '#start' }, endpoint(first, compound), {}));
  for (const n of all) {
    const init = n.stateNode.initial?.target?.[0];
    if (n !== root && init && n.stateNode.type !== 'parallel') out.push(edgeLine({ id: `${n.id}#initial` }, endpoint(init, compound), {}));
  }
  for (const g of mergedEdges(all)) {
    const colour = g.highlight === undefined ? undefined : HIGHLIGHT_COLOURS[g.highlight];
    out.push(
      edgeLine(endpoint(g.source, compound), endpoint(g.target, compound), {
        label: g.labels.join('\n'),
        color: colour,
        fontcolor: colour,
        style: g.timed ? 'dashed' : undefined,
        penwidth: g.highlight === undefined ? undefined : '2',
        class: g.highlight === undefined ? undefined : `hl-${g.highlight}`,
      }),
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
