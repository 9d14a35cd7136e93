import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NAT_CAUSES, NAT_EXPIRY_WINDOW, compareNat, natSegments, runNatModel, type NatSegment } from '../../lab/natCompare.ts';
import { compareObserved, natScenarioSettings, type NatRecordedRun } from '../../lab/natLab.ts';
import { NAT_ADDR, NAT_IFACES, parseConntrackEvents, type NatPacket, type NatRealRun } from '../../lab/natReal.ts';
import { NAT_SCENARIOS, NAT_LAB_TIMEOUTS, natModelConfig } from '../../lab/natScenarios.ts';
import { parsePcap } from '../../lab/pcap.ts';

/**
 * The NAT lab's pure parts (no namespaces; in `npm test`): the pcap reader,
 * the segment classification across the NAT, the machine driver and the
 * comparison's verdicts, on hand-made captures and conntrack lines.
 */

const ip = (a: string): number[] => a.split('.').map(Number);

/** One SLL2 + IPv4 + TCP record of a little-endian microsecond pcap. */
function record(t: number, ifindex: number, outgoing: boolean, src: string, sport: number, dst: string, dport: number, flags: number, seq: number, len: number, ipId: number): Buffer {
  const sll = Buffer.alloc(20);
  sll.writeUInt16BE(0x0800, 0);
  sll.writeUInt32BE(ifindex, 4);
  sll.writeUInt16BE(1, 8);
  sll[10] = outgoing ? 4 : 0;
  const iph = Buffer.alloc(20);
  iph[0] = 0x45;
  iph.writeUInt16BE(20 + 20 + len, 2);
  iph.writeUInt16BE(ipId, 4);
  iph[8] = 64;
  iph[9] = 6;
  Buffer.from(ip(src)).copy(iph, 12);
  Buffer.from(ip(dst)).copy(iph, 16);
  const tcp = Buffer.alloc(20 + len);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  const body = Buffer.concat([sll, iph, tcp]);
  const hdr = Buffer.alloc(16);
  hdr.writeUInt32LE(Math.floor(t), 0);
  hdr.writeUInt32LE(Math.round((t % 1) * 1e6), 4);
  hdr.writeUInt32LE(body.length, 8);
  hdr.writeUInt32LE(body.length, 12);
  return Buffer.concat([hdr, body]);
}

function pcapFile(records: readonly Buffer[]): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(276, 20);
  return Buffer.concat([h, ...records]);
}

const IN = 2;
const OUT = 3;
const T0 = 1_800_000_000;
const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

/** Client segment in on `natin` and, unless dropped, its translated copy out on `natout`. */
function clientSeg(t: number, flags: number, seq: number, len: number, id: number, natPort: number | null): Buffer[] {
  const a = record(T0 + t, IN, false, NAT_ADDR.client, 40000, NAT_ADDR.server, 8080, flags, seq, len, id);
  return natPort === null ? [a] : [a, record(T0 + t + 0.00002, OUT, true, NAT_ADDR.natOutside, natPort, NAT_ADDR.server, 8080, flags, seq, len, id)];
}
function serverSeg(t: number, flags: number, seq: number, len: number, id: number, natPort: number): Buffer[] {
  return [
    record(T0 + t, OUT, false, NAT_ADDR.server, 8080, NAT_ADDR.natOutside, natPort, flags, seq, len, id),
    record(T0 + t + 0.00002, IN, true, NAT_ADDR.server, 8080, NAT_ADDR.client, 40000, flags, seq, len, id),
  ];
}

const ifnames = new Map([
  [IN, NAT_IFACES.inside],
  [OUT, NAT_IFACES.outside],
]);
const toNat = (buf: Buffer): NatPacket[] => parsePcap(buf).map(({ time, ifindex, ...p }) => ({ ...p, t: time - T0, ifname: ifnames.get(ifindex) ?? '?' }));

/** A handshake, data at 0.8 s and its ACK, then (idle 5.5 s above the 4 s timeout) late client segments. */
function capture(late: readonly Buffer[]): NatPacket[] {
  return toNat(
    pcapFile([
      ...clientSeg(0.3, SYN, 1000, 0, 1, 40000),
      ...serverSeg(0.3001, SYN | ACK, 5000, 0, 0, 40000),
      ...clientSeg(0.3002, ACK, 1001, 0, 2, 40000),
      ...clientSeg(0.8, ACK | PSH, 1001, 100, 3, 40000),
      ...serverSeg(0.8001, ACK, 5001, 0, 4, 40000),
      ...late,
    ]),
  );
}

const ct = (t: number, what: string): string => `[${(T0 + t).toFixed(6)}]\t${what}`;
const est = (src: string, sport: number, rsrc: string, rdport: number, extra = ''): string =>
  `src=${src} dst=${NAT_ADDR.server} sport=${sport} dport=8080 ${extra}src=${NAT_ADDR.server} dst=${rsrc} sport=8080 dport=${rdport}`;
