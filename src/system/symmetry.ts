import { referencedTargets, TARGET_FIELDS, type HopLayout, type Layout } from './components.ts';
import { segKey, type StateKeys } from './stateKeys.ts';
import type { Draft, TimerSlot } from './systemState.ts';

/**
 * Symmetry reduction (design.md, "State identity"), generic over the two
 * kinds of interchangeable things a topology has: the identically
 * configured targets of a choosing hop (GWLB appliances), and connections
 * with identical endpoint settings. Both renumber a draft in place into a
 * canonical order; a flow entry's pinned target moves with its target.
 */
export class Symmetry {
  constructor(
    private readonly layout: Layout,
    private readonly keys: StateKeys,
    /** Whether to reduce at all (tests switch it off to compare). */
    readonly enabled: boolean,
  ) {}

  /** The signature of target `a` of a hop: its sessions' snapshots and timers. */
  private targetSignature(hop: HopLayout, locals: readonly number[], timers: readonly (readonly TimerSlot[])[], a: number): string {
    let sig = '';
    for (const sIdx of hop.targets[a]!) {
      sig += `${locals[sIdx]}:`;
      for (const t of timers[sIdx]!) sig += `${this.keys.timerName(t.id)}.`;
      sig += ';';
    }
    return sig;
  }

  /**
   * Targets a new entry of `hop` may choose in this draft: all of them, or
   * with symmetry one representative per class of identical targets that no
   * entry of the hop is pinned to.
   */
  targetChoices(hop: HopLayout, d: Draft): number[] {
    const all = Array.from({ length: hop.targetCount }, (_, a) => a);
    if (!this.enabled) return all;
    if (hop.targets.length === 0) return all.slice(0, 1);
    const referenced = new Set<number>();
    for (const f of hop.entries) for (const t of referencedTargets(this.layout.components[f]!.logic.snapshot(d.locals[f]!))) referenced.add(t);
    const seen = new Set<string>();
    const reps: number[] = [];
    for (const a of all) {
      const sig = referenced.has(a) ? `ref${a}` : this.targetSignature(hop, d.locals, d.timers, a);
      if (seen.has(sig)) continue;
      seen.add(sig);
      reps.push(a);
    }
    return reps;
  }

  private connectionSignature(d: Draft, c: number): string {
    const [cl, sv] = this.layout.endpoint[c]!;
    const part = (i: number) => `${this.layout.components[i]!.logic.key(d.locals[i]!)}:${d.timers[i]!.map((t) => t.id).join('.')}`;
    const hops = this.layout.hops.map((hop) => `${part(hop.entryOf[c]!)}|${hop.targets.map((row) => part(row[c]!)).join(';')}`).join('|');
    const inflight = d.inflight.filter((g) => g.conn === c).map((g) => segKey({ ...g, conn: 0 })).join(' ');
    return `${part(cl)}|${part(sv)}|${hops}|${inflight}`;
  }

  /**
   * Renumbers connections into a canonical order (sorted by the discrete
   * state of everything that belongs to one connection), in place. Sound:
   * with identical endpoint settings, any renumbering of connections is a
   * symmetry (a shared entry is shared by all alike). A connection's
   * snapshots are re-interned in the machine logic of its new position (its
   * config differs only in the connection index); its timers, observer clock
   * and in-flight segments move with it. Returns the permutation (new
   * position → old connection), or undefined if already canonical.
   * Connections below `fixed` keep their numbers (an observed connection,
   * observedConnections.ts); only the rest are sorted among themselves.
   */
  canonicalizeConnections(d: Draft, fixed = 0): number[] | undefined {
    const n = this.layout.topology.connections;
    if (n - fixed < 2) return undefined; // nothing to sort
    const sigs = Array.from({ length: n }, (_, c) => (c < fixed ? '' : this.connectionSignature(d, c)));
    const head = Array.from({ length: Math.min(fixed, n) }, (_, c) => c);
    const tail = Array.from({ length: n - head.length }, (_, c) => c + head.length).sort((x, y) => (sigs[x]! < sigs[y]! ? -1 : sigs[x]! > sigs[y]! ? 1 : x - y));
    const perm = [...head, ...tail];
    if (perm.every((v, i) => v === i)) return undefined;
    const newPos: number[] = [];
    perm.forEach((old, q) => (newPos[old] = q));
    const locals = [...d.locals];
    const timers = [...d.timers];
    const move = (from: number, to: number) => {
      const fl = this.layout.components[from]!.logic;
      const tl = this.layout.components[to]!.logic;
      locals[to] = fl === tl ? d.locals[from]! : tl.translate(fl, d.locals[from]!);
      timers[to] = d.timers[from]!;
    };
    for (let q = 0; q < n; q++) {
      const old = perm[q]!;
      move(this.layout.endpoint[old]![0], this.layout.endpoint[q]![0]);
      move(this.layout.endpoint[old]![1], this.layout.endpoint[q]![1]);
      for (const hop of this.layout.hops) {
        move(hop.entryOf[old]!, hop.entryOf[q]!);
        for (const row of hop.targets) move(row[old]!, row[q]!);
      }
    }
    d.locals = locals;
    d.timers = timers;
    // observers exist for the connections below d.obsSrc.length only; a fixed prefix keeps them in place
    d.obsSrc = perm.slice(0, d.obsSrc.length).map((old) => d.obsSrc[old]!);
    d.inflight = d.inflight.map((g) => ({ ...g, conn: newPos[g.conn]! }));
    return perm;
  }

