import { describe, expect, it } from 'vitest';
import { checkTopology, type PropertyResult, type ScenarioResult } from '../../src/check.ts';
import { explore } from '../../src/engine/explore.ts';
import { checksFor } from '../../src/properties/catalogue.ts';
import { ProductSystem } from '../../src/system/product.ts';
import { replayTrace } from '../../src/system/trace.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';

function result(r: ScenarioResult, id: string): PropertyResult {
  const x = r.results.find((p) => p.property === id);
  if (!x) throw new Error(`no result for ${id}`);
  return x;
}

describe('the composed KB 16099 system, explored exhaustively', () => {
  const kb = checkTopology(kbTopology(), {}, { properties: ['no-mid-path-drop'] });

  it('finds no-mid-path-drop violated for every idle gap above 350 s and none at or below', () => {
    expect(kb.complete).toBe(true);
    const drop = result(kb, 'no-mid-path-drop');
    expect(drop.holds).toBe(false);
    expect(drop.window?.idleGap).toEqual({ from: 350, fromInclusive: false, to: null, toInclusive: false });
    expect(drop.window?.idleGapUnion).toHaveLength(1);
  });

  it('shows the segment re-landing on the other appliance, which drops it as non-SYN without a session', () => {
    const trace = result(kb, 'no-mid-path-drop').counterexample!;
    const v = trace.steps[trace.violationStep]!;
    expect(v.kind).toBe('segment');
    expect(v.outcome).toBe('dropped');
    const syn = trace.steps.find((s) => s.segment?.kind === 'syn')!;
    const firstAppliance = syn.hops!.find((h) => h.action === 'forward' && h.component.startsWith('appliance'))!.component.split('.')[0];
    const newFlow = v.hops!.find((h) => h.chosenTarget !== undefined);
    expect(newFlow, 'the dropped segment opened a new GWLB flow').toBeDefined();
    const drop = v.hops!.find((h) => h.action === 'drop')!;
    expect(drop.reason).toBe('non-syn-no-session');
    expect(drop.component.split('.')[0]).not.toBe(firstAppliance);
    expect(v.time).toBeGreaterThan(350);
  });

  it('replays the counterexample on the simulator, and the first appliance later logs aged-out 3600 s after the last segment it saw', () => {
    const sys = new ProductSystem(kbTopology());
    const trace = result(kb, 'no-mid-path-drop').counterexample!;
    const replay = replayTrace(sys, trace);
    expect(replay.reproduced).toBe(true);
    const sim = replay.sim;
    sim.advanceTo(sim.now() + 5000_000);
    const first = trace.steps.find((s) => s.segment?.kind === 'syn')!.hops!.find((h) => h.component.startsWith('appliance'))!.component.split('.')[0]!;
    const seenByFirst = sim.events.filter((e) => e.kind === 'segment' && e.hops.some((h) => h.component.startsWith(first) && h.action === 'forward'));
    const lastSeen = Math.max(...seenByFirst.map((e) => e.time));
    const logs = sim.events.filter((e) => e.kind === 'log' && e.log.component.startsWith('appliance'));
    const agedOut = logs.filter((e) => e.kind === 'log' && e.log.reason === 'aged-out');
    expect(agedOut.map((e) => (e.kind === 'log' ? e.log.component.split('.')[0] : ''))).toEqual([first]);
    expect(agedOut[0]!.time).toBe(lastSeen + 3600_000);
  });

  it('holds with client keepalive idle 325 s', () => {
    const r = checkTopology(kbTopology({ clientKeepaliveIdle: 325 }), {}, { properties: ['no-mid-path-drop'] });
    expect(r.complete).toBe(true);
    expect(result(r, 'no-mid-path-drop').holds).toBe(true);
  });

  it('holds with one appliance (its session outlives the idle gap)', () => {
    const r = checkTopology(kbTopology({ appliances: 1 }), {}, { properties: ['no-mid-path-drop'] });
    expect(result(r, 'no-mid-path-drop').holds).toBe(true);
  });

  it('is violated above 300 s with one appliance whose TCP timeout is 300 s', () => {
    const r = checkTopology(kbTopology({ appliances: 1, fwTimeout: 300 }), {}, { properties: ['no-mid-path-drop'] });
    const drop = result(r, 'no-mid-path-drop');
    expect(drop.holds).toBe(false);
    expect(drop.window?.idleGap).toEqual({ from: 300, fromInclusive: false, to: null, toInclusive: false });
    expect(drop.replayed).toBe(true);
  });
});

describe('exact timed semantics', () => {
  const count = (scale: number) => {
    const sys = new ProductSystem(kbTopology({ timeScale: scale, retries2: 3 }));
    return explore(sys, checksFor(sys)).stats;
  };

  it('explores the same number of states when every timeout is multiplied by 10 or 100', () => {
    const base = count(1);
    expect(base.states).toBeGreaterThan(100);
    expect(count(10).states).toBe(base.states);
    expect(count(100).states).toBe(base.states);
    expect(count(100).transitions).toBe(base.transitions);
  });
});

describe('symmetry reduction over appliances', () => {
  for (const appliances of [2, 3]) {
    it(`changes no verdict and no window with ${appliances} appliances, and explores fewer states`, () => {
      const t = kbTopology({ appliances, retries2: 3 });
      const on = checkTopology(t, {}, { replay: false });
      const off = checkTopology(t, {}, { replay: false, symmetry: false });
      expect(on.complete && off.complete).toBe(true);
      const view = (r: ScenarioResult) => r.results.map((x) => ({ p: x.property, holds: x.holds, w: x.window?.idleGapUnion }));
      expect(view(on)).toEqual(view(off));
      expect(on.stats.states).toBeLessThan(off.stats.states);
    });
  }
});

describe('counterexamples replay on the concrete simulator', () => {
  for (const o of [{}, { fwTimeout: 300 }, { reset: true }, { appliances: 3, retries2: 3 }]) {
    it(`replays every violation of ${JSON.stringify(o)}`, () => {
      const r = checkTopology(kbTopology(o));
      const violated = r.results.filter((x) => !x.holds);
      expect(violated.length).toBeGreaterThan(0);
      for (const x of violated) expect({ p: x.property, replayed: x.replayed }).toEqual({ p: x.property, replayed: true });
    });
  }
});
