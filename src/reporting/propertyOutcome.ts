import type { PropertyResult, ScenarioResult } from '../check.ts';
import { expectationOutcome, type ExpectationOutcome } from '../properties/expectationOutcome.ts';

/** How one property's result stands against its scenario's `expect` (properties/expectationOutcome.ts, the per-row form of `meetsExpectations`). */
export type PropertyOutcome = ExpectationOutcome;

/** The {@link PropertyOutcome} of `r` within scenario `_s` (every row is judged on its own: a property not in `expect` must hold). */
export function propertyOutcome(_s: ScenarioResult, r: PropertyResult): PropertyOutcome {
  return expectationOutcome(r);
}

/** `violated`, `holds` or `incomplete`. */
export function verdictWord(r: PropertyResult): 'holds' | 'violated' | 'incomplete' {
  return r.incomplete === true ? 'incomplete' : r.holds ? 'holds' : 'violated';
}
