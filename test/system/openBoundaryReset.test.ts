// An Azure LB `tcpReset` (domain-facts §2, §11.2) at its documented `open`
// boundary (§10): the entry still exists at exactly the idle timeout and is
// gone only after it, so the proactive reset comes after every crossing of its
// instant. A FIN the client sends at exactly T crosses first and finds the
// flow; the reset never overtakes it (product.ts, expiresAfterItsInstant:
// every open-boundary expiry waits for the segments in flight of its instant).
// Before this rule the reset fired first and left that FIN in flight with no
// way on: a run that could not continue, whose RST to a client in FIN-WAIT-1
// was reported as a clean-close violation (the azure-lb-kafka preset's, and
// the one disagreement with SPIN in test/reporting/promela.test.ts).
import { describe, expect, it } from 'vitest';
import { checkTopology, type ScenarioResult } from '../../src/check.ts';
import { explore } from '../../src/engine/explore.ts';
import { checksFor, properties } from '../../src/properties/catalogue.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import type { SystemLabel } from '../../src/system/labels.ts';
import { ProductSystem, type SystemState } from '../../src/system/product.ts';
import type { Boundary, Topology } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { EveryExpiryWaits, ResetOvertakesInFlight } from '../fixtures/mutants.ts';

/** The KB endpoints (no keepalive, no idle close; the client may send and close at any time) through an Azure LB with tcpReset. */
function azureReset(boundary: Boundary, o: Partial<Topology> = {}): Topology {
  const t = kbTopology();
  return {
    ...t,
    name: `azure-reset-${boundary}`,
    path: [flowHop('azure-lb', { idleTimeout: 600, tcpReset: true, boundary })],
    client: { ...t.client, idleClose: 'never' },
    server: { ...t.server, idleClose: 'never' },
    ...o,
  };
}

const verdict = (r: ScenarioResult, id: string) => r.results.find((x) => x.property === id)!;

/**
 * Discrete states with a segment in flight from which no kept zone has an
 * edge out (runs that cannot go on), each with the label of the edge that
 * first reached it. Counted per discrete state key, not per symbolic node:
 * a node whose zone a later node of the same state covers is never expanded
 * (its edges are the covering node's), and would look like a dead end.
 */
function deadEnds(sys: ProductSystem): SystemLabel[] {
  const keyOf = new Map<number, string>();
  const inflight = new Map<string, boolean>();
  const into = new Map<string, SystemLabel>();
  const hasEdge = new Set<string>();
  explore(sys, checksFor(sys, [...properties]), {
    onState: (id, s) => {
      const k = sys.key(s as SystemState);
      keyOf.set(id, k);
      inflight.set(k, (s as SystemState).inflight.length > 0);
    },
    onEdge: (from, to, label) => {
      hasEdge.add(keyOf.get(from)!);
      if (to !== undefined && !into.has(keyOf.get(to)!)) into.set(keyOf.get(to)!, label as SystemLabel);
    },
  });
  return [...inflight].filter(([k, f]) => f && !hasEdge.has(k)).map(([k]) => into.get(k)!);
}

/** The ids of the properties a system violates. */
function violated(sys: ProductSystem): string[] {
  return explore(sys, checksFor(sys, [...properties])).verdicts.filter((v) => v.status === 'violated').map((v) => v.id);
}

describe('a proactive reset at an open boundary', () => {
  it('waits for a FIN sent at the instant of the timeout: no clean-close violation, the reset itself still at exactly T', () => {
    const r = checkTopology(azureReset('open'));
    expect(r.complete).toBe(true);
    expect(verdict(r, 'clean-close').holds).toBe(true);
    expect(verdict(r, 'no-mid-path-reset').holds).toBe(false);
    expect(verdict(r, 'no-mid-path-reset').window?.idleGap).toEqual({ from: 600, fromInclusive: true, to: 600, toInclusive: true });
  });

  it('leaves no run that cannot go on after a reset; the mutant that lets the reset overtake leaves some, and a clean-close violation', () => {
    expect(deadEnds(new ProductSystem(azureReset('open')))).toEqual([]);
    const mutant = deadEnds(new ResetOvertakesInFlight(azureReset('open')));
    expect(mutant.length).toBeGreaterThan(0);
    expect(mutant.every((l) => l.kind === 'timer' && (l.resets?.length ?? 0) > 0)).toBe(true);
    expect(violated(new ProductSystem(azureReset('open')))).not.toContain('clean-close');
    expect(violated(new ResetOvertakesInFlight(azureReset('open')))).toContain('clean-close');
  });

  it('with two connections and with a closed boundary, leaves no run that cannot go on either; the mutant does, after a reset', () => {
    expect(deadEnds(new ProductSystem(azureReset('open', { connections: 2 })))).toEqual([]);
    expect(deadEnds(new ProductSystem(azureReset('closed', { connections: 2 })))).toEqual([]);
    const mutant = deadEnds(new ResetOvertakesInFlight(azureReset('open', { connections: 2 })));
    expect(mutant.some((l) => l.kind === 'timer' && (l.resets?.length ?? 0) > 0)).toBe(true);
  });

  it('at a closed boundary does meet a FIN sent at T (the entry is already gone); a rule that made every expiry wait would hide it', () => {
    for (const connections of [1, 2]) {
      const r = checkTopology(azureReset('closed', { connections }));
      expect(r.complete).toBe(true);
      expect(verdict(r, 'clean-close').holds, `${connections} connection(s)`).toBe(false);
      expect(verdict(r, 'clean-close').window?.idleGap).toEqual({ from: 600, fromInclusive: true, to: 600, toInclusive: true });
    }
    expect(violated(new ProductSystem(azureReset('closed')))).toContain('clean-close');
    expect(violated(new EveryExpiryWaits(azureReset('closed')))).not.toContain('clean-close');
  });

  it('at an ambiguous boundary may still meet that FIN (both orders of one instant are allowed there)', () => {
    const r = checkTopology(azureReset('ambiguous'));
    expect(verdict(r, 'clean-close').holds).toBe(false);
    expect(verdict(r, 'clean-close').window?.idleGap).toEqual({ from: 600, fromInclusive: true, to: 600, toInclusive: true });
  });

  it.each(presetNames())('%s has no run that cannot go on (every discrete state with a segment in flight has an edge out)', (name) => {
    expect(deadEnds(new ProductSystem(toTopology(loadPreset(name))))).toEqual([]);
  });
});
