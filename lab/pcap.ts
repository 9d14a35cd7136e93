/**
 * A small reader for the classic pcap files tcpdump writes with `-y
 * LINUX_SLL2` (link type 276): per packet the interface index, the direction
 * (SLL packet type 4 = sent by this host) and the IPv4/TCP header fields the
 * NAT lab needs, with addresses and ports as they were on that interface
 * (so a capture on both sides of a NAT shows the translation). No tshark
 * needed. Formats: pcap (tcpdump.org `pcap-savefile` man page) and SLL2
 * (tcpdump.org `linktypes/LINKTYPE_LINUX_SLL2`).
 */

/** One TCP/IPv4 packet of a capture. */
export interface PcapTcpPacket {
  /** Epoch seconds. */
  readonly time: number;
  readonly ifindex: number;
  /** True when the capturing namespace sent it (SLL packet type 4, PACKET_OUTGOING). */
  readonly outgoing: boolean;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  /** IPv4 identification (unchanged by NAT: it matches a packet across the NAT). */
  readonly ipId: number;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10). */
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  /** TCP payload length. */
  readonly len: number;
}

const LINKTYPE_LINUX_SLL2 = 276;

const ip4 = (b: Buffer, o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/**
 * Parses a pcap file (microsecond or nanosecond, either byte order) with
 * link type LINUX_SLL2; returns its IPv4 TCP packets. Throws on another
 * format or link type.
 */
export function parsePcap(buf: Buffer): PcapTcpPacket[] {
  if (buf.length < 24) throw new Error(`pcap: file of ${buf.length} bytes has no header`);
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  let nano: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) [le, nano] = [true, magic === 0xa1b23c4d];
  else if (buf.readUInt32BE(0) === 0xa1b2c3d4 || buf.readUInt32BE(0) === 0xa1b23c4d) [le, nano] = [false, buf.readUInt32BE(0) === 0xa1b23c4d];
  else throw new Error(`pcap: unknown magic 0x${magic.toString(16)}`);
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linktype = u32(20) & 0x0fffffff;
  if (linktype !== LINKTYPE_LINUX_SLL2) throw new Error(`pcap: link type ${linktype}, expected LINUX_SLL2 (276)`);
  const out: PcapTcpPacket[] = [];
  let o = 24;
  while (o + 16 <= buf.length) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const incl = u32(o + 8);
    const p = o + 16;
    o = p + incl;
    if (o > buf.length) break; // a packet cut off at the end of the file
    if (incl < 20 + 40) continue;
    // SLL2: protocol (2, big-endian), reserved (2), ifindex (4), hatype (2), pkttype (1), halen (1), addr (8).
    if (buf.readUInt16BE(p) !== 0x0800) continue;
    const ifindex = buf.readUInt32BE(p + 4);
    const pkttype = buf[p + 10];
    const ip = p + 20;
    const ihl = ((buf[ip] ?? 0) & 0x0f) * 4;
    if (((buf[ip] ?? 0) >> 4) !== 4 || buf[ip + 9] !== 6) continue;
    const totalLen = buf.readUInt16BE(ip + 2);
    const tcp = ip + ihl;
    if (tcp + 20 > o) continue;
    const dataOff = ((buf[tcp + 12] ?? 0) >> 4) * 4;
    out.push({
      time: sec + frac / (nano ? 1e9 : 1e6),
      ifindex,
      outgoing: pkttype === 4,
      src: ip4(buf, ip + 12),
      dst: ip4(buf, ip + 16),
      sport: buf.readUInt16BE(tcp),
      dport: buf.readUInt16BE(tcp + 2),
      ipId: buf.readUInt16BE(ip + 4),
      flags: buf[tcp + 13] ?? 0,
      seq: buf.readUInt32BE(tcp + 4),
      ack: buf.readUInt32BE(tcp + 8),
      len: Math.max(0, totalLen - ihl - dataOff),
    });
  }
  return out;
}
