/** A gap between two consecutive distinct times of a trace, as drawn. */
export interface AxisGap {
  /** Seconds (the true length, always what the label says). */
  readonly seconds: number;
  /** Pixel rows: from the earlier step's y to the later step's y. */
  readonly y0: number;
  readonly y1: number;
  /** Drawn shorter than to scale, with a broken-axis marker. */
  readonly broken: boolean;
}

/** Where each step sits on a vertical time axis. */
export interface TimeAxis {
  /** y of each step, in step order. */
  readonly y: readonly number[];
  readonly gaps: readonly AxisGap[];
  /** Pixels per second for gaps drawn to scale. */
  readonly scale: number;
  /** y below the last step. */
  readonly bottom: number;
}

/** Layout constants of {@link timeAxis}. */
export interface TimeAxisOptions {
  /** y of the first step. */
  readonly top: number;
  /** Height of one step's row (steps at the same instant stack by rows). */
  readonly row: number;
  /** Pixels all to-scale gaps may take together. */
  readonly budget: number;
  /** Never more than this many pixels per second (short traces stay compact). */
  readonly maxScale: number;
  /** A gap longer than this many times all other gaps together is broken. */
  readonly breakRatio: number;
  /** Height of a broken gap. */
  readonly brokenHeight: number;
}

const DEFAULTS: TimeAxisOptions = { top: 0, row: 26, budget: 420, maxScale: 40, breakRatio: 10, brokenHeight: 90 };

/**
 * A real time axis for a trace: every step gets a row, and between two
 * distinct times the axis adds space in proportion to the time that passed
 * (one scale for the whole trace), so an idle gap is drawn to scale. When
 * one gap dwarfs the rest (longer than `breakRatio` times all the others
 * together) it is drawn at a fixed height and marked as broken; its label
 * still gives its true length.
 */
export function timeAxis(times: readonly number[], options: Partial<TimeAxisOptions> = {}): TimeAxis {
  const o = { ...DEFAULTS, ...options };
  const deltas = times.map((t, i) => (i === 0 ? 0 : Math.max(0, t - times[i - 1]!)));
  const total = deltas.reduce((a, b) => a + b, 0);
  const largest = Math.max(0, ...deltas);
  const others = total - largest;
  const breakAt = others > 0 && largest > o.breakRatio * others ? deltas.indexOf(largest) : -1;
  const scaled = breakAt >= 0 ? others : total;
  const scale = scaled > 0 ? Math.min(o.maxScale, o.budget / scaled) : o.maxScale;
  const y: number[] = [];
  const gaps: AxisGap[] = [];
  let at = o.top;
  times.forEach((_, i) => {
    if (i > 0) {
      const d = deltas[i]!;
      const extra = i === breakAt ? o.brokenHeight : d * scale;
      const y0 = at;
      at += o.row + extra;
      if (d > 0) gaps.push({ seconds: d, y0, y1: at, broken: i === breakAt });
    }
    y.push(at);
  });
  return { y, gaps, scale, bottom: at + o.row };
}
