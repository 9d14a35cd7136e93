/**
 * Comparing the model's observation of a run with the real system's, row by
 * row, and classifying every disagreement: a model bug (with its id, see
 * {@link KNOWN_CAUSES}), a documented lab difference, or unexplained (which
 * fails the lab). Nothing is silently ignored.
 */
import type { LabScenario } from './labScenario.ts';
import type { EndpointObservation, Observation, ObservedSegment, SessionObservation } from './observation.ts';

/** The verdict of one row. */
export type Verdict = 'agree' | 'model-bug' | 'documented' | 'unexplained';

/** One row of the agreement table. */
export interface ComparisonRow {
  readonly run: string;
  readonly aspect: string;
  readonly model: string;
  readonly real: string;
  readonly verdict: Verdict;
  /** For `model-bug` and `documented`: the id of the cause in {@link KNOWN_CAUSES}. */
  readonly cause?: string;
}

/** A known cause of disagreement. */
export interface KnownCause {
  readonly kind: 'model-bug' | 'documented';
  readonly summary: string;
  /** For a model bug: the fix, described (the lab does not change src/models). */
  readonly fix?: string;
}

/** Every cause the classification may name. */
export const KNOWN_CAUSES: Readonly<Record<string, KnownCause>> = {
  'retries2-abort': {
    kind: 'model-bug',
    summary:
      'Linux (6.18 here) ends a connection whose segment stays unacknowledged later than the model: it sends a tail loss probe (RACK-TLP, tcp_early_retrans=3) about one RTO after the segment, not counted by tcp_retries2; then the RTO retransmissions; and it aborts at the first RTO expiry at least rtoMin·(2^(retries2+1)−1) after the FIRST RETRANSMISSION (retransmits_timed_out() measures from retrans_stamp), i.e. after retries2+1 RTO retransmissions. With retries2=3 the lab sees the abort ≈6.6–6.8 s after the original segment (≈6.4 s with TLP off), the model at 3.0 s; with the default retries2=15 the same rule gives ≈1044.6 s rather than the 924.6 s the model uses.',
    fix:
      "tcpEndpointMachine: abort at the first RTO expiry whose elapsed time since the first retransmission is ≥ rtoMin·(2^(retries2+1)−1) (capped backoff per tcp_model_timeout), which for retries2 ≤ 9 is `retriesExhausted: retries > retries2`; optionally model the tail loss probe as one extra, uncounted retransmission one RTO after the original. Then fix domain-facts §4.1's reading of 924.6 s as the abort time (it is the bound measured from the first retransmission).",
  },
  'loose-fin-pickup': {
    kind: 'model-bug',
    summary:
      "A loose conntrack appliance (nf_conntrack_tcp_loose=1) does not adopt a mid-stream FIN or RST: conntrack's TCP state table maps NONE+FIN and NONE+RST to INVALID, so no entry is created (the segment passes only because the loose appliance does not drop INVALID). The conntrack-loose session model creates a half-closed session from a FIN.",
    fix: "firewallSessionMachine, state `none`, kind conntrack-loose: forward a FIN without creating a session (as it already does for an RST); only ack/data/keepalive create `established`.",
  },
  'loose-pickup-state': {
    kind: 'documented',
    summary:
      'After a loose pickup, Linux conntrack tracks the adopted connection through its own TCP states (FIN_WAIT/CLOSE_WAIT/LAST_ACK/TIME_WAIT with their own timeouts), while the model keeps the PAN-OS state mapping; the session end time then differs by the state-timeout mapping.',
  },
  'after-model-abort': {
    kind: 'documented',
    summary:
      'A consequence of retries2-abort: the real endpoint is still alive between the model abort and the real abort, so an event in that window (an accepted application action, an RST, a later session end) happens only on the real side.',
  },
};

/** Time tolerance (seconds) for comparing two event times. */
export function tolerance(t: number): number {
  return 0.3 + 0.02 * t;
}

const near = (a: number | null, b: number | null, extra = 0): boolean => a === null || b === null ? a === b : Math.abs(a - b) <= tolerance(Math.max(a, b)) + extra;

function dropText(segs: readonly ObservedSegment[]): string {
  const drops = segs.filter((s) => s.fate !== 'delivered');
  if (drops.length === 0) return 'none';
  const groups = new Map<string, { first: number; n: number }>();
  for (const d of drops) {
    const k = `${d.from} ${d.kind} @${d.fate === 'reset' ? 'gwlb(RST)' : d.dropAt ?? '?'}`;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { first: d.t, n: 1 });
    else g.n++;
  }
  return [...groups.entries()].map(([k, g]) => `${k} ${g.first.toFixed(2)}s ×${g.n}`).join('; ');
}

