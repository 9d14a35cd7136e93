import { describe, expect, it } from 'vitest';
import { targetChooser } from '../../src/properties/arbitraries.ts';
import { Simulator, type SimEvent } from '../../src/system/simulator.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';

/*
 * Palo Alto KB 16099 as the simulator replays it (domain-facts §1.4,
 * consequence 5): GWLB 350 s, two PAN-OS appliances (PA-VM-1 = appliance0,
 * PA-VM-2 = appliance1), the server closes after 400 s idle, no keepalive.
 * The client's last request is at 10 s; it sends the next after 380 s of
 * idle (> 350 s), and the GWLB's new flow lands on the other appliance.
 */
describe('the KB 16099 timeline, in the simulator', () => {
  const t = kbTopology();
  const sim = new Simulator(t, targetChooser(2, { kind: 'adversarial' }));
  sim.run(
    [
      { time: 0, conn: 0, role: 'client', action: 'APP_CONNECT' },
      { time: 10_000, conn: 0, role: 'client', action: 'APP_SEND' },
      { time: 390_000, conn: 0, role: 'client', action: 'APP_SEND' },
    ],
    10_000 + 3600_000 + 600_000,
  );
  const segments = sim.events.filter((e): e is Extract<SimEvent, { kind: 'segment' }> => e.kind === 'segment');
  const logs = sim.events.filter((e): e is Extract<SimEvent, { kind: 'log' }> => e.kind === 'log');
  const via = (e: Extract<SimEvent, { kind: 'segment' }>, appliance: string) => e.hops.some((h) => h.component.startsWith(`${appliance}.`));

  it('drops the client’s request after more than 350 s idle at the second appliance, which never saw the SYN', () => {
    const req = segments.find((e) => e.time === 390_000 && e.seg.from === 'client' && e.seg.kind === 'data')!;
    expect(req.outcome).toBe('dropped');
    expect(req.hops).toEqual([
      { component: 'gwlb.flow0', action: 'forward', chosenTarget: 1, target: 1 },
      { component: 'appliance1.c0', action: 'drop', reason: 'non-syn-no-session' },
    ]);
  });

  it('loses the server’s FIN at 400 s after its last request', () => {
    const fin = segments.find((e) => e.seg.from === 'server' && e.seg.kind === 'fin' && !e.seg.retransmit)!;
    expect(fin.time).toBe(410_000);
    expect(fin.outcome).toBe('dropped');
    expect(segments.filter((e) => e.seg.kind === 'fin').every((e) => e.outcome === 'dropped')).toBe(true);
  });

  it('has the first appliance log aged-out 3600 s after the last segment it saw, and the second log nothing', () => {
    const lastSeen = Math.max(...segments.filter((e) => via(e, 'appliance0') && e.hops.some((h) => h.component === 'appliance0.c0' && h.action === 'forward')).map((e) => e.time));
    expect(lastSeen).toBe(10_000);
    const fw = logs.filter((e) => e.log.component.startsWith('appliance'));
    expect(fw.map((e) => [e.log.component, e.log.reason, e.time])).toEqual([['appliance0.c0', 'aged-out', lastSeen + 3600_000]]);
  });

  it('never tells either side: each gives up on its own by retransmission timeout, and no RST reaches anyone (consequence 5)', () => {
    const ends = logs.filter((e) => /^(client|server)0$/.test(e.log.component)).map((e) => [e.log.component, e.log.reason]);
    expect(ends.sort()).toEqual([
      ['client0', 'retransmit-timeout'],
      ['server0', 'retransmit-timeout'],
    ]);
    expect(segments.some((e) => e.seg.kind === 'rst' && e.outcome === 'delivered')).toBe(false);
  });
});
