import { readFileSync } from 'node:fs';
import { suggestName } from '../scenarios/suggestName.ts';
import { EXIT, type Io } from './io.ts';
import { UsageError } from './usageError.ts';
import { USAGE, isCommandName, type CommandName } from './usageText.ts';

type Command = (argv: readonly string[], io: Io) => number | Promise<number>;

/**
 * Each command's module, loaded only when that command runs (so `midpath presets`
 * does not load the explorer, the report renderers or Graphviz).
 */
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  check: async () => (await import('./runCheck.ts')).runCheck,
  start: async () => (await import('./runStart.ts')).runStart,
  presets: async () => (await import('./runPresets.ts')).runPresets,
  trace: async () => (await import('./runTrace.ts')).runTrace,
  graph: async () => (await import('./runGraph.ts')).runGraph,
  sweep: async () => (await import('./runSweep.ts')).runSweep,
  merge: async () => (await import('./runMerge.ts')).runMerge,
  export: async () => (await import('./exportCommand.ts')).runExport,
  init: async () => (await import('./runInit.ts')).runInit,
};

/** This midpath's version, from its package.json (next to src/ and dist/). */
function version(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** `midpath help [command]`: the main help, or one command's (as `midpath <command> --help`). */
function help(argv: readonly string[], io: Io): number {
  const [topic, ...extra] = argv;
  if (extra.length > 0) throw new UsageError('help', `takes at most one command, got ${argv.length}`);
  if (topic === undefined || topic === 'help') {
    io.out(`${USAGE.main}\n`);
    return EXIT.ok;
  }
  if (!isCommandName(topic)) {
    const hint = suggestName(topic, Object.keys(COMMANDS));
    throw new UsageError('help', `unknown command '${topic}'${hint === undefined ? '' : ` (did you mean ${hint}?)`}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  }
  io.out(`${USAGE[topic]}\n`);
  return EXIT.ok;
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(`${USAGE.main}\n`);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h') {
    io.out(`${USAGE.main}\n`);
    return EXIT.ok;
  }
  if (command === '--version' || command === '-V') {
    if (rest.length > 0) throw new UsageError(undefined, `${command} takes no arguments, got '${rest[0]}'`);
    io.out(`midpath ${version()}\n`);
    return EXIT.ok;
  }
  if (command === 'help') return help(rest, io);
  if (command.startsWith('-')) {
    const hint = suggestName(command.replace(/^-+/, ''), ['help', 'version']);
    throw new UsageError(undefined, `unknown option '${command}'${hint === undefined ? '' : ` (did you mean --${hint}?)`}`);
  }
  if (!isCommandName(command)) {
    const hint = suggestName(command, Object.keys(COMMANDS));
    throw new UsageError(undefined, `unknown command '${command}'${hint === undefined ? '' : ` (did you mean ${hint}?)`}`);
  }
  return (await COMMANDS[command]())(rest, io);
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
    // loaded only when something went wrong (it reaches the checker's types and limits)
    const { reportError } = await import('./reportError.ts');
    return reportError(e, io);
  }
}
