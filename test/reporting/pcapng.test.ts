import { beforeAll, describe, expect, it } from 'vitest';
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
  CAPTURE_EPOCH_MICROS,
  defaultAddresses,
  flowCookie,
  LEG_MICROS,
  wireCapture,
  wirePackets,
  type WireEvent,
  type WireLeg,
} from '../../src/reporting/wirePackets.ts';
import { field, fields, openDissector, pcapngInterface, type DissectedFrame, type Dissector } from './wiregasm.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const CLIENT_SIDE: WireLeg = { at: 'link', near: 'client', far: 'gwlb' };
const SERVER_SIDE: WireLeg = { at: 'link', near: 'gwlb', far: 'server' };
const side = (r: Role): WireLeg => (r === 'client' ? CLIENT_SIDE : SERVER_SIDE);

/** Every capture point from the sender's side through appliance k to the receiver's side. */
function through(k: number, from: Role): WireLeg[] {
  return [side(from), { at: 'to-target', hop: 'gwlb', target: k }, { at: 'from-target', hop: 'gwlb', target: k }, side(from === 'client' ? 'server' : 'client')];
}

/** Capture points of a segment that the GWLB sends to appliance k, which drops it. */
function droppedAt(k: number, from: Role): WireLeg[] {
  return [side(from), { at: 'to-target', hop: 'gwlb', target: k }];
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

/** One Wireshark instance for the whole file (start-up is about a second). */
let started: Promise<Dissector> | undefined;
function sharedDissector(): Promise<Dissector> {
  started ??= openDissector();
  return started;
}

/** One decoded frame; multi-valued fields (outer and inner IP, GENEVE options) keep every occurrence. */
interface Row {
  time: number;
  ipSrc: readonly string[];
  ipDst: readonly string[];
  flags: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  udpDstPort: string;
  optionClasses: readonly string[];
  optionTypes: readonly string[];
  tcpChecksum: string;
  ipChecksum: readonly string[];
  iface: string;
}

/** The fields of a frame dissected by Wireshark (wiregasm). */
function rowOf(f: DissectedFrame, start: number): Row {
  return {
    time: Number(field(f, 'frame.time_epoch')) - start, ipSrc: fields(f, 'ip.src'), ipDst: fields(f, 'ip.dst'),
    flags: field(f, 'tcp.flags.str').replace(/[·.]/g, ''), srcPort: Number(field(f, 'tcp.srcport')), dstPort: Number(field(f, 'tcp.dstport')),
    seq: Number(field(f, 'tcp.seq_raw')), ack: Number(field(f, 'tcp.ack_raw')), udpDstPort: field(f, 'udp.dstport'),
    optionClasses: fields(f, 'geneve.option.class'), optionTypes: fields(f, 'geneve.option.type'),
    tcpChecksum: field(f, 'tcp.checksum.status'), ipChecksum: fields(f, 'ip.checksum.status'), iface: field(f, 'frame.interface_name'),
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

describe('wireCapture + encodePcapng, read back by Wireshark (wiregasm)', () => {
  let rows: Row[] = [];
  let dissector: Dissector;

  beforeAll(async () => {
    dissector = await sharedDissector();
    const capture = wireCapture(kb16099, addresses);
    rows = dissector.dissect(encodePcapng(capture.frames, capture.interfaces)).map((f) => rowOf(f, CAPTURE_EPOCH_MICROS / 1e6));
  }, 60_000);

  it('writes one frame per leg', () => {
    expect(rows).toHaveLength(36);
    expect(rows).toHaveLength(expectedLegs.length);
  });

  it('has every IP and TCP checksum Good', () => {
    for (const r of rows) {
      expect(r.tcpChecksum).toBe('Good');
      expect(r.ipChecksum.length).toBeGreaterThan(0);
      expect(r.ipChecksum.every((s) => s === 'Good')).toBe(true);
    }
  });

  it('stamps each event at its time after the epoch, LEG_MICROS per capture point, never before the frame before it', () => {
    expect(rows[0]?.time).toBe(0);
    expect(rows[1]?.time).toBeCloseTo(LEG_MICROS / 1e6, 6);
    // the SYN-ACK (at 1 ms) is stamped after the SYN's server-side copy
    expect(rows[4]!.time).toBeGreaterThan(rows[3]!.time);
    expect(rows[34]?.time).toBeCloseTo(411.4, 6);
    expect(rows[35]?.time).toBeCloseTo(411.4 + LEG_MICROS / 1e6, 6);
    rows.forEach((r, i) => expect(r.time).toBeGreaterThanOrEqual(rows[i - 1]?.time ?? 0));
  });

  it('sees each frame on the interface of its capture point', () => {
    expect(rows.slice(0, 4).map((r) => r.iface)).toEqual(['client side ⇄ GWLB', 'GWLB → appliance0 (GENEVE)', 'appliance0 → GWLB (GENEVE)', 'GWLB ⇄ server side']);
    expect(rows[25]?.iface).toBe('GWLB → appliance1 (GENEVE)');
  });

  it('puts appliance legs in GENEVE on UDP 6081 with the three class 0x0108 options, plain legs in bare TCP', () => {
    rows.forEach((r, i) => {
      const leg = expectedLegs[i]?.leg;
      if (leg === undefined) throw new Error(`no expected leg for frame ${i + 1}`);
      if (leg.at !== 'link') {
        const appliance = addresses.appliances[leg.target] ?? '';
        const [src, dst] = leg.at === 'to-target' ? [addresses.gwlb, appliance] : [appliance, addresses.gwlb];
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
    const encode = (): Uint8Array => {
      const c = wireCapture(kb16099, defaultAddresses(2, 1));
      return encodePcapng(c.frames, c.interfaces);
    };
    const a = encode();
    const b = encode();
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
      { time: 500, conn: 0, from: 'server', kind: 'rst', injected: true, legs: [CLIENT_SIDE] },
      { time: 501, conn: 0, from: 'server', kind: 'data', legs: through(0, 'server') },
    ];
    const frames = wirePackets(events, defaultAddresses(1, 1));
    expect(frames).toHaveLength(6 * 4 + 1 + 4);
    expect(plainTcp(frames, 24)).toEqual({ seq: 5_000_101, ack: 0, flags: 0x04 });
    expect(plainTcp(frames, 25).seq).toBe(5_000_101);
  });
});

describe('a keepalive story in Wireshark (wiregasm), per interface', () => {
  let dissector: Dissector;
  beforeAll(async () => {
    dissector = await sharedDissector();
  }, 60_000);

  it('marks the keepalive and its answer, and nothing else, on every capture point', () => {
    const events: WireEvent[] = [
      ...kb16099.slice(0, 6),
      { time: 300.03, conn: 0, from: 'client', kind: 'keepalive', legs: through(0, 'client') },
      { time: 300.031, conn: 0, from: 'server', kind: 'ack', legs: through(0, 'server') },
      { time: 375.03, conn: 0, from: 'client', kind: 'keepalive', legs: through(0, 'client') },
      { time: 375.031, conn: 0, from: 'server', kind: 'ack', legs: through(0, 'server') },
    ];
    const capture = wireCapture(events, defaultAddresses(1, 1));
    expect(capture.interfaces).toHaveLength(4);
    const bytes = encodePcapng(capture.frames, capture.interfaces);
    for (let k = 0; k < 4; k++) {
      const frames = dissector.dissect(pcapngInterface(bytes, k));
      expect(frames).toHaveLength(events.length);
      const anomalies = frames.map((f) => f.expert.filter((x) => x.field.startsWith('tcp.analysis')).map((x) => x.field));
      expect(anomalies, capture.interfaces[k]!.name).toEqual([[], [], [], [], [], [], ['tcp.analysis.keep_alive'], ['tcp.analysis.keep_alive_ack'], ['tcp.analysis.keep_alive'], ['tcp.analysis.keep_alive_ack']]);
    }
  });
});
