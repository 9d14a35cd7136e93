import { junitErrorXml } from '../reporting/junitXml.ts';
import { ScenarioError } from '../scenarios/scenarioError.ts';
import { LimitError } from './heapBudget.ts';
import { inputFiles } from './inputFiles.ts';
import { JUNIT_FILE } from './outputKinds.ts';
import { InputError, ScenarioErrors, UsageError } from './usageError.ts';

/**
 * The `--junit FILE` of a command line, read before the options are parsed,
 * so that a run refused for its options still writes its JUnit error.
 */
export function junitPathIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--junit') return argv[i + 1];
    if (a.startsWith('--junit=')) return a.slice('--junit='.length);
  }
  return undefined;
}

/**
 * Runs a command; when it fails before writing its JUnit file, writes a
 * JUnit file carrying the error instead (bad input, a refused output, a
 * limit, or an internal error), so CI never reads a stale one, then
 * rethrows. Every file named on the command line is protected as an input.
 * A JUnit path that is itself refused (a user's file, an input)
 * is left alone: the original error is what is reported.
 */
export async function junitOnError<T>(command: string, argv: readonly string[], run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const path = junitPathIn(argv);
    if (path !== undefined && path !== '' && !path.startsWith('-')) {
      const type = e instanceof LimitError ? 'incomplete' : e instanceof UsageError || e instanceof InputError || e instanceof ScenarioError || e instanceof ScenarioErrors ? 'bad-input' : 'internal';
      const message = e instanceof ScenarioError ? e.format() : e instanceof Error ? e.message : String(e);
      try {
        const { writeTextFile } = await import('./writeTextFile.ts');
        writeTextFile(path, junitErrorXml(command, type, message), JUNIT_FILE, inputFiles(argv.filter((a) => a !== path && !a.startsWith('-'))));
      } catch (w) {
        if (!(w instanceof InputError)) throw w;
      }
    }
    throw e;
  }
}
