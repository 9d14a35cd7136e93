import { setFlagsFromString } from 'node:v8';

/**
 * V8 heuristics for the `midpath` command (issue 15; README, "Performance").
 *
 * A cold `check` is short: most of its CPU went to TurboFan compiling big
 * inlined functions, several times over after deoptimisations, and its peak
 * RSS to a young generation grown for a long run. {@link tuneForShortRuns}
 * (called by bin/midpath.js before the CLI is loaded) sets a smaller
 * cumulative inlining budget and keeps the young generation from growing.
 * On a long run a small young generation costs throughput (a review measured
 * 0.81× the states in 8 s on a busy machine), so {@link noteHeapUsed}, fed
 * by the CLI's heap probe, gives V8 back its default growth once the heap
 * passes {@link LONG_RUN_HEAP_BYTES}.
 *
 * Only on V8 11-13 (Node 20-24), whose flag definitions have these names: V8
 * prints "unrecognized flag" on stderr for a name it does not know. Later V8
 * versions clamp the growth factor to at least 2, so there only the inlining
 * budget changes anything. Flags are process-wide: worker threads share them.
 */
const KNOWN_V8 = /^1[123]\./.test(process.versions.v8);

/** Used heap past which a run counts as long (a single preset's check peaks at 40-60 MB). */
export const LONG_RUN_HEAP_BYTES = 128 * 1024 * 1024;

/**
 * Sets the short-run heuristics, and V8's checksum of code caches; returns
 * whether it did (false on other V8 versions). The checksum
 * (`--verify-snapshot-checksum`, off in release builds) makes V8 reject a
 * damaged code cache (codeCache.ts) instead of running it: without it, a
 * cache file with flipped bytes crashed the process. The build writes the
 * cache under the same flags; where this returns false, no cache is written
 * or read.
 */
export function tuneForShortRuns(): boolean {
  if (!KNOWN_V8) return false;
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--verify-snapshot-checksum');
  return true;
}

let restored = false;

/** Called with the used heap by the heap probe: past {@link LONG_RUN_HEAP_BYTES}, V8's default young-generation growth (factor 2) again, once. */
export function noteHeapUsed(bytes: number): void {
  if (restored || bytes <= LONG_RUN_HEAP_BYTES || !KNOWN_V8) return;
  restored = true;
  setFlagsFromString('--semi-space-growth-factor=2');
}
