import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { parseAzureLbConfig } from '../../src/models/azureLbConfig.ts';
import { AZURE_LB_AFTER_EVENTS, azureLbFlowMachine, needsTargetChoice } from '../../src/models/azureLbFlowMachine.ts';
import { raisedEvents, startOnSimulatedClock } from './machineCoverage.ts';
import { everySegIn, expectConfigError, expectFullCoverage, seg, segIn } from './hopTestKit.ts';

const run = (raw: unknown = {}) => startOnSimulatedClock(azureLbFlowMachine, parseAzureLbConfig(raw));

/** An ESTABLISHED flow on backend `target` at t = 0. */
function established(raw: Record<string, unknown> = {}, target = 0) {
  const r = run({ targets: 2, ...raw });
  r.actor.send(segIn('client', 'syn', target));
  r.actor.send(segIn('server', 'synAck'));
  r.actor.send(segIn('client', 'ack'));
  expect(r.actor.getSnapshot().value).toBe('established');
  return r;
}

describe('azureLbFlowMachine graph coverage', () => {
  it('reaches every state and edge over reset on/off and both backend policies', () => {
    const c = expectFullCoverage(
      azureLbFlowMachine,
      [
        parseAzureLbConfig({ targets: 2 }),
        parseAzureLbConfig({ targets: 2, tcpReset: true }),
        parseAzureLbConfig({ targets: 2, newFlowBackend: 'same' }),
        parseAzureLbConfig({ targets: 2, tcpReset: true, adoptedFlowEstablished: false }),
      ],
      everySegIn(2),
    );
    expect([...c.afterEvents].sort()).toEqual(Object.values(AZURE_LB_AFTER_EVENTS).sort());
    // The proactive reset edge (established after#0) is reached only with tcpReset.
    expect(c.perInput[0]?.has(`established:${AZURE_LB_AFTER_EVENTS.established}#0`)).toBe(false);
    expect(c.perInput[1]?.has(`established:${AZURE_LB_AFTER_EVENTS.established}#0`)).toBe(true);
  });

  it('arms the 4-minute timer as the named delay idleTimeout', () => {
    const [s0] = initialTransition(azureLbFlowMachine, parseAzureLbConfig({}));
    const [, actions] = transition(azureLbFlowMachine, s0, segIn('client', 'syn', 0));
    expect(raisedEvents(actions)).toEqual([{ id: AZURE_LB_AFTER_EVENTS.opening, event: AZURE_LB_AFTER_EVENTS.opening, delay: 240_000 }]);
  });
});

