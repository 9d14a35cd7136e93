import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
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

describe('preset zone graphs', () => {
  it('pins every bundled preset', () => {
    expect(Object.keys(PINS).sort()).toEqual([...presetNames()].sort());
  });

  it.each(presetNames())('%s explores exactly its pinned states and transitions', (name) => {
    const r = check(loadPreset(name), { replay: false });
    const pin = PINS[name]!;
    expect(r.complete).toBe(true);
    expect({ states: r.stats.states, transitions: r.stats.transitions }, pin.reason).toEqual({ states: pin.states, transitions: pin.transitions });
  });
});
