import type { EventObject } from 'xstate';
import type { ClockGuard } from '../engine/timedSystem.ts';
import type { ComponentInstance } from './components.ts';
import type { Draft, DraftSlot } from './systemState.ts';

/**
 * Clocks and boundary ghosts (design.md, "Time"; domain-facts §10). Every
 * armed `after` is a clock with the invariant `x <= delay`, firing at
 * `x == delay`. A middlebox's timeout boundary decides what a segment finds
 * at exactly the instant of expiry:
 * - `closed`: a segment delivered while the timer is armed needs `x < delay`
 *   (at exactly the timeout the entry is already gone);
 * - `open`: when the timer fires it leaves a ghost clock; a segment that
 *   meets the expired entry needs `x > delay` (at exactly the timeout the
 *   entry still existed), and the ghost is consumed; the expiry itself
 *   waits until the segments in flight have crossed (product.ts
 *   `expiresAfterItsInstant`), so no segment in flight meets a ghost of its
 *   own instant;
 * - `ambiguous`: no guard, both orders are explored.
 */

/** Records the timers a machine transition cancelled and armed (each arm restarts its clock), with delays scaled. */
export function applyTimers(d: Draft, i: number, cancels: readonly string[], arms: readonly { id: string; delay: number; event: EventObject }[], scale: number): void {
  let slots = d.timers[i]!;
  if (cancels.length > 0) slots = slots.filter((t) => !cancels.includes(t.id));
  for (const a of arms) {
    slots = slots.filter((t) => t.id !== a.id && t.id !== `${a.id}~`);
    slots.push({ id: a.id, delay: a.delay * scale, ghost: false, event: a.event, src: -1 });
  }
  d.timers[i] = slots;
}

/**
 * The guards an `open` boundary puts on a segment that reaches a middlebox
 * whose timers have expired (their ghosts, `src` the ghost's clock): it
 * crosses only strictly after each expiry, since at exactly the timeout the
 * entry still existed and the segment would have found it. Undefined when a
 * ghost started in this very step (infeasible).
 */
export function openGhostGuards(ghosts: readonly { readonly src: number; readonly delay: number }[]): ClockGuard[] | undefined {
  const out: ClockGuard[] = [];
  for (const t of ghosts) {
    if (t.src < 0) return undefined;
    out.push({ clock: t.src, op: '>', value: t.delay });
  }
  return out;
}

/** Adds the boundary guards for a segment reaching middlebox `comp` now (the ghosts' guards from `ghostGuards`), and consumes its ghosts. */
export function guardBoundary(d: Draft, comp: ComponentInstance, ghostGuards: typeof openGhostGuards = openGhostGuards): void {
  if (comp.kind === 'endpoint') return;
  const i = comp.index;
  const slots = d.timers[i]!;
  if (comp.boundary === 'closed') {
    for (const t of slots) if (!t.ghost && t.src >= 0) d.guard.push({ clock: t.src, op: '<', value: t.delay });
  }
  if (slots.some((t) => t.ghost)) {
    const guards = ghostGuards(slots.filter((t) => t.ghost));
    if (guards) d.guard.push(...guards);
    else d.feasible = false;
    d.timers[i] = slots.filter((t) => !t.ghost);
  }
}

/** Removes a timer that fires now (guard `x >= delay` on its clock `k`), leaving a ghost for an `open` middlebox. */
export function fireTimer(d: Draft, comp: ComponentInstance, slot: DraftSlot, k: number): void {
  const i = comp.index;
  d.guard.push({ clock: k, op: '>=', value: slot.delay });
  d.timers[i] = d.timers[i]!.filter((t) => t.id !== slot.id);
  if (comp.kind !== 'endpoint' && comp.boundary === 'open') {
    d.timers[i]!.push({ id: `${slot.id}~`, delay: slot.delay, ghost: true, event: undefined, src: k });
  }
}
