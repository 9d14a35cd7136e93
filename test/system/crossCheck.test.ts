import { describe, expect, it } from 'vitest';
import { discreteExplore } from '../../src/engine/discreteExplore.ts';
import { explore } from '../../src/engine/explore.ts';
import { checksFor } from '../../src/properties/catalogue.ts';
import { ProductSystem } from '../../src/system/product.ts';
import type { Topology } from '../../src/system/topology.ts';
import { tinyKb } from '../fixtures/tinyKb.ts';

/**
 * A KB-shaped topology with every timeout scaled down to a few seconds, so
 * an independent brute-force explorer over (half-)integer time can visit
 * every concrete state.
 */
function tiny(o: { appliances: number; keepalive?: number; fw?: number }): Topology {
  return tinyKb({ appliances: o.appliances, ...(o.fw === undefined ? {} : { fw: o.fw }), ...(o.keepalive === undefined ? {} : { clientKeepaliveIdle: o.keepalive }) });
}

describe('cross-check: zone explorer against a brute-force explorer over discretised time', () => {
  const cases = [
    { name: 'two appliances, no keepalive', t: tiny({ appliances: 2 }), drop: 'violated' },
    { name: 'two appliances, keepalive idle 2 s', t: tiny({ appliances: 2, keepalive: 2 }), drop: 'holds' },
    { name: 'one appliance whose timeout is below the GWLB timeout', t: tiny({ appliances: 1, fw: 2 }), drop: 'violated' },
    { name: 'one appliance that outlives the gap', t: tiny({ appliances: 1 }), drop: 'holds' },
  ];
  for (const c of cases) {
    it(`reaches the same verdicts and the same discrete states: ${c.name}`, () => {
      // without symmetry reduction: ghosts of expired timers (dropped at different moments by the two explorers) would otherwise steer the canonical appliance order differently
      const sys = new ProductSystem(c.t, { symmetry: false });
      const zones = explore(sys, checksFor(sys));
      const keys = new Set<string>();
      // the same system instance, so interned local ids (part of keys) are comparable
      const zoneKeys = new Set<string>();
      explore(sys, checksFor(sys), { onState: (_i, s) => zoneKeys.add(sys.stripGhosts((s as { key: string }).key)) });
      const brute = discreteExplore(sys, checksFor(sys), { tick: 250, maxStates: 3_000_000 });
      for (const k of brute.keys) keys.add(sys.stripGhosts(k));
      expect(zones.complete && brute.complete).toBe(true);
      expect(brute.verdicts.map((v) => [v.id, v.status])).toEqual(zones.verdicts.map((v) => [v.id, v.status]));
      expect([...keys].sort()).toEqual([...zoneKeys].sort());
      expect(zones.verdicts.find((v) => v.id === 'no-mid-path-drop')?.status).toBe(c.drop);
      expect(brute.states).toBeGreaterThan(zones.stats.discreteStates);
    });
  }
});
