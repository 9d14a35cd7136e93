/**
 * Configuration of one AWS Network Load Balancer TCP flow entry
 * ({@link nlbFlowMachine}).
 *
 * Sources: domain-facts §2 (AWS NLB TCP row: 350 s default, listener
 * attribute `tcp.idle_timeout.seconds` 60..6000 on TCP listeners; silent
 * removal, the next segment from client or target gets an RST), §1.1 (the
 * same attribute key on NLB TCP listeners), §11.2 (no RST attribute; half-open,
 * gracefully closed and reset flows are not tracked; boundary "longer than":
 * open). TLS listeners (fixed at 350 s) terminate TLS, so they are proxies
 * (§11.4), not this model.
 */
import * as z from 'zod';
import { intRange } from './gwlbConfig.ts';
import { boundaryField, hopEnvelopeFields, notAnObject, parseHopFields, type HopBoundary, type HopConfigBase } from './hopConfig.ts';

/** Allowed NLB TCP idle timeout in seconds (`tcp.idle_timeout.seconds`, domain-facts §2). */
export const NLB_IDLE_TIMEOUT_RANGE = { min: 60, max: 6000, default: 350 } as const;

/**
 * Allowed life of a half-open flow (SYN seen, handshake not completed) in
 * seconds. NLB documents only that such flows are not tracked (domain-facts
 * §11.2), not how long it waits: UNCONFIRMED, so a parameter whose default is
 * the idle timeout.
 */
export const NLB_HALF_OPEN_TIMEOUT_RANGE = { min: 1, max: 6000 } as const;

/** The documented boundary: "idle for longer than", open (domain-facts §10, §11.2). */
export const NLB_BOUNDARY: HopBoundary = 'open';

/** A validated NLB configuration. */
export interface NlbConfig extends HopConfigBase {
  /** `tcp.idle_timeout.seconds`, 60..6000, default 350 (domain-facts §2). */
  readonly idleTimeout: number;
  /** Seconds a half-open flow is kept (UNCONFIRMED, domain-facts §11.2), default the idle timeout. */
  readonly halfOpenTimeout: number;
}

/** The zod schema of an `nlb` hop (its own fields plus `type` and `name`). */
export const nlbConfigSchema = z.strictObject(
  {
    ...hopEnvelopeFields('nlb'),
    /** Listener attribute `tcp.idle_timeout.seconds` (domain-facts §2, §1.1). */
    idleTimeout: intRange('idleTimeout', NLB_IDLE_TIMEOUT_RANGE.min, NLB_IDLE_TIMEOUT_RANGE.max, 'seconds', 'AWS ').default(
      NLB_IDLE_TIMEOUT_RANGE.default,
    ).meta({ description: "Listener attribute tcp.idle_timeout.seconds (domain-facts §2, §1.1)." }),
    /** No vendor attribute: life of a half-open flow (UNCONFIRMED, §11.2); default the idle timeout. */
    halfOpenTimeout: intRange('halfOpenTimeout', NLB_HALF_OPEN_TIMEOUT_RANGE.min, NLB_HALF_OPEN_TIMEOUT_RANGE.max, 'seconds', '').optional().meta({ description: "No vendor attribute: life of a half-open flow (UNCONFIRMED, §11.2); default the idle timeout." }),
    /** Timeout boundary (domain-facts §10), default `open` ("longer than"). */
    boundary: boundaryField(NLB_BOUNDARY).meta({ description: "Timeout boundary (domain-facts §10), default open (\"longer than\")." }),
  },
  notAnObject('nlb hop'),
);

/**
 * Validates an `nlb` hop's fields and fills in defaults.
 * @param path prefix of field names in errors (e.g. `path.0`), `''` for none
 * @throws {ConfigError} naming the field and the allowed range, e.g.
 *   `idleTimeout: 59 is below the AWS minimum 60 (allowed 60..6000 seconds)`
 */
export function parseNlbConfig(raw: unknown, path = ''): NlbConfig {
  const { idleTimeout, halfOpenTimeout, boundary } = parseHopFields(nlbConfigSchema, raw ?? {}, 'nlb hop', path);
  return { idleTimeout, halfOpenTimeout: halfOpenTimeout ?? idleTimeout, boundary, targets: 1 };
}
