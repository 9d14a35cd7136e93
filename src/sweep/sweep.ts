/**
 * The sweep algorithm, independent of how a point is checked: which points
 * to check for a range of one or two scenario parameters, how the work
 * splits into shards, and what the checked points say (the boundary where
 * each property's verdict flips).
 *
 * The work is cut into units that do not depend on each other:
 * - one axis: the segments between consecutive sample points; a unit checks
 *   both ends of its segment and bisects, for every property, each pair of
 *   neighbouring checked points that disagree, until every flip it has seen
 *   is exact (neighbouring whole numbers);
 * - two axes: the sample points of the first axis; a unit runs the one-axis
 *   sweep along the second axis with the first fixed at that value.
 *
 * Every unit checks the same points whoever runs it, so the points of
 * shards `1/n … n/n` together are exactly the points of an unsharded run,
 * and so are the findings computed from them.
 *
 * @module
 */

/** One varied scenario parameter: a field path and a range of whole numbers. */
export interface SweepAxis {
  /** Field path into the scenario file format, e.g. `client.keepalive.idle`. */
  readonly field: string;
  readonly from: number;
  /** Inclusive; greater than `from`. */
  readonly to: number;
}

/** What a sweep covers. */
export interface SweepSpec {
  /** One or two axes; with two, the second is bisected for each sample of the first. */
  readonly axes: readonly SweepAxis[];
  /** Sample points per axis (at least 2): the segments along the last axis and the grid of the first. */
  readonly samples: number;
  /** Property ids checked at every point, in report order. */
  readonly properties: readonly string[];
}

/** Which part of the work one process does: units `index-1`, `index-1+count`, … (1-based `index`). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Property id → whether it holds. */
export type Verdicts = Readonly<Record<string, boolean>>;

/** One checked point: the axis values, in axis order, and each property's verdict. */
export interface SweepPoint {
  readonly values: readonly number[];
  readonly holds: Verdicts;
}

/** A maximal stretch of checked points along the last axis with the same verdict. */
export interface VerdictRun {
  /** First checked value of the stretch. */
  readonly from: number;
  /** Last checked value of the stretch. */
  readonly to: number;
  readonly holds: boolean;
}

/**
 * What the checked points say about one property along the last axis (for
 * one value of the first axis, with two axes). Consecutive runs meet at a
 * flip: the verdict is `runs[i].holds` at `runs[i].to` and the other one at
 * `runs[i+1].from`; the flip is exact when those differ by 1 (bisection
 * always narrows it so).
 */
export interface Finding {
  readonly property: string;
  /** The values of the axes before the last: `[]` with one axis, `[first-axis value]` with two. */
  readonly at: readonly number[];
  /** Points checked along this line. */
  readonly checked: number;
  /** At most one flip: the verdict is monotone in the last axis on the checked points. */
  readonly monotone: boolean;
  readonly runs: readonly VerdictRun[];
}

/** Evenly spread whole numbers from `from` to `to` (both included), at most `n` of them, ascending and distinct. */
export function samplePoints(from: number, to: number, n: number): number[] {
  if (to - from + 1 <= n) return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = from + Math.round((i * (to - from)) / (n - 1));
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** The number of independent units the sweep's work is cut into. */
export function unitCount(spec: SweepSpec): number {
  const first = spec.axes[0]!;
  const n = samplePoints(first.from, first.to, spec.samples).length;
  return spec.axes.length === 1 ? n - 1 : n;
}

/** The units (0-based) a shard runs: round-robin, so every shard gets a spread of the range. */
export function shardUnits(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let u = shard.index - 1; u < total; u += shard.count) out.push(u);
  return out;
}

/** Called as the sweep goes, for progress reports. */
export interface SweepEvents {
  /** A point was checked (not called for points already checked). */
  readonly onCheck?: (point: SweepPoint, ms: number) => void;
  /** A unit is finished: `done` of `total` units of this shard. */
  readonly onUnit?: (done: number, total: number) => void;
}

/** Key of a point in the cache. */
const keyOf = (values: readonly number[]): string => values.join(',');

