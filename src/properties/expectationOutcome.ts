import type { Expectation } from '../scenarios/scenario.ts';

/**
 * How one property's result stands against its scenario's `expect`: the
 * one definition that `meetsExpectations`, the human output, the JSON, the
 * JUnit file and the HTML report all use (issue 11 §4):
 * - `met` / `unmet`: the verdict is / is not the expected one; a property
 *   the scenario does not name is expected to hold (so one `expect` entry
 *   never switches off the others);
 * - `unchecked`: the scenario says `any` for it (ignored on purpose);
 * - `incomplete`: a limit cut the run short before it was decided.
 */
export type ExpectationOutcome = 'met' | 'unmet' | 'unchecked' | 'incomplete';

/** The part of a property result an outcome depends on. */
export interface ExpectedResult {
  readonly holds: boolean;
  readonly incomplete?: true;
  readonly expected?: Expectation;
}

/** The {@link ExpectationOutcome} of one result. */
export function expectationOutcome(r: ExpectedResult): ExpectationOutcome {
  if (r.incomplete === true) return 'incomplete';
  if (r.expected === 'any') return 'unchecked';
  const want = r.expected ?? 'holds';
  return (want === 'holds') === r.holds ? 'met' : 'unmet';
}
