/**
 * Pure byte writers for the pcapng counterexample files: the pcapng container
 * (Section Header, Interface Description and Enhanced Packet blocks) and the
 * frame builders it carries: Ethernet II, IPv4, TCP, UDP and GENEVE with the
 * AWS Gateway Load Balancer options. No I/O; the same input gives the same bytes.
 *
 * Layout: toolchain.md "pcap / pcapng layout that tshark decodes"; pcapng
 * draft-ietf-opsawg-pcapng; IPv4 RFC 791; TCP RFC 9293 §3.1; UDP RFC 768;
 * GENEVE RFC 8926; AWS options domain-facts §1.6.
 */

/** One captured frame: Ethernet II bytes (no FCS), where and when they were seen. */
export interface EthernetFrame {
  /** Capture time in whole microseconds since the Unix epoch (pcapng's default resolution). */
  readonly timeMicros: number;
  /** Index of the capture interface ({@link CaptureInterface}) the frame was seen on; 0 when omitted. */
  readonly interfaceId?: number;
  /** The frame, starting with the destination MAC. */
  readonly data: Uint8Array;
  /** A packet comment Wireshark shows as `frame.comment` (pcapng opt_comment). */
  readonly comment?: string;
}

// ---------------------------------------------------------------- helpers

/** Concatenates byte arrays. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Rounds up to a multiple of 4. */
function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words, an odd last byte padded with zero.
 * Over a header whose checksum field holds the right value the result is 0.
 */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  const bytes = concat(parts);
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The four bytes of a dotted-quad IPv4 address; throws on anything else. */
export function parseIpv4(address: string): Uint8Array {
  const parts = address.split('.');
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) {
    throw new Error(`"${address}" is not a dotted-quad IPv4 address; write it as a.b.c.d`);
  }
  return Uint8Array.from(octets);
}

/**
 * A locally administered unicast MAC derived from an IPv4 address,
 * `02:00:a:b:c:d`, so every host in a capture has a stable, readable MAC.
 */
export function macFromIpv4(address: string): Uint8Array {
  return concat([Uint8Array.of(0x02, 0x00), parseIpv4(address)]);
}

// ---------------------------------------------------------------- frames

/** EtherType of IPv4. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of transparent Ethernet bridging, GENEVE's protocol type for an inner Ethernet frame. */
export const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
/** IP protocol number of TCP. */
export const IPPROTO_TCP = 6;
/** IP protocol number of UDP. */
export const IPPROTO_UDP = 17;
/** The UDP port GENEVE uses (RFC 8926; AWS GWLB, domain-facts §1.6). */
export const GENEVE_PORT = 6081;

/** An Ethernet II frame: destination MAC, source MAC, EtherType, payload (no FCS). */
export function ethernetFrame(dst: Uint8Array, src: Uint8Array, etherType: number, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(14);
  header.set(dst, 0);
  header.set(src, 6);
  new DataView(header.buffer).setUint16(12, etherType);
  return concat([header, payload]);
}

/** What {@link ipv4Packet} needs. */
export interface Ipv4Fields {
  readonly src: string;
  readonly dst: string;
  /** IP protocol number ({@link IPPROTO_TCP}, {@link IPPROTO_UDP}). */
  readonly protocol: number;
  /** The identification field; the caller increments it per flow. */
  readonly id: number;
  readonly payload: Uint8Array;
}

/** An IPv4 packet: 20-byte header (no options), DF set, TTL 64, correct header checksum. */
export function ipv4Packet(f: Ipv4Fields): Uint8Array {
  const header = new Uint8Array(20);
  const v = new DataView(header.buffer);
  v.setUint8(0, 0x45); // version 4, IHL 5 words
  v.setUint16(2, 20 + f.payload.length);
  v.setUint16(4, f.id & 0xffff);
  v.setUint16(6, 0x4000); // DF, fragment offset 0
  v.setUint8(8, 64); // TTL
  v.setUint8(9, f.protocol);
  header.set(parseIpv4(f.src), 12);
  header.set(parseIpv4(f.dst), 16);
  v.setUint16(10, internetChecksum(header));
  return concat([header, f.payload]);
}

