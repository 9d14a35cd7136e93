import type { Progress } from '../engine/explore.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { OnProgress } from './checkInWorkers.ts';
import type { Io } from './io.ts';
import { progressMode } from './sweepProgress.ts';

/** Runs shorter than this show no progress line. */
const QUIET_MS = 1000;

/**
 * A progress line for long `check` runs, on stderr when it is a terminal
 * (or `MIDPATH_PROGRESS=bar`): one line redrawn in place,
 * `check kb-16099: 240000 states · 65000 states/s · 3.7 s` (the scenarios
 * being explored, joined with `|`), shown once a run takes over a second
 * and erased when it ends. Off when stderr is piped or
 * `MIDPATH_PROGRESS=off|lines`, so logs and piped output stay the same bytes.
 *
 * @param now a clock in ms (tests inject one)
 */
export function checkProgress(io: Io, scenarios: readonly Scenario[], now: () => number = () => performance.now()): { readonly onProgress?: OnProgress; readonly finish: () => void } {
  if (progressMode(io.env, io.tty?.err ?? process.stderr.isTTY === true) !== 'bar') return { finish: () => {} };
  const started = now();
  const latest = new Map<number, Progress>();
  let drawn = false;
  return {
    onProgress: (index, p) => {
      latest.set(index, p);
      const elapsed = now() - started;
      if (elapsed < QUIET_MS) return;
      const parts = [...latest.entries()].sort(([a], [b]) => a - b).map(([i, q]) => `${scenarios[i]?.name ?? i}: ${q.states} states · ${Math.round(q.statesPerSecond)} states/s`);
      io.err(`\r\x1b[2Kcheck ${parts.join(' | ')} · ${(elapsed / 1000).toFixed(1)} s`);
      drawn = true;
    },
    finish: () => {
      if (drawn) io.err('\r\x1b[2K');
    },
  };
}
