import * as bound from './bound.ts';

// bound.ts's `INF` and `LE_ZERO`, as literals of this module, checked against
// bound.ts once when it loads: under a transpiler's module interop (vitest, tsx)
// an imported binding is read through a getter at every use, and these are read
// in the innermost loops. A literal constant is the same in every build.
const INF = Number.POSITIVE_INFINITY;
const LE_ZERO = 1;
if (bound.INF !== INF || bound.LE_ZERO !== LE_ZERO) throw new Error('flatDbm.ts: its bound codes differ from bound.ts');

/**
 * The zone operations of {@link Dbm}, on a DBM stored at an offset of a
 * shared `Float64Array` (the explorer's zone arena), so the hot loop
 * allocates nothing per zone: the same algorithms (Bengtsson & Yi, "Timed
 * Automata: Semantics, Algorithms and Tools" §4), entry (i, j) of an n × n
 * matrix at `m[o + i·n + j]`, bounds encoded as in bound.ts. The `Dbm`
 * class keeps its own implementation; the explorer's tests compare the two
 * explorers state for state (test/engine/arenaExplore.test.ts).
 */

/** `addBounds` of bound.ts, inlined by hand in the loops below. */
function add(a: number, b: number): number {
  return a === INF || b === INF ? INF : a + b - ((a & 1) | (b & 1));
}

/**
 * Adds `x_i - x_j ≺ b` to the canonical DBM at `o` and restores canonical
 * form in O(n²). Returns false (and marks entry (0, 0) negative) when the
 * zone becomes empty.
 */
export function constrainAt(m: Float64Array, o: number, n: number, i: number, j: number, b: number): boolean {
  if (b >= m[o + i * n + j]!) return true;
  const ji = m[o + j * n + i]!;
  const back = add(ji, b);
  if (back < LE_ZERO) {
    m[o] = back;
    return false;
  }
  m[o + i * n + j] = b;
  const jn = o + j * n;
  for (let a = 0; a < n; a++) {
    const an = o + a * n;
    const ai = m[an + i]!;
    if (ai === INF) continue;
    const aib = ai + b - ((ai & 1) | (b & 1));
    for (let c = 0; c < n; c++) {
      const jc = m[jn + c]!;
      if (jc === INF) continue;
      const s = aib + jc - ((aib & 1) | (jc & 1));
      if (s < m[an + c]!) m[an + c] = s;
    }
  }
  return true;
}

/** Time elapse: drops the upper bounds of all clocks. */
export function upAt(m: Float64Array, o: number, n: number): void {
  for (let i = 1; i < n; i++) m[o + i * n] = INF;
}

/** Floyd–Warshall closure in place; false when the zone is empty. */
export function canonicalizeAt(m: Float64Array, o: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    const kn = o + k * n;
    for (let i = 0; i < n; i++) {
      const in_ = o + i * n;
      const ik = m[in_ + k]!;
      if (ik === INF) continue;
      for (let j = 0; j < n; j++) {
        const kj = m[kn + j]!;
        if (kj === INF) continue;
        const s = ik + kj - ((ik & 1) | (kj & 1));
        if (s < m[in_ + j]!) m[in_ + j] = s;
      }
    }
    if (m[kn + k]! < LE_ZERO) return false;
  }
  for (let i = 0; i < n; i++) if (m[o + i * n + i]! < LE_ZERO) return false;
  return true;
}

/**
 * Writes into `dst` at `d` the n2 × n2 DBM whose clock k is clock `src[k]` of
 * the n × n DBM at `s` (`src[0] = 0`; a fresh clock is given as 0, the
 * reference, which resets it). Exact projection on canonical DBMs. `dst`
 * must not overlap the source region.
 */
export function remapAt(m: Float64Array, s: number, n: number, src: Int32Array, dst: Float64Array, d: number, n2: number): void {
  for (let i = 0; i < n2; i++) {
    const si = s + src[i]! * n;
    const di = d + i * n2;
    for (let j = 0; j < n2; j++) dst[di + j] = m[si + src[j]!]!;
    dst[di + i] = LE_ZERO;
  }
}

/**
 * Maximal-constant extrapolation Extra_M (as `Dbm.extrapolateInPlace`):
 * `max[0]` must be 0. `lt(x) = 2x`, `le(x) = 2x + 1` are inlined.
 */
export function extrapolateAt(m: Float64Array, o: number, n: number, max: Float64Array): void {
  let changed = false;
  for (let i = 0; i < n; i++) {
    const upper = 2 * max[i]! + 1; // le(M_i)
    const row = o + i * n;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = m[row + j]!;
      if (b === INF) continue;
      const lower = -2 * max[j]!; // lt(-M_j)
      if (b > upper) {
        m[row + j] = INF;
        changed = true;
      } else if (b < lower) {
        m[row + j] = lower;
        changed = true;
      }
    }
  }
  if (changed) canonicalizeAt(m, o, n);
}

/** True when the DBM at `a` is included in the one at `b` (both `len` entries, canonical). */
export function includedAt(m: Float64Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (m[a + k]! > m[b + k]!) return false;
  return true;
}
