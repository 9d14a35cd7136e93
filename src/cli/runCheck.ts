import { meetsExpectations, type CheckOptions, type ScenarioResult } from '../check.ts';
import { checkInWorkers } from './checkInWorkers.ts';
import { checkProgress } from './checkProgress.ts';
import { colours } from './colour.ts';
import { isPropertyId, unknownPropertyText, type PropertyId } from '../properties/catalogue.ts';
import { resolveScenario } from '../node/loadScenarioFile.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { ScenarioError } from '../scenarios/scenarioError.ts';
import { formatScenarioResult } from './formatScenarioResult.ts';
import { EXIT, type Io } from './io.ts';
import { junitXml } from '../reporting/junitXml.ts';
import { junitOnError } from './junitOnError.ts';
import { limitMessage } from './heapBudget.ts';
import { parseCommandArgs, positiveIntOption, stringList, stringOption } from './parseCommandArgs.ts';
import type { CheckedScenario } from './reportFiles.ts';
import { resultsJson } from '../reporting/resultsDocument.ts';
import { InputError, ScenarioErrors, UsageError } from './usageError.ts';
import { escapeText } from './escapeText.ts';
import { USAGE } from './usageText.ts';
import { inputFiles } from './inputFiles.ts';
import { JUNIT_FILE } from './outputKinds.ts';
import type { WriteStep } from './writeReportFiles.ts';

/**
 * A testing hook: `MIDPATH_TEST_KILL_AT=<step>:<n>` kills the process with
 * SIGKILL after the n-th (1-based) write step of that kind (writeReportFiles.ts
 * WriteStep), so a test can interrupt a real `check --out` at any moment.
 */
function interruptHook(io: Io): { afterStep?: (step: WriteStep) => void } {
  const m = /^([a-z-]+):(\d+)$/.exec(io.env['MIDPATH_TEST_KILL_AT'] ?? '');
  if (m === null) return {};
  let seen = 0;
  return {
    afterStep: (step) => {
      if (step === m[1] && ++seen === Number(m[2])) process.kill(process.pid, 'SIGKILL');
    },
  };
}

/** What cut a scenario short, for JUnit messages. */
export const junitLimitText = (s: ScenarioResult): string => (s.stoppedBy === undefined ? 'a limit cut the run short' : limitMessage(s.stoppedBy));

/** The exit code for a set of results: 1 if a complete run misses its expect, else 3 if a limit was hit, else 0. */
export function exitCodeFor(results: readonly ScenarioResult[]): number {
  if (results.some((r) => r.complete && !meetsExpectations(r))) return EXIT.failed;
  if (results.some((r) => !r.complete)) return EXIT.incomplete;
  return EXIT.ok;
}

