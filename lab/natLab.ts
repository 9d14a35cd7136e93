/**
 * The NAT-hop conformance lab (issue 12 §6): each scenario of
 * natScenarios.ts on a real Linux conntrack NAT and on the `linux-conntrack`
 * machine, compared row by row (natCompare.ts).
 */
import { execFileSync } from 'node:child_process';
import { NAT_CAUSES, compareNat, natSegments, runNatModel, type ModelRun, type NatRow, type NatSegment } from './natCompare.ts';
import { runNatReal, type CtEvent, type CtListing, type NatRealRun } from './natReal.ts';
import { NAT_LAB_DEFAULT_UNACKNOWLEDGED, natModelConfig, type NatScenario } from './natScenarios.ts';
import { NamespaceUnavailableError } from './netns.ts';

/** One scenario's result. */
export interface NatRunResult {
  readonly name: string;
  readonly description: string;
  readonly settings: Record<string, unknown>;
  readonly segments: readonly NatSegment[];
  readonly model: ModelRun;
  readonly conntrack: readonly CtEvent[];
  /** The connection's entries in the `conntrack -L` listings (remaining timeouts every 0.1 s). */
  readonly listings: readonly CtListing[];
  /** Every segment up to the nft counter read (`segments` stops at the horizon). */
  readonly segmentsToRead: readonly NatSegment[];
  readonly countersAt: { readonly from: number; readonly to: number };
  readonly counters: Readonly<Record<string, number>>;
  readonly helpers: { readonly client: readonly Record<string, unknown>[]; readonly server: readonly Record<string, unknown>[] };
  readonly capture: string;
  readonly realSeconds: number;
  readonly rows: readonly NatRow[];
}

/** The NAT lab's result (`lab/out/nat-results.json`). */
export interface NatLabResult {
  readonly format: 'midpath-nat-lab/1';
  readonly kernel: string;
  readonly seconds: number;
  readonly runs: readonly NatRunResult[];
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  readonly summary: { readonly rows: number; readonly agree: number; readonly modelBug: number; readonly documented: number; readonly unexplained: number };
  readonly causes: typeof NAT_CAUSES;
  /** Every run ran and no row is unexplained. */
  readonly ok: boolean;
}

/** What a scenario sets on the kernel and the machine (recorded with each run, so a recording is only compared with the scenario it was made of). */
export function natScenarioSettings(sc: NatScenario): Record<string, unknown> {
  return {
    established: sc.established,
    unacknowledged: sc.unacknowledged ?? NAT_LAB_DEFAULT_UNACKNOWLEDGED,
    serverVanishesAt: sc.serverVanishesAt ?? null,
    timeouts: sc.timeouts,
    loose: sc.loose,
    dropInvalid: sc.dropInvalid,
    masquerade: sc.masquerade,
    clientKeepalive: sc.clientKeepalive,
    client: sc.client,
    server: sc.server,
    horizon: sc.horizon,
  };
}

/** What the kernel did in one run, as far as the comparison reads it (no capture, no helper reports). */
export interface NatObserved {
  /** The segments at the NAT up to the horizon. */
  readonly segments: readonly NatSegment[];
  /** The segments up to the nft counter read. */
  readonly segmentsToRead: readonly NatSegment[];
  readonly conntrack: readonly CtEvent[];
  readonly counters: Readonly<Record<string, number>>;
  readonly countersAt: { readonly from: number; readonly to: number };
}

/**
 * Runs the scenario's `linux-conntrack` machine on the observed segments
 * and compares it with what the kernel did (the same for a fresh run and
 * for a recorded one, lab/recorded/).
 */
export function compareObserved(sc: NatScenario, obs: NatObserved): { readonly model: ModelRun; readonly rows: NatRow[] } {
  const config = natModelConfig(sc);
  const model = runNatModel(config, obs.segments, sc.horizon);
  // The nft counters were read a little after the horizon: the machine's drops up to then, for that row only.
  const upToRead = runNatModel(config, obs.segmentsToRead, obs.countersAt.to);
  const drops = (t: number): number => upToRead.steps.filter((s) => s.fate === 'drop' && s.t <= t).length;
  const dropsAtCounters = { low: drops(obs.countersAt.from), high: drops(obs.countersAt.to) };
  const real: NatRealRun = { packets: [], countersAt: obs.countersAt, conntrack: obs.conntrack, counters: obs.counters, helpers: { client: [], server: [] }, capture: '', seconds: 0 };
  return { model, rows: compareNat(obs.segments, model, real, { dropInvalid: sc.dropInvalid, dropsAtCounters }) };
}

