import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { checkTopology, type PropertyResult } from '../../src/check.ts';
import { HOP_KINDS } from '../../src/models/hopKinds.ts';
import { hopBoundary, pathArb, pathTopology } from '../../src/properties/arbitraries.ts';
import type { PropertyId } from '../../src/properties/catalogue.ts';
import { predict, predictionFor } from '../../src/properties/oracle.ts';
import { answeringHop } from '../../src/properties/pathOracle.ts';
import { defaultMachines, type MachineSet } from '../../src/system/components.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import { Simulator } from '../../src/system/simulator.ts';
import type { FlowHopKind, HopSpec, Topology } from '../../src/system/topology.ts';
import { runs } from '../properties/fuzzing.ts';

/*
 * The theorem on paths of any hops (README "Paths"), against the explorer:
 * T is the shortest idle timeout along the path; with nothing acting before
 * T, the first segment past T meets the hop nearest the client among those
 * whose timeout is T, and what that hop does decides: an RST to the sender
 * (NAT gateways, NLB) violates no-mid-path-reset, a silent discard
 * no-mid-path-drop, for every idle gap above T (and at T with a closed or
 * ambiguous boundary). Conversely a keepalive below T keeps every hop's entry:
 * neither is reachable. Paths: 1..5 hops of every forgetting kind, in any
 * order, random settings, 1..3 connections. MIDPATH_SEED / MIDPATH_FUZZ_RUNS.
 */

const propertyOf = (fate: 'reset' | 'drop'): PropertyId => (fate === 'reset' ? 'no-mid-path-reset' : 'no-mid-path-drop');

function result(t: Topology, property: PropertyId): PropertyResult {
  const r = checkTopology(t, {}, { properties: [property], replay: false });
  expect(r.complete).toBe(true);
  return r.results[0]!;
}

describe('the theorem on any path', () => {
  test.prop([pathArb(5), fc.integer({ min: 1, max: 3 })], runs(12))('forward: past the shortest timeout T, the hop that expires first decides: reset or drop, for every idle gap above T', (p, connections) => {
    const t = pathTopology(p, connections);
    const r = result(t, propertyOf(p.first.fate));
    expect(r.holds, `${propertyOf(p.first.fate)} at T = ${p.shortest}`).toBe(false);
    const w = r.window!.idleGap;
    expect(w.from).toBe(p.shortest);
    // a lone hop loses every later segment too; on a longer path a hop nearer the client may expire later and end it
    if (p.hops.length === 1) expect(w.to).toBeNull();
    const atT = p.hops.filter((h) => h.timeout === p.shortest);
    if (atT.length === 1) expect(w.fromInclusive).toBe(hopBoundary(p.first.hop) !== 'open');
  });

  test.prop([pathArb(5), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 50 })], runs(12))('converse: a client keepalive below T keeps every entry: no drop and no reset', (p, connections, margin) => {
    const t = pathTopology(p, connections, Math.max(1, p.shortest - margin));
    const r = checkTopology(t, {}, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false });
    expect(r.complete).toBe(true);
    expect(r.results.map((x) => [x.property, x.holds])).toEqual([['no-mid-path-drop', true], ['no-mid-path-reset', true]]);
  });

  test.prop([pathArb(4), fc.integer({ min: -3, max: 3 })], runs(12))('the simulator, carrying segments with the same crossing, resets or drops a request after an idle gap only inside the explorer window', (p, offset) => {
    const t = pathTopology(p, 1);
    const gap = p.shortest + offset;
    const sim = new Simulator(t, () => 0);
    sim.run([{ time: 0, conn: 0, role: 'client', action: 'APP_CONNECT' }, { time: gap * 1000, conn: 0, role: 'client', action: 'APP_SEND' }], gap * 1000 + 1);
    const late = sim.events.find((e) => e.kind === 'segment' && e.time === gap * 1000 && e.seg.kind === 'data');
    expect(late).toBeDefined();
    if (late?.kind !== 'segment') return;
    const w = result(t, propertyOf(p.first.fate)).window!.idleGap;
    const inside = gap > w.from || (gap === w.from && w.fromInclusive);
    if (late.outcome !== 'delivered') {
      expect(late.outcome).toBe(p.first.fate === 'reset' ? 'reset' : 'dropped');
      expect(inside, `gap ${gap} inside ${JSON.stringify(w)}`).toBe(true);
    } else {
      expect(gap).toBeLessThanOrEqual(p.shortest);
      // Delivered at exactly T: only if no hop expiring at T has a closed boundary (a closed
      // entry is gone at T; an open one still exists, an ambiguous one may).
      if (gap === p.shortest) expect(p.hops.filter((h) => h.timeout === p.shortest).map((h) => hopBoundary(h.hop)), `delivered at T = ${gap}`).not.toContain('closed');
    }
  });
});

type StateConfig = { after?: unknown; states?: Record<string, StateConfig> } & Record<string, unknown>;

/** A state node config without its `after` transitions, at every depth. */
function stripTimers(node: StateConfig): StateConfig {
  const { after: _after, states, ...rest } = node;
  return states === undefined ? rest : { ...rest, states: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, stripTimers(v)])) };
}

