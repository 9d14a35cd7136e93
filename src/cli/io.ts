/**
 * Where a command writes: the CLI passes the process streams, tests may
 * pass collectors. Each call writes whole text; the command adds newlines.
 */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Environment variables the commands read (`MIDPATH_DEBUG`, `NO_COLOR`, `MIDPATH_PROGRESS`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout and stderr are terminals (default: the process streams'), for colour and progress lines. */
  readonly tty?: { readonly out: boolean; readonly err: boolean };
}

/** Exit codes of every command. */
export const EXIT = {
  /** Every scenario meets its expectations; a replay reproduced. */
  ok: 0,
  /** An expectation does not hold; a replay did not reproduce. */
  failed: 1,
  /** Bad input or usage. */
  usage: 2,
  /** A limit (`--max-states`, `--time-budget`) cut a run short. */
  incomplete: 3,
  /** A midpath bug (sysexits EX_SOFTWARE). */
  internal: 70,
} as const;
