import { loadPreset, presetNames } from '../scenarios/presets.ts';
import { svgRenderer } from '../reporting/renderSvg.ts';
import { junitXml } from '../reporting/junitXml.ts';
import { colours } from './colour.ts';
import { formatWindow } from './formatSeconds.ts';
import { formatTable } from './formatTable.ts';
import { EXIT, type Io } from './io.ts';
import { junitOnError } from './junitOnError.ts';
import { JUNIT_FILE } from './outputKinds.ts';
import { parseCommandArgs, stringOption } from './parseCommandArgs.ts';
import { propertyOutcome, verdictWord } from '../reporting/propertyOutcome.ts';
import { reportFiles, type CheckedScenario } from './reportFiles.ts';
import { checkScenarios, exitCodeFor, junitLimitText } from './runCheck.ts';
import { UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';
import { writeReportFiles } from './writeReportFiles.ts';
import { assertReplaceable, writeTextFile } from './writeTextFile.ts';

/** Where `midpath start` writes its reports, relative to the working folder. */
export const REPORTS_DIR = 'reports';

const MARK = { met: '✔', unmet: '✘', unchecked: '·', incomplete: '?' } as const;

/** The table's columns. */
export const TABLE_HEADER = ['scenario', 'property', 'verdict', 'expected', 'idle-gap window', 'met'] as const;

/** One line per column and symbol of the table, printed under it. */
export const TABLE_LEGEND: readonly string[] = [
  'legend:',
  '  verdict          holds: no timing of any allowed behaviour violates the property (exhaustive)',
  '                   violated: a counterexample exists (replayed on the simulator; see the report)',
  '                   incomplete: a limit cut the run short before it was decided',
  "  expected         what the scenario's expect says (— : it says nothing for this property)",
  '  idle-gap window  idle gaps (seconds since the connection last carried a segment) at which the',
  '                   violation is reachable: ( ) excludes a bound, [ ] includes it, ∞ no upper bound',
  '  met              ✔ the verdict is as expected   ✘ it is not   · no expectation for this property',
  '                   ? not decided (a limit was hit)',
];

/** The table rows: scenario, property, verdict, expected, window, ✔/✘ (· where the scenario states no expectation). */
function tableRows(checked: readonly CheckedScenario[]): string[][] {
  return checked.flatMap(({ result: s }) =>
    s.results.map((r) => [s.name, r.property, verdictWord(r), r.expected ?? '—', r.window ? formatWindow(r.window.idleGapUnion).replace(/^idle gap \u2208 /, '') : '', MARK[propertyOutcome(s, r)]]),
  );
}

/**
 * `midpath start` (`npm start`), the main job: checks every bundled preset
 * against its `expect`, prints a table with a header and a legend for every
 * column and symbol, writes the reports to `reports/` as `check --out
 * reports` would (and JUnit with `--junit FILE`), and ends by saying where
 * the report is.
 */
export function runStart(argv: readonly string[], io: Io): Promise<number> {
  return junitOnError('start', argv, () => start(argv, io));
}

async function start(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('start', argv, { junit: { type: 'string' } });
  if (values['help'] === true) {
    io.out(`${USAGE.start}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('start', `takes no arguments, got '${positionals[0]}' (to check one scenario: midpath check ${positionals[0]})`);
  const junit = stringOption(values, 'junit');
  if (junit !== undefined) assertReplaceable(junit, JUNIT_FILE);
  const checked = await checkScenarios(presetNames().map(loadPreset), {}, io);
  const written = writeReportFiles(REPORTS_DIR, reportFiles(checked, await svgRenderer()));
  const results = checked.map((c) => c.result);
  if (junit !== undefined) writeTextFile(junit, junitXml(results, junitLimitText), JUNIT_FILE);
  const code = exitCodeFor(results);
  const c = colours(io);
  const summary = code === EXIT.ok ? c.green('every expectation holds') : code === EXIT.incomplete ? c.yellow('INCOMPLETE: a limit was hit') : c.red('SOME EXPECTATIONS DO NOT HOLD');
  const [head, rule, ...rows] = formatTable(TABLE_HEADER, tableRows(checked));
  const coloured = rows.map((line) => line.replace(/\u2714$/, c.green('✔')).replace(/\u2718$/, c.red('✘')).replace(/\?$/, c.yellow('?')));
  io.out(
    `${[c.bold(head ?? ''), rule ?? '', ...coloured, '', ...TABLE_LEGEND.map(c.dim), '', `${summary}; wrote ${written.length} file(s) to ${REPORTS_DIR}/${junit === undefined ? '' : ` and ${junit}`}`, `see the report: open ${REPORTS_DIR}/index.html`].join('\n')}\n`,
  );
  return code;
}
