import type { Trace, TraceStep } from '../system/trace.ts';
import { laneOf, secondsText, segmentPath, segmentWord, traceLanes } from './traceLanes.ts';

/**
 * Text for a Mermaid message or note: characters Mermaid's grammar or its
 * HTML labels would read (`# ; : < > & " \`` and line breaks) become Mermaid
 * entity codes (`#60;`), so user names stay text.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(/[#;:<>&"`{}]/g, (c) => `#${c.codePointAt(0)};`);
}

/** A lane id as a Mermaid participant id: letters, digits and `_` only (`nat-gateway` would read as an arrow). */
function pid(lane: string): string {
  return lane.replace(/[^A-Za-z0-9_]/g, '_');
}

function stepLines(st: TraceStep, all: readonly string[]): string[] {
  const out: string[] = [];
  if (st.kind === 'app') {
    const lane = pid(laneOf(st.actor) ?? 'client');
    out.push(`  Note over ${lane}: ${mermaidText(`${st.actor} ${(st.action ?? '').replace(/^APP_/, '').toLowerCase()}`)}`);
  }
  if (st.kind === 'timer') {
    const lane = pid(laneOf(st.actor) ?? 'client');
    const name = (st.timer ?? '').split('.')[2] ?? 'timer';
    out.push(`  Note over ${lane}: ${mermaidText(`deadline ${st.actor} ${name} fired`)}`);
  }
  const path = segmentPath(st);
  if (path) {
    const word = segmentWord(st);
    path.legs.forEach((leg, i) => {
      const last = i === path.legs.length - 1;
      const arrow = leg.injected ? '--)' : path.outcome === 'dropped' && last ? '-x' : '->>';
      const extra = !leg.injected && i === 1 && path.newFlowTarget !== undefined ? ` (new flow)` : '';
      out.push(`  ${pid(leg.from)}${arrow}${pid(leg.to)}: ${mermaidText(leg.injected ? 'RST (injected)' : `${word}${extra}`)}`);
    });
    if (path.outcome !== 'delivered' && path.at !== undefined) {
      const what = path.outcome === 'dropped' ? 'DROPPED' : 'RESET';
      out.push(`  Note over ${pid(path.at)}: ${mermaidText(`${what} (${path.reason ?? path.outcome})`)}`);
    }
  }
  for (const g of st.logs) {
    const lane = laneOf(g.component);
    if (lane !== undefined && all.includes(lane)) out.push(`  Note over ${pid(lane)}: ${mermaidText(`log ${g.reason}`)}`);
  }
  return out;
}

/**
 * A counterexample as a Mermaid sequence diagram (`*.mmd`): participants
 * client, GWLB, every appliance, server; a note with the time wherever it
 * advances (and the gap since the previous step); every segment leg, a
 * dropped one ending in `-x` with a note at the hop that dropped it;
 * deadlines and application actions as notes. Names are escaped with
 * Mermaid entity codes. Pure and deterministic.
 */
export function traceMermaid(trace: Trace): string {
  const lanes = traceLanes(trace);
  const ids = lanes.map((l) => l.id);
  const first = pid(ids[0]!);
  const last = pid(ids[ids.length - 1]!);
  const out: string[] = ['sequenceDiagram', `  title ${mermaidText(`${trace.scenario}: ${trace.property}`)}`];
  for (const l of lanes) out.push(`  participant ${pid(l.id)} as ${mermaidText(l.title)}`);
  let prev: number | undefined;
  trace.steps.forEach((st, i) => {
    if (st.kind === 'init') return;
    if (prev === undefined || st.time !== prev) {
      const gap = prev === undefined ? '' : ` (+${secondsText(st.time - prev)})`;
      out.push(`  Note over ${first},${last}: ${mermaidText(`t = ${secondsText(st.time)}${gap}`)}`);
      prev = st.time;
    }
    out.push(...stepLines(st, ids));
    if (i === trace.violationStep) out.push(`  Note over ${first},${last}: ${mermaidText(`violates ${trace.property}`)}`);
  });
  return `${out.join('\n')}\n`;
}
