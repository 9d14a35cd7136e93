import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import type { MachineOutput } from '../models/segment.ts';

/** A timer armed by an `after` transition: xstate's `xstate.raise` with a delay. */
export interface TimerArm {
  /** The raise id (`xstate.after.<delay>.<machine>.<state>`), also the event type. */
  readonly id: string;
  /** Delay in ms. */
  readonly delay: number;
  readonly event: EventObject;
}

/** What one machine transition did, as the composition needs it. */
export interface StepResult {
  /** Interned id of the next local snapshot. */
  readonly next: number;
  /** True when the machine handled the event (the snapshot or actions changed). */
  readonly handled: boolean;
  /** Timer ids cancelled, in order. */
  readonly cancels: readonly string[];
  /** Timers armed (each restarts its clock). */
  readonly arms: readonly TimerArm[];
  /** Emitted outputs (segments, drops, resets, logs). */
  readonly outputs: readonly MachineOutput[];
}

interface ActionLike {
  readonly type: string;
  readonly params?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * One machine instance's logic as the engine uses it: interned snapshots and
 * a transition cache keyed by (local snapshot id, event key), on top of
 * xstate's pure `machine.transition(snapshot, event, actorScope)` with ONE
 * reused inert actor scope whose action executor collects the actions
 * (toolchain.md: ~500k transitions/s instead of ~80k for the exported
 * `transition()`, which builds a new actor per call).
 *
 * Instances with the same machine and input share one ComponentLogic, so the
 * cache is shared by all appliances of a kind (design.md, "State identity").
 */
export class ComponentLogic {
  private readonly scope: AnyActorScope;
  private collected: ActionLike[] = [];
  private readonly keyToId = new Map<string, number>();
  private readonly snapshots: AnyMachineSnapshot[] = [];
  private readonly keys: string[] = [];
  /** Per local snapshot id: event key → step result. */
  private readonly cache: (Map<string, StepResult> | undefined)[] = [];
  /** Per local snapshot id: event type → `snapshot.can` (events without payload only). */
  private readonly canCache: (Map<string, boolean> | undefined)[] = [];
  /** The initial snapshot id and the timers its entry arms. */
  readonly initial: StepResult;
  /** Number of cache misses (machine transitions actually computed). */
  misses = 0;

  constructor(
    readonly kind: string,
    readonly machine: AnyStateMachine,
    readonly input: unknown,
    /** Context fields left out of the local key because they never change (e.g. `config`). */
    private readonly constantContext: readonly string[] = ['config'],
  ) {
    const actor = createActor(machine, { input });
    this.scope = {
      self: actor,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: actor.system,
      emit: () => {},
      actionExecutor: (a: ActionLike) => {
        this.collected.push(a);
      },
    } as unknown as AnyActorScope;
    this.collected = [];
    const snap = machine.getInitialSnapshot(this.scope, input) as AnyMachineSnapshot;
    const actions = this.collected;
    this.collected = [];
    this.initial = this.result(snap, actions, true);
  }

  /** The canonical local key of a snapshot: state value and the context that can change. */
  keyOf(snap: AnyMachineSnapshot): string {
    const ctx: Record<string, unknown> = {};
    const context = snap.context as Record<string, unknown>;
    for (const k of Object.keys(context).sort()) if (!this.constantContext.includes(k)) ctx[k] = context[k];
    return JSON.stringify([snap.value, ctx]);
  }

  /** Interns a snapshot, returning its id. */
  intern(snap: AnyMachineSnapshot): number {
    const key = this.keyOf(snap);
    let id = this.keyToId.get(key);
    if (id === undefined) {
      id = this.snapshots.length;
      this.keyToId.set(key, id);
      this.snapshots.push(snap);
      this.keys.push(key);
    }
    return id;
  }

  /** The snapshot of an id. */
  snapshot(id: number): AnyMachineSnapshot {
    return this.snapshots[id]!;
  }

  /** The local key of an id. */
  key(id: number): string {
    return this.keys[id]!;
  }

  /** Number of distinct local snapshots seen. */
  get size(): number {
    return this.snapshots.length;
  }

