import type { Io } from './io.ts';

/** Text styles for human output; each is the identity when colour is off. */
export interface Colours {
  readonly enabled: boolean;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

/**
 * True when human output on stdout gets colour: stdout is a terminal and
 * `NO_COLOR` is unset or empty (no-color.org). Piped output never has
 * colour, so it stays the same bytes.
 */
export function colourEnabled(io: Io): boolean {
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return io.tty?.out ?? process.stdout.isTTY === true;
}

const style = (on: boolean, open: number, close: number) => (s: string): string => (on && s !== '' ? `\x1b[${open}m${s}\x1b[${close}m` : s);

/** The styles for `io` (ANSI SGR codes when {@link colourEnabled}). */
export function colours(io: Io): Colours {
  const on = colourEnabled(io);
  return { enabled: on, bold: style(on, 1, 22), dim: style(on, 2, 22), red: style(on, 31, 39), green: style(on, 32, 39), yellow: style(on, 33, 39) };
}
