import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';

/*
 * Fuzzing parameters shared by the property tests.
 * - MIDPATH_SEED=<n>: every property runs with this seed (CI sets it, so CI
 *   runs are reproducible); without it fast-check picks one and prints it,
 *   with the counterexample path, on failure.
 * - MIDPATH_FUZZ_RUNS=<n>: runs per property (default: each test's small
 *   count, so the suite stays within a minute on 2 cores); raise it for
 *   local deep fuzzing.
 */
const seed = process.env['MIDPATH_SEED'];
if (seed !== undefined && seed !== '') fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });

const envRuns = Number(process.env['MIDPATH_FUZZ_RUNS'] ?? '');

/** Runs for a property: MIDPATH_FUZZ_RUNS when set, else `fallback`. */
export function runs(fallback: number): { numRuns: number } {
  return { numRuns: Number.isInteger(envRuns) && envRuns > 0 ? envRuns : fallback };
}

/** Counts explorations cut short by maxStates: skipped, never passed. */
export class SkipCounter {
  ran = 0;
  skipped = 0;
  /** Records one exploration; returns true when it is complete (the caller may assert on it). */
  record(complete: boolean): boolean {
    this.ran++;
    if (!complete) this.skipped++;
    return complete;
  }
  toString(): string {
    return `${this.skipped}/${this.ran} explorations incomplete (skipped)`;
  }

  /**
   * Fails when skipping could hide a vacuous pass: nothing ran, or more than
   * `maxFraction` of the explorations were cut short.
   */
  assertBounded(maxFraction = 0.5): void {
    expect(this.ran, 'no exploration ran').toBeGreaterThan(0);
    expect(this.skipped, `${this} — too many cut short to trust the property`).toBeLessThanOrEqual(this.ran * maxFraction);
  }
}
