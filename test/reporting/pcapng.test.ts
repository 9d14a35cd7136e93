import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf, type Role } from '../../src/models/segment.ts';
import {
  awsGeneveOptions,
  encodePcapng,
  ETHERTYPE_TRANSPARENT_ETHERNET,
  genevePacket,
  internetChecksum,
  ipv4Packet,
  IPPROTO_UDP,
  macFromIpv4,
} from '../../src/reporting/pcapng.ts';
import {
  defaultAddresses,
  flowCookie,
  wirePackets,
  type WireEvent,
  type WireLeg,
} from '../../src/reporting/wirePackets.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Every leg from the sender's side through appliance k to the receiver's side. */
function through(k: number, from: Role): WireLeg[] {
  const [first, last] = from === 'client' ? (['client-side', 'server-side'] as const) : (['server-side', 'client-side'] as const);
  return [{ at: first }, { at: 'to-appliance', appliance: k }, { at: 'from-appliance', appliance: k }, { at: last }];
}

/** Legs of a segment that the GWLB sends to appliance k, which drops it. */
function droppedAt(k: number, from: Role): WireLeg[] {
  return [{ at: from === 'client' ? 'client-side' : 'server-side' }, { at: 'to-appliance', appliance: k }];
}

/**
 * KB 16099: the handshake and a request/response pass appliance 0; 400 s
 * later the GWLB has forgotten the flow, the server's FIN (and its
 * retransmission) and the client's next request (and its retransmissions)
 * become a new flow on appliance 1, which never saw the SYN and drops them.
 */
const kb16099: readonly WireEvent[] = [
  { time: 0, conn: 0, from: 'client', kind: 'syn', legs: through(0, 'client') },
  { time: 0.001, conn: 0, from: 'server', kind: 'synAck', legs: through(0, 'server') },
  { time: 0.002, conn: 0, from: 'client', kind: 'ack', legs: through(0, 'client') },
  { time: 0.01, conn: 0, from: 'client', kind: 'data', legs: through(0, 'client') },
  { time: 0.02, conn: 0, from: 'server', kind: 'data', legs: through(0, 'server') },
  { time: 0.03, conn: 0, from: 'client', kind: 'ack', legs: through(0, 'client') },
  { time: 400.03, conn: 0, from: 'server', kind: 'fin', legs: droppedAt(1, 'server') },
  { time: 400.23, conn: 0, from: 'server', kind: 'fin', retransmit: true, legs: droppedAt(1, 'server') },
  { time: 410, conn: 0, from: 'client', kind: 'data', legs: droppedAt(1, 'client') },
  { time: 410.2, conn: 0, from: 'client', kind: 'data', retransmit: true, legs: droppedAt(1, 'client') },
  { time: 410.6, conn: 0, from: 'client', kind: 'data', retransmit: true, legs: droppedAt(1, 'client') },
  { time: 411.4, conn: 0, from: 'client', kind: 'data', retransmit: true, legs: droppedAt(1, 'client') },
];

const addresses = defaultAddresses(2, 1);

/** One decoded frame; multi-valued fields (outer and inner IP, GENEVE options) keep every occurrence. */
interface Row {
  time: number;
  ipSrc: string[];
  ipDst: string[];
  flags: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  udpDstPort: string;
  optionClasses: string[];
  optionTypes: string[];
  tcpChecksum: string;
  ipChecksum: string[];
}

const FIELDS = [
  'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.flags.str', 'tcp.srcport', 'tcp.dstport',
  'tcp.seq_raw', 'tcp.ack_raw', 'udp.dstport', 'geneve.option.class', 'geneve.option.type',
  'tcp.checksum.status', 'ip.checksum.status',
];