/**
 * Runs a shard of a sweep: checks the points its units need through
 * `evaluate` (each point once) and returns them in the order of
 * {@link comparePoints}.
 *
 * @param evaluate checks the scenario with the axes set to `values`; may throw (a bad value), which ends the sweep
 */
export function sweepPoints(spec: SweepSpec, shard: Shard, evaluate: (values: readonly number[]) => Verdicts, events: SweepEvents = {}): SweepPoint[] {
  const cache = new Map<string, SweepPoint>();
  const at = (values: readonly number[]): Verdicts => {
    const key = keyOf(values);
    const known = cache.get(key);
    if (known) return known.holds;
    const started = performance.now();
    const holds = evaluate(values);
    const point: SweepPoint = { values: [...values], holds };
    cache.set(key, point);
    events.onCheck?.(point, performance.now() - started);
    return holds;
  };
  const last = spec.axes[spec.axes.length - 1]!;
  const lastSamples = samplePoints(last.from, last.to, spec.samples);
  // Checks both ends of the segment, then, while two neighbouring checked points of the
  // segment disagree about a property and are more than 1 apart, checks the middle of the
  // widest such gap: every flip the segment's points show ends up exact.
  const bisect = (prefix: readonly number[], lo: number, hi: number): void => {
    const checked = new Map<number, Verdicts>([
      [lo, at([...prefix, lo])],
      [hi, at([...prefix, hi])],
    ]);
    for (;;) {
      const xs = [...checked.keys()].sort((a, b) => a - b);
      let gap: { lo: number; hi: number } | undefined;
      for (const property of spec.properties) {
        for (let i = 0; i + 1 < xs.length; i++) {
          const a = xs[i]!;
          const b = xs[i + 1]!;
          if (b - a > 1 && checked.get(a)![property] !== checked.get(b)![property] && (gap === undefined || b - a > gap.hi - gap.lo)) gap = { lo: a, hi: b };
        }
      }
      if (gap === undefined) return;
      const mid = gap.lo + Math.floor((gap.hi - gap.lo) / 2);
      checked.set(mid, at([...prefix, mid]));
    }
  };
  const units = shardUnits(unitCount(spec), shard);
  const first = spec.axes[0]!;
  const firstSamples = samplePoints(first.from, first.to, spec.samples);
  units.forEach((u, i) => {
    if (spec.axes.length === 1) bisect([], lastSamples[u]!, lastSamples[u + 1]!);
    else for (let s = 0; s + 1 < lastSamples.length; s++) bisect([firstSamples[u]!], lastSamples[s]!, lastSamples[s + 1]!);
    events.onUnit?.(i + 1, units.length);
  });
  return [...cache.values()].sort(comparePoints);
}

/** Orders points by their values, first axis first. */
export function comparePoints(a: SweepPoint, b: SweepPoint): number {
  for (let i = 0; i < Math.min(a.values.length, b.values.length); i++) {
    const d = a.values[i]! - b.values[i]!;
    if (d !== 0) return d;
  }
  return a.values.length - b.values.length;
}

/**
 * What the points say: per property (in `properties` order) and per line
 * along the last axis (one line with one axis; one per first-axis value
 * with two), the runs of equal verdict and whether there is at most one flip.
 */
export function findings(properties: readonly string[], points: readonly SweepPoint[]): Finding[] {
  const lines = new Map<string, { at: number[]; points: SweepPoint[] }>();
  for (const p of [...points].sort(comparePoints)) {
    const at = p.values.slice(0, -1);
    const key = keyOf(at);
    const line = lines.get(key) ?? { at, points: [] };
    line.points.push(p);
    lines.set(key, line);
  }
  const out: Finding[] = [];
  for (const property of properties) {
    for (const line of lines.values()) {
      const runs: { from: number; to: number; holds: boolean }[] = [];
      for (const p of line.points) {
        const v = p.values[p.values.length - 1]!;
        const holds = p.holds[property] === true;
        const current = runs[runs.length - 1];
        if (current !== undefined && current.holds === holds) current.to = v;
        else runs.push({ from: v, to: v, holds });
      }
      out.push({ property, at: line.at, checked: line.points.length, monotone: runs.length <= 2, runs });
    }
  }
  return out;
}
