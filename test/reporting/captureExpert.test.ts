import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
import { wireAddresses } from '../../src/reporting/wireAddresses.ts';
import { capturePointKey } from '../../src/reporting/capturePoint.ts';
import { encodePcapng } from '../../src/reporting/pcapng.ts';
import { tracePcapng } from '../../src/reporting/tracePcapng.ts';
import { traceWireEvents } from '../../src/reporting/traceWireEvents.ts';
import { CAPTURE_EPOCH_MICROS, captureNames, wireCapture, type WireEvent } from '../../src/reporting/wirePackets.ts';
import { loadPreset, presetNames } from '../../src/scenarios/presets.ts';
import type { Trace } from '../../src/system/trace.ts';
import { field, fields, openDissector, pcapngInterface, pcapngInterfaceCount, type DissectedFrame, type Dissector } from './wiregasm.ts';

/** Every counterexample of every preset, with the capture addresses of its scenario. */
const COUNTEREXAMPLES = presetNames().flatMap((name) => {
  const scenario = loadPreset(name);
  return check(scenario).results.flatMap((r) => (r.counterexample ? [{ id: `${name}.${r.property}`, trace: r.counterexample, addresses: wireAddresses(scenario) }] : []));
});

/** One Wireshark instance for the whole file (start-up is about a second). */
let started: Promise<Dissector> | undefined;
function sharedDissector(): Promise<Dissector> {
  started ??= openDissector();
  return started;
}

/** Expert items that only name what a segment is (Chat), never an anomaly. */
const WHAT_IT_IS: Readonly<Record<string, readonly string[]>> = {
  syn: ['tcp.connection.syn'],
  synAck: ['tcp.connection.synack'],
  fin: ['tcp.connection.fin', 'tcp.connection.fin_active', 'tcp.connection.fin_passive'],
  rst: ['tcp.connection.rst'],
};

const RETRANSMISSION = ['tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission'];

interface Seen {
  readonly ev: WireEvent;
  readonly index: number;
}

/**
 * The expert fields the story allows on the frame of `ev` at one capture
 * point, given what that point saw before (`earlier`): what the segment is;
 * a retransmission only when the trace retransmits; a keepalive only for a
 * keepalive, and its answer only for an ACK right after the peer's
 * keepalive; "previous segment not captured" only when an earlier segment
 * of that direction did not pass this point.
 */
function allowed(ev: WireEvent, earlier: readonly Seen[], everything: readonly WireEvent[], point: string): Set<string> {
  const ok = new Set(WHAT_IT_IS[ev.kind] ?? []);
  if (ev.retransmit === true) for (const r of RETRANSMISSION) ok.add(r);
  if (ev.kind === 'keepalive') ok.add('tcp.analysis.keep_alive');
  const prev = earlier[earlier.length - 1]?.ev;
  if (ev.kind === 'ack' && prev?.kind === 'keepalive' && prev.from !== ev.from) ok.add('tcp.analysis.keep_alive_ack');
  const missed = everything.slice(0, everything.indexOf(ev)).some((o) => o.conn === ev.conn && o.from === ev.from && !o.legs.some((l) => capturePointKey(l) === point));
  if (missed) {
    ok.add('tcp.analysis.lost_segment');
    ok.add('tcp.analysis.ack_lost_segment');
  }
  return ok;
}

