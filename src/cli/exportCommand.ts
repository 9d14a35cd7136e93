import { PROMELA_PROPERTIES, promelaRefusal, toPromela, type PromelaPropertyId } from '../reporting/promela.ts';
import { resolveScenario } from '../node/loadScenarioFile.ts';
import { suggestName } from '../scenarios/suggestName.ts';
import { toTopology } from '../scenarios/toTopology.ts';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs, positiveIntOption, stringOption } from './parseCommandArgs.ts';
import { InputError, UsageError } from './usageError.ts';
import { escapeText } from './escapeText.ts';
import { inputFiles } from './inputFiles.ts';
import { assertReplaceable, writeTextFile } from './writeTextFile.ts';
import { EXPORT_USAGE } from './exportUsage.ts';

/** @throws UsageError for an unknown property id, naming the closest one */
function propertyOf(id: string | undefined): PromelaPropertyId | undefined {
  if (id === undefined) return undefined;
  const p = PROMELA_PROPERTIES.find((q) => q.id === id);
  if (p) return p.id;
  const known = PROMELA_PROPERTIES.map((q) => q.id);
  const hint = suggestName(id, known);
  throw new UsageError('export', `--property ${id}: unknown property${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known: ${known.join(', ')}`);
}

/**
 * `midpath export --promela <scenario|preset> [--out FILE] [--property ID]
 * [--ticks-per-second N]`: prints (or writes) the scenario's Promela model
 * (src/reporting/promela.ts).
 *
 * @throws InputError (exit 2) for a path the export does not cover, naming `path[i].type` and the kinds it covers
 */
export function runExport(argv: readonly string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('export', argv, {
    promela: { type: 'boolean' },
    out: { type: 'string' },
    property: { type: 'string' },
    'ticks-per-second': { type: 'string' },
  });
  if (values['help'] === true) {
    io.out(`${EXPORT_USAGE}\n`);
    return EXIT.ok;
  }
  if (values['promela'] !== true) throw new UsageError('export', 'name the format: --promela');
  if (positionals.length !== 1) throw new UsageError('export', `expects one scenario file or preset, got ${positionals.length}`);
  const property = propertyOf(stringOption(values, 'property'));
  const ticksPerSecond = positiveIntOption('export', values, 'ticks-per-second');
  const out = stringOption(values, 'out');
  const inputs = inputFiles(positionals);
  if (out !== undefined) assertReplaceable(out, undefined, inputs);
  const topology = toTopology(resolveScenario(positionals[0]!));
  const refused = promelaRefusal(topology);
  if (refused !== undefined) throw new InputError(`export --promela ${escapeText(positionals[0]!)}: ${refused}`);
  const model = toPromela(topology, { ...(property ? { property } : {}), ...(ticksPerSecond ? { ticksPerSecond } : {}) });
  if (out === undefined) io.out(model.endsWith('\n') ? model : `${model}\n`);
  else {
    writeTextFile(out, model, undefined, inputs);
    io.err(`wrote ${escapeText(out)}\n`);
  }
  return EXIT.ok;
}
