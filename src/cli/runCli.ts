import { ScenarioError } from '../scenarios/scenarioError.ts';
import { EXIT, type Io } from './io.ts';
import { runCheck } from './runCheck.ts';
import { runPresets } from './runPresets.ts';
import { runStart } from './runStart.ts';
import { runTrace } from './runTrace.ts';
import { InputError, UsageError } from './usageError.ts';
import { USAGE, isCommandName, type CommandName } from './usageText.ts';
import { suggestName } from '../scenarios/suggestName.ts';

const COMMANDS: Record<CommandName, (argv: readonly string[], io: Io) => number> = {
  check: runCheck,
  start: runStart,
  presets: runPresets,
  trace: runTrace,
};

function dispatch(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(`${USAGE.main}\n`);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(`${USAGE.main}\n`);
    return EXIT.ok;
  }
  if (!isCommandName(command)) {
    const hint = suggestName(command, Object.keys(COMMANDS));
    throw new UsageError(undefined, `unknown command '${command}'${hint === undefined ? '' : ` (did you mean ${hint}?)`}`);
  }
  return COMMANDS[command](rest, io);
}

/**
 * Runs one midpath command line (without the `node`/script words) and
 * returns its exit code. Never throws: a usage error or bad input prints one
 * line per problem on `io.err` and gives 2; a scenario error prints its field
 * paths and lines; anything else is a midpath bug, printed as one line (the
 * stack too with `MIDPATH_DEBUG=1`), exit 70.
 */
export function runCli(argv: readonly string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const prefix = e.command === undefined ? 'midpath' : `midpath ${e.command}`;
      io.err(`${prefix}: ${e.message} (see ${prefix} --help)\n`);
      if (e.command === undefined) io.err(`${USAGE.main}\n`);
      return EXIT.usage;
    }
    if (e instanceof ScenarioError) {
      io.err(`${e.format()}\n`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      io.err(`midpath: ${e.message}\n`);
      return EXIT.usage;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`midpath: internal error: ${message.split('\n')[0]}\n`);
    if (io.env['MIDPATH_DEBUG'] === '1' && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return EXIT.internal;
  }
}
