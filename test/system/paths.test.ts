import { describe, expect, it } from 'vitest';
import { checkTopology, type PropertyResult, type ScenarioResult } from '../../src/check.ts';
import { componentName } from '../../src/system/componentRef.ts';
import { buildLayout } from '../../src/system/components.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import { Simulator } from '../../src/system/simulator.ts';
import type { FirewallHopSpec, HopSpec, Topology } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';

/** The KB endpoints (no keepalive, server idle close 400 s) on another path. */
function on(name: string, path: readonly HopSpec[], o: Partial<Topology> = {}): Topology {
  return { ...kbTopology(), name, path, ...o };
}

const panOs: FirewallHopSpec = {
  kind: 'firewall',
  firewall: { kind: 'pan-os', rejectNonSyn: true, timeouts: { init: 5, handshake: 10, established: 3600, halfClosed: 120, timeWait: 15 } },
  boundary: 'open',
};

function result(r: ScenarioResult, id: string): PropertyResult {
  const x = r.results.find((p) => p.property === id);
  if (!x) throw new Error(`no result for ${id}`);
  return x;
}

describe('a path of any hops, crossed by one function in the explorer and the simulator', () => {
  it('names every component from its typed reference', () => {
    const t = on('names', [flowHop('nat-gateway'), panOs, { ...panOs, name: 'edge-fw' }, flowHop('azure-lb', {}, { backends: { count: 2, firewall: panOs.firewall, boundary: 'open' } })], { connections: 2 });
    const names = buildLayout(t).components.map((c) => c.name);
    expect(names).toEqual([
      'client0', 'server0', 'client1', 'server1',
      'nat-gateway.flow0', 'nat-gateway.flow1',
      'pan-os.c0', 'pan-os.c1',
      'edge-fw.c0', 'edge-fw.c1',
      'azure-lb.flow0', 'azure-lb.flow1', 'azure-lb.backend0.c0', 'azure-lb.backend0.c1', 'azure-lb.backend1.c0', 'azure-lb.backend1.c1',
    ]);
    for (const c of buildLayout(t).components) expect(componentName(t, c.ref)).toBe(c.name);
  });

  it('carries a server segment through the hops in reverse order, and counts a NAT gateway RST as a reset, not a drop', () => {
    const r = checkTopology(on('nat-fw', [flowHop('nat-gateway'), panOs]));
    expect(r.complete).toBe(true);
    expect(result(r, 'no-mid-path-drop').holds).toBe(true);
    const reset = result(r, 'no-mid-path-reset');
    expect(reset.holds).toBe(false);
    // "350 seconds or more": the closed boundary puts 350 itself in the window (domain-facts §10)
    expect(reset.window?.idleGap).toEqual({ from: 350, fromInclusive: true, to: null, toInclusive: false });
    const v = reset.counterexample!.steps[reset.counterexample!.violationStep]!;
    expect(v.hops?.map((h) => `${h.component}:${h.action}`)).toEqual(['pan-os.c0:forward', 'nat-gateway.flow0:reset']);
    expect(v.hops?.[1]).toMatchObject({ resetTo: 'server' });
    expect(reset.replayed).toBe(true);
  });

  it('lets a segment that one hop forwards die at the next: a GWLB new flow, then the other appliance', () => {
    const kb = kbTopology();
    const r = checkTopology(on('gwlb-nat', [...kb.path, flowHop('nat-gateway')]), {}, { properties: ['no-mid-path-drop'] });
    const drop = result(r, 'no-mid-path-drop');
    expect(drop.window?.idleGap).toEqual({ from: 350, fromInclusive: false, to: null, toInclusive: false });
    expect(drop.replayed).toBe(true);
  });

  it('counts an Azure LB reset at its idle timeout (tcpReset) for no-mid-path-reset, at exactly the timeout', () => {
    const r = checkTopology(on('azure-reset', [flowHop('azure-lb', { tcpReset: true })]), {}, { properties: ['no-mid-path-reset', 'no-half-open'] });
    const reset = result(r, 'no-mid-path-reset');
    expect(reset.holds).toBe(false);
    expect(reset.window?.idleGap).toEqual({ from: 240, fromInclusive: true, to: 240, toInclusive: true });
    const v = reset.counterexample!.steps[reset.counterexample!.violationStep]!;
    expect(v.kind).toBe('timer');
    expect(v.text).toContain('RST to both ends of connection 0');
    expect(reset.replayed, 'the replay reads the proactive reset off the simulator').toBe(true);
    // both ends are reset at once: nobody is left half-open
    expect(result(r, 'no-half-open').holds).toBe(true);
  });

  it('explores every backend of an Azure LB for an expired flow: the other firewall drops the late segment', () => {
    const r = checkTopology(on('azure-fw', [flowHop('azure-lb', {}, { backends: { count: 2, firewall: panOs.firewall, boundary: 'open' } })]), {}, { properties: ['no-mid-path-drop'] });
    const drop = result(r, 'no-mid-path-drop');
    expect(drop.window?.idleGap).toEqual({ from: 240, fromInclusive: false, to: null, toInclusive: false });
    const v = drop.counterexample!.steps[drop.counterexample!.violationStep]!;
    expect(v.hops?.find((h) => h.action === 'drop')).toMatchObject({ reason: 'non-syn-no-session' });
    expect(v.hops?.[0]).toMatchObject({ component: 'azure-lb.flow0', chosenTarget: 1 });
    expect(drop.replayed).toBe(true);
    // with newFlowBackend: same (Azure's documented 5-tuple hash) the flow re-lands on its firewall
    const same = checkTopology(on('azure-same', [flowHop('azure-lb', { newFlowBackend: 'same' }, { backends: { count: 2, firewall: panOs.firewall, boundary: 'open' } })]), {}, { properties: ['no-mid-path-drop'] });
    expect(result(same, 'no-mid-path-drop').holds).toBe(true);
  });

  it('runs the same crossing in the simulator: a request after 351 s idle through a NAT gateway is answered with an RST to the client', () => {
    const t = on('nat-sim', [flowHop('nat-gateway')], { server: { ...kbTopology().server, idleClose: 'never' } });
    const sim = new Simulator(t, () => 0);
    sim.run([{ time: 0, conn: 0, role: 'client', action: 'APP_CONNECT' }, { time: 351_000, conn: 0, role: 'client', action: 'APP_SEND' }], 352_000);
    const late = sim.events.find((e) => e.kind === 'segment' && e.time === 351_000);
    expect(late).toMatchObject({ outcome: 'reset', hops: [{ component: 'nat-gateway.flow0', action: 'reset', resetTo: 'client' }] });
    expect(sim.endpointState(0, 'client')).toBe('ended');
    expect(sim.endpointState(0, 'server')).toBe('established');
  });
});
