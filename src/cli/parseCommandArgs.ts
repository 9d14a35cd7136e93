import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestName } from '../scenarios/suggestName.ts';
import { UsageError } from './usageError.ts';

/** Option declarations in `node:util` `parseArgs` form. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed options: strings, booleans, or lists for options declared `multiple`. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The result of {@link parseCommandArgs}. */
export interface ParsedArgs {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

/**
 * Parses one command's arguments strictly (unknown options are errors) with
 * `node:util` `parseArgs`; every command also accepts `--help`/`-h`.
 *
 * @throws UsageError naming the offending argument
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    // node's messages end with advice about '--' that does not apply here; keep the first sentence
    const first = raw.split(/\. (?=To specify)/)[0]!.replace(/\.$/, '');
    const hint = (e as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? optionHint(first, options) : '';
    throw new UsageError(command, `${first.charAt(0).toLowerCase()}${first.slice(1)}${hint}`);
  }
}

/**
 * " (did you mean --json?)" for node's "Unknown option '--jsn'", when one of the
 * command's options (or --help) is a likely typo of it (as for unknown scenario
 * fields: {@link suggestName}); '' otherwise.
 */
function optionHint(message: string, options: OptionSpec): string {
  const unknown = /'(-{1,2})([^'=]+)/.exec(message);
  if (unknown === null) return '';
  const [, dashes, written] = unknown;
  if (dashes === '-' && written!.length === 1) return '';
  const long = [...Object.keys(options), 'help'];
  const name = suggestName(written!, long);
  return name === undefined ? '' : ` (did you mean --${name}?)`;
}

/** A string option's value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values (empty when absent). */
export function stringList(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/**
 * A positive whole number option, or undefined when absent.
 *
 * @throws UsageError when the value is not a whole number ≥ 1
 */
export function positiveIntOption(command: string, values: OptionValues, name: string): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(command, `--${name} expects a whole number ≥ 1, got '${v}'`);
  }
  return Number(v);
}