/** The IPv4 pseudo-header TCP and UDP checksums cover (RFC 9293 §3.1). */
function pseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const ph = new Uint8Array(12);
  ph.set(parseIpv4(src), 0);
  ph.set(parseIpv4(dst), 4);
  ph[9] = protocol;
  new DataView(ph.buffer).setUint16(10, length);
  return ph;
}

/** TCP header flags as they are set on the wire. */
export interface TcpWireFlags {
  readonly fin: boolean;
  readonly syn: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly ack: boolean;
}

/** The TCP flags byte. */
function tcpFlagsByte(flags: TcpWireFlags): number {
  return (flags.fin ? 0x01 : 0) | (flags.syn ? 0x02 : 0) | (flags.rst ? 0x04 : 0) | (flags.psh ? 0x08 : 0) | (flags.ack ? 0x10 : 0);
}

/** What {@link tcpSegment} needs; the IPv4 addresses enter the checksum. */
export interface TcpFields {
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  /** The acknowledgement number; written as is (put 0 when ACK is off). */
  readonly ack: number;
  readonly flags: TcpWireFlags;
  readonly payload: Uint8Array;
  /** The window field as written (already scaled down by the sender's window scale); 65535 when omitted. */
  readonly window?: number;
  /** TCP options, already laid out ({@link tcpOptions}); a multiple of 4 bytes, at most 40. */
  readonly options?: Uint8Array;
}

/** The TCP options a segment may carry (RFC 9293 §3.2, RFC 7323, RFC 2018). */
export interface TcpOptionValues {
  /** Maximum segment size (kind 2), SYN and SYN-ACK only. */
  readonly mss?: number;
  /** SACK permitted (kind 4), SYN and SYN-ACK only. */
  readonly sackPermitted?: boolean;
  /** Timestamps (kind 8, RFC 7323): TSval and TSecr. */
  readonly timestamps?: { readonly value: number; readonly echo: number };
  /** Window scale shift count (kind 3), SYN and SYN-ACK only. */
  readonly windowScale?: number;
}

/**
 * TCP options in the order and padding Linux writes them: on a SYN or
 * SYN-ACK `MSS, SACK-permitted, timestamps, NOP, window scale` (20 bytes,
 * `tcp_options_write`); on other segments `NOP, NOP, timestamps` (12 bytes).
 */
export function tcpOptions(o: TcpOptionValues): Uint8Array {
  const out: number[] = [];
  const u16 = (x: number): number[] => [(x >>> 8) & 0xff, x & 0xff];
  const u32 = (x: number): number[] => [(x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff];
  if (o.mss !== undefined) out.push(2, 4, ...u16(o.mss));
  const ts = o.timestamps === undefined ? [] : [8, 10, ...u32(o.timestamps.value >>> 0), ...u32(o.timestamps.echo >>> 0)];
  if (o.sackPermitted === true) out.push(4, 2, ...ts);
  else if (ts.length > 0) out.push(1, 1, ...ts);
  if (o.windowScale !== undefined) out.push(1, 3, 3, o.windowScale);
  while (out.length % 4 !== 0) out.push(1);
  return Uint8Array.from(out);
}

/** A TCP segment: data offset from its options, the given window, checksum over the IPv4 pseudo-header. */
export function tcpSegment(f: TcpFields): Uint8Array {
  const options = f.options ?? new Uint8Array(0);
  if (options.length % 4 !== 0 || options.length > 40) throw new Error(`TCP options must be a multiple of 4 bytes up to 40, got ${options.length}`);
  const header = new Uint8Array(20 + options.length);
  header.set(options, 20);
  const v = new DataView(header.buffer);
  v.setUint16(0, f.srcPort);
  v.setUint16(2, f.dstPort);
  v.setUint32(4, f.seq >>> 0);
  v.setUint32(8, f.ack >>> 0);
  v.setUint8(12, (header.length / 4) << 4);
  v.setUint8(13, tcpFlagsByte(f.flags));
  v.setUint16(14, f.window ?? 65535);
  const length = header.length + f.payload.length;
  v.setUint16(16, internetChecksum(pseudoHeader(f.srcIp, f.dstIp, IPPROTO_TCP, length), header, f.payload));
  return concat([header, f.payload]);
}

/** A UDP datagram with checksum 0 ("none", allowed over IPv4, RFC 768). */
export function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(8);
  const v = new DataView(header.buffer);
  v.setUint16(0, srcPort);
  v.setUint16(2, dstPort);
  v.setUint16(4, header.length + payload.length);
  return concat([header, payload]);
}

