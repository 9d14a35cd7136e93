/**
 * Configuration of one AWS Gateway Load Balancer flow entry
 * ({@link gwlbFlowMachine}), validated with zod before a machine is built.
 *
 * Sources: domain-facts §1.1 (idle timeout 60..6000 s, default 350),
 * §1.2 (`send_tcp_reset.on_idle_timeout.enabled`, default false),
 * §1.3 (stickiness), §1.4 and "Modelling consequences" 3 (unknown non-SYN
 * policy, UNCONFIRMED, default forward as a new flow per the seed KB).
 */
import * as z from 'zod';
import { ConfigError } from './configError.ts';

/** Flow key the GWLB hashes a flow by (domain-facts §1.3); default 5-tuple. */
export type GwlbStickiness = '5-tuple' | '3-tuple' | '2-tuple';

/** The stickiness values a config may name (domain-facts §1.3). */
export const GWLB_STICKINESS_VALUES: readonly GwlbStickiness[] = ['5-tuple', '3-tuple', '2-tuple'];

/**
 * What the GWLB does with a non-SYN segment that has no flow entry while
 * TCP reset is off (domain-facts §1.4, UNCONFIRMED, so a parameter):
 * `forward` creates a new flow (seed KB 16099, default); `drop` discards it.
 */
export type GwlbUnknownNonSyn = 'forward' | 'drop';

/** The unknown-non-SYN policies a config may name (domain-facts §1.4). */
export const GWLB_UNKNOWN_NON_SYN_VALUES: readonly GwlbUnknownNonSyn[] = ['forward', 'drop'];

/** Allowed GWLB TCP idle timeout in seconds (domain-facts §1.1). */
export const GWLB_IDLE_TIMEOUT_RANGE = { min: 60, max: 6000, default: 350 } as const;

/** Allowed number of appliance targets behind one GWLB. */
export const GWLB_TARGETS_RANGE = { min: 1, max: 64 } as const;

/** A validated GWLB configuration (all defaults filled in). */
export interface GwlbConfig {
  /** TCP idle timeout in whole seconds, 60..6000, default 350 (domain-facts §1.1). */
  readonly idleTimeout: number;
  /** Number of appliance targets, 1..64; a target is an index 0..targets-1. */
  readonly targets: number;
  /** Flow key (domain-facts §1.3); the composition maps connections to keys with it. */
  readonly stickiness: GwlbStickiness;
  /** Non-SYN segment with no entry, TCP reset off (domain-facts §1.4). */
  readonly unknownNonSyn: GwlbUnknownNonSyn;
  /** `send_tcp_reset.on_idle_timeout.enabled` (domain-facts §1.2), default false. */
  readonly resetOnIdleTimeout: boolean;
}

/**
 * A zod schema for a whole number in `min..max` whose errors name `field`
 * and the allowed range, e.g. `idleTimeout: 59 is below the AWS minimum 60
 * (allowed 60..6000 seconds)`. Shared by the models' config parsers.
 * @param unit shown after the range (`seconds`), or `''`
 * @param who prefix of `minimum`/`maximum` with a trailing space (`'AWS '`), or `''`
 */
export function intRange(field: string, min: number, max: number, unit: string, who: string) {
  const allowed = `(allowed ${min}..${max}${unit ? ` ${unit}` : ''})`;
  return z
    .number({
      error: (iss) =>
        iss.input === undefined ? `${field}: is required ${allowed}` : `${field}: ${show(iss.input)} is not a number ${allowed}`,
    })
    .int({ error: (iss) => `${field}: ${show(iss.input)} is not a whole number ${allowed}` })
    .min(min, { error: (iss) => `${field}: ${show(iss.input)} is below the ${who}minimum ${min} ${allowed}` })
    .max(max, { error: (iss) => `${field}: ${show(iss.input)} is above the ${who}maximum ${max} ${allowed}` });
}

/** A zod enum whose error names `field` and lists the allowed values. */
export function oneOf<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, {
    error: (iss) => `${field}: ${show(iss.input)} is not allowed (allowed ${values.map((v) => `'${v}'`).join(' | ')})`,
  });
}

/** A zod boolean whose error names `field`. */
export function flag(field: string) {
  return z.boolean({ error: (iss) => `${field}: ${show(iss.input)} is not allowed (allowed true | false)` });
}

/** A config value as an error message shows it (`'4-tuple'`, `59`, `missing`). */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
}

const gwlbConfigSchema = z.strictObject(
  {
    idleTimeout: intRange('idleTimeout', GWLB_IDLE_TIMEOUT_RANGE.min, GWLB_IDLE_TIMEOUT_RANGE.max, 'seconds', 'AWS ').default(
      GWLB_IDLE_TIMEOUT_RANGE.default,
    ),
    targets: intRange('targets', GWLB_TARGETS_RANGE.min, GWLB_TARGETS_RANGE.max, 'appliances', ''),
    stickiness: oneOf('stickiness', ['5-tuple', '3-tuple', '2-tuple']).default('5-tuple'),
    unknownNonSyn: oneOf('unknownNonSyn', ['forward', 'drop']).default('forward'),
    resetOnIdleTimeout: flag('resetOnIdleTimeout').default(false),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : `gwlb config: ${show(iss.input)} is not an object`) },
);

/**
 * Validates a raw GWLB configuration and fills in defaults.
 *
 * @throws {ConfigError} naming the first offending field and its allowed
 *   range or values, e.g. `idleTimeout: 59 is below the AWS minimum 60
 *   (allowed 60..6000 seconds)`; unknown fields are rejected.
 */
export function parseGwlbConfig(raw: unknown): GwlbConfig {
  const result = gwlbConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw configErrorOf(result.error, 'gwlb config', { '': Object.keys(gwlbConfigSchema.shape) });
}

/**
 * Turns the first zod issue into a {@link ConfigError}; shared by the
 * `parse…Config` functions of the models.
 * @param scope name of the config, used when the issue has no path
 * @param knownFields the fields each object allows, keyed by its dotted path
 *   (`''` for the top level), listed when a field is unknown
 */
export function configErrorOf(
  error: z.ZodError,
  scope: string,
  knownFields: Readonly<Record<string, readonly string[]>>,
): ConfigError {
  const issue = error.issues[0];
  if (issue === undefined) return new ConfigError(scope, `${scope}: invalid`);
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const field = path === '' ? key : `${path}.${key}`;
    const known = knownFields[path] ?? [];
    return new ConfigError(field, `${field}: unknown field (allowed ${known.join(', ')})`);
  }
  return new ConfigError(path === '' ? scope : path, issue.message);
}