describe('the path oracle against the explorer', () => {
  test.prop([pathArb(4), fc.integer({ min: 1, max: 2 }), fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 2 }))], runs(15))(
    'predicts every decided verdict and window start on generated paths, with a client keepalive just below, at or above T, or none',
    (p, connections, offset) => {
      const t = pathTopology(p, connections, offset === undefined ? undefined : Math.max(1, p.shortest + offset));
      const prediction = predict(t);
      const r = checkTopology(t, {}, { replay: false });
      expect(r.complete).toBe(true);
      let decided = 0;
      for (const x of r.results) {
        const o = predictionFor(prediction, x.property as PropertyId);
        if (o.verdict === 'unknown') continue;
        decided++;
        expect(x.holds, `${x.property}: ${o.because}`).toBe(o.verdict === 'holds');
        if (o.window) expect(x.window?.idleGap).toMatchObject({ from: o.window.from, fromInclusive: o.window.fromInclusive, ...(o.window.to === null ? { to: null } : {}) });
      }
      expect(decided).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('the hop that answers at an idle gap (one function for every case)', () => {
  // An NLB (open boundary, RST) nearer the client than an AWS Network Firewall (closed here, silent), both at 350 s.
  const path = [flowHop('nlb', { idleTimeout: 350 }), flowHop('aws-network-firewall', { idleTimeout: 350, boundary: 'closed' })];
  const hops = [
    { hop: path[0]!, fate: 'reset', timeout: 350 },
    { hop: path[1]!, fate: 'drop', timeout: 350 },
  ] as const;
  const at = (keepaliveIdle: number) => pathTopology({ hops, shortest: 350, first: hops[0] }, 1, keepaliveIdle);

  it('is the first hop whose entry is gone: the closed one at T, the first one past T, none below T', () => {
    expect(answeringHop(path, { at: 350, after: false })).toBe(1);
    expect(answeringHop(path, { at: 350, after: true })).toBe(0);
    expect(answeringHop(path, { at: 349, after: true })).toBe(-1);
    expect(answeringHop([path[0]!], { at: 350, after: false })).toBe(-1);
  });

  it.each([
    [350, 'no-mid-path-drop'],
    [351, 'no-mid-path-reset'],
    [349, undefined],
  ] as const)('a client keepalive at %d s: the oracle decides the property of that hop, and the explorer agrees', (idle, violated) => {
    const t = at(idle);
    const prediction = predict(t);
    const r = checkTopology(t, {}, { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false });
    expect(r.complete).toBe(true);
    for (const x of r.results) {
      const o = predictionFor(prediction, x.property as PropertyId);
      if (x.property === violated) expect([o.verdict, x.holds]).toEqual(['violated', false]);
      else if (violated === undefined) expect([o.verdict, x.holds]).toEqual(['holds', true]);
      else expect(o.verdict === 'unknown' || (o.verdict === 'holds') === x.holds, `${x.property}: ${o.because}`).toBe(true);
    }
  });
});

/** The kind's flow machine without any timer: a flow table that never forgets (a mutant), keeping its guards and actions. */
function neverExpires(kind: FlowHopKind): MachineSet {
  const real = HOP_KINDS[kind].machine as AnyStateMachine;
  const config = stripTimers(real.config as unknown as StateConfig);
  const machine = createMachine(config as unknown as Parameters<typeof createMachine>[0]).provide(real.implementations as never) as unknown as AnyStateMachine;
  return { ...defaultMachines, hops: { [kind]: machine } };
}

/** Per registry kind, a hop that loses a late client segment with the real model. */
const LOSING: Readonly<Record<FlowHopKind, HopSpec>> = {
  'nat-gateway': flowHop('nat-gateway'),
  nlb: flowHop('nlb'),
  'eni-conntrack': flowHop('eni-conntrack', { idleTimeout: 350, lateSegment: 'drop' }),
  'aws-network-firewall': flowHop('aws-network-firewall'),
  'azure-lb': flowHop('azure-lb', { tcpReset: true }),
  'azure-nat-gateway': flowHop('azure-nat-gateway'),
  'gcp-cloud-nat': flowHop('gcp-cloud-nat', { idleTimeout: 300 }),
  'gcp-firewall': flowHop('gcp-firewall', { lateSegment: 'drop' }),
  'linux-conntrack': flowHop('linux-conntrack', { idleTimeout: 300, tcpLoose: false }),
};

describe('one mutant per hop kind', () => {
  const quiet = pathTopology({ hops: [], shortest: 0, first: { hop: LOSING.nlb, fate: 'reset', timeout: 0 } }, 1);
  it.each(Object.keys(LOSING) as FlowHopKind[])('%s: the real model loses a late segment, a flow table that never forgets does not', (kind) => {
    const t: Topology = { ...quiet, name: `mutant-${kind}`, path: [LOSING[kind]] };
    const props = { properties: ['no-mid-path-drop', 'no-mid-path-reset'], replay: false } as const;
    const real = checkTopology(t, {}, props);
    expect(real.results.some((x) => !x.holds), 'the real model loses a segment').toBe(true);
    const mutant = checkTopology(t, {}, { ...props, machines: neverExpires(kind) });
    expect(mutant.results.every((x) => x.holds), 'the mutant is caught: it turns the violation into a pass').toBe(true);
  });
});
