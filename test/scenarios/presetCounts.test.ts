import { describe, expect, it } from 'vitest';
import { kbPresetNames, presetNames } from '../../src/scenarios/presets.ts';
import { presetResult } from '../fixtures/presetResults.ts';

/*
 * The zone graph of every bundled preset, pinned (the TLA+ Examples habit:
 * a manifest of expected outcomes per model). An unintended change to the
 * models, the composition or the explorer shows up here as a changed count;
 * an intended one updates the pin and says why in its reason.
 */
const PINS: Readonly<Record<string, { readonly states: number; readonly transitions: number; readonly reason: string }>> = {
  'kb-16099': {
    states: 22167,
    transitions: 29097,
    reason: 'the KB: the client holds the connection, the server idle-closes at 400 s and its FIN retransmits for 1044.6 s (16 retransmissions); 2 appliances, covered waiting zones not expanded (22199 states / 29152 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
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
    transitions: 28972,
    reason: 'the appliance session ages out at 300 s, before the GWLB; the observer is exact up to the retransmission chain (issue 11 §1: 18314 states with the old 2×-largest-constant bound) (22124 states / 28978 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
  },
  'kb-16099-gwlb-reset': {
    states: 31,
    transitions: 40,
    reason: 'the first segment after 350 s is answered with an RST: no retransmission chain follows (31 states / 44 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
  },
  'nat-gateway-python-pool': {
    states: 19,
    transitions: 21,
    reason: 'one NAT gateway mapping; the first client segment after 350 s is answered with an RST: no retransmission chain',
  },
  'nat-gateway-python-pool-keepalive': {
    states: 16,
    transitions: 17,
    reason: 'keepalive every 60 s keeps the mapping; nothing expires',
  },
  'nat-gateway-node-keepalive-350': {
    states: 21,
    transitions: 25,
    reason: 'the probe at exactly 350 s meets the closed boundary: reset, or (before the expiry) the refreshed mapping',
  },
  'nat-gateway-node-keepalive-349': {
    states: 16,
    transitions: 17,
    reason: 'keepalive one second before the closed boundary: nothing expires',
  },
  'nlb-grpc-no-keepalive': {
    states: 18,
    transitions: 18,
    reason: 'one NLB flow; the first segment after 350 s is reset (18 states / 20 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
  },
  'nlb-grpc-keepalive-300': {
    states: 15,
    transitions: 16,
    reason: 'keepalive at 300 s keeps the flow',
  },
  'nlb-pgbouncer-keepalive-7200': {
    states: 26,
    transitions: 32,
    reason: 'the server keepalive chain (7200 s) and the client segments race the NLB expiry (26 states / 34 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
  },
  'nlb-pgbouncer-keepalive-300': {
    states: 26,
    transitions: 34,
    reason: 'the server keepalive at 300 s keeps the flow: the same graph shape as the 7200 s variant without its expiry',
  },
  'azure-ilb-firewall-pair': {
    states: 23944,
    transitions: 31497,
    reason: 'two PAN-OS backends behind the Azure LB: the new flow on the other backend is dropped and the FIN retransmits for 1044.6 s, as in the KB (23976 states / 31554 transitions before an open-boundary expiry waited for the segments in flight of its instant; the orders in which it overtook them could not go on)',
  },
  'azure-ilb-firewall-pair-keepalive': {
    states: 51,
    transitions: 65,
    reason: 'keepalive at 180 s keeps the flow on its backend',
  },
  'azure-lb-kafka': {
    states: 15,
    transitions: 15,
    reason: 'the proactive reset at exactly 600 s ends both sides at once; at its open boundary it waits for a FIN sent at that instant to cross (17 -> 15: the two states of the reset overtaking that FIN, a run that could not go on, are gone)',
  },
  'azure-lb-kafka-idle-540': {
    states: 15,
    transitions: 15,
    reason: 'the client closes at 540 s; the FIN exchange completes before the reset',
  },
  'gcp-firewall-10-minutes': {
    states: 37,
    transitions: 56,
    reason: 'both keepalives at 7200 s against a 600 s entry: the client side passes as a new connection, the server side is dropped',
  },
  'gcp-firewall-keepalive-300': {
    states: 34,
    transitions: 47,
    reason: 'keepalive at 300 s on both sides keeps the entry',
  },
  'nat-gateway-keepalive-7200': {
    states: 21,
    transitions: 23,
    reason: 'the keepalive probe at 7200 s or any request after 350 s is reset',
  },
  'nat-instance-keepalive-7200': {
    states: 16,
    transitions: 17,
    reason: 'the conntrack entry (432000 s) outlives the keepalive: nothing expires',
  },
};


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
      // the KB presets; the incident presets' windows: test/scenarios/incidents.test.ts
      kbPresetNames().map((n) => [n, Object.fromEntries(presetResult(n).results.map((x) => [x.property, x.holds ? 'holds' : x.window?.idleGapUnion]))]),
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
