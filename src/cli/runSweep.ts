import { check, type CheckOptions } from '../check.ts';
import { LimitError, limitMessage, withHeapProbe } from './heapBudget.ts';
import { isPropertyId, properties as catalogue, unknownPropertyText, type PropertyId } from '../properties/catalogue.ts';
import { resolveScenario } from '../node/loadScenarioFile.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { validateScenario } from '../scenarios/validateScenario.ts';
import { setField, type FieldSetting } from '../sweep/fieldPath.ts';
import { sweepPoints, unitCount, shardUnits, type Shard, type SweepSpec, type Verdicts } from '../sweep/sweep.ts';
import { sweepDocument } from '../sweep/sweepDocument.ts';
import { formatSweep } from './formatSweep.ts';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs, positiveIntOption, stringList, stringOption } from './parseCommandArgs.ts';
import { parseShard, parseVary, type VaryArg } from './parseVary.ts';
import { progressMode, sweepProgress } from './sweepProgress.ts';
import { UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';
import { assertReplaceable, writeTextFile } from './writeTextFile.ts';
import { junitOnError } from './junitOnError.ts';
import { JUNIT_FILE } from './outputKinds.ts';
import { junitSuitesXml } from '../reporting/junitXml.ts';
import { findingSentence } from './formatSweep.ts';
import { inputFiles } from './inputFiles.ts';
import { SWEEP_FILE } from './sweepFileKind.ts';
import type { SweepDocument } from '../sweep/sweepDocument.ts';

const COMMAND = 'sweep';
/** Default sample points per axis. */
const DEFAULT_SAMPLES = 5;
const MAX_SAMPLES = 100;

/** @throws UsageError for an unknown property id, naming the closest one */
function selectedProperties(ids: readonly string[]): PropertyId[] {
  const known = catalogue.map((p) => p.id);
  if (ids.length === 0) return known;
  for (const id of ids) if (!isPropertyId(id)) throw new UsageError(COMMAND, `--property ${id}: ${unknownPropertyText(id)}`);
  return known.filter((id) => ids.includes(id));
}

/**
 * The scenario with each axis set to its value, validated as a scenario
 * file would be (an out-of-range value is a ScenarioError naming the field).
 *
 * @throws UsageError when a field path does not exist in the scenario
 * @throws ScenarioError when a value is not allowed
 */
function scenarioAt(base: Scenario, source: string, axes: readonly VaryArg[], values: readonly number[], notes?: string[]): Scenario {
  let data: Scenario | FieldSetting['value'] = base;
  axes.forEach((axis, i) => {
    const set = setField(data, axis.segments, values[i]!);
    if (!set.ok) throw new UsageError(COMMAND, `--vary ${axis.field}: ${set.message}`);
    if (set.value.note !== undefined && notes !== undefined && !notes.includes(set.value.note)) notes.push(set.value.note);
    data = set.value.value;
  });
  return validateScenario(data, `${source} with ${axes.map((a, i) => `${a.field}=${values[i]}`).join(', ')}`);
}

/**
 * A sweep as JUnit: one suite `sweep <scenario>`, one passing test case per
 * property whose `<system-out>` lists where its verdict flips (a sweep
 * finds boundaries; it has no expectation to fail). Errors (bad input, a
 * point cut short by a limit) are written by junitOnError instead.
 */
function sweepJunit(doc: SweepDocument): string {
  const last = doc.axes[doc.axes.length - 1]!.field;
  return junitSuitesXml([
    {
      name: `sweep ${doc.scenario.name}`,
      time: doc.stats.ms / 1000,
      cases: doc.properties.map((p) => ({
        name: p,
        classname: `midpath.sweep.${doc.scenario.name}`,
        systemOut: doc.findings
          .filter((f) => f.property === p)
          .map((f) => `${doc.axes.length === 2 ? `${doc.axes[0]!.field} = ${f.at[0]}: ` : ''}${findingSentence(f, last)}`)
          .join('\n'),
      })),
    },
  ]);
}

/**
 * `midpath sweep <scenario> --vary <field>=<from>..<to> [--vary …]
 * [--shard k/n] [--samples N] [--property ID]... [--out FILE] [--json]`:
 * checks the scenario over a range of one or two fields and prints where
 * each property's verdict flips. Every range end is validated before the
 * first check, so a value out of range fails at once with exit 2.
 */
export function runSweep(argv: readonly string[], io: Io): Promise<number> {
  return junitOnError(COMMAND, argv, () => sweep(argv, io));
}

function sweep(argv: readonly string[], io: Io): number {
  const { values, positionals } = parseCommandArgs(COMMAND, argv, {
    vary: { type: 'string', multiple: true },
    shard: { type: 'string' },
    samples: { type: 'string' },
    property: { type: 'string', multiple: true },
    out: { type: 'string' },
    json: { type: 'boolean' },
    junit: { type: 'string' },
    'max-states': { type: 'string' },
    'time-budget': { type: 'string' },
    'max-heap': { type: 'string' },
  });
  if (values['help'] === true) {
    io.out(`${USAGE.sweep}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(COMMAND, 'missing scenario: name a scenario file or a preset (see midpath presets)');
  if (positionals.length > 1) throw new UsageError(COMMAND, `one scenario at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const varyTexts = stringList(values, 'vary');
  if (varyTexts.length === 0) throw new UsageError(COMMAND, 'missing --vary <field>=<from>..<to>, e.g. --vary client.keepalive.idle=60..7200');
  if (varyTexts.length > 2) throw new UsageError(COMMAND, `at most two --vary (a 2-D grid), got ${varyTexts.length}`);
  const axes = varyTexts.map((t) => parseVary(COMMAND, t));
  if (axes.length === 2 && axes[0]!.field === axes[1]!.field) throw new UsageError(COMMAND, `--vary ${axes[0]!.field} is given twice`);
  const shardText = stringOption(values, 'shard');
  const shard: Shard = shardText === undefined ? { index: 1, count: 1 } : parseShard(COMMAND, shardText);
  const samples = positiveIntOption(COMMAND, values, 'samples') ?? DEFAULT_SAMPLES;
  if (samples < 2 || samples > MAX_SAMPLES) throw new UsageError(COMMAND, `--samples expects 2..${MAX_SAMPLES}, got ${samples}`);
  const props = selectedProperties(stringList(values, 'property'));
  const maxStates = positiveIntOption(COMMAND, values, 'max-states');
  const timeBudgetMs = positiveIntOption(COMMAND, values, 'time-budget');
  const maxHeapMb = positiveIntOption(COMMAND, values, 'max-heap');
  const limits: CheckOptions = withHeapProbe({
    ...(maxStates === undefined ? {} : { maxStates }),
    ...(timeBudgetMs === undefined ? {} : { timeBudgetMs }),
    ...(maxHeapMb === undefined ? {} : { maxHeapBytes: maxHeapMb * 1024 * 1024 }),
  });
  const source = positionals[0]!;
  const base = resolveScenario(source);
  const junit = stringOption(values, 'junit');
  const out = stringOption(values, 'out');
  if (junit !== undefined) assertReplaceable(junit, JUNIT_FILE, inputFiles([source]));
  if (out !== undefined) assertReplaceable(out, SWEEP_FILE, inputFiles([source]));

  // every range end, with the other axis at its start: bad fields and values fail before any check
  const notes: string[] = [];
  axes.forEach((axis, i) => {
    for (const v of [axis.from, axis.to]) scenarioAt(base, source, axes, axes.map((a, j) => (j === i ? v : a.from)), notes);
  });

  const spec: SweepSpec = { axes: axes.map((a) => ({ field: a.field, from: a.from, to: a.to })), samples, properties: props };
  const label = `sweep ${base.name}${shard.count > 1 ? ` ${shard.index}/${shard.count}` : ''}`;
  const progress = sweepProgress(io, progressMode(io.env, process.stderr.isTTY === true), label, spec.axes.map((a) => a.field), props, shardUnits(unitCount(spec), shard).length, process.stderr.columns);
  let ms = 0;
  const evaluate = (point: readonly number[]): Verdicts => {
    const scenario = scenarioAt(base, source, axes, point);
    const started = performance.now();
    const result = check(scenario, { ...limits, properties: props, replay: false });
    ms += performance.now() - started;
    if (!result.complete) {
      const at = axes.map((a, i) => `${a.field}=${point[i]}`).join(', ');
      throw new LimitError(`the check at ${at} did not finish: ${result.stoppedBy === undefined ? 'a limit was hit' : limitMessage(result.stoppedBy)} (each point of a sweep gets these limits)`);
    }
    return Object.fromEntries(result.results.map((r) => [r.property, r.holds]));
  };
  let points;
  try {
    points = sweepPoints(spec, shard, evaluate, progress);
  } finally {
    progress.finish();
  }
  const doc = sweepDocument({ scenario: base, source, spec, shard, notes, points, ms });
  if (junit !== undefined) writeTextFile(junit, sweepJunit(doc), JUNIT_FILE, inputFiles([source]));
  if (out !== undefined) writeTextFile(out, `${JSON.stringify(doc, null, 2)}\n`, SWEEP_FILE, inputFiles([source]));
  if (values['json'] === true) io.out(`${JSON.stringify(doc, null, 2)}\n`);
  else io.out(`${formatSweep(doc, 'sweep')}${out === undefined ? '' : `wrote ${out}\n`}`);
  return EXIT.ok;
}
