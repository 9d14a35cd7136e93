/**
 * A set of clock values `from ≺ x ≺ to` (milliseconds in the engine, seconds
 * in reports); `to: null` means unbounded above.
 */
export interface Interval {
  readonly from: number;
  readonly fromInclusive: boolean;
  readonly to: number | null;
  readonly toInclusive: boolean;
}

function startsBefore(a: Interval, b: Interval): boolean {
  return a.from < b.from || (a.from === b.from && a.fromInclusive && !b.fromInclusive);
}

function endOf(a: Interval): number {
  return a.to === null ? Number.POSITIVE_INFINITY : a.to;
}

/** Merges overlapping or touching intervals into a sorted, disjoint union. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (startsBefore(a, b) ? -1 : startsBefore(b, a) ? 1 : 0));
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last) {
      const le = endOf(last);
      const touches = iv.from < le || (iv.from === le && (last.toInclusive || iv.fromInclusive));
      if (touches) {
        const ie = endOf(iv);
        if (ie > le || (ie === le && iv.toInclusive && !last.toInclusive)) {
          out[out.length - 1] = { ...last, to: iv.to, toInclusive: iv.toInclusive };
        }
        continue;
      }
    }
    out.push(iv);
  }
  return out;
}

/** Scales an interval (e.g. ms to seconds); rounds to 1e-9 so 1274600 ms reads 1274.6 s, not 1274.6000000000001. */
export function scaleInterval(iv: Interval, factor: number): Interval {
  const f = (v: number) => Math.round(v * factor * 1e9) / 1e9;
  return { ...iv, from: f(iv.from), to: iv.to === null ? null : f(iv.to) };
}

/** Text like `(350, ∞)` or `[0, 300]`. */
export function formatInterval(iv: Interval): string {
  return `${iv.fromInclusive ? '[' : '('}${iv.from}, ${iv.to === null ? '∞' : iv.to}${iv.to !== null && iv.toInclusive ? ']' : ')'}`;
}
