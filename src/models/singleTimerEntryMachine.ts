/**
 * The one shape five hop kinds share: a flow-table entry with ONE idle timer
 * that is forgotten silently when the timer fires, and a list of rules for a
 * segment that finds no entry (open the entry and forward it, answer its
 * sender with an RST, or drop it silently).
 *
 * Kinds built from it, each with its own machine id, delay name, state names,
 * descriptions citing its facts and its own config parser:
 * `nat-gateway` (natGatewayFlowMachine.ts), `azure-nat-gateway`,
 * `eni-conntrack`, `gcp-firewall` and `aws-network-firewall`. What they have
 * in common is fixed here, where the facts agree (domain-facts §2, §11.2):
 * - the entry's timer is the named delay `config.idleTimeout * 1000`;
 * - segments in either direction refresh it (re-entering the entry state);
 * - every segment with an entry is forwarded; nothing is emitted at the
 *   timeout (a silent expiry: none of these kinds resets proactively).
 * What differs, the no-entry rules, is data: {@link NoEntryRule}. They are
 * tried in order, exactly as an xstate transition list, and become the
 * `none` state's `SEG_IN` transitions in that order (edge `none:SEG_IN#i` is
 * rule `i`), so coverage tests name them by index.
 */
import { emit, setup, type SnapshotFrom } from 'xstate';
import type { HopConfigBase } from './hopConfig.ts';
import type { DropReason, MachineOutput, Segment, SegInEvent } from './segment.ts';

/** What a hop does with a segment that finds no entry. */
export type NoEntryAnswer =
  /** Create the entry (arming its timer) and forward the segment. */
  | { readonly kind: 'track' }
  /** Answer the segment's sender with an RST (`SEG_RESET`, reason `no-flow-entry`); no entry is created. */
  | { readonly kind: 'reset-sender' }
  /** Drop the segment silently (`SEG_DROP` with `reason`); no entry is created. */
  | { readonly kind: 'drop'; readonly reason: DropReason };

/** One rule of the no-entry state: when `when` holds (always, when absent), `answer`. */
export interface NoEntryRule<C> {
  /** The condition; absent for the last, unconditional rule. */
  readonly when?: (config: C, seg: Segment) => boolean;
  readonly answer: NoEntryAnswer;
}

/** Everything that makes one kind of single-timer entry its own. */
export interface SingleTimerEntrySpec<C> {
  /** The machine id (part of its after-event type). */
  readonly id: string;
  /** The name of the entry's one delay. */
  readonly delay: string;
  /** The name of the state that holds an entry (e.g. `active`, `tracked`). */
  readonly entryState: string;
  /** Description of the `none` state, citing domain-facts. */
  readonly noEntryDescription: string;
  /** Description of the entry state, citing domain-facts. */
  readonly entryDescription: string;
  /** The no-entry rules, in order; the last one should have no `when`. */
  readonly noEntry: ReadonlyArray<NoEntryRule<C>>;
}

/** Context of a single-timer entry: the constant config only. */
export interface SingleTimerEntryContext<C> {
  readonly config: C;
}

/** The after-event type (and raise id) of the entry's timer: `xstate.after.<delay>.<id>.<entryState>`. */
export function singleTimerAfterEvent(spec: Pick<SingleTimerEntrySpec<unknown>, 'id' | 'delay' | 'entryState'>): string {
  return `xstate.after.${spec.delay}.${spec.id}.${spec.entryState}`;
}

/**
 * Builds the machine of one single-timer entry from `spec`. States: `none`
 * (initial: no entry) and `spec.entryState` (timer `spec.delay`). Emits
 * `SEG_FORWARD`, `SEG_RESET` (to the sender) or `SEG_DROP`, per the rules.
 */
export function singleTimerEntryMachine<C extends HopConfigBase>(spec: SingleTimerEntrySpec<C>) {
  const last = spec.noEntry.at(-1);
  if (last === undefined || last.when !== undefined) {
    throw new Error(`singleTimerEntryMachine(${spec.id}): the last no-entry rule must have no condition`);
  }
  return setup({
    types: {
      context: {} as SingleTimerEntryContext<C>,
      input: {} as C,
      events: {} as SegInEvent,
      emitted: {} as MachineOutput,
    },
    guards: {
      /** No-entry rule `index` of the spec applies to this segment. */
      noEntryRule: ({ context, event }, params: { readonly index: number }) =>
        spec.noEntry[params.index]?.when?.(context.config, event.seg) ?? true,
    },
    actions: {
      forward: emit(({ event }): MachineOutput => ({ type: 'SEG_FORWARD', seg: event.seg })),
      resetSender: emit(
        ({ event }): MachineOutput => ({ type: 'SEG_RESET', seg: event.seg, to: event.seg.from, reason: 'no-flow-entry' }),
      ),
      drop: emit(({ event }, params: { readonly reason: DropReason }): MachineOutput => ({ type: 'SEG_DROP', seg: event.seg, reason: params.reason })),
    },
    delays: {
      [spec.delay]: ({ context }: { readonly context: SingleTimerEntryContext<C> }) => context.config.idleTimeout * 1000,
    },
  }).createMachine({
    id: spec.id,
    context: ({ input }) => ({ config: input }),
    initial: 'none',
    states: {
      none: {
        description: spec.noEntryDescription,
        on: {
          SEG_IN: spec.noEntry.map((rule, index) => {
            const guard = rule.when === undefined ? {} : { guard: { type: 'noEntryRule' as const, params: { index } } };
            switch (rule.answer.kind) {
              case 'track':
                return { ...guard, target: spec.entryState, actions: 'forward' as const };
              case 'reset-sender':
                return { ...guard, actions: 'resetSender' as const };
              case 'drop':
                return { ...guard, actions: { type: 'drop' as const, params: { reason: rule.answer.reason } } };
            }
          }),
        },
      },
      [spec.entryState]: {
        description: spec.entryDescription,
        on: { SEG_IN: { target: spec.entryState, reenter: true, actions: 'forward' } },
        after: { [spec.delay]: { target: 'none' } },
      },
    },
  });
}

/** A machine built by {@link singleTimerEntryMachine}. */
export type SingleTimerEntryMachine<C extends HopConfigBase> = ReturnType<typeof singleTimerEntryMachine<C>>;

/** A snapshot of a machine built by {@link singleTimerEntryMachine}. */
export type SingleTimerEntrySnapshot<C extends HopConfigBase> = SnapshotFrom<SingleTimerEntryMachine<C>>;
