import type { ScenarioError } from '../scenarios/scenarioError.ts';

/**
 * A command line that cannot be run: an unknown command or option, a
 * missing argument, a value of the wrong form. The CLI prints its message
 * as one line and exits with code 2, never with a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /**
   * @param command the command it concerns (`check`), or `undefined` for the top level
   * @param message what is wrong, naming the argument
   */
  constructor(
    readonly command: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A problem with an input file other than a scenario (a trace file, an output folder): exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Several scenarios that cannot be used, reported together (exit 2). */
export class ScenarioErrors extends Error {
  override readonly name = 'ScenarioErrors';
  /** @param errors one per scenario argument that could not be loaded, in command-line order */
  constructor(readonly errors: readonly ScenarioError[]) {
    super(errors.map((e) => e.format()).join('\n'));
  }
}
