import { parseArgs, type ParseArgsConfig } from 'node:util';
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
    throw new UsageError(command, first.charAt(0).toLowerCase() + first.slice(1));
  }
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
