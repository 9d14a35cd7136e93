/**
 * Graph-coverage helpers shared by the model tests: walk a machine with
 * xstate/graph, name the states and `on`/`after` edges it reached, list every
 * edge the machine has, read the timers its transitions arm, start an actor
 * on a simulated clock and catch a rejection. The event alphabets stay with
 * each test.
 */
import {
  createActor,
  SimulatedClock,
  transition,
  type Actor,
  type ActorLogic,
  type AnyStateMachine,
  type EmittedFrom,
  type EventObject,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import { getAdjacencyMap, getStateNodes, type AdjacencyMap } from 'xstate/graph';

/**
 * How coverage names a state node: its `key` (enough in a flat machine) or
 * its full `id` (needed once nested states share keys).
 */
export type NodeName = 'key' | 'id';

/** A timer a transition arms: the `xstate.raise` id, the delayed event type and the delay in ms. */
export interface RaisedEvent {
  readonly id: string;
  readonly event: string;
  readonly delay: number;
}

/** The delayed `xstate.raise` actions (armed timers) among the actions `transition` returns. */
export function raisedEvents(actions: ReadonlyArray<{ type: string; params: unknown }>): RaisedEvent[] {
  const out: RaisedEvent[] = [];
  for (const action of actions) {
    if (action.type !== 'xstate.raise') continue;
    const params = action.params as { id?: unknown; delay?: unknown; event?: { type?: unknown } };
    if (typeof params.id === 'string' && typeof params.delay === 'number' && typeof params.event?.type === 'string') {
      out.push({ id: params.id, event: params.event.type, delay: params.delay });
    }
  }
  return out;
}

/** A delayed event as a traversal sends it; xstate types events by the machine's own event union. */
export const delayedEvent = <TEvent extends EventObject>(type: string): TEvent => ({ type }) as unknown as TEvent;

/** Every `on`/`after` edge of the machine, as `state:eventType#index` (the state named by `name`). */
export function allEdges(machine: AnyStateMachine, name: NodeName = 'key'): Set<string> {
  const edges = new Set<string>();
  for (const node of getStateNodes(machine.root)) {
    for (const [type, defs] of node.transitions) defs.forEach((_, i) => edges.add(`${node[name]}:${type}#${i}`));
  }
  return edges;
}

/** What xstate/graph needs to walk a machine: its input, the events to send in every snapshot, the state key. */
export interface WalkOptions<TMachine extends AnyStateMachine> {
  readonly input: InputFrom<TMachine>;
  readonly events: ReadonlyArray<EventFromLogic<TMachine>>;
  readonly serializeState: (snapshot: SnapshotFrom<TMachine>) => string;
  /** The traversal limit of xstate/graph (default: none). */
  readonly limit?: number;
}

/** The state key of a machine whose whole context matters: its value and its context. */
export const serializeValueAndContext = (snapshot: { readonly value: unknown; readonly context: unknown }): string =>
  JSON.stringify([snapshot.value, snapshot.context]);

/**
 * The adjacency map of the machine from its initial state. xstate/graph types
 * its logic with the default emitted type (EventObject), narrower than the
 * machine's emits, hence the cast.
 */
export function adjacencyOf<TMachine extends AnyStateMachine>(
  machine: TMachine,
  options: WalkOptions<TMachine>,
): AdjacencyMap<SnapshotFrom<TMachine>, EventFromLogic<TMachine>> {
  const logic = machine as unknown as ActorLogic<SnapshotFrom<TMachine>, EventFromLogic<TMachine>, InputFrom<TMachine>>;
  const { input, events, serializeState, limit } = options;
  return getAdjacencyMap(logic, { input, events, serializeState, ...(limit === undefined ? {} : { limit }) });
}

/** The states (root excluded) and the `on`/`after` edges reached in a walk. */
export interface Coverage {
  readonly states: Set<string>;
  readonly edges: Set<string>;
}

/**
 * The state nodes active in some snapshot of `adjacency` (the root left out)
 * and the `on`/`after` edges that `events` take from those snapshots, named
 * like {@link allEdges}.
 */
export function coverageOf<TMachine extends AnyStateMachine>(
  machine: TMachine,
  adjacency: AdjacencyMap<SnapshotFrom<TMachine>, EventFromLogic<TMachine>>,
  events: ReadonlyArray<EventFromLogic<TMachine>>,
  name: NodeName = 'key',
): Coverage {
  const states = new Set<string>();
  const edges = new Set<string>();
  for (const { state } of Object.values(adjacency)) {
    for (const node of state._nodes) if (node.parent !== undefined) states.add(node[name]);
    for (const event of events) {
      for (const def of machine.getTransitionData(state, event)) {
        const defs = def.source.transitions.get(def.eventType) ?? [];
        edges.add(`${def.source[name]}:${def.eventType}#${defs.indexOf(def)}`);
      }
    }
  }
  return { states, edges };
}

/**
 * Walks the machine with xstate/graph from its initial state, sending
 * `options.events` plus the delayed events that the walk's own `xstate.raise`
 * actions announce, until no new delayed event appears; returns the states
 * and edges it reached (named by `key`) and the delayed event types.
 */
export function walkWithTimers<TMachine extends AnyStateMachine>(
  machine: TMachine,
  options: WalkOptions<TMachine>,
): Coverage & { readonly afterEvents: Set<string> } {
  const afterEvents = new Set<string>();
  for (;;) {
    const events = [...options.events, ...[...afterEvents].map((type) => delayedEvent<EventFromLogic<TMachine>>(type))];
    const adjacency = adjacencyOf(machine, { ...options, events });
    const before = afterEvents.size;
    for (const { state } of Object.values(adjacency)) {
      for (const event of events) {
        const [, actions] = transition(machine, state, event);
        for (const r of raisedEvents(actions)) afterEvents.add(r.event);
      }
    }
    if (afterEvents.size === before) return { ...coverageOf(machine, adjacency, events), afterEvents };
  }
}

/** Starts the machine on a fresh `SimulatedClock`, collecting everything it emits. */
export function startOnSimulatedClock<TMachine extends AnyStateMachine>(
  machine: TMachine,
  input: InputFrom<TMachine>,
): { actor: Actor<TMachine>; clock: SimulatedClock; emitted: Array<EmittedFrom<TMachine>> } {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input, clock });
  const emitted: Array<EmittedFrom<TMachine>> = [];
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  return { actor, clock, emitted };
}

/** Calls `fn` and returns what it throws (`undefined` when it returns), for assertions on a rejection. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