  /**
   * Renumbers the targets of every choosing hop into a canonical order
   * (sorted by their sessions' discrete state and the entries pinned to
   * them), in place. Sound: any renumbering of identically configured
   * targets is a symmetry; entries' pinned targets and the targets' timers
   * move with them. Returns per hop the permutation (new position → old
   * target), or undefined when every hop was already canonical.
   */
  canonicalizeTargets(d: Draft): (number[] | undefined)[] | undefined {
    let any = false;
    const perms = this.layout.hops.map((hop) => {
      const p = this.canonicalizeHop(hop, d);
      if (p) any = true;
      return p;
    });
    return any ? perms : undefined;
  }

  private canonicalizeHop(hop: HopLayout, d: Draft): number[] | undefined {
    const n = hop.targets.length;
    if (n < 2) return undefined;
    // pinned[a]: bit mask of the entries pinned to target a
    const pinned = new Array<number>(n).fill(0);
    for (let k = 0; k < hop.entries.length; k++) {
      const f = hop.entries[k]!;
      const ctx = this.layout.components[f]!.logic.snapshot(d.locals[f]!).context as Record<string, unknown>;
      TARGET_FIELDS.forEach((field, j) => {
        const t = ctx[field];
        if (typeof t === 'number') pinned[t] = pinned[t]! | (1 << (k * TARGET_FIELDS.length + j));
      });
    }
    const cmp = (x: number, y: number): number => {
      const rx = hop.targets[x]!;
      const ry = hop.targets[y]!;
      for (let c = 0; c < rx.length; c++) {
        const a = rx[c]!;
        const b = ry[c]!;
        if (d.locals[a] !== d.locals[b]) return d.locals[a]! - d.locals[b]!;
        const ta = d.timers[a]!;
        const tb = d.timers[b]!;
        if (ta.length !== tb.length) return ta.length - tb.length;
        for (let j = 0; j < ta.length; j++) {
          const na = this.keys.timerName(ta[j]!.id);
          const nb = this.keys.timerName(tb[j]!.id);
          if (na !== nb) return na - nb;
        }
      }
      return pinned[x]! - pinned[y]! || x - y;
    };
    let sorted = true;
    for (let a = 1; a < n && sorted; a++) if (cmp(a - 1, a) > 0) sorted = false;
    if (sorted) return undefined;
    const perm = Array.from({ length: n }, (_, a) => a).sort(cmp);
    const newPos: number[] = [];
    perm.forEach((old, p) => (newPos[old] = p));
    const locals = [...d.locals];
    const timers = [...d.timers];
    for (let p = 0; p < n; p++) {
      const from = hop.targets[perm[p]!]!;
      const to = hop.targets[p]!;
      for (let c = 0; c < from.length; c++) {
        locals[to[c]!] = d.locals[from[c]!]!;
        timers[to[c]!] = d.timers[from[c]!]!;
      }
    }
    for (const f of hop.entries) {
      const logic = this.layout.components[f]!.logic;
      const ctx = logic.snapshot(d.locals[f]!).context as Record<string, unknown>;
      const patch: Record<string, number> = {};
      for (const field of TARGET_FIELDS) {
        const t = ctx[field];
        if (typeof t === 'number' && newPos[t] !== t) patch[field] = newPos[t]!;
      }
      if (Object.keys(patch).length > 0) locals[f] = logic.withContext(d.locals[f]!, patch);
    }
    d.locals = locals;
    d.timers = timers;
    return perm;
  }
}