  /**
   * The machine's transition from snapshot `id` on `event`; `eventKey` must
   * identify the event completely (it is the cache key).
   */
  step(id: number, event: EventObject, eventKey: string): StepResult {
    let perId = this.cache[id];
    if (perId === undefined) {
      perId = new Map();
      this.cache[id] = perId;
    }
    const hit = perId.get(eventKey);
    if (hit) return hit;
    this.misses++;
    const snap = this.snapshots[id]!;
    this.collected = [];
    const next = this.machine.transition(snap, event, this.scope) as AnyMachineSnapshot;
    const actions = this.collected;
    this.collected = [];
    const res = this.result(next, actions, next !== snap || actions.length > 0);
    perId.set(eventKey, res);
    return res;
  }

  /**
   * The snapshot `id` with some context fields replaced (used by symmetry
   * reduction to renumber a flow's pinned target), interned. Uses xstate's
   * `machine.resolveState`.
   */
  withContext(id: number, patch: Record<string, unknown>): number {
    const ck = `${id}|ctx|${JSON.stringify(patch)}`;
    const hit = this.patched.get(ck);
    if (hit !== undefined) return hit;
    const snap = this.snapshots[id]!;
    const next = this.machine.resolveState({ value: snap.value, context: { ...(snap.context as Record<string, unknown>), ...patch } });
    const nid = this.intern(next as AnyMachineSnapshot);
    this.patched.set(ck, nid);
    return nid;
  }

  private readonly patched = new Map<string, number>();
  private readonly translated = new Map<ComponentLogic, Map<number, number>>();

  /**
   * The id, in this logic, of the snapshot `id` of another logic of the same
   * machine whose input differs only in constant context (e.g. the
   * connection index in `config`): same state value and changing context,
   * this logic's constant context. Used by connection symmetry reduction.
   */
  translate(from: ComponentLogic, id: number): number {
    let m = this.translated.get(from);
    if (!m) {
      m = new Map();
      this.translated.set(from, m);
    }
    const hit = m.get(id);
    if (hit !== undefined) return hit;
    const key = from.key(id);
    let nid = this.keyToId.get(key);
    if (nid === undefined) {
      const snap = from.snapshot(id);
      const mine = this.initialSnapshotContext();
      const context: Record<string, unknown> = { ...(snap.context as Record<string, unknown>) };
      for (const k of this.constantContext) context[k] = mine[k];
      nid = this.intern(this.machine.resolveState({ value: snap.value, context }) as AnyMachineSnapshot);
    }
    m.set(id, nid);
    return nid;
  }

  private initialSnapshotContext(): Record<string, unknown> {
    return this.snapshots[this.initial.next]!.context as Record<string, unknown>;
  }

  /** Whether the machine in snapshot `id` accepts `event` (xstate `snapshot.can`). */
  can(id: number, event: EventObject): boolean {
    // An event that is only a type (the application events) is cached per snapshot: `can` is a pure function of both.
    if (Object.keys(event).length !== 1) return this.snapshots[id]!.can(event);
    let perId = this.canCache[id];
    if (perId === undefined) {
      perId = new Map();
      this.canCache[id] = perId;
    }
    let ok = perId.get(event.type);
    if (ok === undefined) {
      ok = this.snapshots[id]!.can(event);
      perId.set(event.type, ok);
    }
    return ok;
  }

  private result(next: AnyMachineSnapshot, actions: readonly ActionLike[], handled: boolean): StepResult {
    const cancels: string[] = [];
    const arms: TimerArm[] = [];
    const outputs: MachineOutput[] = [];
    for (const a of actions) {
      const p = a.params;
      if (a.type === 'xstate.raise' && isRecord(p) && typeof p['delay'] === 'number') {
        arms.push({ id: String(p['id']), delay: p['delay'], event: p['event'] as EventObject });
      } else if (a.type === 'xstate.cancel' && isRecord(p)) {
        cancels.push(String(p['sendId']));
      } else if (a.type === 'xstate.emit' && isRecord(p)) {
        outputs.push(p['event'] as MachineOutput);
      } else if (a.type === 'xstate.raise' && isRecord(p)) {
        throw new Error(`${this.kind}: an immediate raise (${JSON.stringify(p['event'])}) is not supported by the engine; use a transition instead`);
      }
    }
    return { next: this.intern(next), handled, cancels, arms, outputs };
  }
}
