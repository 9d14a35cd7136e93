import { INF, LE_ZERO, addBounds, boundValue, isStrict, le, lt } from './bound.ts';

/**
 * A difference-bound matrix over clocks 0..n-1, clock 0 being the constant
 * reference (always 0). Entry (i, j) bounds `x_i - x_j` (see bound.ts).
 * Operations keep the matrix canonical (all-pairs shortest paths), as in
 * Bengtsson & Yi, "Timed Automata: Semantics, Algorithms and Tools" §4.
 * Zones are immutable from the outside: every operation returns a new DBM or
 * mutates only a DBM the caller just created (`…InPlace`).
 */
export class Dbm {
  private constructor(
    readonly n: number,
    readonly m: Float64Array,
  ) {}

  /** A DBM over the given canonical matrix (n × n entries, row-major; taken, not copied). */
  static fromMatrix(n: number, m: Float64Array): Dbm {
    if (m.length !== n * n) throw new Error(`Dbm.fromMatrix: ${m.length} entries for dimension ${n}`);
    return new Dbm(n, m);
  }

  /** The zone where every clock is 0. */
  static zero(n: number): Dbm {
    return new Dbm(n, new Float64Array(n * n).fill(LE_ZERO));
  }

  /** The zone where every clock is ≥ 0 and otherwise unconstrained. */
  static universe(n: number): Dbm {
    const m = new Float64Array(n * n).fill(INF);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = LE_ZERO;
      m[i] = LE_ZERO; // 0 - x_i <= 0
    }
    return new Dbm(n, m);
  }

  /** A copy. */
  clone(): Dbm {
    return new Dbm(this.n, this.m.slice());
  }

  /** Bound on x_i - x_j. */
  get(i: number, j: number): number {
    return this.m[i * this.n + j]!;
  }

  /** Lower and upper bound of clock i, as bounds: lower = -(0 - x_i bound). */
  interval(i: number): { lo: number; loStrict: boolean; hi: number; hiStrict: boolean } {
    const lower = this.get(0, i);
    const upper = this.get(i, 0);
    return {
      lo: 0 - boundValue(lower), // not -boundValue: a lower bound ≤ 0 must read as 0, not -0
      loStrict: isStrict(lower),
      hi: upper === INF ? INF : boundValue(upper),
      hiStrict: upper === INF ? true : isStrict(upper),
    };
  }

  /** True when the zone is empty (a negative diagonal). */
  isEmpty(): boolean {
    const { n, m } = this;
    for (let i = 0; i < n; i++) if (m[i * n + i]! < LE_ZERO) return true;
    return false;
  }

  /** Floyd–Warshall closure, in place. Returns false when the zone is empty. */
  canonicalizeInPlace(): boolean {
    const { n, m } = this;
    for (let k = 0; k < n; k++) {
      const kn = k * n;
      for (let i = 0; i < n; i++) {
        const ik = m[i * n + k]!;
        if (ik === INF) continue;
        const in_ = i * n;
        for (let j = 0; j < n; j++) {
          const kj = m[kn + j]!;
          if (kj === INF) continue;
          const s = addBounds(ik, kj);
          if (s < m[in_ + j]!) m[in_ + j] = s;
        }
      }
      if (m[k * n + k]! < LE_ZERO) return false;
    }
    return !this.isEmpty();
  }

  /** Time elapse (strongest postcondition of delay): drop upper bounds of all clocks. */
  upInPlace(): void {
    const { n, m } = this;
    for (let i = 1; i < n; i++) m[i * n] = INF;
  }

  /**
   * Delay backwards (weakest precondition of a delay): the valuations from
   * which some delay d ≥ 0 reaches the zone. On a canonical DBM this is the
   * zone without its lower bounds (every clock ≥ 0), closed again.
   */
  downInPlace(): void {
    const { n, m } = this;
    for (let i = 1; i < n; i++) m[i] = LE_ZERO;
    this.canonicalizeInPlace();
  }

  /**
   * The inverse image of this zone, over the target clocks of a step, under
   * the step's clock map (as {@link remap} takes it: target clock k+1
   * continues source clock `map[k]+1`, or is reset when `map[k]` is -1): the
   * valuations of the `nSource` source clocks whose image lies in the zone. A
   * reset clock's image is 0; source clocks no target clock continues are
   * free. Undefined when it is empty.
   */
  unmap(map: readonly number[], nSource: number): Dbm | undefined {
    const z = this.clone();
    for (let k = 0; k < map.length; k++) {
      if (map[k]! >= 0) continue;
      if (!z.constrainInPlace(k + 1, 0, LE_ZERO) || !z.constrainInPlace(0, k + 1, LE_ZERO)) return undefined;
    }
    const out = Dbm.universe(nSource + 1);
    const n2 = nSource + 1;
    const src = (k: number): number => (k === 0 ? 0 : map[k - 1]! + 1);
    for (let a = 0; a < z.n; a++) {
      if (a > 0 && map[a - 1]! < 0) continue;
      for (let b = 0; b < z.n; b++) {
        if (a === b || (b > 0 && map[b - 1]! < 0)) continue;
        const at = src(a) * n2 + src(b);
        const v = z.get(a, b);
        if (v < out.m[at]!) out.m[at] = v; // a negative diagonal when two clocks continuing one source clock disagree
      }
    }
    return out.canonicalizeInPlace() ? out : undefined;
  }

  /**
   * Adds `x_i - x_j ≺ b` and restores canonical form incrementally (O(n²)).
   * Returns false when the zone becomes empty.
   */
  constrainInPlace(i: number, j: number, b: number): boolean {
    const { n, m } = this;
    if (b >= m[i * n + j]!) return true;
    if (addBounds(m[j * n + i]!, b) < LE_ZERO) {
      m[0] = addBounds(m[j * n + i]!, b); // mark empty
      return false;
    }
    m[i * n + j] = b;
    for (let a = 0; a < n; a++) {
      const ai = m[a * n + i]!;
      if (ai === INF) continue;
      const aib = addBounds(ai, b);
      for (let c = 0; c < n; c++) {
        const jc = m[j * n + c]!;
        if (jc === INF) continue;
        const s = addBounds(aib, jc);
        if (s < m[a * n + c]!) m[a * n + c] = s;
      }
    }
    return true;
  }

  /** Resets clock i to 0, in place (canonical form is preserved). */
  resetInPlace(i: number): void {
    const { n, m } = this;
    for (let j = 0; j < n; j++) {
      m[i * n + j] = m[j]!; // x_i - x_j = 0 - x_j
      m[j * n + i] = m[j * n]!; // x_j - x_i = x_j - 0
    }
    m[i * n + i] = LE_ZERO;
  }

  /**
   * A new DBM over the clocks `map` picks from this one: target clock k+1 is
   * source clock `map[k]+1`, or a fresh clock reset to 0 when `map[k]` is -1.
   * Clocks not picked are projected away (exact on canonical DBMs).
   */
  remap(map: readonly number[]): Dbm {
    const n2 = map.length + 1;
    const src = new Int32Array(n2);
    src[0] = 0;
    for (let k = 0; k < map.length; k++) src[k + 1] = map[k]! < 0 ? 0 : map[k]! + 1;
    // A fresh clock equals the reference (0) right now, so copying row/col 0 resets it.
    const { n, m } = this;
    const out = new Float64Array(n2 * n2);
    for (let i = 0; i < n2; i++) {
      const si = src[i]! * n;
      for (let j = 0; j < n2; j++) out[i * n2 + j] = m[si + src[j]!]!;
    }
    for (let i = 0; i < n2; i++) out[i * n2 + i] = LE_ZERO;
    return new Dbm(n2, out);
  }

  /**
   * Classic maximal-constant extrapolation Extra_M (Bengtsson & Yi §4.2, with
   * max[0] = 0): bounds above M_i become ∞, lower bounds below -M_j become
   * `< -M_j`. Keeps exploration finite; exact for reachability when each
   * clock is compared only with constants ≤ its M. Re-canonicalises.
   */
  extrapolateInPlace(max: Float64Array): void {
    const { n, m } = this;
    let changed = false;
    for (let i = 0; i < n; i++) {
      const mi = i === 0 ? 0 : max[i]!;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const b = m[i * n + j]!;
        if (b === INF) continue;
        const mj = j === 0 ? 0 : max[j]!;
        if (b > le(mi)) {
          m[i * n + j] = INF;
          changed = true;
        } else if (b < lt(-mj)) {
          m[i * n + j] = lt(-mj);
          changed = true;
        }
      }
    }
    if (changed) this.canonicalizeInPlace();
  }

  /** True when this zone is a subset of `other` (same dimension, both canonical). */
  includedIn(other: Dbm): boolean {
    const a = this.m;
    const b = other.m;
    for (let k = 0; k < a.length; k++) if (a[k]! > b[k]!) return false;
    return true;
  }

  /** Exact equality of canonical DBMs. */
  equals(other: Dbm): boolean {
    if (other.n !== this.n) return false;
    const a = this.m;
    const b = other.m;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }

  /** A compact key of the matrix (for hashing). */
  key(): string {
    return Array.from(this.m, (v) => (v === INF ? '~' : v.toString(36))).join(',');
  }

  /** The constraints as text over the given clock names (for traces), skipping implied ∞ bounds. */
  describe(names: readonly string[], scale = 1): string[] {
    const out: string[] = [];
    const fmt = (v: number) => String(v / scale);
    for (let i = 1; i < this.n; i++) {
      const iv = this.interval(i);
      const name = names[i - 1] ?? `x${i}`;
      const lo = `${fmt(iv.lo)} ${iv.loStrict ? '<' : '≤'} `;
      const hi = iv.hi === INF ? '' : ` ${iv.hiStrict ? '<' : '≤'} ${fmt(iv.hi)}`;
      out.push(`${lo}${name}${hi}`);
    }
    for (let i = 1; i < this.n; i++) {
      for (let j = i + 1; j < this.n; j++) {
        const b = this.get(i, j);
        const c = this.get(j, i);
        if (b === INF && c === INF) continue;
        const a = names[i - 1] ?? `x${i}`;
        const d = names[j - 1] ?? `x${j}`;
        const lo = c === INF ? '' : `${fmt(-boundValue(c))} ${isStrict(c) ? '<' : '≤'} `;
        const hi = b === INF ? '' : ` ${isStrict(b) ? '<' : '≤'} ${fmt(boundValue(b))}`;
        out.push(`${lo}${a} - ${d}${hi}`);
      }
    }
    return out;
  }
}
