import { formatInterval, type Interval } from '../engine/interval.ts';

/** A number of seconds rounded to the millisecond, without float noise (`1324.6`, not `1324.6000000000001`). */
export function roundSeconds(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A time for people: `400 s`, `400.2 s`. */
export function formatSeconds(x: number): string {
  return `${roundSeconds(x)} s`;
}

/** An idle-gap window as text, e.g. `idle gap ∈ (350, ∞) s` or `idle gap ∈ [0, 0] ∪ (1274.6, ∞) s`. */
export function formatWindow(union: readonly Interval[]): string {
  const parts = union.map((iv) => formatInterval({ ...iv, from: roundSeconds(iv.from), to: iv.to === null ? null : roundSeconds(iv.to) }));
  return `idle gap ∈ ${parts.join(' ∪ ')} s`;
}
