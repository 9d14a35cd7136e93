/**
 * Worker-thread entry: checks the scenarios it is sent, one message each,
 * and posts each result back (results are plain data). See checkInWorkers.ts.
 */
import { parentPort } from 'node:worker_threads';
import { check, type CheckOptions } from '../check.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { withHeapProbe } from './heapBudget.ts';

interface Job {
  readonly index: number;
  readonly scenario: Scenario;
  readonly options: CheckOptions;
  /** Post progress messages while exploring. */
  readonly progress?: boolean;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ index: job.index, result: check(job.scenario, withHeapProbe(job.progress === true ? { progressEvery: 1000, ...job.options, onProgress: (progress) => parentPort!.postMessage({ index: job.index, progress }) } : job.options)) });
  } catch (e) {
    parentPort!.postMessage({ index: job.index, error: e instanceof Error ? e.message : String(e) });
  }
});
