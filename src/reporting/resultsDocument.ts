import type { PropertyResult, ScenarioResult } from '../check.ts';
import type { Interval } from '../engine/interval.ts';
import { expectationOutcome, type ExpectationOutcome } from '../properties/expectationOutcome.ts';

/** The document `midpath check --json` prints and `--out` saves as `results.json`. */
export interface ResultsDocument {
  readonly scenarios: readonly ScenarioResult[];
}

function interval(iv: Interval): Interval {
  return { from: iv.from, fromInclusive: iv.fromInclusive, to: iv.to, toInclusive: iv.toInclusive };
}

function propertyResult(r: PropertyResult, complete: boolean): PropertyResult & { readonly outcome: ExpectationOutcome } {
  // A window found by a run cut short is a lower bound, as the human output's "so far" says.
  const partial = r.partialWindow === true || (!complete && r.window !== undefined);
  return {
    property: r.property,
    holds: r.holds,
    ...(r.incomplete === undefined ? {} : { incomplete: r.incomplete }),
    ...(r.expected === undefined ? {} : { expected: r.expected }),
    // the same outcome the human output and JUnit show (properties/expectationOutcome.ts)
    outcome: expectationOutcome(r),
    ...(r.window === undefined ? {} : { window: { idleGap: interval(r.window.idleGap), idleGapUnion: r.window.idleGapUnion.map(interval) } }),
    ...(partial ? { partialWindow: true as const } : {}),
    ...(r.replayed === undefined ? {} : { replayed: r.replayed }),
    ...(r.counterexampleOmitted === undefined ? {} : { counterexampleOmitted: { instants: r.counterexampleOmitted.instants, limit: r.counterexampleOmitted.limit } }),
    ...(r.counterexample === undefined ? {} : { counterexample: r.counterexample }),
  };
}

/**
 * The results as one document with a fixed key order (name, complete,
 * stoppedBy, results, stats; in each result property, holds, incomplete, expected,
 * outcome, window, partialWindow, replayed, counterexampleOmitted, counterexample). A window of a run
 * cut short by a limit is marked `partialWindow: true` (it is what was
 * found so far). The only timing is `stats.ms`; the
 * heap probe is left out so the same run gives the same bytes otherwise.
 */
export function resultsDocument(results: readonly ScenarioResult[]): ResultsDocument {
  return {
    scenarios: results.map((s) => ({
      name: s.name,
      complete: s.complete,
      ...(s.stoppedBy === undefined ? {} : { stoppedBy: { limit: s.stoppedBy.limit, value: s.stoppedBy.value } }),
      ...(s.decomposedConnections === undefined ? {} : { decomposedConnections: s.decomposedConnections }),
      results: s.results.map((r) => propertyResult(r, s.complete)),
      stats: { states: s.stats.states, transitions: s.stats.transitions, ms: s.stats.ms },
    })),
  };
}

/** {@link resultsDocument} as JSON text, two-space indented, with a final newline. */
export function resultsJson(results: readonly ScenarioResult[]): string {
  return `${JSON.stringify(resultsDocument(results), null, 2)}\n`;
}
