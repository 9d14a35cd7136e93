import type { PropertyResult, ScenarioResult } from '../check.ts';

/**
 * How one property's result stands against its scenario's `expect`, the
 * per-row form of `meetsExpectations`:
 * - `met` / `unmet`: it has an expectation (or the scenario has none and
 *   every property must hold) and the verdict matches / does not;
 * - `unchecked`: the scenario lists expectations, but not for this property;
 * - `incomplete`: a limit cut the run short before it was decided.
 */
export type PropertyOutcome = 'met' | 'unmet' | 'unchecked' | 'incomplete';

/** The {@link PropertyOutcome} of `r` within scenario `s`. */
export function propertyOutcome(s: ScenarioResult, r: PropertyResult): PropertyOutcome {
  if (r.incomplete === true) return 'incomplete';
  const anyExpected = s.results.some((x) => x.expected !== undefined);
  if (!anyExpected) return r.holds ? 'met' : 'unmet';
  if (r.expected === undefined) return 'unchecked';
  return (r.expected === 'holds') === r.holds ? 'met' : 'unmet';
}

/** `violated`, `holds` or `incomplete`. */
export function verdictWord(r: PropertyResult): 'holds' | 'violated' | 'incomplete' {
  return r.incomplete === true ? 'incomplete' : r.holds ? 'holds' : 'violated';
}
