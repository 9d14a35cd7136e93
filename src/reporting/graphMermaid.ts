import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { guardText } from './machineDot.ts';
import type { ReachableGraph } from './systemDot.ts';
import { mermaidText } from './traceMermaid.ts';

const mid = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_');

/** An edge's text, as in the DOT output: `EVENT [guard]` or `after <delay> [guard]`. */
function edgeText(eventType: string, delay: unknown, guard: unknown): string {
  const head = delay !== undefined ? `after ${String(delay)}` : eventType === '' ? 'always' : eventType;
  const g = guardText(guard);
  return g === undefined ? head : `${head} [${g}]`;
}

function stateLines(n: DirectedGraphNode, indent: string, out: string[]): void {
  const id = mid(n.id);
  if (n.children.length === 0) {
    out.push(`${indent}state "${mermaidText(n.stateNode.key)}" as ${id}`);
    return;
  }
  out.push(`${indent}state "${mermaidText(n.stateNode.key)}" as ${id} {`);
  const init = n.stateNode.initial?.target?.[0];
  const parallel = n.stateNode.type === 'parallel';
  if (init && !parallel) out.push(`${indent}  [*] --> ${mid(init.id)}`);
  n.children.forEach((c, i) => {
    if (parallel && i > 0) out.push(`${indent}  --`);
    stateLines(c, `${indent}  `, out);
  });
  out.push(`${indent}}`);
}

function edges(n: DirectedGraphNode, out: string[]): void {
  for (const e of n.edges) {
    const delay = (e.transition as { delay?: unknown }).delay;
    out.push(`  ${mid(e.source.id)} --> ${mid(e.target.id)}: ${mermaidText(edgeText(e.transition.eventType, delay, e.transition.guard))}`);
  }
  for (const c of n.children) edges(c, out);
}

/** A machine's state graph as a Mermaid `stateDiagram-v2` (composite and parallel states nested; transitions labelled with their event or `after <delay>` and their guard, as the DOT output). */
export function machineMermaid(machine: AnyStateMachine): string {
  const root = toDirectedGraph(machine);
  const out = ['stateDiagram-v2'];
  const first = root.stateNode.initial?.target?.[0];
  for (const c of root.children) stateLines(c, '  ', out);
  if (first) out.push(`  [*] --> ${mid(first.id)}`);
  edges(root, out);
  return `${out.join('\n')}\n`;
}

/** A composed system's reachable graph as a Mermaid `stateDiagram-v2` (one state per discrete state). */
export function systemMermaid(graph: ReachableGraph): string {
  const out = ['stateDiagram-v2'];
  for (const n of graph.nodes) out.push(`  state "${mermaidText(n.lines.join(', '))}" as s${n.id}`);
  if (graph.nodes.length > 0) out.push('  [*] --> s0');
  for (const e of graph.edges) out.push(`  s${e.from} --> s${e.to}: ${mermaidText(e.kind === 'dropped' || e.kind === 'reset' ? `${e.label} ✕` : e.label)}`);
  return `${out.join('\n')}\n`;
}
