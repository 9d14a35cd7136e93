/**
 * Stable codes for what went wrong with a scenario; tests and tools may
 * match on them, the wording of messages may change.
 */
export type ScenarioIssueCode =
  /** The file could not be found or read, or is not UTF-8 text. */
  | 'io'
  /** Over the 1 MiB size limit, or nested too deeply. */
  | 'too-large'
  /** The file is empty or holds only comments. */
  | 'empty'
  /** YAML or JSON syntax error. */
  | 'syntax'
  /** The same key twice in one mapping. */
  | 'duplicate-key'
  /** Too many YAML alias expansions (a "billion laughs" file). */
  | 'alias-limit'
  /** A field the format does not have. */
  | 'unknown-field'
  /** A hop type that is unknown, or known but not built yet. */
  | 'unsupported-hop'
  /** A value of the wrong type or out of range, or a missing field. */
  | 'invalid-value'
  /** Neither a preset name nor a file. */
  | 'not-found';

/** One problem in a scenario, located as precisely as the source allows. */
export interface ScenarioIssue {
  /** Field path such as `path[0].idleTimeout`; empty for the file as a whole. */
  readonly path: string;
  /** What is wrong and what is allowed, e.g. `59 is below the AWS minimum 60 (allowed 60..6000 seconds)`. */
  readonly message: string;
  /** 1-based line in the source text, when known. */
  readonly line?: number;
  readonly code: ScenarioIssueCode;
}

/**
 * A scenario that cannot be used: unreadable, malformed, or invalid. Carries
 * every issue found, each with its field path and line. The CLI prints
 * {@link ScenarioError.format} and exits with code 2, never a stack trace.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /**
   * @param sourceName the file name or preset shown before each line, e.g. `kb.yaml`
   * @param issues at least one issue
   */
  constructor(
    readonly sourceName: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(formatIssues(sourceName, issues));
  }

  /**
   * One line per issue:
   * `kb.yaml: path[0].idleTimeout: 59 is below the AWS minimum 60 (allowed 60..6000 seconds) (line 9)`.
   */
  format(): string {
    return formatIssues(this.sourceName, this.issues);
  }
}

function formatIssues(sourceName: string, issues: readonly ScenarioIssue[]): string {
  if (issues.length === 0) return `${sourceName}: invalid scenario`;
  return issues
    .map((i) => `${sourceName}: ${i.path === '' ? '' : `${i.path}: `}${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`)
    .join('\n');
}