// ---------------------------------------------------------------- GENEVE

/** One GENEVE option (RFC 8926 §3.5); `data` must be a multiple of 4 bytes, at most 124. */
export interface GeneveOption {
  readonly optionClass: number;
  readonly type: number;
  readonly data: Uint8Array;
}

/** The GENEVE option class AWS Gateway Load Balancer uses (domain-facts §1.6). */
export const AWS_GENEVE_OPTION_CLASS = 0x0108;

/** Encodes one option: class u16, type u8, reserved bits and length in 4-byte words, data. */
function geneveOptionBytes(o: GeneveOption): Uint8Array {
  if (o.data.length % 4 !== 0 || o.data.length > 124) {
    throw new Error(`GENEVE option data must be a multiple of 4 bytes up to 124, got ${o.data.length}`);
  }
  const header = new Uint8Array(4);
  const v = new DataView(header.buffer);
  v.setUint16(0, o.optionClass);
  v.setUint8(2, o.type);
  v.setUint8(3, o.data.length / 4);
  return concat([header, o.data]);
}

/** What {@link genevePacket} needs. */
export interface GeneveFields {
  /** 0x6558 ({@link ETHERTYPE_TRANSPARENT_ETHERNET}) for an inner Ethernet frame, 0x0800 for inner IPv4. */
  readonly protocolType: number;
  /** 24-bit virtual network identifier. */
  readonly vni: number;
  readonly options: readonly GeneveOption[];
  readonly payload: Uint8Array;
}

/** A GENEVE header (version 0, no O/C flags) with its options, followed by the payload; goes inside UDP 6081. */
export function genevePacket(f: GeneveFields): Uint8Array {
  const options = concat(f.options.map(geneveOptionBytes));
  const header = new Uint8Array(8);
  const v = new DataView(header.buffer);
  v.setUint8(0, (0 << 6) | (options.length / 4)); // version 0, option length in words
  v.setUint16(2, f.protocolType);
  v.setUint32(4, ((f.vni & 0xffffff) << 8) >>> 0); // VNI, then a reserved byte
  return concat([header, options, f.payload]);
}

/** The three option values an AWS GWLB attaches to every packet (domain-facts §1.6). */
export interface AwsGeneveMetadata {
  /** Type 1: the 8-byte GWLB endpoint (vpce-) ID. */
  readonly endpointId: bigint;
  /** Type 2: the 8-byte attachment ID. */
  readonly attachmentId: bigint;
  /** Type 3: the 4-byte flow cookie. */
  readonly flowCookie: number;
}

/** The three AWS GWLB options of class 0x0108: type 1 endpoint ID, type 2 attachment ID, type 3 flow cookie. */
export function awsGeneveOptions(m: AwsGeneveMetadata): GeneveOption[] {
  const u64 = (x: bigint): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, x));
    return b;
  };
  const cookie = new Uint8Array(4);
  new DataView(cookie.buffer).setUint32(0, m.flowCookie >>> 0);
  return [
    { optionClass: AWS_GENEVE_OPTION_CLASS, type: 1, data: u64(m.endpointId) },
    { optionClass: AWS_GENEVE_OPTION_CLASS, type: 2, data: u64(m.attachmentId) },
    { optionClass: AWS_GENEVE_OPTION_CLASS, type: 3, data: cookie },
  ];
}

