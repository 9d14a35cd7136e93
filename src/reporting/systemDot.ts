import { dotAttrs, dotString } from './dotString.ts';
import { HIGHLIGHT_COLOURS } from './machineDot.ts';

/** A discrete state of a composed system: every component's state, the segments in flight. */
export interface ReachableNode {
  readonly id: number;
  /** One line per component (`client0: synSent`), then what is in flight. */
  readonly lines: readonly string[];
  readonly initial: boolean;
}

/** A step between two discrete states. */
export interface ReachableEdge {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  /** What the step did: a timer or application action, or a segment delivered, dropped or reset. */
  readonly kind: 'timer' | 'app' | 'delivered' | 'dropped' | 'reset';
  /** A firewall session aged out in this step. */
  readonly agedOut: boolean;
}

/** The reachable graph of a composed system, projected onto discrete states (zones merged). */
export interface ReachableGraph {
  readonly title: string;
  readonly nodes: readonly ReachableNode[];
  readonly edges: readonly ReachableEdge[];
  /** Set when exploration stopped before the whole graph was seen. */
  readonly truncated?: string;
}

/** A graph small enough to draw, or why it is not drawn. */
export type SystemDotResult = { readonly dot: string } | { readonly omitted: string };

/** Default cap on the nodes of a drawn system graph (Graphviz lays out a few hundred nodes in about a second). */
export const SYSTEM_GRAPH_MAX_NODES = 400;

/** Font size of node labels, in points. */
const NODE_FONT = 9;

/**
 * A node's minimum width in inches: its longest line at a generous 0.66 em
 * per character plus the margins. Graphviz measures text with its own
 * Helvetica metrics; browsers often substitute a wider font, and a box sized
 * for the wider font keeps neighbouring labels from overlapping.
 */
function nodeWidth(lines: readonly string[]): string {
  const chars = Math.max(1, ...lines.map((l) => [...l].length));
  return ((chars * NODE_FONT * 0.66) / 72 + 0.4).toFixed(2);
}

/**
 * The reachable graph of a composed system as Graphviz DOT: one node per
 * discrete state (its components' states), edges labelled with the timer,
 * application action or segment, drops in red, resets in orange, aged-out
 * sessions in brown, the initial state bold. Larger graphs than `maxNodes`,
 * or truncated ones, are not drawn: the result says why instead.
 */
export function systemDot(graph: ReachableGraph, maxNodes: number = SYSTEM_GRAPH_MAX_NODES): SystemDotResult {
  if (graph.truncated !== undefined) return { omitted: `${graph.title}: system graph omitted (${graph.truncated})` };
  if (graph.nodes.length > maxNodes) {
    return { omitted: `${graph.title}: system graph omitted (${graph.nodes.length} discrete states; drawn only up to ${maxNodes})` };
  }
  const out = [`digraph ${dotString(graph.title)} {`];
  out.push(`  graph${dotAttrs({ label: `${graph.title}: reachable discrete states (${graph.nodes.length})`, labelloc: 't', fontname: 'Helvetica', fontsize: '14', rankdir: 'TB', pad: '0.3' })};`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor="#f5f7f8", color="#78909c", fontname="Helvetica", fontsize=${NODE_FONT}, margin="0.2,0.06"];`);
  out.push('  edge [fontname="Helvetica", fontsize=8, color="#78909c", fontcolor="#455a64", arrowsize=0.6];');
  for (const n of graph.nodes) {
    out.push(`  ${dotString(`s${n.id}`)}${dotAttrs({ label: n.lines.join('\n'), width: nodeWidth(n.lines), penwidth: n.initial ? '2.5' : undefined, fillcolor: n.initial ? '#e3f2fd' : undefined })};`);
  }
  for (const e of graph.edges) {
    const colour = e.kind === 'dropped' ? HIGHLIGHT_COLOURS.drop : e.kind === 'reset' ? HIGHLIGHT_COLOURS.reset : e.agedOut ? HIGHLIGHT_COLOURS['aged-out'] : undefined;
    out.push(
      `  ${dotString(`s${e.from}`)} -> ${dotString(`s${e.to}`)}${dotAttrs({
        label: e.label,
        color: colour,
        fontcolor: colour,
        penwidth: colour === undefined ? undefined : '2',
        style: e.kind === 'timer' ? 'dashed' : undefined,
      })};`,
    );
  }
  out.push('}');
  return { dot: `${out.join('\n')}\n` };
}
