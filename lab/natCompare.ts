/**
 * The NAT-hop lab's comparison (issue 12 §6): the segments the real
 * endpoints sent through the Linux NAT (from the capture on both of its
 * interfaces) are fed, at the times they reached the NAT and in both
 * directions, to the `linux-conntrack` hop machine (an xstate actor on a
 * `SimulatedClock`); each segment's fate (forwarded / dropped INVALID /
 * answered), whether it created an entry and in which original direction,
 * the entries' expiry times and the INVALID drop count are compared with
 * what the kernel did (capture, `conntrack -E`, nft counters).
 */
import { createActor, SimulatedClock } from 'xstate';
import type { LinuxConntrackConfig } from '../src/models/linuxConntrackConfig.ts';
import { linuxConntrackFlowMachine } from '../src/models/linuxConntrackFlowMachine.ts';
import type { Role, SegmentKind } from '../src/models/segment.ts';
import { NAT_ADDR, NAT_IFACES, type CtEvent, type NatPacket, type NatRealRun } from './natReal.ts';

/** A segment an endpoint sent into the NAT, and what the kernel did with it. */
export interface NatSegment {
  /** Seconds since t0 at which it reached the NAT. */
  readonly t: number;
  readonly from: Role;
  readonly kind: SegmentKind;
  readonly retransmit: boolean;
  /** forwarded (translated), dropped, or answered by the NAT namespace's own TCP stack with an RST. */
  readonly fate: 'forwarded' | 'dropped' | 'nat-rst';
  /** The source address:port it left the NAT with (forwarded only). */
  readonly translated?: string;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

const seqDiff = (a: number, b: number): number => ((a - b + 2 ** 31) % 2 ** 32) - 2 ** 31;

/**
 * The endpoints' segments at the NAT: each packet that came in on the inside
 * interface from the client or on the outside one from the server, matched
 * to its translated copy on the other interface (IP id, sequence number,
 * flags and length are kept by NAT). Kinds follow each sender's sequence
 * numbers: a zero-length ACK one below its highest sequence number is a
 * keepalive probe (Linux sends SND.UNA − 1).
 */
export function natSegments(packets: readonly NatPacket[]): NatSegment[] {
  const key = (p: NatPacket): string => `${p.ipId}|${p.seq}|${p.flags}|${p.len}`;
  const arrivals: { p: NatPacket; from: Role; copy?: NatPacket }[] = [];
  const outgoing: NatPacket[] = [];
  for (const p of packets) {
    if (!p.outgoing && p.ifname === NAT_IFACES.inside && p.src === NAT_ADDR.client) arrivals.push({ p, from: 'client' });
    else if (!p.outgoing && p.ifname === NAT_IFACES.outside && p.src === NAT_ADDR.server) arrivals.push({ p, from: 'server' });
    else if (p.outgoing) outgoing.push(p);
  }
  const used = new Set<NatPacket>();
  for (const a of arrivals) {
    const otherIf = a.from === 'client' ? NAT_IFACES.outside : NAT_IFACES.inside;
    const copy = outgoing.find((q) => !used.has(q) && q.ifname === otherIf && key(q) === key(a.p) && q.t >= a.p.t - 1e-4 && q.t - a.p.t < 0.2);
    if (copy !== undefined) {
      used.add(copy);
      a.copy = copy;
    }
  }
  const local = outgoing.filter((q) => !used.has(q) && (q.flags & RST) !== 0);
  const high = new Map<Role, number>();
  const seenSyn = new Set<string>();
  return arrivals.map(({ p, from, copy }) => {
    const h = high.get(from);
    const end = (p.flags & (SYN | FIN)) !== 0 ? p.seq + p.len + 1 : p.seq + p.len;
    let kind: SegmentKind;
    let retransmit = false;
    if (p.flags & RST) kind = 'rst';
    else if (p.flags & SYN) {
      kind = p.flags & ACK ? 'synAck' : 'syn';
      retransmit = seenSyn.has(`${from}|${kind}`);
      seenSyn.add(`${from}|${kind}`);
    } else if (p.flags & FIN) {
      kind = 'fin';
      retransmit = h !== undefined && seqDiff(end, h) <= 0;
    } else if (p.len > 0) {
      kind = 'data';
      retransmit = h !== undefined && seqDiff(end, h) <= 0;
    } else kind = h !== undefined && seqDiff(p.seq, h) === -1 ? 'keepalive' : 'ack';
    if (kind !== 'rst' && (h === undefined || seqDiff(end, h) > 0)) high.set(from, end >>> 0);
    const sender = from === 'client' ? NAT_ADDR.client : NAT_ADDR.server;
    const natRst = copy === undefined && local.some((q) => q.dst === sender && q.t >= p.t - 1e-4 && q.t - p.t < 0.1);
    const fate: NatSegment['fate'] = copy !== undefined ? 'forwarded' : natRst ? 'nat-rst' : 'dropped';
    return {
      t: Math.round(p.t * 1000) / 1000,
      from,
      kind,
      retransmit,
      fate,
      ...(copy === undefined ? {} : { translated: `${copy.src}:${copy.sport}` }),
    };
  });
}

/** What the machine did with one segment. */
export interface ModelStep {
  readonly t: number;
  readonly seg: string;
  readonly fate: 'forward' | 'drop';
  /** State before and after. */
  readonly before: string;
  readonly after: string;
  /** The segment created an entry; its original direction. */
  readonly newEntry: Role | null;
}

/** The machine's run over a segment schedule. */
export interface ModelRun {
  readonly steps: readonly ModelStep[];
  /** Times (s, 10 ms resolution) at which the entry went away: a timer, or a segment (an unreplied entry's RST), took the machine to `none`. */
  readonly expiries: readonly { readonly t: number; readonly from: string }[];
}

/**
 * Feeds the segments to the `linux-conntrack` machine on a SimulatedClock at
 * their real times (ms), stepping the clock 10 ms at a time to the horizon
 * so every expiry is seen within 10 ms.
 */
export function runNatModel(config: LinuxConntrackConfig, segments: readonly NatSegment[], horizon: number): ModelRun {
  const clock = new SimulatedClock();
  const actor = createActor(linuxConntrackFlowMachine, { input: config, clock });
  const out: { type: string }[] = [];
  actor.on('*', (e) => out.push(e));
  actor.start();
  const steps: ModelStep[] = [];
  const expiries: { t: number; from: string }[] = [];
  let now = 0;
  const advanceTo = (ms: number): void => {
    while (now < ms) {
      const d = Math.min(10, ms - now);
      const before = String(actor.getSnapshot().value);
      clock.increment(d);
      now += d;
      const after = String(actor.getSnapshot().value);
      if (after === 'none' && before !== 'none') expiries.push({ t: now / 1000, from: before });
    }
  };
  for (const s of segments) {
    advanceTo(Math.round(s.t * 1000));
    const before = String(actor.getSnapshot().value);
    const originBefore = actor.getSnapshot().context.origin;
    out.length = 0;
    actor.send({ type: 'SEG_IN', seg: { conn: 0, from: s.from, kind: s.kind, ...(s.retransmit ? { retransmit: true } : {}) } });
    const after = String(actor.getSnapshot().value);
    if (after === 'none' && before !== 'none') expiries.push({ t: s.t, from: `${before} (deleted by the ${s.kind})` });
    const fate = out.some((e) => e.type === 'SEG_DROP') ? 'drop' : 'forward';
    const created = (before === 'none' && after !== 'none') || (s.kind === 'syn' && originBefore !== null && after === 'synSent' && before !== 'synSent');
    steps.push({ t: s.t, seg: `${s.from} ${s.kind}${s.retransmit ? ' (rtx)' : ''}`, fate, before, after, newEntry: created ? s.from : null });
  }
  advanceTo(Math.round(horizon * 1000));
  actor.stop();
  return { steps, expiries };
}

/** A known cause of a difference between the machine and the kernel. */
export interface NatCause {
  readonly kind: 'model-bug' | 'documented';
  readonly summary: string;
}

/** Every explained difference of the NAT lab (lab/README.md, "NAT hop"). */
export const NAT_CAUSES = {
  'nat-reply-after-expiry': {
    kind: 'documented',
    summary:
      'A server segment after expiry is picked up (loose=1) as a new entry of original direction server, as the machine says, but it is addressed to the NAT itself and no mapping leads back to the client: Linux delivers it locally and the NAT namespace\'s TCP answers with an RST to the server, which (only reply of an unreplied entry) deletes the entry at once. The machine is a conntrack table, not a NAT: it forwards the segment and keeps the entry.',
  },
  'nat-new-source-port': {
    kind: 'documented',
    summary:
      'The entry picked up after expiry is NATed afresh (domain-facts §11.2); with masquerade random (or a port taken meanwhile) it gets a new source port, so the server sees an unknown 4-tuple and answers with an RST. The machine has no address translation: for it the connection continues.',
  },
} as const satisfies Record<string, NatCause>;

/** A cause id. */
export type NatCauseId = keyof typeof NAT_CAUSES;

/** One row of the comparison. */
export interface NatRow {
  readonly aspect: string;
  readonly model: string;
  readonly real: string;
  readonly verdict: 'agree' | 'model-bug' | 'documented' | 'unexplained';
  readonly cause?: NatCauseId;
}

/** Longest delay accepted between a segment and the `conntrack -E` NEW event it caused (the tool's own timestamp). */
export const NEW_EVENT_LAG = 2;

/**
 * Window of a kernel DESTROY around the machine's expiry time, in seconds:
 * never more than 0.1 s early (the kernel cannot delete an entry before its
 * timeout; 0.1 s for the millisecond rounding of segment times), up to 1 s
 * late: the entry is reaped by a `conntrack -L` every 0.1 s and the event is
 * stamped when `conntrack -E` reads it, both late on a loaded machine
 * (measured 0.02–0.14 s unloaded). Every scenario keeps its next segment at
 * least 1.5 s after an expiry, and the segment rows check the state there.
 */
export const NAT_EXPIRY_WINDOW = { early: 0.1, late: 1 } as const;

const inExpiryWindow = (kernelT: number, modelT: number): boolean => kernelT >= modelT - NAT_EXPIRY_WINDOW.early && kernelT <= modelT + NAT_EXPIRY_WINDOW.late;

const verdictOf = (cause: NatCauseId): Pick<NatRow, 'verdict' | 'cause'> => ({ verdict: NAT_CAUSES[cause].kind, cause });

/** What the comparison needs to know of the scenario. */
export interface NatCompareOptions {
  /** The ruleset drops INVALID (the counters then count the drops). */
  readonly dropInvalid: boolean;
  /**
   * The machine's drops up to just before and just after the counters were
   * read (the counters are read a little after the horizon, later on a loaded
   * machine); default: the drops of `model`.
   */
  readonly dropsAtCounters?: { readonly low: number; readonly high: number };
}

/** Compares the machine's run with the kernel's. */
export function compareNat(segments: readonly NatSegment[], model: ModelRun, real: NatRealRun, options: NatCompareOptions): NatRow[] {
  const { dropInvalid } = options;
  const rows: NatRow[] = [];
  const news = real.conntrack.filter((e) => e.type === 'NEW');
  const destroys = real.conntrack.filter((e) => e.type === 'DESTROY');
  const usedNew = new Set<CtEvent>();
  const addrOf = (r: Role): string => (r === 'client' ? NAT_ADDR.client : NAT_ADDR.server);
  // Each NEW event belongs to the latest segment before it from its original source whose kind fits its state
  // (SYN_SENT: a SYN; ESTABLISHED: an ACK-class pickup). `conntrack -o timestamp` stamps an event when the
  // tool reads it, which on a loaded machine can be late: up to NEW_EVENT_LAG after the segment.
  const fits = (e: CtEvent, s: NatSegment): boolean => (e.state === 'SYN_SENT' ? s.kind === 'syn' : e.state === 'ESTABLISHED' ? ['ack', 'data', 'keepalive'].includes(s.kind) : true);
  const newOf = new Map<NatSegment, CtEvent>();
  for (const e of news) {
    const owner = segments.filter((s) => !newOf.has(s) && addrOf(s.from) === e.origSrc && fits(e, s) && s.t <= e.t + 0.05 && e.t - s.t <= NEW_EVENT_LAG).at(-1);
    if (owner !== undefined) newOf.set(owner, e);
  }
  let firstPort: string | undefined;
  segments.forEach((s, i) => {
    const m = model.steps[i]!;
    const ne = newOf.get(s);
    if (ne !== undefined) usedNew.add(ne);
    const realNew: Role | null = ne === undefined ? null : s.from;
    const mText = `${m.fate}${m.newEntry === null ? '' : ` (new entry, origin ${m.newEntry})`} ${m.before}→${m.after}`;
    const rText = `${s.fate === 'forwarded' ? `forwarded as ${s.translated ?? '?'}` : s.fate === 'nat-rst' ? "answered by the NAT's RST" : 'dropped'}${realNew === null ? '' : ` (new entry, origin ${realNew}, ${ne?.state ?? ''})`}`;
    const fateAgrees = (m.fate === 'forward') === (s.fate === 'forwarded');
    let v: Pick<NatRow, 'verdict' | 'cause'> = { verdict: fateAgrees && m.newEntry === realNew ? 'agree' : 'unexplained' };
    if (!fateAgrees && m.fate === 'forward' && s.fate === 'nat-rst' && s.from === 'server' && m.newEntry === 'server' && realNew === 'server') v = verdictOf('nat-reply-after-expiry');
    rows.push({ aspect: `${s.t.toFixed(3)} ${m.seg}`, model: mText, real: rText, ...v });
    if (s.fate === 'forwarded' && s.from === 'client' && s.translated !== undefined) {
      if (firstPort === undefined) firstPort = s.translated;
      else if (realNew !== null) {
        const same = s.translated === firstPort;
        rows.push({
          aspect: `${s.t.toFixed(3)} source after re-NAT`,
          model: 'same flow (no address translation in the machine)',
          real: `${s.translated} (first entry ${firstPort})`,
          ...(same ? { verdict: 'agree' } : verdictOf('nat-new-source-port')),
        });
      }
    }
  });
  for (const e of news) {
    if (!usedNew.has(e)) rows.push({ aspect: `${e.t.toFixed(3)} entry created`, model: 'no segment created an entry then', real: e.line, verdict: 'unexplained' });
  }
  // Expiries: each kernel DESTROY against the machine's timer expiries.
  const usedExp = new Set<number>();
  const rstAt = (t: number): NatSegment | undefined => segments.find((s) => (s.kind === 'rst' || s.fate === 'nat-rst') && Math.abs(s.t - t) < 0.1);
  for (const d of destroys) {
    const k = model.expiries.findIndex((x, j) => !usedExp.has(j) && inExpiryWindow(d.t, x.t));
    if (k >= 0) {
      usedExp.add(k);
      const x = model.expiries[k]!;
      rows.push({ aspect: `${d.t.toFixed(3)} entry removed`, model: `expired from ${x.from} at ${x.t.toFixed(2)}`, real: `DESTROY at ${d.t.toFixed(3)} (${d.line.includes('UNREPLIED') ? 'unreplied' : 'replied'})`, verdict: 'agree' });
      continue;
    }
    const r = rstAt(d.t);
    const unreplied = d.line.includes('UNREPLIED');
    let v: Pick<NatRow, 'verdict' | 'cause'> = { verdict: 'unexplained' };
    // The NAT's own RST (never a segment of the machine's) ends the unreplied entry the late server segment made.
    if (r !== undefined && r.fate === 'nat-rst' && unreplied) v = verdictOf('nat-reply-after-expiry');
    rows.push({ aspect: `${d.t.toFixed(3)} entry removed`, model: 'no expiry then', real: `DESTROY at ${d.t.toFixed(3)} ${d.state ?? ''} ${unreplied ? 'unreplied' : ''}`.trim(), ...v });
  }
  model.expiries.forEach((x, j) => {
    if (!usedExp.has(j)) rows.push({ aspect: `${x.t.toFixed(3)} entry removed`, model: `expired from ${x.from}`, real: 'no DESTROY then', verdict: 'unexplained' });
  });
  const own = model.steps.filter((s) => s.fate === 'drop').length;
  const { low, high } = options.dropsAtCounters ?? { low: own, high: own };
  const counted = (real.counters['fwd_invalid'] ?? 0) + (real.counters['in_invalid'] ?? 0);
  rows.push({
    aspect: dropInvalid ? 'INVALID dropped (nft counters)' : 'INVALID passed (nft counters)',
    model: low === high ? `${low} dropped` : `${low}..${high} dropped by the counter read`,
    real: `${counted} (forward ${real.counters['fwd_invalid'] ?? 0}, input ${real.counters['in_invalid'] ?? 0})`,
    verdict: dropInvalid ? (counted >= low && counted <= high ? 'agree' : 'unexplained') : low === 0 ? 'agree' : 'unexplained',
  });
  return rows;
}
