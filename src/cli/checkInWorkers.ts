import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { check, type CheckOptions, type ScenarioResult } from '../check.ts';
import type { Progress } from '../engine/explore.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { LimitError, withHeapProbe } from './heapBudget.ts';

interface Reply {
  readonly index: number;
  readonly result?: ScenarioResult;
  readonly error?: string;
  readonly progress?: Progress;
}

/** Called with a scenario's index (in input order) and its exploration's progress, about every 10 000 states. */
export type OnProgress = (index: number, p: Progress) => void;

/**
 * Checks independent scenarios in parallel on worker threads (one per core,
 * at most one per scenario), returning results in input order, so the
 * output is the same bytes as a sequential run (timings aside). Falls back
 * to the current thread for a single scenario, a single core, or
 * `MIDPATH_WORKERS=0`. Options must be plain data (no callbacks).
 */
export async function checkInWorkers(scenarios: readonly Scenario[], options: CheckOptions, onProgress?: OnProgress): Promise<ScenarioResult[]> {
  const wanted = Number(process.env['MIDPATH_WORKERS'] ?? availableParallelism());
  const n = Math.min(Number.isFinite(wanted) ? wanted : 1, scenarios.length);
  if (n <= 1) return scenarios.map((s, i) => check(s, withHeapProbe(onProgress ? { progressEvery: 1000, ...options, onProgress: (p) => onProgress(i, p) } : options)));
  const results: (ScenarioResult | undefined)[] = new Array(scenarios.length);
  const queue = scenarios.map((_, i) => i);
  const workers = Array.from(
    { length: n },
    () => new Worker(new URL('./checkWorkerBoot.mjs', import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const index = queue.shift();
              if (index === undefined) return resolve();
              w.postMessage({ index, scenario: scenarios[index], options, progress: onProgress !== undefined });
            };
            w.on('message', (reply: Reply) => {
              if (reply.progress !== undefined) return onProgress?.(reply.index, reply.progress);
              if (reply.error !== undefined) return reject(new Error(reply.error));
              results[reply.index] = reply.result;
              next();
            });
            w.on('error', (e: Error & { code?: unknown }) => {
              if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') reject(new LimitError('a worker thread ran out of memory before its heap budget stopped it; lower --max-heap MB, or run one scenario at a time with MIDPATH_WORKERS=0'));
              else reject(e);
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.map((r, i) => {
    if (!r) throw new Error(`no result for scenario ${scenarios[i]!.name}`);
    return r;
  });
}
