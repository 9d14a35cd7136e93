import type { EventObject } from 'xstate';
import type { ClockGuard, ClockSpec, Edge } from '../engine/timedSystem.ts';
import type { Segment } from '../models/segment.ts';
import type { LogRecord, SystemLabel } from './labels.ts';

/** A pending timer of a component: an armed `after` (or, for `open` boundaries, the ghost of an expired one). */
export interface TimerSlot {
  /** Raise id; a ghost's id ends with `~`. */
  readonly id: string;
  /** Delay in ms (scaled). */
  readonly delay: number;
  /** True for the ghost of an expired timer (no invariant, no firing). */
  readonly ghost: boolean;
  /** The event to send when it fires. */
  readonly event: EventObject | undefined;
}

/** A state of the composed system (its zone lives in the explorer). */
export interface SystemState {
  /** Interned local snapshot id per component. */
  readonly locals: readonly number[];
  /** Pending timers per component, sorted by id. */
  readonly timers: readonly (readonly TimerSlot[])[];
  /** Segments sent but not yet carried across the path (time cannot pass while any exist). */
  readonly inflight: readonly Segment[];
  readonly key: string;
  readonly clocks: readonly ClockSpec[];
}

/**
 * A system edge. `perm` and `connPerm` record the renumbering symmetry
 * reduction applied to the target (`perm[hop][new position] = old target`
 * for each hop with targets, `connPerm[new position] = old connection`), so
 * traces can name components consistently.
 */
export interface SystemEdge extends Edge<SystemState, SystemLabel> {
  readonly perm?: readonly (readonly number[] | undefined)[] | undefined;
  readonly connPerm?: readonly number[] | undefined;
}

/** A timer slot of a state being built, with the clock it continues. */
export interface DraftSlot extends TimerSlot {
  /** Source clock index this slot continues, or -1 when it starts now. */
  readonly src: number;
}

/** A successor state being built from a source state (mutable until finished). */
export interface Draft {
  locals: number[];
  timers: DraftSlot[][];
  inflight: Segment[];
  /** Per connection, the source observer clock it continues, or -1 when reset now. */
  obsSrc: number[];
  guard: ClockGuard[];
  feasible: boolean;
  logs: LogRecord[];
  sent: Segment[];
}

/** A draft with nothing in it (for the initial state). */
export function emptyDraft(): Draft {
  return { locals: [], timers: [], inflight: [], obsSrc: [], guard: [], feasible: true, logs: [], sent: [] };
}

/**
 * The draft timer slots of each state (each slot continuing its own clock),
 * built once per state: a state has one draft per edge, and drafts never
 * change a slot list in place (applyTimers, fireTimer, guardBoundary and
 * symmetry replace a component's list), so the drafts of one state share them.
 */
const draftSlotsOf = new WeakMap<SystemState, readonly DraftSlot[][]>();

/** A draft continuing every clock of `s`: observers first (one per connection), then each component's timers in order. */
export function draftOf(s: SystemState, conns: number): Draft {
  let slots = draftSlotsOf.get(s);
  if (slots === undefined) {
    let k = conns;
    slots = s.timers.map((list) => list.map((t) => ({ ...t, src: k++ })));
    draftSlotsOf.set(s, slots);
  }
  const obsSrc: number[] = new Array<number>(conns);
  for (let c = 0; c < conns; c++) obsSrc[c] = c;
  return {
    locals: [...s.locals],
    timers: [...slots],
    inflight: [...s.inflight],
    obsSrc,
    guard: [],
    feasible: true,
    logs: [],
    sent: [],
  };
}
