import { describe, expect, it } from 'vitest';
import { traceWireEvents } from '../../src/reporting/traceWireEvents.ts';
import { defaultAddresses, wireCapture } from '../../src/reporting/wirePackets.ts';
import type { Trace, TraceStep } from '../../src/system/trace.ts';

const CLIENT_SIDE = { at: 'link', near: 'client', far: 'gwlb' } as const;
const SERVER_SIDE = { at: 'link', near: 'gwlb', far: 'server' } as const;

const CLIENT_SIDE_OF = (hop: string) => ({ at: 'link', near: 'client', far: hop }) as const;

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
      legs: [CLIENT_SIDE, { at: 'to-target', hop: 'gwlb', target: 0 }, { at: 'from-target', hop: 'gwlb', target: 0 }, SERVER_SIDE],
    });
  });

  it('ends a segment dropped at appliance k at the GWLB → appliance k capture point', () => {
    expect(events[1]!.legs).toEqual([SERVER_SIDE, { at: 'to-target', hop: 'gwlb', target: 1 }]);
    expect(events[1]!.time).toBe(400);
  });

  it('ends a segment the GWLB resets at the sender side and adds the injected RST', () => {
    expect(events[2]!.legs).toEqual([CLIENT_SIDE]);
    expect(events[3]).toEqual({ time: 401, conn: 0, from: 'server', kind: 'rst', injected: true, legs: [CLIENT_SIDE] });
  });

  it('skips steps that are not segments', () => {
    expect(events).toHaveLength(4);
  });

  it('reads any path from the hop records: links between every pair of neighbours, and an RST back across each', () => {
    const hops = [
      { component: 'nat0.flow0', action: 'forward' as const },
      { component: 'gwlb.flow0', action: 'forward' as const, target: 1 },
      { component: 'appliance1.c0', action: 'forward' as const },
      { component: 'nlb0.flow0', action: 'forward' as const },
      { component: 'server0', action: 'deliver' as const },
    ];
    const t: Trace = {
      ...trace,
      violationStep: 2,
      steps: [
        { ...base, time: 0, kind: 'init' },
        segStep(0, 'client', 'syn', hops, 'delivered'),
        segStep(9, 'server', 'fin', [{ component: 'nlb0.flow0', action: 'forward' }, { component: 'gwlb.flow0', action: 'reset', reason: 'no-flow-entry', resetTo: 'both' }], 'reset'),
      ],
    };
    const [syn, fin, rstToClient, rstToServer] = traceWireEvents(t);
    expect(syn!.legs).toEqual([
      CLIENT_SIDE_OF('nat0'),
      { at: 'link', near: 'nat0', far: 'gwlb' },
      { at: 'to-target', hop: 'gwlb', target: 1 },
      { at: 'from-target', hop: 'gwlb', target: 1 },
      { at: 'link', near: 'gwlb', far: 'nlb0' },
      { at: 'link', near: 'nlb0', far: 'server' },
    ]);
    expect(fin!.legs).toEqual([{ at: 'link', near: 'nlb0', far: 'server' }, { at: 'link', near: 'gwlb', far: 'nlb0' }]);
    expect(rstToClient!.legs).toEqual([{ at: 'link', near: 'nat0', far: 'gwlb' }, CLIENT_SIDE_OF('nat0')]);
    expect(rstToServer!.legs).toEqual([{ at: 'link', near: 'gwlb', far: 'nlb0' }, { at: 'link', near: 'nlb0', far: 'server' }]);
    const capture = wireCapture([syn!, fin!, rstToClient!, rstToServer!], defaultAddresses(2, 1));
    expect(capture.interfaces.map((i) => i.name)).toEqual(['client side ⇄ nat0', 'nat0 ⇄ GWLB', 'GWLB → appliance1 (GENEVE)', 'appliance1 → GWLB (GENEVE)', 'GWLB ⇄ nlb0', 'nlb0 ⇄ server side']);
    expect(capture.frames).toHaveLength(6 + 2 + 2 + 2);
    // a source-NAT hop: inside address on the client side, its own address behind it, both directions
    const natted = wireCapture([syn!, fin!], { ...defaultAddresses(2, 1), hops: { nat0: { title: 'NAT gateway', address: '10.0.0.5', targets: [], geneve: false, translate: { address: '203.0.113.7', portBase: 1024 } } } });
    const ipv4 = (d: Uint8Array, at: number): string => [...d.subarray(at, at + 4)].join('.');
    const plain = natted.frames.filter((f) => natted.points[f.interfaceId ?? 0]!.at === 'link');
    const srcs = plain.map((f) => `${ipv4(f.data, 26)}:${(f.data[34]! << 8) | f.data[35]!}>${ipv4(f.data, 30)}`);
    expect(srcs).toEqual([
      '172.21.43.170:49152>10.0.1.10', // client side: inside address
      '203.0.113.7:1024>10.0.1.10', // nat0 ⇄ GWLB: translated
      '203.0.113.7:1024>10.0.1.10', // GWLB ⇄ nlb0
      '203.0.113.7:1024>10.0.1.10', // server side
      '10.0.1.10:443>203.0.113.7', // the FIN back, server side
      '10.0.1.10:443>203.0.113.7', // GWLB ⇄ nlb0
    ]);
    expect(natted.interfaces[1]!.name).toBe('NAT gateway ⇄ GWLB');
  });
});