/** @throws UsageError for an unknown property id, naming the closest one */
function selectedProperties(ids: readonly string[]): PropertyId[] | undefined {
  if (ids.length === 0) return undefined;
  const out: PropertyId[] = [];
  for (const id of ids) {
    if (!isPropertyId(id)) throw new UsageError('check', `--property ${id}: ${unknownPropertyText(id)}`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * Loads every scenario named, so one run reports every bad file at once.
 *
 * @throws ScenarioErrors listing each scenario that cannot be used
 */
function resolveAll(args: readonly string[]): Scenario[] {
  const errors: ScenarioError[] = [];
  const scenarios = args.flatMap((arg): Scenario[] => {
    try {
      return [resolveScenario(arg)];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      errors.push(e);
      return [];
    }
  });
  if (errors.length > 0) throw new ScenarioErrors(errors);
  refuseDuplicateNames(args, scenarios);
  return scenarios;
}

/**
 * Two scenarios of one run may not share a name: their report files
 * (`<name>.<property>.trace.json`, …) and HTML rows would collide. The run
 * is refused (rather than renaming files) so that file names stay
 * predictable from the scenario name.
 *
 * @throws InputError naming both sources
 */
export function refuseDuplicateNames(args: readonly string[], scenarios: readonly Scenario[]): void {
  const first = new Map<string, string>();
  scenarios.forEach((s, i) => {
    const source = args[i]!;
    const earlier = first.get(s.name);
    if (earlier !== undefined) {
      throw new InputError(`two scenarios named ${s.name} in one run: ${escapeText(earlier)} and ${escapeText(source)} (their report files would overwrite each other; give one of them another name)`);
    }
    first.set(s.name, source);
  });
}

/**
 * Checks the scenarios (in parallel on worker threads when there are
 * several), keeping each beside its result (the reports need its addresses).
 */
export async function checkScenarios(scenarios: readonly Scenario[], options: CheckOptions, io?: Io): Promise<CheckedScenario[]> {
  const progress = io === undefined ? { finish: () => {} } : checkProgress(io, scenarios);
  let results: ScenarioResult[];
  try {
    results = await checkInWorkers(scenarios, options, 'onProgress' in progress ? progress.onProgress : undefined);
  } finally {
    progress.finish();
  }
  return scenarios.map((scenario, i) => ({ scenario, result: results[i]! }));
}

/**
 * `midpath check <scenario-file|preset>... [--json] [--out DIR] [--property ID]...
 * [--max-states N] [--time-budget MS] [--first] [--junit FILE]`. Every scenario is
 * loaded before any is checked, so bad input fails fast with exit 2.
 */
export function runCheck(argv: readonly string[], io: Io): Promise<number> {
  return junitOnError('check', argv, () => check(argv, io));
}

async function check(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    json: { type: 'boolean' },
    out: { type: 'string' },
    property: { type: 'string', multiple: true },
    'max-states': { type: 'string' },
    'time-budget': { type: 'string' },
    'max-heap': { type: 'string' },
    'max-counterexample-instants': { type: 'string' },
    first: { type: 'boolean' },
    junit: { type: 'string' },
  });
  if (values['help'] === true) {
    io.out(`${USAGE.check}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('check', 'missing scenario: name a scenario file or a preset (see midpath presets)');
  const selected = selectedProperties(stringList(values, 'property'));
  const maxStates = positiveIntOption('check', values, 'max-states');
  const timeBudgetMs = positiveIntOption('check', values, 'time-budget');
  const maxHeapMb = positiveIntOption('check', values, 'max-heap');
  const maxCounterexampleInstants = positiveIntOption('check', values, 'max-counterexample-instants');
  const scenarios = resolveAll(positionals);
  const inputs = inputFiles(positionals);
  const junit = stringOption(values, 'junit');
  const out = stringOption(values, 'out');
  // The file writers (and node:crypto, which hashes for their manifests) load only when a file is to be written.
  const [textFiles, reportFolder] = await Promise.all([
    junit === undefined ? undefined : import('./writeTextFile.ts'),
    out === undefined ? undefined : import('./writeReportFiles.ts'),
  ]);
  if (junit !== undefined) textFiles!.assertReplaceable(junit, JUNIT_FILE, inputs);
  if (out !== undefined) reportFolder!.assertReportFolder(out);
  const options: CheckOptions = {
    ...(selected === undefined ? {} : { properties: selected }),
    ...(maxStates === undefined ? {} : { maxStates }),
    ...(timeBudgetMs === undefined ? {} : { timeBudgetMs }),
    ...(maxHeapMb === undefined ? {} : { maxHeapBytes: maxHeapMb * 1024 * 1024 }),
    ...(maxCounterexampleInstants === undefined ? {} : { maxCounterexampleInstants }),
    ...(values['first'] === true ? { stopAtFirst: true } : {}),
  };
  const checked = await checkScenarios(scenarios, options, io);
  const results = checked.map((c) => c.result);
  if (values['json'] === true) io.out(resultsJson(results));
  else {
    const c = colours(io);
    io.out(`${results.map((r) => formatScenarioResult(r, c.enabled ? c : undefined).join('\n')).join('\n\n')}\n`);
  }
  if (out !== undefined) {
    // The report renderers and Graphviz load only when reports are written.
    const [{ reportFiles }, { svgRenderer }] = await Promise.all([import('./reportFiles.ts'), import('../reporting/renderSvg.ts')]);
    const written = reportFolder!.writeReportFiles(out, reportFiles(checked, await svgRenderer()), { inputs, ...interruptHook(io) });
    if (values['json'] !== true) io.out(`\nwrote ${written.length} file(s) to ${out}\n`);
  }
  if (junit !== undefined) textFiles!.writeTextFile(junit, junitXml(results, junitLimitText), JUNIT_FILE, inputs);
  return exitCodeFor(results);
}