/** Runs one scenario (real, then the machine on the real schedule) and compares. */
export async function runNatScenario(sc: NatScenario, tag: string, outDir: string): Promise<NatRunResult> {
  const real = await runNatReal(sc, tag, outDir);
  const segments = natSegments(real.packets.filter((p) => p.t <= sc.horizon));
  const segmentsToRead = natSegments(real.packets);
  const { model, rows } = compareObserved(sc, { segments, segmentsToRead, conntrack: real.conntrack, counters: real.counters, countersAt: real.countersAt });
  return {
    name: sc.name,
    description: sc.description,
    settings: natScenarioSettings(sc),
    segments,
    model,
    conntrack: real.conntrack,
    listings: real.listings ?? [],
    segmentsToRead,
    countersAt: real.countersAt,
    counters: real.counters,
    helpers: real.helpers,
    capture: real.capture,
    realSeconds: real.seconds,
    rows,
  };
}

/**
 * A kernel run kept in the repository (lab/recorded/nat-<name>.json) so that
 * `npm test`, which has no network namespaces, compares the current machine
 * with it (test/lab/natCompare.test.ts). Written by `MIDPATH_LAB_NAT_RECORD=1
 * npx tsx lab/natRun.ts`.
 */
export interface NatRecordedRun extends NatObserved {
  readonly format: 'midpath-nat-recorded/1';
  readonly name: string;
  readonly kernel: string;
  readonly settings: Record<string, unknown>;
  /** The connection's entries in the `conntrack -L` listings (remaining timeouts every 0.1 s). */
  readonly listings: readonly CtListing[];
}

/** The recorded form of a run. */
export function recordedRun(r: NatRunResult, kernel: string): NatRecordedRun {
  return {
    format: 'midpath-nat-recorded/1',
    name: r.name,
    kernel,
    settings: r.settings,
    segments: r.segments,
    segmentsToRead: r.segmentsToRead,
    conntrack: r.conntrack,
    listings: r.listings,
    counters: r.counters,
    countersAt: r.countersAt,
  };
}

/**
 * Runs the scenarios, `concurrency` at a time, each in its own namespaces.
 * A run that fails for lack of namespaces fails the lab (never skipped).
 */
export async function runNatLab(scenarios: readonly NatScenario[], options: { readonly concurrency: number; readonly outDir: string; readonly onRun?: (r: NatRunResult) => void }): Promise<NatLabResult> {
  const started = Date.now();
  const runs: (NatRunResult | undefined)[] = new Array<NatRunResult | undefined>(scenarios.length);
  const failures: { name: string; error: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < scenarios.length; i = next++) {
      const sc = scenarios[i]!;
      try {
        const r = await runNatScenario(sc, `nat${i}`, options.outDir);
        runs[i] = r;
        options.onRun?.(r);
      } catch (e) {
        if (e instanceof NamespaceUnavailableError) throw e;
        failures.push({ name: sc.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, scenarios.length)) }, () => worker()));
  const done = runs.filter((r): r is NatRunResult => r !== undefined);
  const rows = done.flatMap((r) => r.rows);
  const count = (v: NatRow['verdict']): number => rows.filter((r) => r.verdict === v).length;
  const summary = { rows: rows.length, agree: count('agree'), modelBug: count('model-bug'), documented: count('documented'), unexplained: count('unexplained') };
  return {
    format: 'midpath-nat-lab/1',
    kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
    seconds: (Date.now() - started) / 1000,
    runs: done,
    failures,
    summary,
    causes: NAT_CAUSES,
    ok: failures.length === 0 && summary.unexplained === 0,
  };
}

/** The agreement table as text. */
export function formatNatTable(r: NatLabResult): string {
  const clip = (s: string, n: number): string => (s.length <= n ? s.padEnd(n) : `${s.slice(0, n - 1)}…`);
  const lines: string[] = [`${'aspect'.padEnd(30)} ${'linux-conntrack machine'.padEnd(48)} ${'Linux kernel'.padEnd(56)} verdict`];
  for (const run of r.runs) {
    lines.push('', `── ${run.name} (real run ${run.realSeconds.toFixed(1)} s): ${run.description}`);
    for (const row of run.rows) lines.push(`${clip(row.aspect, 30)} ${clip(row.model, 48)} ${clip(row.real, 56)} ${row.verdict}${row.cause === undefined ? '' : ` [${row.cause}]`}`);
  }
  for (const f of r.failures) lines.push('', `── ${f.name}: RUN FAILED: ${f.error}`);
  const s = r.summary;
  lines.push('', `${r.runs.length} runs, ${s.rows} rows: ${s.agree} agree, ${s.modelBug} model bug, ${s.documented} documented, ${s.unexplained} unexplained; ${r.failures.length} failed; ${r.seconds.toFixed(1)} s (kernel ${r.kernel})`);
  for (const [id, c] of Object.entries(r.causes)) lines.push(`[${id}] ${c.kind}: ${c.summary}`);
  lines.push(r.ok ? 'nat lab: OK (every difference has a known cause)' : 'nat lab: FAILED');
  return lines.join('\n');
}