const HANDSHAKE_CT = [
  ct(0.3, `    [NEW] tcp      6 5 SYN_SENT ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000, '[UNREPLIED] ')}`),
  ct(0.3002, ` [UPDATE] tcp      6 4 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000)} [ASSURED]`),
];

const realRun = (packets: NatPacket[], lines: readonly string[], counters: Record<string, number>): NatRealRun => ({
  packets,
  countersAt: { from: 9.3, to: 9.4 },
  conntrack: parseConntrackEvents(lines, T0),
  counters,
  helpers: { client: [], server: [] },
  capture: '',
  seconds: 0,
});

const scenario = (name: string) => NAT_SCENARIOS.find((s) => s.name === name)!;

describe('NAT lab pcap reader', () => {
  it('reads SLL2 records: interface, direction, addresses, ports, IP id, flags, sequence and payload length', () => {
    const [a, b] = parsePcap(pcapFile(clientSeg(0.5, ACK | PSH, 4242, 100, 77, 31000)));
    expect(a).toMatchObject({ ifindex: IN, outgoing: false, src: NAT_ADDR.client, sport: 40000, dst: NAT_ADDR.server, dport: 8080, ipId: 77, flags: ACK | PSH, seq: 4242, len: 100 });
    expect(b).toMatchObject({ ifindex: OUT, outgoing: true, src: NAT_ADDR.natOutside, sport: 31000, ipId: 77 });
    expect(a!.time).toBeCloseTo(T0 + 0.5, 5);
  });
  it('refuses another link type, naming it', () => {
    const f = pcapFile([]);
    f.writeUInt32LE(1, 20);
    expect(() => parsePcap(f)).toThrow(/link type 1, expected LINUX_SLL2/);
  });
});

describe('NAT lab comparison', () => {
  it('classifies a late re-NATed data segment and agrees with the kernel when it did the same', () => {
    const packets = capture([...clientSeg(6.3, ACK | PSH, 1101, 100, 5, 40000), ...serverSeg(6.3001, ACK, 5001, 0, 6, 40000)]);
    const segs = natSegments(packets);
    expect(segs.map((s) => `${s.from} ${s.kind} ${s.fate}`)).toEqual([
      'client syn forwarded',
      'server synAck forwarded',
      'client ack forwarded',
      'client data forwarded',
      'server ack forwarded',
      'client data forwarded',
      'server ack forwarded',
    ]);
    const sc = scenario('late-data-loose');
    const model = runNatModel(natModelConfig(sc), segs, sc.horizon);
    expect(model.expiries).toEqual([{ t: 4.8, from: 'established' }]);
    const lines = [
      ...HANDSHAKE_CT,
      ct(4.9, `[DESTROY] tcp      6 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000)} [ASSURED]`),
      ct(6.3, `    [NEW] tcp      6 4 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000, '[UNREPLIED] ')}`),
    ];
    const rows = compareNat(segs, model, realRun(packets, lines, { fwd_invalid: 0, in_invalid: 0 }), { dropInvalid: true });
    expect(rows.filter((r) => r.verdict !== 'agree')).toEqual([]);
    expect(rows.some((r) => r.aspect.endsWith('source after re-NAT'))).toBe(true);
  });

  it('flags a removal the kernel did before the machine expired the entry, an unexpected entry, and a wrong INVALID count as unexplained', () => {
    const packets = capture([...clientSeg(6.3, ACK | PSH, 1101, 100, 5, 40000), ...serverSeg(6.3001, ACK, 5001, 0, 6, 40000)]);
    const segs = natSegments(packets);
    const sc = scenario('late-data-loose');
    const model = runNatModel(natModelConfig(sc), segs, sc.horizon);
    const lines = [
      ...HANDSHAKE_CT,
      ct(4.6, `[DESTROY] tcp      6 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000)} [ASSURED]`),
      ct(8.6, `    [NEW] tcp      6 4 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000, '[UNREPLIED] ')}`),
    ];
    const rows = compareNat(segs, model, realRun(packets, lines, { fwd_invalid: 2, in_invalid: 0 }), { dropInvalid: true });
    const bad = rows.filter((r) => r.verdict === 'unexplained').map((r) => r.aspect.replace(/^[\d.]+ /, ''));
    expect(bad.sort()).toEqual(['INVALID dropped (nft counters)', 'client data', 'entry created', 'entry removed', 'entry removed'].sort());
  });

  it('drops a late FIN in the machine (INVALID) and counts it against the nft counter', () => {
    const packets = capture([...clientSeg(6.3, FIN | ACK, 1101, 0, 5, null), ...clientSeg(6.51, FIN | ACK, 1101, 0, 6, null)]);
    const segs = natSegments(packets);
    expect(segs.slice(-2).map((s) => `${s.kind}${s.retransmit ? ' rtx' : ''} ${s.fate}`)).toEqual(['fin dropped', 'fin rtx dropped']);
    const sc = scenario('late-fin-loose');
    const model = runNatModel(natModelConfig(sc), segs, sc.horizon);
    const lines = [...HANDSHAKE_CT, ct(4.85, `[DESTROY] tcp      6 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000)} [ASSURED]`)];
    const rows = compareNat(segs, model, realRun(packets, lines, { fwd_invalid: 2, in_invalid: 0 }), { dropInvalid: true });
    expect(rows.filter((r) => r.verdict !== 'agree')).toEqual([]);
  });

  it('explains a new source port after re-NAT as nat-new-source-port, and knows only the documented causes', () => {
    const packets = capture([...clientSeg(6.3, ACK | PSH, 1101, 100, 5, 51000)]);
    const segs = natSegments(packets);
    const sc = scenario('late-data-random-port');
    const model = runNatModel(natModelConfig(sc), segs, sc.horizon);
    const lines = [
      ...HANDSHAKE_CT,
      ct(4.85, `[DESTROY] tcp      6 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 40000)} [ASSURED]`),
      ct(6.3, `    [NEW] tcp      6 4 ESTABLISHED ${est(NAT_ADDR.client, 40000, NAT_ADDR.natOutside, 51000, '[UNREPLIED] ')}`),
    ];
    const rows = compareNat(segs, model, realRun(packets, lines, { fwd_invalid: 0, in_invalid: 0 }), { dropInvalid: true });
    expect(rows.filter((r) => r.verdict !== 'agree').map((r) => r.cause)).toEqual(['nat-new-source-port']);
    expect(Object.keys(NAT_CAUSES).sort()).toEqual(['nat-new-source-port', 'nat-reply-after-expiry']);
    expect(NAT_LAB_TIMEOUTS).toEqual({ synSent: 5, synRecv: 2, finWait: 5, closeWait: 2, lastAck: 1, timeWait: 5, close: 1, unacknowledged: 12 });
  });
});

