/**
 * The NAT-hop conformance lab (issue 12 §6): each scenario of
 * natScenarios.ts on a real Linux conntrack NAT and on the `linux-conntrack`
 * machine, compared row by row (natCompare.ts).
 */
import { execFileSync } from 'node:child_process';
import { NAT_CAUSES, compareNat, natSegments, runNatModel, type ModelRun, type NatRow, type NatSegment } from './natCompare.ts';
import { runNatReal, type CtEvent } from './natReal.ts';
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

/** Runs one scenario (real, then the machine on the real schedule) and compares. */
export async function runNatScenario(sc: NatScenario, tag: string, outDir: string): Promise<NatRunResult> {
  const real = await runNatReal(sc, tag, outDir);
  const config = natModelConfig(sc);
  const segments = natSegments(real.packets.filter((p) => p.t <= sc.horizon));
  const model = runNatModel(config, segments, sc.horizon);
  // The nft counters were read a little after the horizon: the machine's drops up to then, for that row only.
  const upToRead = runNatModel(config, natSegments(real.packets), real.countersAt.to);
  const drops = (t: number): number => upToRead.steps.filter((s) => s.fate === 'drop' && s.t <= t).length;
  const dropsAtCounters = { low: drops(real.countersAt.from), high: drops(real.countersAt.to) };
  return {
    name: sc.name,
    description: sc.description,
    settings: { established: sc.established, unacknowledged: sc.unacknowledged ?? NAT_LAB_DEFAULT_UNACKNOWLEDGED, serverVanishesAt: sc.serverVanishesAt ?? null, timeouts: sc.timeouts, loose: sc.loose, dropInvalid: sc.dropInvalid, masquerade: sc.masquerade, clientKeepalive: sc.clientKeepalive, horizon: sc.horizon },
    segments,
    model,
    conntrack: real.conntrack,
    counters: real.counters,
    helpers: real.helpers,
    capture: real.capture,
    realSeconds: real.seconds,
    rows: compareNat(segments, model, real, { dropInvalid: sc.dropInvalid, dropsAtCounters }),
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
