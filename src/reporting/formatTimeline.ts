import type { Trace, TraceStep } from '../system/trace.ts';

/** Options of {@link formatTimeline}. */
export interface TimelineOptions {
  /** Indentation of every line. */
  readonly indent?: string;
  /** Longest timeline before the middle is elided (default: no limit). */
  readonly maxSteps?: number;
}

/** Seconds rounded to the millisecond, without float noise (as the CLI's `roundSeconds`). */
function roundSeconds(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function isShown(s: TraceStep): boolean {
  return s.kind !== 'init';
}

/**
 * A counterexample as lines in the KB's terms, one per step, with its time
 * in seconds: `  400 s  server0 sends fin: gwlb.flow0 (new flow → appliance1)
 * → appliance1.c0 DROPS it (non-syn-no-session)`. The violating step is
 * marked `◀ violates <property>`; log records (a firewall's `aged-out`) follow
 * their step. A long trace keeps its start and its end, with the number of
 * steps left out between.
 */
export function formatTimeline(trace: Trace, options: TimelineOptions = {}): string[] {
  const indent = options.indent ?? '  ';
  const indexed = trace.steps.map((step, i) => ({ step, i })).filter(({ step, i }) => isShown(step) || i === trace.violationStep);
  const width = Math.max(1, ...indexed.map(({ step }) => String(roundSeconds(step.time)).length));
  const line = ({ step, i }: { step: TraceStep; i: number }): string[] => {
    const t = `${String(roundSeconds(step.time)).padStart(width)} s`;
    const mark = i === trace.violationStep ? `  ◀ violates ${trace.property}` : '';
    const logs = step.kind === 'timer' ? [] : step.logs.map((g) => `${indent}${' '.repeat(width + 4)}${g.component} logs ${g.reason}`);
    return [`${indent}${t}  ${step.text}${mark}`, ...logs];
  };
  const max = options.maxSteps ?? Number.POSITIVE_INFINITY;
  if (indexed.length <= max) return indexed.flatMap(line);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  const left = indexed.length - head - tail;
  return [...indexed.slice(0, head).flatMap(line), `${indent}${' '.repeat(width + 4)}… ${left} more steps …`, ...indexed.slice(indexed.length - tail).flatMap(line)];
}