describe('azureLbFlowMachine on a simulated clock', () => {
  it('keeps the flow with a segment 1 ms before 240 s and forgets it silently at 240 s by default', () => {
    const { actor, clock, emitted } = established();
    clock.increment(239_999);
    actor.send(segIn('server', 'keepalive'));
    expect(emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('server', 'keepalive'), target: 0 });
    clock.increment(239_999);
    expect(actor.getSnapshot().value).toBe('established');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('none');
    expect(emitted.every((e) => e.type === 'SEG_FORWARD')).toBe(true);
  });

  it('with tcpReset resets an ESTABLISHED flow at exactly the timeout, not 1 ms before', () => {
    const { actor, clock, emitted } = established({ tcpReset: true });
    clock.increment(239_999);
    expect(emitted.some((e) => e.type === 'FLOW_TIMEOUT_RESET')).toBe(false);
    clock.increment(1);
    expect(emitted.at(-1)).toEqual({ type: 'FLOW_TIMEOUT_RESET', reason: 'idle-timeout' });
    expect(actor.getSnapshot().value).toBe('none');
  });

  it('sends no reset for a flow that is not ESTABLISHED, nor with HA ports', () => {
    const opening = run({ tcpReset: true });
    opening.actor.send(segIn('client', 'syn', 0));
    opening.clock.increment(240_000);
    const closing = established({ tcpReset: true });
    closing.actor.send(segIn('client', 'fin'));
    closing.clock.increment(240_000);
    const ha = established({ tcpReset: true, haPorts: true });
    ha.clock.increment(240_000);
    for (const r of [opening, closing, ha]) {
      expect(r.actor.getSnapshot().value).toBe('none');
      expect(r.emitted.some((e) => e.type === 'FLOW_TIMEOUT_RESET')).toBe(false);
    }
  });

  it('makes a segment 1 ms after expiry a new flow on the backend the engine chooses', () => {
    const { actor, clock, emitted } = established({}, 0);
    clock.increment(240_001);
    expect(needsTargetChoice(actor.getSnapshot(), seg('server', 'fin'))).toBe(true);
    actor.send(segIn('server', 'fin', 1));
    actor.send(segIn('client', 'data', 0));
    expect(emitted.slice(3)).toEqual([
      { type: 'SEG_FORWARD', seg: seg('server', 'fin'), target: 1 },
      { type: 'SEG_FORWARD', seg: seg('client', 'data'), target: 1 },
    ]);
    expect(actor.getSnapshot().value).toBe('closing');
  });

  it('keeps the previous backend after expiry with newFlowBackend: same', () => {
    const { actor, clock, emitted } = established({ newFlowBackend: 'same' }, 1);
    clock.increment(240_000);
    expect(needsTargetChoice(actor.getSnapshot(), seg('client', 'data'))).toBe(false);
    actor.send(segIn('client', 'data'));
    expect(emitted.at(-1)).toEqual({ type: 'SEG_FORWARD', seg: seg('client', 'data'), target: 1 });
    expect(actor.getSnapshot().value).toBe('established');
  });

  it('resets a flow created mid-stream at its timeout unless adoptedFlowEstablished is false', () => {
    for (const [adopted, resets] of [[true, true], [false, false]] as const) {
      const r = run({ targets: 2, tcpReset: true, adoptedFlowEstablished: adopted });
      r.actor.send(segIn('client', 'data', 1));
      r.clock.increment(239_999);
      expect(r.emitted.some((e) => e.type === 'FLOW_TIMEOUT_RESET')).toBe(false);
      r.clock.increment(1);
      expect(r.actor.getSnapshot().value).toBe('none');
      expect(r.emitted.some((e) => e.type === 'FLOW_TIMEOUT_RESET')).toBe(resets);
    }
  });

  it('refuses to create a flow without a backend in range', () => {
    const [s0] = initialTransition(azureLbFlowMachine, parseAzureLbConfig({ targets: 2 }));
    expect(() => transition(azureLbFlowMachine, s0, segIn('client', 'syn'))).toThrow(/needs SEG_IN.target in 0..1/);
    expect(() => transition(azureLbFlowMachine, s0, segIn('client', 'syn', 2))).toThrow(/needs SEG_IN.target/);
  });
});

describe('parseAzureLbConfig', () => {
  it('fills in the Azure defaults', () => {
    expect(parseAzureLbConfig({})).toEqual({
      idleTimeout: 240,
      ruleKind: 'load-balancing',
      tcpReset: false,
      haPorts: false,
      targets: 1,
      newFlowBackend: 'any',
      adoptedFlowEstablished: true,
      boundary: 'open',
    });
  });

  it('allows up to 100 minutes on load-balancing and inbound NAT rules, 120 on outbound rules', () => {
    expect(parseAzureLbConfig({ idleTimeout: 6000 }).idleTimeout).toBe(6000);
    expect(parseAzureLbConfig({ idleTimeout: 6000, ruleKind: 'inbound-nat' }).idleTimeout).toBe(6000);
    expect(parseAzureLbConfig({ idleTimeout: 7200, ruleKind: 'outbound' }).idleTimeout).toBe(7200);
    expectConfigError(() => parseAzureLbConfig({ idleTimeout: 6060 }, 'path.1'), 'path.1.idleTimeout', /^path\.1\.idleTimeout: 6060 is above the Azure maximum 6000 for load-balancing rules \(allowed 240\.\.6000 seconds/);
    expectConfigError(() => parseAzureLbConfig({ idleTimeout: 7260, ruleKind: 'outbound' }), 'idleTimeout', /7260 is above the Azure maximum 7200/);
  });

  it('refuses values below 4 minutes, not in whole minutes, or unknown', () => {
    expectConfigError(() => parseAzureLbConfig({ idleTimeout: 180 }), 'idleTimeout', /180 is below the Azure minimum 240/);
    expectConfigError(() => parseAzureLbConfig({ idleTimeout: 241 }), 'idleTimeout', /241 is not a whole number of minutes/);
    expectConfigError(() => parseAzureLbConfig({ ruleKind: 'nat' }), 'ruleKind', /'nat' is not allowed \(allowed 'load-balancing' \| 'inbound-nat' \| 'outbound'\)/);
    expectConfigError(() => parseAzureLbConfig({ targets: 0 }), 'targets', /targets: 0 .*allowed 1\.\.64 backends/);
    expectConfigError(() => parseAzureLbConfig({ newFlowBackend: 'hash' }), 'newFlowBackend', /allowed 'any' \| 'same'/);
  });
});
