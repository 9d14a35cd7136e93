import type { ScenarioResult } from '../check.ts';
import { tracePcapng } from '../reporting/tracePcapng.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { SvgRenderer } from '../reporting/renderSvg.ts';
import { resultsJson } from '../reporting/resultsDocument.ts';
import { visualReportFiles } from './visualReportFiles.ts';
import { wireAddresses } from '../reporting/wireAddresses.ts';

/** What a report file holds, so a writer can tell its own files from anyone else's. */
export type ReportKind = 'trace' | 'pcapng' | 'results' | 'html' | 'dot' | 'svg' | 'mmd';

/** One file of a report folder: its name in the folder and its bytes. */
export interface ReportFile {
  readonly name: string;
  readonly kind: ReportKind;
  readonly data: string | Uint8Array;
}

/** A checked scenario together with the scenario it came from (for addresses). */
export interface CheckedScenario {
  readonly scenario: Scenario;
  readonly result: ScenarioResult;
}


/**
 * The files `--out DIR` writes, and only these names: per violated
 * property with a counterexample, `<scenario>.<property>.trace.json` (the
 * Trace) and `<scenario>.<property>.pcapng` (its segments on the wire), and
 * `results.json` (the `--json` document); with an SVG renderer also the
 * visual files ({@link visualReportFiles}: index.html, machine graphs,
 * `.mmd` per counterexample). Pure: the caller writes them.
 */
export function reportFiles(checked: readonly CheckedScenario[], svg?: SvgRenderer): ReportFile[] {
  const files: ReportFile[] = [];
  for (const { scenario, result } of checked) {
    for (const r of result.results) {
      const trace = r.counterexample;
      if (!trace) continue;
      const base = `${result.name}.${r.property}`;
      files.push({ name: `${base}.trace.json`, kind: 'trace', data: `${JSON.stringify(trace, null, 2)}\n` });
      files.push({ name: `${base}.pcapng`, kind: 'pcapng', data: tracePcapng(trace, wireAddresses(scenario)) });
    }
  }
  if (svg) files.push(...visualReportFiles(checked, svg));
  files.push({ name: 'results.json', kind: 'results', data: resultsJson(checked.map((c) => c.result)) });
  return files;
}
