import { suggestName } from '../scenarios/suggestName.ts';
import { EXIT, type Io } from './io.ts';
import { runCheck } from './runCheck.ts';
import { runPresets } from './runPresets.ts';
import { runStart } from './runStart.ts';
import { runTrace } from './runTrace.ts';
import { runGraph } from './runGraph.ts';
import { runMerge } from './runMerge.ts';
import { runSweep } from './runSweep.ts';
import { runExport } from './exportCommand.ts';
import { reportError } from './reportError.ts';
import { UsageError } from './usageError.ts';
import { USAGE, isCommandName, type CommandName } from './usageText.ts';

const COMMANDS: Record<CommandName, (argv: readonly string[], io: Io) => number | Promise<number>> = {
  check: runCheck,
  start: runStart,
  presets: runPresets,
  trace: runTrace,
  graph: runGraph,
  sweep: runSweep,
  merge: runMerge,
  export: runExport,
};

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
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
 * stack too with `MIDPATH_DEBUG=1`), exit 70. Async because reports load Graphviz (WebAssembly).
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return reportError(e, io);
  }
}
