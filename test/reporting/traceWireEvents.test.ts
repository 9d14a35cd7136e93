import { describe, expect, it } from 'vitest';
import { traceWireEvents } from '../../src/reporting/traceWireEvents.ts';
import type { Trace, TraceStep } from '../../src/system/trace.ts';

const base = { actor: 'x', text: '', logs: [], states: {}, clocks: [], zone: [], violates: [] } as const;

function segStep(time: number, from: 'client' | 'server', kind: 'syn' | 'fin' | 'data', hops: NonNullable<TraceStep['hops']>, outcome: 'delivered' | 'dropped' | 'reset'): TraceStep {
  return { ...base, time, kind: 'segment', segment: { conn: 0, from, kind }, hops, outcome };
}

const trace: Trace = {
  format: 'midpath-trace/1',
  scenario: 't',
  property: 'no-mid-path-drop',
  violationStep: 3,
  steps: [
    { ...base, time: 0, kind: 'init' },
    segStep(0, 'client', 'syn', [{ component: 'gwlb.flow0', action: 'forward', chosenTarget: 0, target: 0 }, { component: 'appliance0.c0', action: 'forward' }, { component: 'server0', action: 'deliver' }], 'delivered'),
    { ...base, time: 350, kind: 'timer', timer: 'xstate.after.idleTimeout' },
    segStep(400, 'server', 'fin', [{ component: 'gwlb.flow0', action: 'forward', chosenTarget: 1, target: 1 }, { component: 'appliance1.c0', action: 'drop', reason: 'non-syn-no-session' }], 'dropped'),
    segStep(401, 'client', 'data', [{ component: 'gwlb.flow0', action: 'reset', reason: 'no-flow-entry', resetTo: 'client' }], 'reset'),
  ],
};

describe('traceWireEvents', () => {
  const events = traceWireEvents(trace);

  it('gives a delivered segment all four legs through its appliance', () => {
    expect(events[0]).toEqual({
      time: 0,
      conn: 0,
      from: 'client',
      kind: 'syn',
      legs: [{ at: 'client-side' }, { at: 'to-appliance', appliance: 0 }, { at: 'from-appliance', appliance: 0 }, { at: 'server-side' }],
    });
  });

  it('ends a segment dropped at appliance k at to-appliance k', () => {
    expect(events[1]!.legs).toEqual([{ at: 'server-side' }, { at: 'to-appliance', appliance: 1 }]);
    expect(events[1]!.time).toBe(400);
  });

  it('ends a segment the GWLB resets at the sender side and adds the injected RST', () => {
    expect(events[2]!.legs).toEqual([{ at: 'client-side' }]);
    expect(events[3]).toEqual({ time: 401, conn: 0, from: 'server', kind: 'rst', injected: true, legs: [{ at: 'client-side' }] });
  });

  it('skips steps that are not segments', () => {
    expect(events).toHaveLength(4);
  });
});
