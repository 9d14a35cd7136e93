import { describe, expect, it } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import { explore } from '../../src/engine/explore.ts';
import { checksFor } from '../../src/properties/catalogue.ts';
import { observedEnded, StopAtObservedEnd } from '../../src/system/observedEnd.ts';
import { ProductSystem, type SystemState } from '../../src/system/product.ts';
import { kbHop, withGwlb, type Topology } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { StopWhenServerEnded } from '../fixtures/mutants.ts';

/*
 * Stopping where every observed connection is over (src/system/observedEnd.ts)
 * against the unreduced product. The generated comparison of both reductions
 * together is in observedConnections.test.ts.
 */

/** KB-shaped, every timeout a few seconds, one retransmission; the client sends no requests but may close, the server closes after 4 s idle: connections end. */
function tiny(o: { connections: number; appliances: 1 | 2; fw: number }): Topology {
  const t = kbTopology({ connections: o.connections, stickiness: '2-tuple', appliances: o.appliances, gwlbTimeout: 3, serverIdleClose: 4, retries2: 1 });
  const small = { rtoMin: 1, rtoMax: 1, timeWait: 1, finTimeout: 1 };
  return {
    ...withGwlb(t, { appliances: { firewall: { ...kbHop(t).appliances.firewall, timeouts: { init: 2, handshake: 2, established: o.fw, halfClosed: 2, timeWait: 1 } } } }),
    environment: { ...t.environment, clientCloses: true, clientSends: false },
    client: { ...t.client, ...small },
    server: { ...t.server, ...small },
  };
}

const verdicts = (sys: ProductSystem, explored: ProductSystem | StopAtObservedEnd) => {
  const r = explore(explored, checksFor(sys));
  expect(r.complete).toBe(true);
  return { states: r.stats.states, verdicts: r.verdicts.map((v) => ({ id: v.id, status: v.status, window: v.status === 'violated' ? v.window : [] })) };
};

describe('stopping where every observed connection is over', { timeout: 240_000 }, () => {
  it('is reached in a small product, where the unreduced product still has successors', () => {
    const sys = new ProductSystem(tiny({ connections: 2, appliances: 1, fw: 2 }), { observeOne: true });
    expect(observedEnded(sys, sys.initial())).toBe(false);
    let ended = 0;
    let withSuccessors = 0;
    explore(sys, checksFor(sys), {
      onState: (_id, s) => {
        if (!observedEnded(sys, s as SystemState)) return;
        ended++;
        if (sys.successors(s as SystemState).length > 0) withSuccessors++;
        expect(new StopAtObservedEnd(sys).successors(s as SystemState)).toEqual([]);
      },
    });
    expect(ended).toBeGreaterThan(0);
    expect(withSuccessors).toBeGreaterThan(0);
  });

  for (const [name, o, observeOne] of [
    ['2 connections, one appliance, every connection observed', { connections: 2, appliances: 1, fw: 2 }, false],
    ['2 connections, one appliance, connection 0 observed', { connections: 2, appliances: 1, fw: 2 }, true],
    ['2 connections, two appliances, connection 0 observed', { connections: 2, appliances: 2, fw: 6 }, true],
  ] as const) {
    it(`gives the same verdicts and windows as the unreduced product, with fewer states: ${name}`, () => {
      const sys = new ProductSystem(tiny(o), { observeOne });
      const full = verdicts(sys, sys);
      const stopped = verdicts(sys, new StopAtObservedEnd(sys));
      expect(stopped.verdicts).toEqual(full.verdicts);
      expect(full.verdicts.some((v) => v.status === 'violated' && v.window.length > 0)).toBe(true);
      expect(stopped.states).toBeLessThan(full.states);
    });
  }

  it('checkTopology stops there by default for several connections and not when told', () => {
    const t = tiny({ connections: 2, appliances: 1, fw: 2 });
    const on = checkTopology(t, {}, { replay: false, observeOne: false });
    const off = checkTopology(t, {}, { replay: false, observeOne: false, stopAtObservedEnd: false });
    expect(on.stats.states).toBeLessThan(off.stats.states);
    expect(on.results.map((r) => [r.property, r.holds, r.window])).toEqual(off.results.map((r) => [r.property, r.holds, r.window]));
  });

  it('a mutant that stops once the observed server has ended (its client may still hold the connection) is caught by the comparison', () => {
    const sys = new ProductSystem(tiny({ connections: 2, appliances: 1, fw: 2 }), { observeOne: true });
    const full = verdicts(sys, sys);
    expect(verdicts(sys, new StopAtObservedEnd(sys)).verdicts).toEqual(full.verdicts);
    expect(verdicts(sys, new StopWhenServerEnded(sys)).verdicts).not.toEqual(full.verdicts);
  });
});
