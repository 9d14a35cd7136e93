import { describe, expect, it } from 'vitest';
import { checkTopology, independentConnections, type ScenarioResult } from '../../src/check.ts';
import type { Topology } from '../../src/system/topology.ts';
import { kbTopology, type KbOverrides } from '../fixtures/kbTopology.ts';
import { tinyKb } from '../fixtures/tinyKb.ts';

/** KB-shaped, every timeout a few seconds and one retransmission, so the full product of two connections is small enough to explore. */
function tiny(o: KbOverrides & { fw?: number; sends?: boolean }): Topology {
  // the client does not close on its own, and sends no requests unless `sends`: keeps the full two-connection
  // product small enough to explore here (with requests, two appliances alone take > 80 000 states)
  return tinyKb({ ...o, clientCloses: false, clientSends: o.sends ?? false });
}

const view = (r: ScenarioResult) => r.results.map((x) => ({ property: x.property, holds: x.holds, window: x.window?.idleGapUnion ?? [] }));

describe('independent connections are checked one at a time', { timeout: 240_000 }, () => {
  it('applies only to 5-tuple stickiness with several connections', () => {
    expect(independentConnections(kbTopology({ connections: 2 }))).toBe(true);
    expect(independentConnections(kbTopology({ connections: 1 }))).toBe(false);
    expect(independentConnections(kbTopology({ connections: 2, stickiness: '2-tuple' }))).toBe(false);
  });

  for (const [name, o] of [
    ['two appliances', { connections: 2 }],
    ['keepalive below the GWLB timeout', { connections: 2, clientKeepaliveIdle: 2 }],
    ['one appliance with a short session timeout', { connections: 2, appliances: 1, fw: 2 }],
    ['GWLB reset on idle timeout, the clients sending requests', { connections: 2, reset: true, sends: true }],
  ] as const) {
    it(`gives the same verdicts and windows as the full product: ${name}`, () => {
      const t = tiny(o);
      const full = checkTopology(t, {}, { decompose: false, replay: false });
      const one = checkTopology(t, {}, { replay: false });
      expect(full.complete).toBe(true);
      expect(one.decomposedConnections).toBe(2);
      expect(view(one)).toEqual(view(full));
      expect(one.stats.states).toBeLessThan(full.stats.states);
    });
  }
});

describe('connection symmetry reduction', () => {
  it('changes no verdict and no window for two connections sharing a 2-tuple flow entry, and explores fewer states', () => {
    const t = tiny({ connections: 2, stickiness: '2-tuple', clientKeepaliveIdle: 2 });
    const on = checkTopology(t, {}, { replay: false });
    const off = checkTopology(t, {}, { replay: false, symmetry: false });
    expect(on.complete && off.complete).toBe(true);
    expect(view(on)).toEqual(view(off));
    expect(on.stats.states).toBeLessThan(off.stats.states);
  });
});

describe('a 2-tuple flow entry shared with a busy connection', { timeout: 240_000 }, () => {
  it('moves the drop threshold of an idle connection from the GWLB timeout to its own appliance session timeout', () => {
    const base = kbTopology({ connections: 2, stickiness: '2-tuple', serverIdleClose: 'never' });
    // both connections open at once and stay open; only connection 1 sends keepalive probes (idle 325 s < 350 s)
    const t: Topology = {
      ...base,
      environment: { ...base.environment, clientCloses: false, connectAtStart: true },
      perConnection: [{}, { client: { keepalive: { idle: 325, interval: 75, probes: 9, preset: 'custom' } } }],
    };
    const shared = checkTopology(t, {}, { properties: ['no-mid-path-drop'] });
    const alone = checkTopology(kbTopology({ serverIdleClose: 'never' }), {}, { properties: ['no-mid-path-drop'] });
    expect(shared.complete && alone.complete).toBe(true);
    expect(alone.results[0]!.window?.idleGapUnion).toEqual([{ from: 350, fromInclusive: false, to: null, toInclusive: false }]);
    expect(shared.results[0]!.window?.idleGapUnion).toEqual([{ from: 3600, fromInclusive: false, to: null, toInclusive: false }]);
    expect(shared.results[0]!.replayed).toBe(true);
  });
});
