import type { ClockSpec } from '../engine/timedSystem.ts';
import { segmentLabel, type Segment } from '../models/segment.ts';
import type { Layout } from './components.ts';
import type { Draft, SystemState, TimerSlot } from './systemState.ts';

/** `xstate.after.idleTimeout.gwlbFlow.active` → `idleTimeout@active`. */
export function shortTimer(id: string): string {
  const parts = id.split('.');
  if (parts[0] === 'xstate' && parts[1] === 'after' && parts.length >= 5) return `${parts[2]}@${parts.slice(4).join('.')}`;
  return id;
}

/** The key of a segment in flight (segment.ts {@link segmentLabel}: every field that changes behaviour). */
export const segKey = (s: Segment): string => segmentLabel(s);

/** The direction index of a segment: connection × 2 + (0 from the client, 1 from the server). */
export const directionOf = (s: Segment): number => s.conn * 2 + (s.from === 'client' ? 0 : 1);

const bySlotId = (a: TimerSlot, b: TimerSlot): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * State identity (design.md, "State identity"): interned timer names, the
 * clock specs of every (component, timer, delay), and the compact canonical
 * key of a state: local snapshot ids, each component's pending timer names,
 * and the segments in flight (FIFO per direction, directions in canonical
 * order). The zone is not part of the key; the explorer keeps it beside.
 */
export class StateKeys {
  private readonly timerNames = new Map<string, number>();
  private readonly clockSpecs: Map<number, Map<number, ClockSpec>>[] = [];
  private readonly observerSpecs: ClockSpec[] = [];

  constructor(
    private readonly layout: Layout,
    /** Extrapolation bound of the observer (idle-gap) clocks, ms. */
    private readonly observerMax: number,
  ) {}

  /** The interned number of a timer id. */
  timerName(id: string): number {
    let n = this.timerNames.get(id);
    if (n === undefined) {
      n = this.timerNames.size;
      this.timerNames.set(id, n);
    }
    return n;
  }

  /** The interned numbers of every ghost (expired timer) id seen so far. */
  ghostNames(): Set<string> {
    const ghosts = new Set<string>();
    for (const [id, n] of this.timerNames) if (id.endsWith('~')) ghosts.add(String(n));
    return ghosts;
  }

  /** The clock spec of a timer slot of component `i`: its name, its invariant (armed) or its drop bound (ghost). */
  clockSpec(i: number, t: TimerSlot): ClockSpec {
    let perComp = this.clockSpecs[i];
    if (!perComp) {
      perComp = new Map();
      this.clockSpecs[i] = perComp;
    }
    const k = this.timerName(t.id) * 2 + (t.ghost ? 1 : 0);
    let perTimer = perComp.get(k);
    if (!perTimer) {
      perTimer = new Map();
      perComp.set(k, perTimer);
    }
    let spec = perTimer.get(t.delay);
    if (!spec) {
      const name = `${this.layout.components[i]!.name}:${shortTimer(t.id)}`;
      spec = t.ghost ? { name: `${name}(expired)`, max: t.delay, dropAbove: t.delay } : { name, max: t.delay, invariant: t.delay };
      perTimer.set(t.delay, spec);
    }
    return spec;
  }

  /** The observer clock spec of connection `c`: time since a segment of it was last delivered end to end. */
  observerSpec(c: number): ClockSpec {
    let spec = this.observerSpecs[c];
    if (!spec) {
      spec = { name: `idle-gap:c${c}`, max: this.observerMax };
      this.observerSpecs[c] = spec;
    }
    return spec;
  }

  /**
   * Sorts each component's timer slots of a draft by id (as {@link finish}
   * orders them) and interns their names in that order, so that a later
   * `finish` interns nothing: the numbers do not depend on when, or
   * whether, a draft is finished.
   */
  internTimers(d: Draft): void {
    for (let i = 0; i < d.timers.length; i++) {
      let slots = d.timers[i]!;
      if (slots.length > 1) {
        slots = [...slots].sort(bySlotId);
        d.timers[i] = slots;
      }
      for (let j = 0; j < slots.length; j++) this.timerName(slots[j]!.id);
    }
  }

  /** Turns a draft into a state: its clocks (observers, then timers by component, sorted by id), its key, and where each clock comes from. */
  finish(d: Draft): { state: SystemState; clockMap: number[] } {
    const clocks: ClockSpec[] = [];
    const clockMap: number[] = [];
    for (let c = 0; c < d.obsSrc.length; c++) {
      clocks.push(this.observerSpec(c));
      clockMap.push(d.obsSrc[c]!);
    }
    const timers: TimerSlot[][] = [];
    let key = d.locals.join(',');
    for (let i = 0; i < d.timers.length; i++) {
      let slots = d.timers[i]!;
      if (slots.length > 1) slots = [...slots].sort(bySlotId);
      key += '|';
      for (let j = 0; j < slots.length; j++) {
        const t = slots[j]!;
        clocks.push(this.clockSpec(i, t));
        clockMap.push(t.src);
        key += j === 0 ? this.timerName(t.id) : `.${this.timerName(t.id)}`;
      }
      timers.push(slots);
    }
    // FIFO per direction: keep each direction's order, canonical order across directions.
    let inflight: readonly Segment[] = d.inflight;
    if (inflight.length > 1) inflight = [...inflight].sort((a, b) => directionOf(a) - directionOf(b));
    key += `|${inflight.map(segKey).join(' ')}`;
    const state: SystemState = { locals: d.locals, timers, inflight, key, clocks };
    return { state, clockMap };
  }
}
