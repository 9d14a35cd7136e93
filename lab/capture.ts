/**
 * Reading the GWLB namespace's capture (tcpdump on `any`, Linux cooked v2
 * headers carry the interface and the direction) into the segments each
 * endpoint sent, their kind in the model's terms, and their fate.
 */
import type { Segment, SegmentKind } from '../src/models/segment.ts';
import type { TargetChooser } from '../src/system/simulator.ts';
import { mustRun } from './proc.ts';
import { ADDR, GWLB_IFACES } from './netns.ts';
import type { ObservedSegment } from './observation.ts';

/** One captured packet. */
export interface CapturedPacket {
  /** Seconds since the run's start. */
  readonly t: number;
  readonly ifname: string;
  /** True for a packet the GWLB namespace sent (SLL packet type 4). */
  readonly outgoing: boolean;
  readonly src: string;
  readonly id: number;
  readonly flags: number;
  readonly seq: number;
  readonly len: number;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** Reads a capture with tshark. `ifnames` maps the GWLB namespace's ifindex to its name. */
export async function readCapture(file: string, ifnames: ReadonlyMap<number, string>, t0: number): Promise<CapturedPacket[]> {
  const fields = ['frame.time_epoch', 'sll.ifindex', 'sll.pkttype', 'ip.src', 'ip.id', 'tcp.flags', 'tcp.seq_raw', 'tcp.len'];
  const out = await mustRun(['tshark', '-r', file, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=,', ...fields.flatMap((f) => ['-e', f])], { timeoutMs: 60_000 });
  const packets: CapturedPacket[] = [];
  for (const line of out.split('\n')) {
    const [time, ifindex, pkttype, src, id, flags, seq, len] = line.trim().split(',');
    if (time === undefined || len === undefined || time === '') continue;
    packets.push({
      t: Number(time) - t0,
      ifname: ifnames.get(Number(ifindex)) ?? `if${ifindex ?? '?'}`,
      outgoing: pkttype === '4',
      src: src ?? '',
      id: Number(id),
      flags: Number(flags),
      seq: Number(seq),
      len: Number(len),
    });
  }
  return packets.sort((a, b) => a.t - b.t);
}

/** a − b in 32-bit sequence space, as a signed number. */
function seqDiff(a: number, b: number): number {
  return ((a - b + 2 ** 31) % 2 ** 32) - 2 ** 31;
}

interface Transmission {
  readonly origin: CapturedPacket;
  appliance: 0 | 1 | null;
  passed: boolean;
  delivered: boolean;
}

/**
 * The segments the endpoints sent (each packet that entered the GWLB
 * namespace from the client or server side), classified as the model's
 * {@link SegmentKind}s by following each sender's sequence numbers: a
 * zero-length ACK one below the sender's highest sequence number is a
 * keepalive probe (Linux sends SND.UNA − 1); data or a FIN below it is a
 * retransmission. Fate: forwarded to appliance k (out on ga<k>), passed it
 * (back in on ga<k>), delivered (out on gc/gs); `reset` when the GWLB itself
 * answered it with an RST to its sender.
 */
export function segmentsFromCapture(packets: readonly CapturedPacket[]): ObservedSegment[] {
  const endIfs: readonly string[] = [GWLB_IFACES.client, GWLB_IFACES.server];
  const key = (p: CapturedPacket): string => `${p.src}|${p.id}|${p.seq}|${p.flags}|${p.len}`;
  const latest = new Map<string, Transmission>();
  const list: Transmission[] = [];
  const injected: CapturedPacket[] = [];
  for (const p of packets) {
    const k = key(p);
    if (endIfs.includes(p.ifname) && !p.outgoing) {
      const tr: Transmission = { origin: p, appliance: null, passed: false, delivered: false };
      latest.set(k, tr);
      list.push(tr);
      continue;
    }
    const tr = latest.get(k);
    if (tr === undefined) {
      if (endIfs.includes(p.ifname) && p.outgoing) injected.push(p);
      continue;
    }
    const ai = (GWLB_IFACES.appliance as readonly string[]).indexOf(p.ifname);
    if (ai >= 0 && p.outgoing) tr.appliance = ai === 0 ? 0 : 1;
    else if (ai >= 0) tr.passed = true;
    else if (p.outgoing) tr.delivered = true;
  }
  const high = new Map<string, number>();
  const seenSyn = new Set<string>();
  const out: ObservedSegment[] = [];
  for (const tr of list) {
    const p = tr.origin;
    const from = p.src === ADDR.client ? 'client' : 'server';
    const h = high.get(p.src);
    let kind: SegmentKind;
    let retransmit = false;
    const end = (p.flags & (SYN | FIN)) !== 0 ? p.seq + p.len + 1 : p.seq + p.len;
    if (p.flags & RST) kind = 'rst';
    else if (p.flags & SYN) {
      kind = p.flags & ACK ? 'synAck' : 'syn';
      retransmit = seenSyn.has(`${p.src}|${kind}`);
      seenSyn.add(`${p.src}|${kind}`);
    } else if (p.flags & FIN) {
      kind = 'fin';
      retransmit = h !== undefined && seqDiff(end, h) <= 0;
    } else if (p.len > 0) {
      kind = 'data';
      retransmit = h !== undefined && seqDiff(end, h) <= 0;
    } else kind = h !== undefined && seqDiff(p.seq, h) === -1 ? 'keepalive' : 'ack';
    if (kind !== 'rst' && (h === undefined || seqDiff(end, h) > 0)) high.set(p.src, end >>> 0);
    const reset = !tr.delivered && tr.appliance === null && injected.some((q) => q.t >= p.t && q.t - p.t < 0.1 && (q.flags & RST) !== 0 && q.ifname === (from === 'client' ? GWLB_IFACES.client : GWLB_IFACES.server));
    const fate: ObservedSegment['fate'] = tr.delivered ? 'delivered' : reset ? 'reset' : 'dropped';
    const dropAt = fate !== 'dropped' ? undefined : tr.appliance === null || tr.passed ? 'gwlb' : tr.appliance === 0 ? 'appliance0' : 'appliance1';
    out.push({ t: Math.round(p.t * 1000) / 1000, from, kind, retransmit, appliance: tr.appliance, fate, ...(dropAt === undefined ? {} : { dropAt }) });
  }
  return out;
}

/**
 * A model chooser that replays the real run's GWLB choices: for a segment
 * that opens a new flow in the model, the appliance the real GWLB sent the
 * matching real segment (same sender and kind, within 0.5 s) to. Used in
 * `numgen` mode. Falls back to the last choice made (or 0).
 */
export function replayChooser(real: readonly ObservedSegment[]): TargetChooser {
  const used = new Set<number>();
  let last: 0 | 1 = 0;
  return (_conn: number, seg: Segment, timeMs: number) => {
    const t = timeMs / 1000;
    let best = -1;
    for (let i = 0; i < real.length; i++) {
      const r = real[i]!;
      if (used.has(i) || r.from !== seg.from || r.kind !== seg.kind || r.appliance === null || Math.abs(r.t - t) > 0.5) continue;
      if (best < 0 || Math.abs(r.t - t) < Math.abs(real[best]!.t - t)) best = i;
    }
    if (best >= 0) {
      used.add(best);
      last = real[best]!.appliance ?? last;
    }
    return last;
  };
}