/**
 * The model sends the ACK of a FIN and its own FIN as two segments; Linux
 * (delayed ACK in CLOSE-WAIT's ping-pong mode) often sends one FIN+ACK. A
 * dropped `ack` at the same instant as a dropped `fin` from the same sender
 * is therefore counted as part of that FIN.
 */
function normalizedDrops(segs: readonly ObservedSegment[]): ObservedSegment[] {
  const drops = segs.filter((s) => s.fate !== 'delivered');
  return drops.filter((d) => !(d.kind === 'ack' && drops.some((f) => f.kind === 'fin' && f.from === d.from && Math.abs(f.t - d.t) < 0.05)));
}

const dropKey = (d: ObservedSegment): string => `${d.from} ${d.kind} @${d.fate === 'reset' ? 'gwlb(RST)' : d.dropAt ?? '?'}`;

function endpointText(e: EndpointObservation): string {
  return `${e.outcome}${e.detail === undefined ? '' : ` (${e.detail})`}${e.at === null ? '' : ` at ${e.at.toFixed(2)}s`}`;
}

function sessionText(s: SessionObservation): string {
  if (!s.seen && s.ends.length === 0) return 'never created';
  const ends = s.ends.map((e) => `${e.reason} at ${e.t.toFixed(2)}s`).join(', ');
  return `${ends === '' ? 'no end' : `ended ${ends}`}; ${s.atHorizon === 'none' ? 'gone' : s.atHorizon} at horizon`;
}

/**
 * True when, on the model, a FIN (or RST) was the first segment appliance
 * `k` saw after having no session: the model then opens a half-closed
 * session where Linux conntrack creates none (`loose-fin-pickup`).
 */
function finOpened(segs: readonly ObservedSegment[], k: 0 | 1): boolean {
  const first = segs.find((s) => s.appliance === k);
  return first !== undefined && (first.kind === 'fin' || first.kind === 'rst');
}

/** The model's abort time of an endpoint (retransmission timeout), if any. */
function abortAt(e: EndpointObservation): number | null {
  return e.outcome === 'timeout' && e.detail === 'retransmit-timeout' ? e.at : null;
}

/** Extra time Linux takes to abort, compared with the model (see `retries2-abort`). */
export function predictedAbortDelay(retries2: number, rtoMin: number): number {
  return rtoMin * 2 ** (retries2 + 1) + rtoMin;
}