// ---------------------------------------------------------------- pcapng

/** A little-endian byte writer for pcapng blocks. */
class LeWriter {
  private readonly bytes: number[] = [];
  u8(x: number): this {
    this.bytes.push(x & 0xff);
    return this;
  }
  u16(x: number): this {
    return this.u8(x).u8(x >>> 8);
  }
  u32(x: number): this {
    return this.u16(x & 0xffff).u16(x >>> 16);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.u8(x);
    return this;
  }
  padTo4(): this {
    while (this.bytes.length % 4 !== 0) this.u8(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A pcapng option list: each option code, length, value padded to 4; then opt_endofopt. Empty when none. */
function optionList(options: readonly (readonly [number, string])[]): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const w = new LeWriter();
  for (const [code, text] of options) {
    const value = new TextEncoder().encode(text);
    w.u16(code).u16(value.length).raw(value).padTo4();
  }
  return w.u16(0).u16(0).done();
}

/** A pcapng block: type, total length, body (padded to 4), total length again. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  return new LeWriter().u32(type).u32(total).raw(body).padTo4().u32(total).done();
}

/** Section Header Block: byte-order magic, version 1.0, section length -1 (unknown), shb_userappl. */
function sectionHeaderBlock(): Uint8Array {
  const body = new LeWriter().u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff)
    .raw(optionList([[4, 'midpath']]))
    .done();
  return block(0x0a0d0d0a, body);
}

/** A capture interface of a pcapng file: where on the path its frames were seen. */
export interface CaptureInterface {
  /** `if_name`, what Wireshark shows as the interface (e.g. `client side ⇄ GWLB`, `GWLB → appliance1 (GENEVE)`). */
  readonly name: string;
  /** `if_description`, a longer text. */
  readonly description?: string;
}

/** Interface Description Block: link type 1 (Ethernet), snaplen 65535, default microsecond resolution, if_name and if_description. */
function interfaceDescriptionBlock(i: CaptureInterface): Uint8Array {
  const options: [number, string][] = [[2, i.name]];
  if (i.description !== undefined) options.push([3, i.description]);
  const body = new LeWriter().u16(1).u16(0).u32(65535).raw(optionList(options)).done();
  return block(0x00000001, body);
}

/** Enhanced Packet Block: interface id, timestamp high/low in microseconds, lengths, data, comment. */
function enhancedPacketBlock(frame: EthernetFrame): Uint8Array {
  const t = Math.max(0, Math.round(frame.timeMicros));
  const body = new LeWriter().u32(frame.interfaceId ?? 0).u32(Math.floor(t / 2 ** 32)).u32(t % 2 ** 32)
    .u32(frame.data.length).u32(frame.data.length)
    .raw(frame.data).padTo4()
    .raw(optionList(frame.comment === undefined ? [] : [[1, frame.comment]]))
    .done();
  return block(0x00000006, body);
}

/**
 * A whole pcapng file: one little-endian section, one Ethernet interface per
 * entry of `interfaces` (snaplen 65535, microsecond timestamps; a single
 * interface named `midpath` when none are given), one Enhanced Packet Block
 * per frame in the order given. Wireshark and tshark open it as is.
 *
 * @throws Error when a frame names an interface that is not listed
 */
export function encodePcapng(packets: readonly EthernetFrame[], interfaces: readonly CaptureInterface[] = [{ name: 'midpath' }]): Uint8Array {
  for (const p of packets) {
    const id = p.interfaceId ?? 0;
    if (!Number.isInteger(id) || id < 0 || id >= interfaces.length) {
      throw new Error(`encodePcapng: a frame names interface ${id}, but ${interfaces.length} interface(s) are listed (0..${interfaces.length - 1})`);
    }
  }
  return concat([sectionHeaderBlock(), ...interfaces.map(interfaceDescriptionBlock), ...packets.map(enhancedPacketBlock)]);
}
