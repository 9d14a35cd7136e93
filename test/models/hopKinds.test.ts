import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { transition, type AnyStateMachine } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import type { MachineOutput, SegInEvent } from '../../src/models/segment.ts';
import { everySegIn } from './hopTestKit.ts';
import { adjacencyOf, delayedEvent, serializeValueAndContext, walkWithTimers } from './machineCoverage.ts';
import { ConfigError } from '../../src/models/configError.ts';
import { HOP_KIND_NAMES, HOP_KINDS, isHopKind, type HopKind } from '../../src/models/hopKinds.ts';
import { thrownBy } from './machineCoverage.ts';

/** Settings that switch every optional output on, per kind, for the output walk. */
const loud = (kind: HopKind): Record<string, unknown> =>
  kind === 'azure-lb' ? { targets: 2, tcpReset: true } : kind === 'gwlb' ? { targets: 2, resetOnIdleTimeout: true } : {};

/** Every output the machine emits over a full walk with every segment and its timers. */
function walkOf(machine: AnyStateMachine, input: unknown, targets: number) {
  const base = everySegIn(targets);
  const { afterEvents } = walkWithTimers(machine, { input, events: base, serializeState: serializeValueAndContext });
  const events = [...base, ...[...afterEvents].map((t) => delayedEvent<SegInEvent>(t))];
  return { events, adjacency: adjacencyOf(machine, { input, events, serializeState: serializeValueAndContext }) };
}

function outputsOf(machine: AnyStateMachine, input: unknown, targets: number): MachineOutput[] {
  const { events, adjacency } = walkOf(machine, input, targets);
  const out: MachineOutput[] = [];
  for (const { state } of Object.values(adjacency)) {
    for (const event of events) {
      const [, actions] = transition(machine, state, event);
      for (const a of actions as ReadonlyArray<{ type: string; params: unknown }>) {
        if (a.type === 'xstate.emit') out.push((a.params as { event: MachineOutput }).event);
      }
    }
  }
  return out;
}

/** The least a hop object needs per kind (gwlb needs its number of targets). */
const minimal = (kind: HopKind): Record<string, unknown> => (kind === 'gwlb' ? { targets: 2 } : {});

/**
 * Reachable snapshots (state value and context) of one flow entry with the
 * kind's defaults (2 targets for the choosing kinds), every segment and its
 * timers: pinned, so a change to a machine's state space shows here first.
 */
const PINNED_SNAPSHOTS: Readonly<Record<HopKind, number>> = {
  gwlb: 3,
  'pan-os': 18,
  'conntrack-loose': 18,
  'nat-gateway': 2,
  nlb: 7,
  'eni-conntrack': 2,
  'aws-network-firewall': 2,
  'azure-lb': 21,
  'azure-nat-gateway': 2,
  'gcp-cloud-nat': 8,
  'gcp-firewall': 2,
  // 29 since IPS_SEEN_REPLY (context.seenReply) is tracked: an RST before any reply deletes the entry (NAT lab);
  // 31 since context.capped: ESTABLISHED just after the first reply (bit set, timer still capped), per origin (NAT lab pickup-reply-idle).
  'linux-conntrack': 31,
};

