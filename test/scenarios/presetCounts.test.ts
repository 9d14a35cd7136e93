import { describe, expect, it } from 'vitest';
import { check, type ScenarioResult } from '../../src/check.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';

/*
 * The zone graph of every bundled preset, pinned (the TLA+ Examples habit:
 * a manifest of expected outcomes per model). An unintended change to the
 * models, the composition or the explorer shows up here as a changed count;
 * an intended one updates the pin and says why in its reason.
 */
const PINS: Readonly<Record<string, { readonly states: number; readonly transitions: number; readonly reason: string }>> = {
  'kb-16099': {
    states: 22199,
    transitions: 29152,
    reason: 'the KB: the client holds the connection, the server idle-closes at 400 s and its FIN retransmits for 1044.6 s (16 retransmissions); 2 appliances, covered waiting zones not expanded',
  },
  'kb-16099-keepalive-325': {
    states: 46,
    transitions: 58,
    reason: 'keepalive at 325 s keeps every entry alive: the probes are answered and nothing ages out',
  },
  'kb-16099-server-idle-325': {
    states: 41,
    transitions: 51,
    reason: 'the server closes at 325 s, before the GWLB forgets the flow: the FIN exchange completes',
  },
  'kb-16099-gwlb-timeout-600': {
    states: 41,
    transitions: 51,
    reason: 'the GWLB outlasts the server idle close (400 s < 600 s): the same graph as server-idle-325',
  },
  'kb-16099-fw-timeout-300': {
    states: 22124,
    transitions: 28978,
    reason: 'the appliance session ages out at 300 s, before the GWLB; the observer is exact up to the retransmission chain (issue 11 §1: 18314 states with the old 2×-largest-constant bound)',
  },
  'kb-16099-gwlb-reset': {
    states: 31,
    transitions: 44,
    reason: 'the first segment after 350 s is answered with an RST: no retransmission chain follows',
  },
};

/** Each preset checked once for this file (the heavy ones take seconds). */
const results = new Map<string, ScenarioResult>();
function presetResult(name: string): ScenarioResult {
  let r = results.get(name);
  if (!r) {
    r = check(loadPreset(name), { replay: false });
    results.set(name, r);
  }
  return r;
}

describe('preset zone graphs', () => {
  it('pins every bundled preset', () => {
    expect(Object.keys(PINS).sort()).toEqual([...presetNames()].sort());
  });

  it.each(presetNames())('%s explores exactly its pinned states and transitions', (name) => {
    const r = presetResult(name);
    const pin = PINS[name]!;
    expect(r.complete).toBe(true);
    expect({ states: r.stats.states, transitions: r.stats.transitions }, pin.reason).toEqual({ states: pin.states, transitions: pin.transitions });
  });

  it('pins every preset window (README, "The theorem"; issue 11 §1: fw-timeout-300 was no-half-open (800.2, ∞) and clean-close (920, ∞) with the old observer bound)', () => {
    const open = (from: number) => ({ from, fromInclusive: false, to: null, toInclusive: false });
    const windows = Object.fromEntries(
      presetNames().map((n) => [n, Object.fromEntries(presetResult(n).results.map((x) => [x.property, x.holds ? 'holds' : x.window?.idleGapUnion]))]),
    );
    const holdsAll = { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': 'holds', 'no-half-open': 'holds', 'clean-close': 'holds' };
    expect(windows).toEqual({
      'kb-16099': {
        'no-mid-path-drop': [open(350)],
        'no-mid-path-reset': 'holds',
        'no-half-open': [{ from: 1444.6, fromInclusive: true, to: null, toInclusive: false }],
        'clean-close': [{ from: 0, fromInclusive: true, to: 0, toInclusive: true }, open(1394.6)],
      },
      'kb-16099-keepalive-325': holdsAll,
      'kb-16099-server-idle-325': holdsAll,
      'kb-16099-gwlb-timeout-600': holdsAll,
      'kb-16099-fw-timeout-300': {
        'no-mid-path-drop': [open(300)],
        'no-mid-path-reset': 'holds',
        'no-half-open': [{ from: 1444.6, fromInclusive: true, to: null, toInclusive: false }],
        'clean-close': [open(1344.6)],
      },
      'kb-16099-gwlb-reset': { 'no-mid-path-drop': 'holds', 'no-mid-path-reset': [open(350)], 'no-half-open': [open(350)], 'clean-close': [open(350)] },
    });
  });

});
