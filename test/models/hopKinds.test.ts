import { describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { ConfigError } from '../../src/models/configError.ts';
import { HOP_KIND_NAMES, HOP_KINDS, isHopKind, type HopKind } from '../../src/models/hopKinds.ts';
import { thrownBy } from './machineCoverage.ts';

/** The least a hop object needs per kind (gwlb needs its number of targets). */
const minimal = (kind: HopKind): Record<string, unknown> => (kind === 'gwlb' ? { targets: 2 } : {});

describe('hop kind registry', () => {
  it('lists the kinds of issue 12 §2 and the existing ones', () => {
    expect(HOP_KIND_NAMES.length).toBeGreaterThanOrEqual(5);
    for (const k of ['gwlb', 'pan-os', 'conntrack-loose', 'nat-gateway', 'nlb']) expect(isHopKind(k)).toBe(true);
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

    it('refuses a hop object of another type', () => {
      const other = kind === 'nlb' ? 'gwlb' : 'nlb';
      const caught = thrownBy(() => def.parseConfig({ ...minimal(kind), type: other }));
      expect((caught as ConfigError).field).toBe('type');
    });
  });
});