/** Compares one run's model and real observations. */
export function compareRun(sc: LabScenario, model: Observation, real: Observation): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const row = (aspect: string, m: string, r: string, verdict: Verdict, cause?: string): void => {
    rows.push({ run: sc.name, aspect, model: m, real: r, verdict, ...(cause === undefined ? {} : { cause }) });
  };
  const loose = !sc.topology.appliances.firewall.rejectNonSyn;
  const r2 = sc.topology.client.retries2;
  const delay = predictedAbortDelay(r2, sc.topology.client.rtoMin);
  // Windows in which only the real endpoint is still alive (model aborted, Linux not yet).
  const windows: [number, number][] = [];
  for (const role of ['client', 'server'] as const) {
    const m = abortAt(model[role]);
    const r = abortAt(real[role]);
    if (m !== null) windows.push([m - 0.3, (r ?? m + delay) + 0.5]);
  }
  const inWindow = (t: number): boolean => windows.some(([a, b]) => t >= a && t <= b);

  // 1. Which segment was dropped first, and where.
  const md = normalizedDrops(model.segments);
  const rd = normalizedDrops(real.segments);
  const m0 = md[0];
  const r0 = rd[0];
  const firstText = (d: ObservedSegment | undefined): string => (d === undefined ? 'none' : `${dropKey(d)} at ${d.t.toFixed(2)}s`);
  if ((m0 === undefined && r0 === undefined) || (m0 !== undefined && r0 !== undefined && dropKey(m0) === dropKey(r0) && near(m0.t, r0.t))) {
    row('first drop', firstText(m0), firstText(r0), 'agree');
  } else {
    row('first drop', firstText(m0), firstText(r0), 'unexplained');
  }

  // 2. Which kinds of segment were dropped where (retransmissions folded in).
  const mk = new Set(md.map(dropKey));
  const rk = new Set(rd.map(dropKey));
  const onlyReal = [...rk].filter((k) => !mk.has(k));
  const onlyModel = [...mk].filter((k) => !rk.has(k));
  if (onlyReal.length === 0 && onlyModel.length === 0) {
    row('dropped segments', dropText(model.segments), dropText(real.segments), 'agree');
  } else {
    const explained =
      onlyModel.length === 0 && onlyReal.every((k) => rd.filter((d) => dropKey(d) === k).every((d) => inWindow(d.t)));
    row('dropped segments', dropText(model.segments), dropText(real.segments), explained ? 'documented' : 'unexplained', explained ? 'after-model-abort' : undefined);
  }

  // 3. How many times each dropped segment was sent (retransmissions).
  const count = (ds: readonly ObservedSegment[], k: string): number => ds.filter((d) => dropKey(d) === k).length;
  const both = [...mk].filter((k) => rk.has(k));
  const countText = (ds: readonly ObservedSegment[]): string => both.map((k) => `${k} ×${count(ds, k)}`).join('; ') || '—';
  const diff = both.filter((k) => count(md, k) !== count(rd, k));
  if (diff.length === 0) row('transmissions of dropped segments', countText(md), countText(rd), 'agree');
  else {
    // Linux: +1 RTO retransmission (retries2+1) and +1 tail loss probe per unacknowledged segment.
    const ok = diff.every((k) => {
      const d = count(rd, k) - count(md, k);
      return d >= 1 && d <= 2 && (k.includes(' data ') || k.includes(' fin ') || k.includes(' syn'));
    });
    row('transmissions of dropped segments', countText(md), countText(rd), ok ? 'model-bug' : 'unexplained', ok ? 'retries2-abort' : undefined);
  }

  // 4. Which endpoint timed out, was reset, or closed, and when.
  for (const role of ['client', 'server'] as const) {
    const m = model[role];
    const r = real[role];
    const same = m.outcome === r.outcome && (m.detail ?? '') === (r.detail ?? '');
    if (same && near(m.at, r.at)) row(`${role} end`, endpointText(m), endpointText(r), 'agree');
    else if (same && m.detail === 'retransmit-timeout' && m.at !== null && r.at !== null && Math.abs(r.at - m.at - delay) <= 0.6 + 0.15 * delay) {
      row(`${role} end`, endpointText(m), endpointText(r), 'model-bug', 'retries2-abort');
    } else if (abortAt(model[role === 'client' ? 'server' : 'client']) !== null && r.at !== null && inWindow(r.at)) {
      row(`${role} end`, endpointText(m), endpointText(r), 'documented', 'after-model-abort');
    } else row(`${role} end`, endpointText(m), endpointText(r), 'unexplained');
  }

  // 5. Which appliance's session ended, how and when.
  for (const k of [0, 1] as const) {
    const m = model.sessions[k];
    const r = real.sessions[k];
    const endsAgree = m.ends.length === r.ends.length && m.ends.every((e, i) => e.reason === r.ends[i]!.reason && near(e.t, r.ends[i]!.t, 0.3));
    const agree = endsAgree && m.atHorizon === r.atHorizon && m.seen === r.seen;
    if (agree) row(`appliance${k} session`, sessionText(m), sessionText(r), 'agree');
    else if (loose && (m.seen !== r.seen || m.ends.length !== r.ends.length || finOpened(model.segments, k))) {
      row(`appliance${k} session`, sessionText(m), sessionText(r), 'model-bug', 'loose-fin-pickup');
    }
    else if (loose) row(`appliance${k} session`, sessionText(m), sessionText(r), 'documented', 'loose-pickup-state');
    else if ([...m.ends, ...r.ends].every((e) => inWindow(e.t) || m.ends.some((x) => x.reason === e.reason && near(x.t, e.t, 0.3))) && windows.length > 0) {
      row(`appliance${k} session`, sessionText(m), sessionText(r), 'documented', 'after-model-abort');
    } else row(`appliance${k} session`, sessionText(m), sessionText(r), 'unexplained');
  }

  // 6. Whether the client's application actions were accepted.
  const actText = (o: Observation): string => o.actions.map((a) => `${a.action}@${a.t.toFixed(1)}:${a.accepted ? 'ok' : 'refused'}`).join(' ');
  const mismatched = sc.schedule.filter((a) => {
    const m = model.actions.find((x) => x.action === a.action && Math.abs(x.t - a.t) < 0.3);
    const r = real.actions.find((x) => x.action === a.action && Math.abs(x.t - a.t) < 0.3);
    return (m?.accepted ?? false) !== (r?.accepted ?? false);
  });
  if (mismatched.length === 0) row('app actions', actText(model), actText(real), 'agree');
  else if (mismatched.every((a) => inWindow(a.t))) row('app actions', actText(model), actText(real), 'documented', 'after-model-abort');
  else row('app actions', actText(model), actText(real), 'unexplained');
  return rows;
}
