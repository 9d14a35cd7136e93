import { ScenarioError } from '../scenarios/scenarioError.ts';
import { EXIT, type Io } from './io.ts';
import { LimitError } from './heapBudget.ts';
import { escapeText } from './escapeText.ts';
import { InputError, ScenarioErrors, UsageError } from './usageError.ts';
import { USAGE } from './usageText.ts';

/**
 * Prints what went wrong and returns the exit code: a usage error as one
 * line (with the command list after an unknown command), exit 2; a scenario
 * error as its lines with field paths and source lines, exit 2; other bad
 * input as one line, exit 2; anything else is a midpath bug: one line
 * `midpath: internal error: …` (the stack too when `MIDPATH_DEBUG=1`), exit 70.
 */
export function reportError(e: unknown, io: Io): number {
  if (e instanceof UsageError) {
    const prefix = e.command === undefined ? 'midpath' : `midpath ${e.command}`;
    io.err(`${prefix}: ${escapeText(e.message)} (see ${prefix} --help)\n`);
    if (e.command === undefined) io.err(`${USAGE.main}\n`);
    return EXIT.usage;
  }
  if (e instanceof ScenarioError || e instanceof ScenarioErrors) {
    io.err(`${(e instanceof ScenarioError ? e.format() : e.message).split('\n').map(escapeText).join('\n')}\n`);
    return EXIT.usage;
  }
  if (e instanceof InputError) {
    io.err(`midpath: ${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof LimitError) {
    io.err(`midpath: incomplete: ${e.message}\n`);
    return EXIT.incomplete;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`midpath: internal error: ${escapeText(message.split('\n')[0] ?? '')}\n`);
  if (io.env['MIDPATH_DEBUG'] === '1' && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  return EXIT.internal;
}
