import { describe, expect, it } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import { explore } from '../../src/engine/explore.ts';
import { checksFor, properties } from '../../src/properties/catalogue.ts';
import { observedEnded, StopAtObservedEnd } from '../../src/system/observedEnd.ts';
import { ProductSystem, type SystemState } from '../../src/system/product.ts';
import type { Topology } from '../../src/system/topology.ts';
import { tinyKb } from '../fixtures/tinyKb.ts';
import { StopWhenServerEnded } from '../fixtures/mutants.ts';

/*
 * Stopping where every observed connection is over (src/system/observedEnd.ts)
 * against the unreduced product. The generated comparison of both reductions
 * together is in observedConnections.test.ts.
 */

/** KB-shaped, every timeout a few seconds, one retransmission; the client sends no requests but may close, the server closes after 4 s idle: connections end. */
function tiny(o: { connections: number; appliances: 1 | 2; fw: number }): Topology {
  return tinyKb({ ...o, stickiness: '2-tuple', clientCloses: true, clientSends: false });
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

  /*
   * The argument of observedEnd.ts, checked on every property of the catalogue
   * (so a property added later that can be violated by an ended connection
   * fails here, not silently in the reduction): in the unreduced product, every
   * state in which the observed connections are over has successors that are
   * over too, and neither such a state nor any edge out of it (guards ignored,
   * which only adds edges) violates a property of an observed connection.
   */
  for (const [name, t, observeOne] of [
    ['2 connections, one appliance, connection 0 observed', tiny({ connections: 2, appliances: 1, fw: 2 }), true],
    ['2 connections, two appliances, every connection observed', tiny({ connections: 2, appliances: 2, fw: 6 }), false],
    ['1 connection, two appliances, client sends and keepalive', (() => {
      const b = tiny({ connections: 1, appliances: 2, fw: 6 });
      return { ...b, environment: { ...b.environment, clientSends: true }, client: { ...b.client, keepalive: { idle: 2, interval: 1, probes: 1, preset: 'custom' as const } } };
    })(), false],
  ] as const) {
    it(`no property is violated from a state where the observed connections are over, and such states stay over: ${name}`, () => {
      const sys = new ProductSystem(t, { observeOne });
      let ended = 0;
      let edges = 0;
      explore(sys, checksFor(sys), {
        onState: (_id, raw) => {
          const s = raw as SystemState;
          if (!observedEnded(sys, s)) return;
          ended++;
          for (const p of properties) expect(p.state?.(sys, s), `${p.id} in an ended state`).toBeUndefined();
          for (const e of sys.successors(s)) {
            edges++;
            expect(observedEnded(sys, e.target), `a successor of an ended state (${e.label.kind})`).toBe(true);
            for (const p of properties) expect(p.edge?.(sys, s, e), `${p.id} on an edge from an ended state (${e.label.kind})`).toBeUndefined();
          }
        },
      });
      expect(ended).toBeGreaterThan(0);
      expect(edges).toBeGreaterThan(0);
    });
  }

  it('a mutant that stops once the observed server has ended (its client may still hold the connection) is caught by the comparison', () => {
    const sys = new ProductSystem(tiny({ connections: 2, appliances: 1, fw: 2 }), { observeOne: true });
    const full = verdicts(sys, sys);
    expect(verdicts(sys, new StopAtObservedEnd(sys)).verdicts).toEqual(full.verdicts);
    expect(verdicts(sys, new StopWhenServerEnded(sys)).verdicts).not.toEqual(full.verdicts);
  });
});
