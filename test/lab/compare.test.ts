import { kbHop, withGwlb } from '../../src/system/topology.ts';
import { describe, expect, it } from 'vitest';
import { KNOWN_CAUSES, compareRun, tlpAbortOffset, tolerance, type ComparisonRow } from '../../lab/compare.ts';
import { LAB_RETRIES2, LINUX_RTO_MIN, linuxAbortBound, modelAbortTime, presetScenario } from '../../lab/labScenario.ts';
import { runModel } from '../../lab/modelRun.ts';
import type { EndpointObservation, Observation, ObservedSegment } from '../../lab/observation.ts';

/**
 * The lab's classification, on synthetic "real" observations derived from
 * the model's (no namespaces): what agrees, what the tail loss probe
 * explains, and that the two fixed model bugs would now show as unexplained.
 */
const sc = presetScenario('kb-16099', 1, 1 / 50);
const model = runModel(sc);

const verdicts = (rows: readonly ComparisonRow[]): Record<string, string> =>
  Object.fromEntries(rows.map((r) => [r.aspect, `${r.verdict}${r.cause === undefined ? '' : ` [${r.cause}]`}`]));

/** Shifts an endpoint's retransmission abort by `dt`. */
const later = (e: EndpointObservation, dt: number): EndpointObservation => ({ ...e, at: e.at === null ? null : e.at + dt });

/** One extra transmission (the tail loss probe) of each dropped data/FIN segment, one RTO after its first transmission. */
function withProbe(segs: readonly ObservedSegment[]): ObservedSegment[] {
  const firsts = segs.filter((s, i) => s.fate === 'dropped' && (s.kind === 'data' || s.kind === 'fin') && segs.findIndex((x) => x.fate === 'dropped' && x.from === s.from && x.kind === s.kind) === i);
  return [...segs, ...firsts.map((s) => ({ ...s, t: s.t + 0.208, retransmit: true }))].sort((a, b) => a.t - b.t);
}

describe('lab classification (compare.ts)', () => {
  it('model abort: 6.2 s after the segment for retries2 = 3; predicted Linux offset ≈ 0.46 s (TLP on), 0.25 s (off)', () => {
    expect(modelAbortTime(LAB_RETRIES2)).toBeCloseTo(6.2, 9);
    expect(linuxAbortBound(LAB_RETRIES2)).toBeCloseTo(6.8, 9);
    expect(tlpAbortOffset(LAB_RETRIES2, LINUX_RTO_MIN, true)).toBeCloseTo(0.456, 9);
    expect(tlpAbortOffset(LAB_RETRIES2, LINUX_RTO_MIN, false)).toBeCloseTo(0.248, 9);
    expect(model.server).toMatchObject({ outcome: 'timeout', detail: 'retransmit-timeout' });
    expect(model.server.at).toBeCloseTo(8.25 + 6.2, 9);
    expect(Object.values(KNOWN_CAUSES).every((c) => c.kind === 'documented')).toBe(true);
  });

  it('identical observations agree everywhere', () => {
    expect(compareRun(sc, model, model, true).every((r) => r.verdict === 'agree')).toBe(true);
  });

  it('the tail loss probe: one transmission more and an abort ≈ 0.46–0.67 s later are agree or documented, never a model bug', () => {
    for (const dt of [0.42, 0.46, 0.67]) {
      const real: Observation = { ...model, segments: withProbe(model.segments), client: later(model.client, dt), server: later(model.server, dt) };
      const v = verdicts(compareRun(sc, model, real, true));
      expect(v['transmissions of dropped segments']).toBe('documented [tail-loss-probe]');
      for (const role of ['client', 'server'] as const) {
        const expected = dt <= tolerance(model[role].at! + dt) ? 'agree' : 'documented [tail-loss-probe]';
        expect(v[`${role} end`]).toBe(expected);
      }
      expect(Object.values(v).filter((x) => !x.startsWith('agree') && !x.startsWith('documented'))).toEqual([]);
    }
    // With TLP off there is no probe: an extra transmission is unexplained.
    const real: Observation = { ...model, segments: withProbe(model.segments) };
    expect(verdicts(compareRun(sc, model, real, false))['transmissions of dropped segments']).toBe('unexplained');
  });

  it('the old model bugs would be unexplained now: abort 3.2 s early or 3.6 s late, two extra transmissions', () => {
    for (const dt of [-3.2, 3.6]) {
      const real: Observation = { ...model, server: later(model.server, dt) };
      expect(verdicts(compareRun(sc, model, real, true))['server end']).toBe('unexplained');
    }
    const real: Observation = { ...model, segments: withProbe(withProbe(model.segments)) };
    expect(verdicts(compareRun(sc, model, real, true))['transmissions of dropped segments']).toBe('unexplained');
  });

  it('a loose appliance session on one side only is unexplained (no longer attributed to loose-fin-pickup)', () => {
    const loose = presetScenario('kb-16099', 1, 1 / 50);
    const looseSc = { ...loose, topology: withGwlb(loose.topology, { appliances: { firewall: { ...kbHop(loose.topology).appliances.firewall, kind: 'conntrack-loose' as const, rejectNonSyn: false } } }) };
    const m = runModel(looseSc);
    const real: Observation = { ...m, sessions: [m.sessions[0], { seen: false, ends: [], atHorizon: 'none' }] };
    const v = verdicts(compareRun(looseSc, m, real, true));
    // The server's FIN re-pinned to appliance1 opens nothing there (the fix); the client's ACK after it does (loose pickup).
    expect(m.segments.find((s) => s.appliance === 1)).toMatchObject({ from: 'server', kind: 'fin', fate: 'delivered' });
    expect(m.sessions[1].seen).toBe(true);
    expect(v['appliance1 session']).toBe('unexplained');
    expect(compareRun(looseSc, m, m, true).every((r) => r.verdict === 'agree')).toBe(true);
  });
});