describe('pickup-unreplied on the machine (fixed model bug pickup-unreplied-cap)', () => {
  it('deletes the unanswered picked-up entry at the scenario’s unacknowledged timeout (2 s), so the next probe is a new entry, as the kernel did', () => {
    const sc = scenario('pickup-unreplied');
    expect(natModelConfig(sc).timeouts.unacknowledged).toBe(2);
    const at = (t: number, from: 'client' | 'server', kind: NatSegment['kind']): NatSegment => ({ t, from, kind, retransmit: false, fate: 'forwarded' });
    // handshake and the request (answered), then the server host is gone: two probes after expiry (6 s), 5 s apart, unanswered
    const segs = [at(0.3, 'client', 'syn'), at(0.3, 'server', 'synAck'), at(0.3, 'client', 'ack'), at(0.8, 'client', 'data'), at(0.8, 'server', 'ack'), at(7.8, 'client', 'keepalive'), at(12.8, 'client', 'keepalive')];
    const model = runNatModel(natModelConfig(sc), segs, sc.horizon);
    // established 6 s after the last reply (0.8 → 6.8); the probe at 7.8 is picked up, capped at 2 s (→ 9.8, not 13.8); the next probe's entry outlives the 14 s horizon
    expect(model.expiries).toEqual([{ t: 6.8, from: 'established' }, { t: 9.8, from: 'established' }]);
    expect(model.steps.map((x) => x.newEntry)).toEqual(['client', null, null, null, null, 'client', 'client']);
  });
});

/** The kernel runs kept in lab/recorded/ (MIDPATH_LAB_NAT_RECORD=1 npx tsx lab/natRun.ts; `npm test` has no namespaces). */
const RECORDED_DIR = fileURLToPath(new URL('../../lab/recorded/', import.meta.url));
const recorded = (name: string): NatRecordedRun => JSON.parse(readFileSync(join(RECORDED_DIR, `nat-${name}.json`), 'utf8')) as NatRecordedRun;
const RECORDED = ['pickup-unreplied', 'pickup-reply-idle', 'pickup-reply-then-segment'] as const;

