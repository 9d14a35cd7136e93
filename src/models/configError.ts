/**
 * A configuration value that a machine cannot be built from. Thrown by the
 * `parse…Config` functions before any machine exists; the CLI turns it into
 * a one-line message and exit code 2 (never a stack trace).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /**
   * @param field dotted path of the offending field, e.g. `idleTimeout` or `keepalive.probes`
   * @param message what is wrong and what is allowed, naming the range, e.g.
   *   `idleTimeout: 59 is below the minimum 60 (allowed 60..6000 seconds)`
   */
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
