import { describe, expect, it } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import type { PropertyId } from '../../src/properties/catalogue.ts';
import type { MachineSet } from '../../src/system/components.ts';
import type { Topology } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { abortiveClose, firewallAcceptsNonSyn, gwlbNeverExpires, gwlbNotRefreshed, ignoresPeerFin, keepaliveNeverFires } from '../fixtures/mutants.ts';

/*
 * Each property catches a deliberately broken model (test/fixtures/mutants.ts):
 * it holds with the real models and is violated, with a counterexample that
 * replays on the simulator running the same mutant, once one machine is broken.
 */

const serverOnlyCloses = (t: Topology): Topology => ({ ...t, environment: { ...t.environment, clientCloses: false } });

const cases: readonly { property: PropertyId; mutant: string; machines: MachineSet; topology: Topology }[] = [
  { property: 'no-mid-path-drop', mutant: 'an endpoint whose keepalive never fires', machines: keepaliveNeverFires, topology: kbTopology({ clientKeepaliveIdle: 325, retries2: 2 }) },
  { property: 'no-mid-path-reset', mutant: 'a GWLB flow entry that traffic does not refresh', machines: gwlbNotRefreshed, topology: kbTopology({ reset: true, clientKeepaliveIdle: 325, retries2: 2 }) },
  { property: 'no-half-open', mutant: 'an endpoint that ignores the peer’s FIN', machines: ignoresPeerFin, topology: kbTopology({ serverIdleClose: 325, retries2: 2 }) },
  { property: 'clean-close', mutant: 'an endpoint that closes with an RST instead of a FIN', machines: abortiveClose, topology: serverOnlyCloses(kbTopology({ serverIdleClose: 325, retries2: 2 })) },
];

describe('every property catches its mutant', () => {
  for (const c of cases) {
    it(`${c.property} holds with the real models and is violated with ${c.mutant}`, () => {
      const real = checkTopology(c.topology, {}, { properties: [c.property] });
      expect(real.complete).toBe(true);
      expect(real.results[0]!.holds).toBe(true);
      const broken = checkTopology(c.topology, {}, { properties: [c.property], machines: c.machines });
      expect(broken.complete).toBe(true);
      expect(broken.results[0]).toMatchObject({ property: c.property, holds: false, replayed: true });
    });
  }
});

describe('the KB scenario catches too-permissive models', () => {
  for (const [mutant, machines] of [
    ['a GWLB flow entry that never expires', gwlbNeverExpires],
    ['a firewall that accepts non-SYN segments without a session', firewallAcceptsNonSyn],
  ] as const) {
    it(`no-mid-path-drop is violated with the real models and holds with ${mutant}`, () => {
      const t = kbTopology({ retries2: 2 });
      expect(checkTopology(t, {}, { properties: ['no-mid-path-drop'], replay: false }).results[0]!.holds).toBe(false);
      const r = checkTopology(t, {}, { properties: ['no-mid-path-drop'], machines });
      expect(r.complete).toBe(true);
      expect(r.results[0]!.holds).toBe(true);
    });
  }
});