describe('counterexample captures in Wireshark (wiregasm), per capture interface', () => {
  let dissector: Dissector;
  beforeAll(async () => {
    dissector = await sharedDissector();
  }, 60_000);

  it('covers every preset counterexample', () => {
    expect(COUNTEREXAMPLES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(COUNTEREXAMPLES.map((c) => [c.id, c] as const))('%s: expert information lists only what the story contains', (_, c) => {
    const events = traceWireEvents(c.trace);
    const capture = wireCapture(events, c.addresses);
    const bytes = tracePcapng(c.trace, c.addresses);
    // a capture with no frames would pass every check below
    expect(c.trace.steps.some((s) => s.segment !== undefined)).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(c.trace.steps.filter((s) => s.segment !== undefined).length);
    expect(capture.frames.length).toBeGreaterThanOrEqual(events.length);
    expect(pcapngInterfaceCount(bytes)).toBe(capture.interfaces.length);
    const legs = events.flatMap((ev) => ev.legs.map((leg) => ({ ev, point: capturePointKey(leg) })));
    expect(legs).toHaveLength(capture.frames.length);
    let retransmissionsFlagged = 0;
    capture.points.forEach((p, k) => {
      const point = capturePointKey(p);
      const name = capture.interfaces[k]!.name;
      const here = legs.filter((l) => l.point === point);
      const frames = dissector.dissect(pcapngInterface(bytes, k));
      expect(frames, `${name}: one frame per leg`).toHaveLength(here.length);
      const earlier: Seen[] = [];
      frames.forEach((f, i) => {
        const ev = here[i]!.ev;
        expect(field(f, 'frame.interface_name')).toBe(name);
        const ok = allowed(ev, earlier, events, point);
        const unexpected = f.expert.filter((x) => !ok.has(x.field)).map((x) => `${x.severity}: ${x.message}`);
        expect(unexpected, `${c.id} at ${name}, frame ${i + 1} (${ev.from} ${ev.kind}${ev.retransmit ? ' rtx' : ''})`).toEqual([]);
        // what the story has, Wireshark shows
        const has = (x: string): boolean => f.expert.some((e) => e.field === x);
        const original = earlier.some((s) => s.ev.conn === ev.conn && s.ev.from === ev.from && s.ev.kind === ev.kind);
        if (ev.retransmit === true && original && ev.kind !== 'syn' && ev.kind !== 'synAck') {
          expect(RETRANSMISSION.some(has), `${c.id} at ${name}: frame ${i + 1} is a retransmission of a segment seen here`).toBe(true);
          retransmissionsFlagged += 1;
        }
        if (ev.kind === 'keepalive') expect(has('tcp.analysis.keep_alive'), `${c.id} at ${name}: keepalive in frame ${i + 1}`).toBe(true);
        if (ev.kind === 'syn') expect(has('tcp.connection.syn')).toBe(true);
        earlier.push({ ev, index: i });
      });
    });
    const retransmitted = events.filter((e) => e.retransmit === true && e.kind !== 'syn' && e.kind !== 'synAck').length;
    if (retransmitted > 0) expect(retransmissionsFlagged).toBeGreaterThan(0);
  });

  it.each(COUNTEREXAMPLES.map((c) => [c.id, c] as const))('%s: checksums good, GENEVE options, timestamps ordered from the epoch, nothing past a drop', (_, c) => {
    const events = traceWireEvents(c.trace);
    const capture = wireCapture(events, c.addresses);
    const frames = dissector.dissect(encodePcapng(capture.frames, capture.interfaces));
    expect(c.trace.steps.some((s) => s.segment !== undefined)).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(c.trace.steps.filter((s) => s.segment !== undefined).length);
    expect(capture.frames.length).toBeGreaterThanOrEqual(events.length);
    expect(frames).toHaveLength(capture.frames.length);
    const lastTime = new Map<string, number>();
    let previous = 0;
    frames.forEach((f, i) => {
      expect(field(f, 'tcp.checksum.status'), `frame ${i + 1}`).toBe('Good');
      expect(fields(f, 'ip.checksum.status').every((s) => s === 'Good')).toBe(true);
      const iface = field(f, 'frame.interface_name');
      const t = Number(field(f, 'frame.time_epoch'));
      expect(t, 'after the epoch').toBeGreaterThanOrEqual(CAPTURE_EPOCH_MICROS / 1e6);
      expect(t, `${iface}: non-decreasing`).toBeGreaterThanOrEqual(lastTime.get(iface) ?? 0);
      expect(t, 'consistent across interfaces (file order is causal order)').toBeGreaterThanOrEqual(previous);
      lastTime.set(iface, t);
      previous = t;
      const geneve = capture.points[capture.frames[i]!.interfaceId ?? 0]!;
      if (geneve.at !== 'link' && captureNames(c.addresses).geneve(geneve.hop)) {
        expect(field(f, 'udp.dstport')).toBe('6081');
        expect(fields(f, 'geneve.option.class').map(Number)).toEqual([0x0108, 0x0108, 0x0108]);
        expect(fields(f, 'geneve.option.type').map(Number)).toEqual([1, 2, 3]);
      } else {
        expect(fields(f, 'geneve.option.class')).toEqual([]);
      }
    });
    // a dropped segment is on no capture point behind the hop that dropped it
    let at = 0;
    let drops = 0;
    for (const st of c.trace.steps) {
      if (st.kind !== 'segment' || !st.segment) continue;
      while (at < events.length && !(events[at]!.kind === st.segment.kind && events[at]!.from === st.segment.from && events[at]!.time === st.time && events[at]!.injected !== true)) at++;
      const ev = events[at]!;
      at++;
      if (st.outcome !== 'dropped') continue;
      drops += 1;
      const hop = st.hops!.find((h) => h.action === 'drop')!;
      const last = ev.legs[ev.legs.length - 1]!;
      const m = /^appliance(\d+)/.exec(hop.component);
      if (m) expect(last, `${c.id}: dropped by ${hop.component}`).toEqual({ at: 'to-target', hop: 'gwlb', target: Number(m[1]) });
      const receiverSide = st.segment.from === 'client' ? 'server' : 'client';
      expect(ev.legs.some((l) => l.at === 'from-target' && m !== null && l.target === Number(m[1])), 'nothing back from the dropping appliance').toBe(false);
      expect(ev.legs.some((l) => l.at === 'link' && (l.near === receiverSide || l.far === receiverSide)), 'nothing on the receiver\'s side').toBe(false);
    }
    if (c.trace.steps[c.trace.violationStep]?.outcome === 'dropped') expect(drops).toBeGreaterThan(0);
  });
});

/** Frames of one interface whose TCP header has the SYN flag. */
function synFrames(frames: readonly DissectedFrame[]): DissectedFrame[] {
  return frames.filter((f) => field(f, 'tcp.flags.syn') === 'True');
}

describe('handshake options and timestamps (wiregasm)', () => {
  let dissector: Dissector;
  let trace: Trace;
  beforeAll(async () => {
    dissector = await sharedDissector();
    trace = COUNTEREXAMPLES.find((c) => c.id === 'kb-16099.no-mid-path-drop')!.trace;
  }, 60_000);

  it('SYN and SYN-ACK carry MSS 1460, SACK permitted, timestamps and window scale 7 on every interface, and the echo matches', () => {
    const c = COUNTEREXAMPLES.find((x) => x.id === 'kb-16099.no-mid-path-drop')!;
    const bytes = tracePcapng(trace, c.addresses);
    const client = dissector.dissect(pcapngInterface(bytes, 0));
    const [syn, synAck] = synFrames(client);
    for (const f of [syn!, synAck!]) {
      expect(field(f, 'tcp.options.mss_val')).toBe('1460');
      expect(fields(f, 'tcp.option_kind')).toEqual(expect.arrayContaining(['2', '4', '8', '1', '3']));
      expect(field(f, 'tcp.options.wscale.shift')).toBe('7');
      expect(field(f, 'tcp.options.sack_perm')).not.toBe('');
    }
    expect(field(syn!, 'tcp.options.timestamp.tsecr')).toBe('0');
    expect(field(synAck!, 'tcp.options.timestamp.tsecr')).toBe(field(syn!, 'tcp.options.timestamp.tsval'));
    const ack = client[2]!;
    expect(field(ack, 'tcp.options.timestamp.tsecr')).toBe(field(synAck!, 'tcp.options.timestamp.tsval'));
    expect(field(ack, 'tcp.window_size_scalefactor')).toBe('128');
    // the FIN 400 s later: TSval moved on by 400 000 ms from the server's SYN-ACK
    const server = dissector.dissect(pcapngInterface(bytes, 3));
    const fin = server.find((f) => field(f, 'tcp.flags.fin') === 'True')!;
    expect(Number(field(fin, 'tcp.options.timestamp.tsval')) - Number(field(synAck!, 'tcp.options.timestamp.tsval'))).toBe(400_000 - 0);
    expect(field(fin, 'frame.time_utc')).toMatch(/^2026-01-05 09:06:40/);
  });

  it('needs the split per interface: Wireshark analyses a whole file as one tap, so the SYN seen again at the next capture point reads as a retransmission', () => {
    const c = COUNTEREXAMPLES.find((x) => x.id === 'kb-16099.no-mid-path-drop')!;
    const whole = dissector.dissect(tracePcapng(trace, c.addresses));
    expect(whole[0]!.expert.map((x) => x.field)).not.toContain('tcp.analysis.retransmission');
    expect(whole[1]!.expert.map((x) => x.field)).toContain('tcp.analysis.retransmission');
    expect(field(whole[1]!, 'frame.interface_name')).toBe('GWLB → appliance0 (GENEVE)');
  });

  it('names one interface per capture point of the path', () => {
    const c = COUNTEREXAMPLES.find((x) => x.id === 'kb-16099.no-mid-path-drop')!;
    const capture = wireCapture(traceWireEvents(trace), c.addresses);
    expect(capture.interfaces.map((i) => i.name)).toEqual(['client side ⇄ GWLB', 'GWLB → appliance0 (GENEVE)', 'appliance0 → GWLB (GENEVE)', 'GWLB ⇄ server side', 'GWLB → appliance1 (GENEVE)']);
  });
});