describe('the machine against recorded kernel runs (lab/recorded/)', () => {
  it('has a recording of exactly the scenarios listed here, each made of the scenario as it is now', () => {
    expect(readdirSync(RECORDED_DIR).sort()).toEqual(RECORDED.map((n) => `nat-${n}.json`).sort());
    for (const name of RECORDED) {
      const rec = recorded(name);
      expect(rec.format).toBe('midpath-nat-recorded/1');
      // a changed scenario needs a new recording
      expect(rec.settings, name).toEqual(JSON.parse(JSON.stringify(natScenarioSettings(scenario(name)))));
    }
  });

  it.each(RECORDED)('%s: every row agrees with the current machine', (name) => {
    const { rows } = compareObserved(scenario(name), recorded(name));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.verdict !== 'agree')).toEqual([]);
  });

  // Reviewer's question: does the FIRST reply of a picked-up entry still arm min(established, unacknowledged)?
  // nf_conntrack_core.c nf_conntrack_in sets IPS_SEEN_REPLY only after nf_conntrack_tcp_packet chose the timeout.
  it('pickup-reply-idle: the kernel armed the 2 s cap at the first reply (established 6 s), deleted the entry 2 s later, and the next data made a new entry; so does the machine', () => {
    const sc = scenario('pickup-reply-idle');
    const rec = recorded(sc.name);
    const reply = rec.segments.find((s) => s.t > 7 && s.from === 'server' && s.kind === 'ack')!;
    const pickup = rec.conntrack.find((e) => e.type === 'NEW' && e.t > 7)!;
    expect(pickup.line).toMatch(/\[NEW\] tcp\s+6 2 ESTABLISHED .*\[UNREPLIED\]/);
    // the reply's own event (IPS_SEEN_REPLY now set: no [UNREPLIED]) still shows the capped timeout
    const update = rec.conntrack.find((e) => e.type === 'UPDATE' && e.t >= reply.t - 0.01 && e.t <= reply.t + 0.5)!;
    expect(update.line).toMatch(/\[UPDATE\] tcp\s+6 2 /);
    expect(update.line).not.toContain('UNREPLIED');
    // conntrack -L after the reply: at most 1 s left (printed rounded down), never the 5 of a fresh 6 s timer
    const after = rec.listings.filter((l) => l.t > reply.t && l.t < reply.t + 1.5);
    expect(after.length).toBeGreaterThan(3);
    expect(after.every((l) => l.timeout <= 1 && !l.line.includes('UNREPLIED'))).toBe(true);
    const destroy = rec.conntrack.find((e) => e.type === 'DESTROY' && e.t > reply.t)!;
    expect(destroy.t - reply.t).toBeGreaterThanOrEqual(2 - NAT_EXPIRY_WINDOW.early);
    expect(destroy.t - reply.t).toBeLessThanOrEqual(2 + NAT_EXPIRY_WINDOW.late);
    expect(rec.conntrack.filter((e) => e.type === 'NEW' && e.state === 'ESTABLISHED')).toHaveLength(2);
    const { model } = compareObserved(sc, rec);
    expect(model.expiries.map((x) => x.from)).toEqual(['established', 'established', 'established']);
    expect(model.expiries[1]!.t).toBeCloseTo(reply.t + 2, 1);
    expect(model.steps.filter((s) => s.newEntry !== null).map((s) => s.seg)).toEqual(['client syn', 'client data', 'client data']);
  });

  it("pickup-reply-then-segment: the cap is lifted after the first reply, but the client's next data is still capped at 2 s until ACKed (the unacknowledged-data cap, not modelled); the server's ACK of it arms the full 6 s; the entry outlived the 4 s idle gap, in the kernel and in the machine", () => {
    const sc = scenario('pickup-reply-then-segment');
    const rec = recorded(sc.name);
    const acks = rec.segments.filter((s) => s.t > 7 && s.from === 'server' && s.kind === 'ack');
    expect(acks.length).toBeGreaterThanOrEqual(2);
    const second = acks[1]!;
    // the known deviation: the client's data before that ACK gets the 2 s cap in the kernel (the machine arms 6 s on it)
    const data = rec.segments.find((s) => s.t > 8.5 && s.from === 'client' && s.kind === 'data')!;
    expect(data.t).toBeCloseTo(8.801, 3);
    const atData = rec.conntrack.filter((e) => e.type === 'UPDATE' && Math.abs(e.t - data.t) < 0.005);
    expect(atData).toHaveLength(1);
    expect(atData[0]!.line).toMatch(/\[UPDATE\] tcp +6 2 .*\[ASSURED\]$/);
    const fresh = rec.listings.filter((l) => l.t > second.t && l.t < second.t + 0.5);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((l) => l.timeout === 5 && l.line.includes('ASSURED'))).toBe(true);
    expect(rec.conntrack.filter((e) => e.type === 'DESTROY' && e.t > 7)).toEqual([]);
    expect(rec.conntrack.filter((e) => e.type === 'NEW' && e.t > 9)).toEqual([]);
    const { model } = compareObserved(sc, rec);
    expect(model.expiries.map((x) => x.t)).toHaveLength(1);
  });
});
