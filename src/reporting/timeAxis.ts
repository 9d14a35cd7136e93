/** A gap between two consecutive distinct times of a trace, as drawn. */
export interface AxisGap {
  /** Seconds (the true length, always what the label says). */
  readonly seconds: number;
  /** Pixel rows of the space the gap adds: from the end of the earlier step's row to the start of the later step's row. */
  readonly y0: number;
  readonly y1: number;
  /** Drawn shorter than to scale, as a labelled broken-axis band. */
  readonly broken: boolean;
}

/** Where each step sits on a vertical time axis. */
export interface TimeAxis {
  /** y of each step (its anchor line), in step order. */
  readonly y: readonly number[];
  /** Top of each step's row (its marks lie between `top[i]` and `top[i] + height`). */
  readonly top: readonly number[];
  readonly gaps: readonly AxisGap[];
  /** Pixels per second for gaps drawn to scale. */
  readonly scale: number;
  /** Gaps longer than this many seconds are broken. */
  readonly breakAbove: number;
  /** y below the last step's row. */
  readonly bottom: number;
}

/** Layout constants of {@link timeAxis}. */
export interface TimeAxisOptions {
  /** y of the top of the first row. */
  readonly top: number;
  /** Height of a step's row (steps at the same instant stack by rows), unless `rows` gives it per step. */
  readonly row: number;
  /** Height of each step's row, in step order (overrides `row`). */
  readonly rows?: readonly number[];
  /** Offset of a step's anchor line below the top of its row. */
  readonly anchor: number;
  /** Pixels all to-scale gaps may take together. */
  readonly budget: number;
  /** Never more than this many pixels per second (short traces stay compact). */
  readonly maxScale: number;
  /** A gap longer than this many seconds is an idle gap: drawn as a broken band, not to scale. */
  readonly breakAbove: number;
  /** Height of a broken band. */
  readonly brokenHeight: number;
}

const DEFAULTS: TimeAxisOptions = { top: 0, row: 26, anchor: 13, budget: 360, maxScale: 40, breakAbove: 5, brokenHeight: 64 };

/**
 * A time axis for a trace, proportional within each burst of activity:
 * every step gets a row; between two distinct times the axis adds space in
 * proportion to the time that passed, one scale for the whole trace, so that
 * 0.2 s and 0.4 s keep their ratio. Every gap longer than `breakAbove`
 * seconds (an idle gap) is drawn instead as a band of fixed height, marked
 * broken, whose label gives its true length: 200 s never takes the room of
 * 0.2 s times a thousand, and never passes for a short gap.
 */
export function timeAxis(times: readonly number[], options: Partial<TimeAxisOptions> = {}): TimeAxis {
  const o = { ...DEFAULTS, ...options };
  const height = (i: number): number => o.rows?.[i] ?? o.row;
  const deltas = times.map((t, i) => (i === 0 ? 0 : Math.max(0, t - times[i - 1]!)));
  const broken = deltas.map((d) => d > o.breakAbove);
  const scaled = deltas.reduce((a, d, i) => (broken[i] ? a : a + d), 0);
  const scale = scaled > 0 ? Math.min(o.maxScale, o.budget / scaled) : o.maxScale;
  const y: number[] = [];
  const top: number[] = [];
  const gaps: AxisGap[] = [];
  let at = o.top;
  times.forEach((_, i) => {
    if (i > 0) {
      const d = deltas[i]!;
      const extra = broken[i] ? o.brokenHeight : d * scale;
      const y0 = at;
      at += extra;
      if (d > 0) gaps.push({ seconds: d, y0, y1: at, broken: broken[i]! });
    }
    top.push(at);
    y.push(at + o.anchor);
    at += height(i);
  });
  return { y, top, gaps, scale, breakAbove: o.breakAbove, bottom: at };
}
