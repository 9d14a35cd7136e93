import { loadPreset, presetNames } from '../scenarios/presets.ts';
import { svgRenderer } from '../reporting/renderSvg.ts';
import { formatWindow } from './formatSeconds.ts';
import { formatTable } from './formatTable.ts';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs } from './parseCommandArgs.ts';
import { propertyOutcome, verdictWord } from './propertyOutcome.ts';
import { reportFiles, type CheckedScenario } from './reportFiles.ts';
import { checkScenarios, exitCodeFor } from './runCheck.ts';
import { UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';
import { writeReportFiles } from './writeReportFiles.ts';

/** Where `midpath start` writes its reports, relative to the working folder. */
export const REPORTS_DIR = 'reports';

const MARK = { met: '✔', unmet: '✘', unchecked: '·', incomplete: '?' } as const;

/** The table rows: scenario, property, verdict, expected, window, ✔/✘ (· where the scenario states no expectation). */
function tableRows(checked: readonly CheckedScenario[]): string[][] {
  return checked.flatMap(({ result: s }) =>
    s.results.map((r) => [s.name, r.property, verdictWord(r), r.expected ?? '—', r.window ? formatWindow(r.window.idleGapUnion) : '', MARK[propertyOutcome(s, r)]]),
  );
}

/**
 * `midpath start` (`npm start`), the main job: checks every bundled preset
 * against its `expect`, prints a table, and writes the reports to
 * `reports/` as `check --out reports` would.
 */
export async function runStart(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('start', argv, {});
  if (values['help'] === true) {
    io.out(`${USAGE.start}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('start', `takes no arguments, got '${positionals[0]}' (to check one scenario: midpath check ${positionals[0]})`);
  const checked = await checkScenarios(presetNames().map(loadPreset), {});
  const header = ['scenario', 'property', 'verdict', 'expected', 'window', ''];
  const written = writeReportFiles(REPORTS_DIR, reportFiles(checked, await svgRenderer()));
  const code = exitCodeFor(checked.map((c) => c.result));
  const summary = code === EXIT.ok ? 'every expectation holds' : code === EXIT.incomplete ? 'INCOMPLETE: a limit was hit' : 'SOME EXPECTATIONS DO NOT HOLD';
  io.out(`${[...formatTable(header, tableRows(checked)), '', `${summary}; wrote ${written.length} file(s) to ${REPORTS_DIR}/`].join('\n')}\n`);
  return code;
}
