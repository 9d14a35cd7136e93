import * as z from 'zod';
import { describeValue } from './describeValue.ts';
import { suggestName } from './suggestName.ts';

/** Bounds of a whole-number field and the words its messages use. */
export interface WholeNumberSpec {
  readonly min: number;
  readonly max: number;
  /** Unit shown after the range, e.g. `seconds`; empty for plain counts. */
  readonly unit?: string;
  /** How the minimum is named, e.g. `AWS minimum`; default `minimum`. */
  readonly minLabel?: string;
  /** How the maximum is named, e.g. `AWS maximum`; default `maximum`. */
  readonly maxLabel?: string;
}

/** `(allowed 60..6000 seconds)` for a spec. */
export function allowedRange(spec: WholeNumberSpec): string {
  return `(allowed ${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''})`;
}

/**
 * The message for a value that is not a whole number in range. It depends
 * only on the value and the spec, so every zod check that fails on the same
 * value yields the same text (duplicates are then merged).
 */
export function wholeNumberMessage(input: unknown, spec: WholeNumberSpec): string {
  const allowed = allowedRange(spec);
  if (typeof input !== 'number') {
    return input === undefined ? `required field is missing ${allowed}` : `expected a whole number, got ${describeValue(input)} ${allowed}`;
  }
  if (Number.isNaN(input)) return `NaN is not a number ${allowed}`;
  if (!Number.isFinite(input)) return `${describeValue(input)}: the number is too large to represent ${allowed}`;
  if (input < spec.min) return `${describeValue(input)} is below the ${spec.minLabel ?? 'minimum'} ${spec.min} ${allowed}`;
  if (input > spec.max) return `${describeValue(input)} is above the ${spec.maxLabel ?? 'maximum'} ${spec.max} ${allowed}`;
  if (!Number.isInteger(input)) return `${describeValue(input)} is not a whole number ${allowed}`;
  return `${describeValue(input)} is not allowed ${allowed}`;
}

/** A whole number in `[min, max]` whose every failure message names the range. */
export function wholeNumber(spec: WholeNumberSpec) {
  const error = (iss: { readonly input?: unknown }): string => wholeNumberMessage(iss.input, spec);
  return z.number({ error }).int({ error }).min(spec.min, { error }).max(spec.max, { error });
}

/**
 * The message for a value that is not one of `values`, with a typo hint;
 * `others` describes further accepted forms, e.g. `or a whole number of seconds`.
 */
export function choiceMessage(input: unknown, values: readonly string[], others?: string): string {
  const allowed = `(allowed: ${values.join(', ')}${others === undefined ? '' : `, ${others}`})`;
  if (input === undefined) return `required field is missing ${allowed}`;
  if (input === true && others !== undefined) return `true does not say which setting to use ${allowed}`;
  const hint = typeof input === 'string' ? suggestName(input, values) : undefined;
  return `${describeValue(input)} is not allowed ${allowed}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`;
}

/** One of a fixed set of strings; failures list the set and suggest the closest. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => choiceMessage(iss.input, values) });
}

/** A boolean; failures say so and show what was found. */
export function flag() {
  return z.boolean({ error: (iss) => flagMessage(iss.input) });
}

/** YAML 1.1 booleans that YAML 1.2 (and so midpath) reads as text. */
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

/** The message for a value that is not a boolean. */
export function flagMessage(input: unknown): string {
  if (input === undefined) return 'required field is missing (allowed: true, false)';
  const hint = typeof input === 'string' && YAML11_BOOLEANS.has(input.toLowerCase()) ? ' (YAML 1.2 reads it as text: write true or false)' : '';
  return `expected true or false, got ${describeValue(input)}${hint}`;
}
