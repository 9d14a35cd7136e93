/**
 * What every hop kind's configuration shares (hop-contract.md): the idle
 * timeout in seconds, the timeout boundary, the number of targets, and the
 * zod pieces and error handling the `parse…Config` functions of the hop
 * kinds reuse. Field names and ranges of the kinds themselves live in their
 * own `…Config.ts` files.
 */
import * as z from 'zod';
import { ConfigError } from './configError.ts';
import { configErrorOf, oneOf, show } from './gwlbConfig.ts';

/**
 * Whether a segment arriving exactly `idleTimeout` seconds after the last one
 * still belongs to the flow (domain-facts §10, §11.2 "Boundary wording"):
 * `open` yes ("idle for longer than": NLB, GWLB, Azure LB), `closed` no
 * ("350 seconds or more": AWS NAT gateway), `ambiguous` explore both (the
 * vendor's wording is unknown). The models themselves fire their timer at
 * exactly the timeout; the composition reads this field.
 */
export type HopBoundary = 'open' | 'closed' | 'ambiguous';

/** The boundary values a config may name. */
export const HOP_BOUNDARY_VALUES = ['open', 'closed', 'ambiguous'] as const;

/** Fields every parsed hop configuration carries (hop-contract.md). */
export interface HopConfigBase {
  /** The hop's main (established) TCP idle timeout, in whole seconds, for every kind. */
  readonly idleTimeout: number;
  /** Timeout boundary (domain-facts §10); defaults to the kind's documented one. */
  readonly boundary: HopBoundary;
  /** Number of targets the hop chooses among for a new flow; 1 for a hop that does not choose. */
  readonly targets: number;
}

/** A segment the hop has no entry for, in one direction: pass it (and track it) or drop it silently. */
export type LateSegmentAction = 'pass' | 'drop';

/** A zod `boundary` field with the kind's documented default. */
export function boundaryField(defaultBoundary: HopBoundary) {
  return oneOf('boundary', HOP_BOUNDARY_VALUES).default(defaultBoundary);
}

/**
 * The two scenario-level fields a hop object may carry beside its own ones:
 * `type` (must be this kind) and `name` (used in reports). They are
 * validated and left out of the parsed config.
 */
export function hopEnvelopeFields<const K extends string>(kind: K) {
  return {
    type: z
      .literal(kind, { error: (iss) => `type: ${show(iss.input)} is not allowed here (allowed '${kind}')` })
      .optional()
      .meta({ description: `The hop kind: ${kind}.` }),
    name: z
      .string({ error: (iss) => `name: ${show(iss.input)} is not a string (allowed a name of 1..64 characters)` })
      .min(1, { error: () => 'name: is empty (allowed a name of 1..64 characters)' })
      .max(64, { error: () => 'name: is longer than 64 characters (allowed a name of 1..64 characters)' })
      .optional()
      .meta({ description: 'A name for this hop, used in reports.' }),
  };
}

/**
 * A whole number of seconds that must be a whole number of minutes in
 * `minMinutes..maxMinutes` (Azure sets `IdleTimeoutInMinutes`, domain-facts
 * §2, §11.1), e.g. `idleTimeout: 250 is not a whole number of minutes
 * (allowed 240..6000 seconds in steps of 60)`.
 */
export function minutesAsSeconds(field: string, minMinutes: number, maxMinutes: number, what: string) {
  const min = minMinutes * 60;
  const max = maxMinutes * 60;
  const allowed = `(allowed ${min}..${max} seconds in steps of 60, ${what} ${minMinutes}..${maxMinutes} minutes)`;
  return z
    .number({ error: (iss) => `${field}: ${show(iss.input)} is not a number ${allowed}` })
    .int({ error: (iss) => `${field}: ${show(iss.input)} is not a whole number ${allowed}` })
    .min(min, { error: (iss) => `${field}: ${show(iss.input)} is below the Azure minimum ${min} ${allowed}` })
    .max(max, { error: (iss) => `${field}: ${show(iss.input)} is above the Azure maximum ${max} ${allowed}` })
    .multipleOf(60, { error: (iss) => `${field}: ${show(iss.input)} is not a whole number of minutes ${allowed}` });
}