/** Runs the real tshark over a file and parses its fields; stderr (the root warning) is ignored. */
function tshark(file: string): Row[] {
  const out = execFileSync('tshark', [
    '-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE',
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trimEnd().split('\n').map(parseRow);
}

/** One tab-separated tshark line. */
function parseRow(line: string): Row {
  const c = line.split('\t');
  const list = (i: number): string[] => (c[i] ? (c[i] ?? '').split(',') : []);
  return {
    time: Number(c[0]), ipSrc: list(1), ipDst: list(2), flags: (c[3] ?? '').replace(/[·.]/g, ''),
    srcPort: Number(c[4]), dstPort: Number(c[5]), seq: Number(c[6]), ack: Number(c[7]),
    udpDstPort: c[8] ?? '', optionClasses: list(9), optionTypes: list(10),
    tcpChecksum: c[11] ?? '', ipChecksum: list(12),
  };
}

/** The letters tcp.flags.str shows for a segment kind. */
function flagLetters(kind: WireEvent['kind']): string {
  const f = flagsOf(kind);
  return `${f.ack ? 'A' : ''}${f.psh ? 'P' : ''}${f.rst ? 'R' : ''}${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}`;
}

/** Each frame with the event and leg that produced it, in file order. */
const expectedLegs = kb16099.flatMap((ev) => ev.legs.map((leg, i) => ({ ev, leg, last: i === ev.legs.length - 1 })));

describe('internetChecksum / ipv4Packet', () => {
  // RFC 1071-style worked example (Wikipedia "Internet checksum"): 4500 0073 0000 4000 4011 .... c0a8 0001 c0a8 00c7 -> b861.
  it('computes the IPv4 header checksum of a known header', () => {
    expect(internetChecksum(hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7'))).toBe(0xb861);
    expect(internetChecksum(hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7'))).toBe(0);
  });

  it('writes that header: DF, TTL 64 and the checksum', () => {
    const packet = ipv4Packet({ src: '192.168.0.1', dst: '192.168.0.199', protocol: IPPROTO_UDP, id: 0, payload: new Uint8Array(0x73 - 20) });
    expect(toHex(packet.subarray(0, 20))).toBe('450000730000400040 11b861c0a80001c0a800c7'.replace(/ /g, ''));
  });

  it('derives a locally administered MAC from an IPv4 address', () => {
    expect(toHex(macFromIpv4('172.21.200.84'))).toBe('0200ac15c854');
  });
});

describe('genevePacket', () => {
  it('writes version 0, 8 option words, protocol 0x6558, VNI 0 and the three AWS options', () => {
    const options = awsGeneveOptions({ endpointId: 0x0102030405060708n, attachmentId: 0x1112131415161718n, flowCookie: 0xaabbccdd });
    const g = genevePacket({ protocolType: ETHERTYPE_TRANSPARENT_ETHERNET, vni: 0, options, payload: new Uint8Array(0) });
    expect(toHex(g)).toBe([
      '0800655800000000',
      '0108010201020304 05060708',
      '0108020211121314 15161718',
      '01080301aabbccdd',
    ].join('').replace(/ /g, ''));
  });
});

describe('wirePackets + encodePcapng, read back by tshark', () => {
  let dir = '';
  let rows: Row[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'midpath-pcapng-'));
    const file = join(dir, 'kb16099.pcapng');
    writeFileSync(file, encodePcapng(wirePackets(kb16099, addresses)));
    try {
      rows = tshark(file);
    } catch (e) {
      throw new Error(`tshark failed (${String(e)}); install it: apt-get install -y tshark`);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one frame per leg', () => {
    expect(rows).toHaveLength(36);
    expect(rows).toHaveLength(expectedLegs.length);
  });

  it('has every IP and TCP checksum Good', () => {
    for (const r of rows) {
      expect(r.tcpChecksum).toBe('1');
      expect(r.ipChecksum.length).toBeGreaterThan(0);
      expect(r.ipChecksum.every((s) => s === '1')).toBe(true);
    }
  });

  it('stamps each event at its time plus 1 µs per leg', () => {
    expect(rows[0]?.time).toBe(0);
    expect(rows[1]?.time).toBeCloseTo(0.000001, 9);
    expect(rows[34]?.time).toBeCloseTo(411.4, 9);
    expect(rows[35]?.time).toBeCloseTo(411.400001, 9);
  });

  it('puts appliance legs in GENEVE on UDP 6081 with the three class 0x0108 options, plain legs in bare TCP', () => {
    rows.forEach((r, i) => {
      const leg = expectedLegs[i]?.leg;
      if (leg === undefined) throw new Error(`no expected leg for frame ${i + 1}`);
      if ('appliance' in leg) {
        const appliance = addresses.appliances[leg.appliance] ?? '';
        const [src, dst] = leg.at === 'to-appliance' ? [addresses.gwlb, appliance] : [appliance, addresses.gwlb];
        expect(r.udpDstPort).toBe('6081');
        expect(r.optionClasses).toEqual(['0x0108', '0x0108', '0x0108']);
        expect(r.optionTypes).toEqual(['0x01', '0x02', '0x03']);
        expect([r.ipSrc[0], r.ipDst[0]]).toEqual([src, dst]);
      } else {
        expect(r.udpDstPort).toBe('');
        expect(r.optionClasses).toEqual([]);
        expect(r.ipSrc).toHaveLength(1);
      }
    });
  });

  it('carries the inner TCP flags, addresses and ports of the traced segment on every leg', () => {
    rows.forEach((r, i) => {
      const ev = expectedLegs[i]?.ev;
      if (ev === undefined) throw new Error(`no expected event for frame ${i + 1}`);
      const client = { ip: addresses.client, port: addresses.clientPortBase + ev.conn };
      const server = { ip: addresses.server, port: addresses.serverPort };
      const [src, dst] = ev.from === 'client' ? [client, server] : [server, client];
      expect(r.flags).toBe(flagLetters(ev.kind));
      expect([r.ipSrc.at(-1), r.ipDst.at(-1), r.srcPort, r.dstPort]).toEqual([src.ip, dst.ip, src.port, dst.port]);
    });
  });

  it('numbers the connection consistently: handshake, data, acks', () => {
    const first = (n: number): [number, number] => [rows[n]?.seq ?? -1, rows[n]?.ack ?? -1];
    expect(first(0)).toEqual([1_000_000, 0]); // SYN
    expect(first(4)).toEqual([5_000_000, 1_000_001]); // SYN-ACK
    expect(first(8)).toEqual([1_000_001, 5_000_001]); // ACK
    expect(first(12)).toEqual([1_000_001, 5_000_001]); // client data
    expect(first(16)).toEqual([5_000_001, 1_000_101]); // server data
    expect(first(20)).toEqual([1_000_101, 5_000_101]); // client ACK
    expect(first(24)).toEqual([5_000_101, 1_000_101]); // server FIN
  });

  it('ends the dropped request at the second appliance, and its retransmissions reuse its sequence number', () => {
    const request = rows.slice(28);
    expect(request).toHaveLength(8);
    expect(request[1]?.ipDst[0]).toBe(addresses.appliances[1]);
    expect(rows.at(-1)?.ipDst[0]).toBe('172.21.200.85');
    const seqs = request.map((r) => [r.seq, r.ack]);
    // The dropped FIN never reached the client: its ACK stays at the server's data end.
    expect(new Set(seqs.map((s) => s.join('/')))).toEqual(new Set(['1000101/5000101']));
    expect(rows[26]?.seq).toBe(rows[24]?.seq); // FIN retransmission
  });

  it('derives a stable flow cookie per connection and appliance', () => {
    expect(flowCookie(0, 0)).not.toBe(flowCookie(0, 1));
    expect(flowCookie(0, 1)).toBe(flowCookie(0, 1));
  });
});

describe('determinism', () => {
  it('encodes the same trace to the same bytes twice', () => {
    const a = encodePcapng(wirePackets(kb16099, defaultAddresses(2, 1)));
    const b = encodePcapng(wirePackets(kb16099, defaultAddresses(2, 1)));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.length % 4).toBe(0);
  });
});

/** Seq, ack and flags of the plain (unencapsulated) TCP frame n. */
function plainTcp(frames: readonly { data: Uint8Array }[], n: number): { seq: number; ack: number; flags: number } {
  const d = frames[n]?.data ?? new Uint8Array(0);
  const v = new DataView(d.buffer, d.byteOffset + 34);
  return { seq: v.getUint32(4), ack: v.getUint32(8), flags: v.getUint8(13) };
}

describe('receiver state', () => {
  it('does not advance the receiver\'s RCV.NXT for a segment dropped on the way', () => {
    const events: WireEvent[] = [
      ...kb16099.slice(0, 6),
      { time: 10, conn: 0, from: 'client', kind: 'data', legs: droppedAt(0, 'client') },
      { time: 11, conn: 0, from: 'server', kind: 'keepalive', legs: through(0, 'server') },
      { time: 12, conn: 0, from: 'client', kind: 'data', retransmit: true, legs: through(0, 'client') },
      { time: 13, conn: 0, from: 'server', kind: 'ack', legs: through(0, 'server') },
    ];
    const frames = wirePackets(events, defaultAddresses(1, 1));
    expect(plainTcp(frames, 26)).toEqual({ seq: 5_000_100, ack: 1_000_101, flags: 0x10 }); // keepalive: SND.NXT-1
    expect(plainTcp(frames, 30)).toEqual({ seq: 1_000_101, ack: 5_000_101, flags: 0x18 }); // retransmission
    expect(plainTcp(frames, 34)).toEqual({ seq: 5_000_101, ack: 1_000_201, flags: 0x10 });
  });
});

describe('injected RST', () => {
  it('carries the pretended sender\'s SND.NXT, no ACK, only on the listed leg, and leaves the sender\'s numbering alone', () => {
    const events: WireEvent[] = [
      ...kb16099.slice(0, 6),
      { time: 500, conn: 0, from: 'server', kind: 'rst', injected: true, legs: [{ at: 'client-side' }] },
      { time: 501, conn: 0, from: 'server', kind: 'data', legs: through(0, 'server') },
    ];
    const frames = wirePackets(events, defaultAddresses(1, 1));
    expect(frames).toHaveLength(6 * 4 + 1 + 4);
    expect(plainTcp(frames, 24)).toEqual({ seq: 5_000_101, ack: 0, flags: 0x04 });
    expect(plainTcp(frames, 25).seq).toBe(5_000_101);
  });
});
