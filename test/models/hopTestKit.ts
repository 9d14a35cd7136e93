/**
 * Small helpers shared by the hop-kind machine tests: segments, SEG_IN
 * events over every kind and role, and an assertion on a refused config.
 */
import { beforeAll, expect } from 'vitest';
import type { AnyStateMachine, EventFromLogic, InputFrom } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { ConfigError } from '../../src/models/configError.ts';
import type { Role, SegInEvent, Segment, SegmentKind } from '../../src/models/segment.ts';
import { allEdges, serializeValueAndContext, startOnSimulatedClock, thrownBy, walkWithTimers } from './machineCoverage.ts';

/** Every segment kind. */
export const KINDS: readonly SegmentKind[] = ['syn', 'synAck', 'ack', 'data', 'fin', 'rst', 'keepalive'];
/** Both roles. */
export const ROLES: readonly Role[] = ['client', 'server'];

/** A segment of connection 0. */
export const seg = (from: Role, kind: SegmentKind, extra: Partial<Segment> = {}): Segment => ({ conn: 0, from, kind, ...extra });

/** A SEG_IN event, with a target when given. */
export const segIn = (from: Role, kind: SegmentKind, target?: number, extra: Partial<Segment> = {}): SegInEvent =>
  target === undefined ? { type: 'SEG_IN', seg: seg(from, kind, extra) } : { type: 'SEG_IN', seg: seg(from, kind, extra), target };

/**
 * SEG_IN of every kind from both roles (plus ACK-class segments that
 * acknowledge a FIN), once per target when `targets` > 1.
 */
export function everySegIn(targets = 1): SegInEvent[] {
  const out: SegInEvent[] = [];
  for (const from of ROLES) {
    for (const kind of KINDS) {
      for (let t = 0; t < targets; t++) out.push(segIn(from, kind, targets > 1 ? t : undefined));
    }
    for (const kind of ['ack', 'data', 'keepalive'] as const) {
      for (let t = 0; t < targets; t++) out.push(segIn(from, kind, targets > 1 ? t : undefined, { acksFin: true }));
    }
  }
  return out;
}

/** Asserts that `fn` throws a ConfigError on `field` whose message matches `message`. */
export function expectConfigError(fn: () => unknown, field: string, message: RegExp): void {
  const caught = thrownBy(fn);
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).field).toBe(field);
  expect((caught as ConfigError).message).toMatch(message);
}

/** States and `on`/`after` edges reached over several configs, and the delayed events announced. */
export function coverageOverInputs<TMachine extends AnyStateMachine>(
  machine: TMachine,
  inputs: ReadonlyArray<InputFrom<TMachine>>,
  events: ReadonlyArray<EventFromLogic<TMachine>>,
): { states: Set<string>; edges: Set<string>; afterEvents: Set<string>; perInput: Array<Set<string>> } {
  const states = new Set<string>();
  const edges = new Set<string>();
  const afterEvents = new Set<string>();
  const perInput: Array<Set<string>> = [];
  for (const input of inputs) {
    const c = walkWithTimers(machine, { input, events, serializeState: serializeValueAndContext });
    c.states.forEach((s) => states.add(s));
    c.edges.forEach((e) => edges.add(e));
    c.afterEvents.forEach((e) => afterEvents.add(e));
    perInput.push(c.edges);
  }
  return { states, edges, afterEvents, perInput };
}

/** The keys of every state node of the machine (root excluded). */
export const stateKeys = (machine: AnyStateMachine): string[] => getStateNodes(machine.root).map((n) => n.key).sort();

/** Asserts full coverage: every state and every `on`/`after` edge reached over `inputs`. */
export function expectFullCoverage<TMachine extends AnyStateMachine>(
  machine: TMachine,
  inputs: ReadonlyArray<InputFrom<TMachine>>,
  events: ReadonlyArray<EventFromLogic<TMachine>> = everySegIn() as unknown as ReadonlyArray<EventFromLogic<TMachine>>,
): ReturnType<typeof coverageOverInputs<TMachine>> {
  const c = coverageOverInputs(machine, inputs, events);
  expect([...c.states].sort()).toEqual(stateKeys(machine));
  expect([...c.edges].sort()).toEqual([...allEdges(machine)].sort());
  return c;
}

/** What {@link startOnSimulatedClock} returns, as far as these helpers need it. */
interface ClockedActor {
  readonly actor: { send: (event: SegInEvent) => void; getSnapshot: () => { value: unknown } };
  readonly clock: { increment: (ms: number) => void };
}

/** Sends the opening handshake (client SYN, server SYN-ACK, client ACK) and asserts the entry is `established`. */
export function handshake<R extends ClockedActor>(r: R): R {
  r.actor.send(segIn('client', 'syn'));
  r.actor.send(segIn('server', 'synAck'));
  r.actor.send(segIn('client', 'ack'));
  expect(r.actor.getSnapshot().value).toBe('established');
  return r;
}

/** Asserts the actor leaves `state` for `none` exactly `ms` after now: still there 1 ms before, gone at `ms`. */
export function expectLeavesAt(r: ClockedActor, state: string, ms: number): void {
  expect(r.actor.getSnapshot().value).toBe(state);
  r.clock.increment(ms - 1);
  expect(r.actor.getSnapshot().value).toBe(state);
  r.clock.increment(1);
  expect(r.actor.getSnapshot().value).toBe('none');
}

/**
 * The seed of a test file's properties: MIDPATH_SEED when set, else a fresh
 * one; printed at the start of the file's run (`label: seed N (replay with
 * MIDPATH_SEED=N)`), so that a run can be replayed. Call at module level.
 */
export function fileSeed(label: string): number {
  const env = process.env['MIDPATH_SEED'] ?? '';
  const seed = env !== '' && Number.isInteger(Number(env)) ? Number(env) : Math.floor(Math.random() * 2 ** 31);
  beforeAll(() => {
    console.log(`${label}: property seed ${seed} (replay with MIDPATH_SEED=${seed})`);
  });
  return seed;
}

/**
 * The security-group style late-segment table (eni-conntrack, gcp-firewall;
 * domain-facts §11.2, UNCONFIRMED: `lateSegment`): with no entry, a client
 * SYN is always tracked; every other segment from side `s` is forwarded and
 * tracked when `lateSegment[s]` is `pass`, and dropped silently (reason
 * `not-allowed-as-new-connection`, no entry) when it is `drop`. Checked for
 * every segment kind, both sides and the four policies.
 */
export function expectLateSegmentTable<TMachine extends AnyStateMachine>(
  machine: TMachine,
  parse: (raw: unknown) => InputFrom<TMachine>,
  trackedState: string,
): void {
  for (const client of ['pass', 'drop'] as const) {
    for (const server of ['pass', 'drop'] as const) {
      for (const from of ROLES) {
        for (const kind of KINDS) {
          const started = startOnSimulatedClock(machine, parse({ lateSegment: { client, server } }));
          const { actor } = started as unknown as ClockedActor;
          const { emitted } = started;
          actor.send(segIn(from, kind));
          const passes = (kind === 'syn' && from === 'client') || (from === 'client' ? client : server) === 'pass';
          const what = `${from} ${kind} with lateSegment { client: ${client}, server: ${server} }`;
          expect(emitted, what).toEqual([
            passes ? { type: 'SEG_FORWARD', seg: seg(from, kind) } : { type: 'SEG_DROP', seg: seg(from, kind), reason: 'not-allowed-as-new-connection' },
          ]);
          expect(actor.getSnapshot().value, what).toBe(passes ? trackedState : 'none');
        }
      }
    }
  }
}
