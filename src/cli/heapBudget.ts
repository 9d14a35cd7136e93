import { getHeapStatistics } from 'node:v8';
import { DEFAULT_MAX_HEAP_BYTES, type CheckOptions, type ScenarioResult } from '../check.ts';
import { noteHeapUsed } from './v8Flags.ts';

/**
 * Bytes of JavaScript heap in use in this thread (the explorer's heap probe).
 * Read from V8's heap statistics: `process.memoryUsage()` also reads the
 * resident set size from the operating system, which cost ~3 ms a call under
 * load (issue 15 profile).
 */
export const heapUsed = (): number => {
  const used = getHeapStatistics().used_heap_size;
  noteHeapUsed(used); // a long run: the young generation may grow again (v8Flags.ts)
  return used;
};

/**
 * The options with this thread's heap probe and a heap budget: the one
 * given (`--max-heap`), else the smaller of 2 GiB and three quarters of
 * this thread's V8 heap limit, so an exploration ends as `incomplete`
 * before V8 aborts the process (or the worker thread) for want of memory.
 */
export function withHeapProbe(options: CheckOptions): CheckOptions {
  const limit = getHeapStatistics().heap_size_limit;
  const maxHeapBytes = options.maxHeapBytes ?? Math.min(DEFAULT_MAX_HEAP_BYTES, Math.floor(limit * 0.75));
  return { ...options, heap: heapUsed, maxHeapBytes };
}

/**
 * What cut a run short and how to raise it, for people: the limit, its
 * value, the flag and the library option.
 */
export function limitMessage(stoppedBy: NonNullable<ScenarioResult['stoppedBy']>): string {
  if (stoppedBy.limit === 'max-states') return `the state limit (${stoppedBy.value} states) was reached; raise it with --max-states N (library: maxStates)`;
  if (stoppedBy.limit === 'time-budget') return `the time budget (${stoppedBy.value} ms) ran out; raise it with --time-budget MS (library: timeBudgetMs)`;
  return `the memory budget (${Math.round(stoppedBy.value / (1024 * 1024))} MB of heap) ran out; raise it with --max-heap MB (library: maxHeapBytes with a heap probe; node --max-old-space-size for V8's own limit)`;
}

/** A limit that ended a whole command early (a worker thread out of memory, a sweep point cut short): exit 3. */
export class LimitError extends Error {
  override readonly name = 'LimitError';
}
