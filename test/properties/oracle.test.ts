import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTopology } from '../../src/check.ts';
import { applianceCountArb, topologyArb } from '../../src/properties/arbitraries.ts';
import { predict, predictionFor } from '../../src/properties/oracle.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { loadPreset, kbPresetNames } from '../../src/scenarios/presets.ts';
import type { Topology } from '../../src/system/topology.ts';
import { runs, SkipCounter } from './fuzzing.ts';

/*
 * The oracle (plain reasoning over the numbers, src/properties/oracle.ts)
 * against the explorer (exhaustive zones) on generated topologies: every
 * verdict the oracle commits to, and every window start (and unbounded end)
 * it predicts, must match. Seeds: see fuzzing.ts.
 */

const skips = new SkipCounter();
afterAll(() => {
  console.log(`oracle: ${skips}`);
  skips.assertBounded();
});

function compare(t: Topology): void {
  const r = checkTopology(t, {}, { replay: false, maxStates: 20_000 });
  if (!skips.record(r.complete)) return;
  const p = predict(t);
  for (const x of r.results) {
    const q = predictionFor(p, x.property as Parameters<typeof predictionFor>[1]);
    if (q.verdict === 'unknown') continue;
    expect({ property: x.property, verdict: x.holds ? 'holds' : 'violated' }, q.because).toEqual({ property: x.property, verdict: q.verdict });
    if (q.window && x.window) {
      const union = x.window.idleGapUnion;
      expect({ property: x.property, from: union[0]!.from, fromInclusive: union[0]!.fromInclusive }).toEqual({ property: x.property, from: q.window.from, fromInclusive: q.window.fromInclusive });
      if (q.window.to === null) expect({ property: x.property, union }).toEqual({ property: x.property, union: [{ from: q.window.from, fromInclusive: q.window.fromInclusive, to: null, toInclusive: false }] });
      else expect(union.at(-1)!.to, `${x.property}: the oracle says the window is bounded`).not.toBeNull();
    }
  }
}

describe('the oracle on the bundled presets', () => {
  // the KB presets (one GWLB hop); the incident presets on other paths: test/scenarios/incidents.test.ts
  for (const name of kbPresetNames()) {
    it(`predicts every expectation of ${name}`, () => {
      const s = loadPreset(name);
      const p = predict(toTopology(s));
      for (const [id, want] of Object.entries(s.expect)) expect({ id, verdict: predictionFor(p, id as Parameters<typeof predictionFor>[1]).verdict }).toEqual({ id, verdict: want });
    });
  }

  it('reads KB 16099 as T = 350 s, a drop for every idle gap above it, and half-open and unclean closes', () => {
    const p = predict(toTopology(loadPreset('kb-16099')));
    expect(p.threshold).toBe(350);
    expect(p.activity).toEqual([400]);
    expect(predictionFor(p, 'no-mid-path-drop')).toMatchObject({ verdict: 'violated', window: { from: 350, fromInclusive: false, to: null } });
    expect(p.predictions.map((x) => x.verdict)).toEqual(['violated', 'holds', 'violated', 'violated']);
  });
});

describe('the oracle agrees with the explorer', () => {
  test.prop([topologyArb({ connections: fc.constant(1), appliances: applianceCountArb({ min: 1, max: 4 }) })], runs(30))('on generated one-connection topologies', compare);

  test.prop([topologyArb({ connections: fc.constant(1), firewall: fc.constant({ kind: 'pan-os' as const, rejectNonSyn: true, timeouts: { init: 5, handshake: 10, established: 3600, halfClosed: 120, timeWait: 15 } }) })], runs(30))(
    'on generated PAN-OS topologies at the default firewall timeout',
    compare,
  );
});
