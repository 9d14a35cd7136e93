/**
 * Difference bounds `x - y ≺ c` with ≺ ∈ {<, ≤}, encoded in one number as
 * UPPAAL does (Bengtsson & Yi, "Timed Automata: Semantics, Algorithms and
 * Tools", §4.1): `2c + 1` for `≤ c`, `2c` for `< c`. A smaller code is a
 * tighter bound. {@link INF} is `< ∞`. Codes are plain doubles, exact for
 * |c| < 2^51, so sums of millisecond constants never overflow.
 */

/** The bound `< ∞` (no constraint). */
export const INF = Number.POSITIVE_INFINITY;

/** `≤ 0`, the diagonal of every DBM. */
export const LE_ZERO = 1;

/** Bound `x - y ≤ c`. */
export function le(c: number): number {
  return 2 * c + 1;
}

/** Bound `x - y < c`. */
export function lt(c: number): number {
  return 2 * c;
}

/** The constant of a bound. */
export function boundValue(b: number): number {
  return Math.floor(b / 2);
}

/** True when the bound is strict (`<`). */
export function isStrict(b: number): boolean {
  return (b & 1) === 0;
}

/** Sum of two bounds: (c1 ≺1) + (c2 ≺2) = (c1 + c2, ≤ only if both are ≤). */
export function addBounds(a: number, b: number): number {
  if (a === INF || b === INF) return INF;
  return a + b - ((a & 1) | (b & 1));
}

/** The negation used to test consistency: `x - y ≺ c` contradicts `y - x ≺' -c` unless both are ≤. */
export function negate(b: number): number {
  // -(c ≤) = (-c ≤) ; -(c <) = (-c <): same strictness, negated constant.
  const c = boundValue(b);
  return isStrict(b) ? lt(-c) : le(-c);
}

/** Human text of a bound, e.g. `≤ 350000`. */
export function formatBound(b: number): string {
  if (b === INF) return '< ∞';
  return `${isStrict(b) ? '<' : '≤'} ${boundValue(b)}`;
}
