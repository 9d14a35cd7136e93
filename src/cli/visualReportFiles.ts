import { htmlReport, type ReportScenario } from '../reporting/htmlReport.ts';
import { machineDot } from '../reporting/machineDot.ts';
import type { SvgRenderer } from '../reporting/renderSvg.ts';
import { systemDot, SYSTEM_GRAPH_MAX_NODES } from '../reporting/systemDot.ts';
import { mermaidText, traceMermaid } from '../reporting/traceMermaid.ts';
import { toTopology } from '../scenarios/toTopology.ts';
import { MACHINE_KINDS } from './machineKinds.ts';
import { reachableGraph } from '../reporting/reachableGraph.ts';
import type { CheckedScenario, ReportFile } from './reportFiles.ts';

/** Scenarios with more symbolic states than this get no composed-system graph (it could not have ≤ 400 discrete states worth drawing quickly). */
const SYSTEM_GRAPH_MAX_SYMBOLIC = 4000;

/** The first line of every text report file, so `--out` can tell its own files from a user's. */
export const MIDPATH_MARK = 'midpath';

function systemFigure(c: CheckedScenario, svg: SvgRenderer): ReportScenario['system'] {
  if (c.result.stats.states > SYSTEM_GRAPH_MAX_SYMBOLIC) {
    return { omitted: `system graph omitted: ${c.result.stats.states} symbolic states (drawn only for small configurations, up to ${SYSTEM_GRAPH_MAX_NODES} discrete states)` };
  }
  const d = systemDot(reachableGraph(toTopology(c.scenario), SYSTEM_GRAPH_MAX_NODES));
  return 'dot' in d ? { svg: svg(d.dot) } : { omitted: d.omitted };
}

/**
 * The visual report files: `<machine>.dot` and `.svg` for each machine
 * kind, `<scenario>.<property>.mmd` per counterexample, and `index.html`
 * (verdicts, machine and system graphs, sequence diagrams, explorer).
 * Deterministic: no timings, stable order.
 */
export function visualReportFiles(checked: readonly CheckedScenario[], svg: SvgRenderer): ReportFile[] {
  const files: ReportFile[] = [];
  const machines = Object.entries(MACHINE_KINDS).map(([name, m]) => {
    const dot = machineDot(m, name);
    const image = svg(dot);
    files.push({ name: `${name}.dot`, kind: 'dot', data: `// ${MIDPATH_MARK}: state graph of ${name}\n${dot}` });
    files.push({ name: `${name}.svg`, kind: 'svg', data: `<!-- ${MIDPATH_MARK}: state graph of ${name} -->\n${image}\n` });
    return { name, svg: image, file: `${name}.svg` };
  });
  for (const { result } of checked) {
    for (const r of result.results) {
      if (!r.counterexample) continue;
      files.push({ name: `${result.name}.${r.property}.mmd`, kind: 'mmd', data: `%% ${MIDPATH_MARK}: ${mermaidText(`${result.name} ${r.property}`)}\n${traceMermaid(r.counterexample)}` });
    }
  }
  const scenarios: ReportScenario[] = checked.map((c) => {
    const system = systemFigure(c, svg);
    return { result: c.result, description: c.scenario.description, ...(system === undefined ? {} : { system }) };
  });
  const html = htmlReport({
    scenarios,
    machines,
    counterexampleFiles: (s, p) => [`${s}.${p}.trace.json`, `${s}.${p}.pcapng`, `${s}.${p}.mmd`],
  });
  files.push({ name: 'index.html', kind: 'html', data: html });
  return files;
}