/**
 * A number that may only take the vendor's fixed value (AWS NAT gateway 350 s,
 * domain-facts §2): any other is refused naming the allowed value.
 */
export function fixedSeconds(field: string, value: number, product: string) {
  return z
    .number({ error: (iss) => `${field}: ${show(iss.input)} is not a number (allowed ${value}: fixed by ${product})` })
    .refine((v) => v === value, {
      error: (iss) => `${field}: ${show(iss.input)} cannot be set, the ${product} idle timeout is fixed (allowed ${value} seconds)`,
    });
}

/** A zod object schema whose shape can be listed in unknown-field errors. */
export type HopSchema = z.ZodObject<z.ZodRawShape>;

/**
 * Parses `raw` with `schema`, or throws a {@link ConfigError} naming the
 * first offending field (prefixed with `path`, e.g. `path.2.idleTimeout`) and
 * what is allowed. Unknown fields are refused, listing the allowed ones.
 * @param scope the name of the config in messages, e.g. `nat-gateway hop`
 * @param nested allowed fields of nested objects, keyed by their dotted path
 */
export function parseHopFields<T extends HopSchema>(
  schema: T,
  raw: unknown,
  scope: string,
  path: string,
  nested: Readonly<Record<string, readonly string[]>> = {},
): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const error = configErrorOf(result.error, scope, { '': Object.keys(schema.shape), ...nested });
  if (path === '') throw error;
  if (error.field === scope) throw new ConfigError(path, `${path}: ${error.message}`);
  const message = error.message.startsWith(`${error.field}:`) ? `${path}.${error.message}` : `${path}.${error.field}: ${error.message}`;
  throw new ConfigError(`${path}.${error.field}`, message);
}

/** The error option of a hop's top-level `z.strictObject`: a non-object is named with its scope. */
export function notAnObject(scope: string) {
  return {
    error: (iss: { code?: string; input?: unknown }) =>
      iss.code === 'unrecognized_keys' ? undefined : `${scope}: ${show(iss.input)} is not an object`,
  };
}

/** What a security-group style hop does with a segment it has no entry for, per sender side. */
export interface LateSegmentPolicy {
  /** A segment from the client side (its rules as a new connection in that direction). */
  readonly client: LateSegmentAction;
  /** A segment from the server side. */
  readonly server: LateSegmentAction;
}

/**
 * A zod `lateSegment` field: `'pass'`, `'drop'` (both directions) or
 * `{ client, server }`, resolved to a {@link LateSegmentPolicy}. Default: the
 * client side passes (outbound rules allow it as a new connection), the
 * server side is dropped (return traffic of an outbound-only rule), the
 * example of domain-facts §11.2.
 */
export function lateSegmentField() {
  const action = (field: string) => oneOf(field, ['pass', 'drop']);
  const both = z.strictObject(
    { client: action('lateSegment.client').default('pass'), server: action('lateSegment.server').default('drop') },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `lateSegment: ${show(iss.input)} is not allowed (allowed 'pass' | 'drop' | { client, server })`) },
  );
  return z
    .union([z.enum(['pass', 'drop']), both], {
      error: (iss) => `lateSegment: ${show(iss.input)} is not allowed (allowed 'pass' | 'drop' | { client, server })`,
    })
    .default({ client: 'pass', server: 'drop' })
    .transform((v): LateSegmentPolicy => (typeof v === 'string' ? { client: v, server: v } : v));
}

/** Allowed fields of the `lateSegment` object, for unknown-field errors. */
export const LATE_SEGMENT_FIELDS = ['client', 'server'] as const;