describe('hop kind registry', () => {
  it('lists the kinds of issue 12 §2 and the existing ones', () => {
    expect([...HOP_KIND_NAMES].sort()).toEqual(
      [
        'gwlb',
        'pan-os',
        'conntrack-loose',
        'nat-gateway',
        'nlb',
        'eni-conntrack',
        'aws-network-firewall',
        'azure-lb',
        'azure-nat-gateway',
        'gcp-cloud-nat',
        'gcp-firewall',
        'linux-conntrack',
      ].sort(),
    );
    for (const k of HOP_KIND_NAMES) expect(isHopKind(k)).toBe(true);
    expect(isHopKind('alb')).toBe(false);
    expect(isHopKind('toString')).toBe(false);
  });

  describe.each(HOP_KIND_NAMES)('%s', (kind) => {
    const def = HOP_KINDS[kind];

    it('names its machine by id and lists exactly the machine\'s named delays', () => {
      expect(def.kind).toBe(kind);
      expect(def.machine.id).toBe(def.machineId);
      const delays = Object.keys(def.machine.implementations.delays).sort();
      expect([...def.delays].sort()).toEqual(delays);
    });

    it('parses a minimal hop with the documented defaults and the common fields', () => {
      const config = def.parseConfig({ type: kind, name: 'hop', ...minimal(kind) }, 'path.0');
      expect(config.boundary).toBe(def.defaultBoundary);
      expect(config.idleTimeout).toBe(def.idleTimeoutRange.default);
      expect(config.targets).toBeGreaterThanOrEqual(1);
      expect(def.choosesTarget).toBe(def.needsTargetChoice !== undefined);
    });

    it('refuses an idle timeout outside its range, naming the field with its path', () => {
      const { min, max } = def.idleTimeoutRange;
      for (const bad of [min - 1, max + 1]) {
        const caught = thrownBy(() => def.parseConfig({ ...minimal(kind), idleTimeout: bad }, 'path.3'));
        expect(caught).toBeInstanceOf(ConfigError);
        expect((caught as ConfigError).field).toBe('path.3.idleTimeout');
        expect((caught as ConfigError).message).toMatch(/^path\.3\.idleTimeout: .*allowed/);
      }
      if (def.fixedIdleTimeout !== undefined) expect(min === max && max === def.fixedIdleTimeout).toBe(true);
    });

    it('cites domain-facts in its description and on every state', () => {
      expect(def.description).toMatch(/domain-facts §\d/);
      for (const node of getStateNodes(def.machine.root)) expect(node.description ?? '').toMatch(/domain-facts §\d/);
    });

    it('keeps the output contract: targets only when choosing, RSTs to the sender, FLOW_TIMEOUT_RESET only when proactive', () => {
      const config = def.parseConfig({ ...minimal(kind), ...loud(kind) });
      const outputs = outputsOf(def.machine, config, config.targets);
      expect(outputs.length).toBeGreaterThan(0);
      for (const o of outputs) {
        if (o.type === 'SEG_FORWARD') expect(o.target !== undefined).toBe(def.choosesTarget);
        if (o.type === 'SEG_RESET') expect(o.to).toBe(o.seg.from);
      }
      expect(outputs.some((o) => o.type === 'FLOW_TIMEOUT_RESET')).toBe(def.proactiveReset);
    });

    it('has a schema that renders to JSON Schema with a description on every field', () => {
      if (kind === 'gwlb') {
        expect(def.schema).toBeUndefined();
        return;
      }
      const schema = def.schema;
      expect(schema).toBeDefined();
      if (schema === undefined) return;
      const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' }) as {
        properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
        additionalProperties?: boolean;
      };
      expect(json.additionalProperties).toBe(false);
      expect(Object.keys(json.properties)).toEqual(expect.arrayContaining(['type', 'name', 'boundary']));
      for (const [field, prop] of Object.entries(json.properties)) {
        expect(prop.description, field).toMatch(/\w/);
        for (const [inner, p] of Object.entries(prop.properties ?? {})) expect(p.description ?? prop.description, `${field}.${inner}`).toMatch(/\w/);
      }
      // Every field the schema lists is accepted by the parser.
      expect(() => def.parseConfig({ ...minimal(kind), type: kind })).not.toThrow();
    });

    it('has the pinned number of reachable snapshots with its defaults', () => {
      const config = def.parseConfig(kind === 'gwlb' || kind === 'azure-lb' ? { targets: 2 } : {});
      expect(Object.keys(walkOf(def.machine, config, config.targets).adjacency)).toHaveLength(PINNED_SNAPSHOTS[kind]);
    });

    it('refuses a hop object of another type', () => {
      const other = kind === 'nlb' ? 'gwlb' : 'nlb';
      const caught = thrownBy(() => def.parseConfig({ ...minimal(kind), type: other }));
      expect((caught as ConfigError).field).toBe('type');
    });
  });
});
