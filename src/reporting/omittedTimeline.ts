/**
 * Why a violation has no timeline (`PropertyResult.counterexampleOmitted`, check.ts),
 * in one sentence: the words the human output, JUnit and the HTML report show.
 */
export function omittedTimelineText(o: { readonly instants: number; readonly limit: number }): string {
  return `no timeline: the counterexample has ${o.instants} instants at which time passes, more than the ${o.limit} midpath makes concrete (raise it with --max-counterexample-instants N; library: maxCounterexampleInstants); the verdict and window stand`;
}
