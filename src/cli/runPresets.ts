import { listPresets } from '../scenarios/presets.ts';
import { EXIT, type Io } from './io.ts';
import { parseCommandArgs } from './parseCommandArgs.ts';
import { UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';

/** Collapses a multi-line description to one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `midpath presets`: one line per bundled preset, `name — description`. */
export function runPresets(argv: readonly string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('presets', argv, {});
  if (values['help'] === true) {
    io.out(`${USAGE.presets}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('presets', `takes no arguments, got '${positionals[0]}'`);
  const list = listPresets();
  const width = Math.max(...list.map((p) => p.name.length));
  io.out(`${list.map((p) => `${p.name.padEnd(width)} — ${oneLine(p.description)}`).join('\n')}\n`);
  return EXIT.ok;
}
