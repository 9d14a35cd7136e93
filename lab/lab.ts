/**
 * The conformance lab (issue 8): runs each scenario on real Linux and on the
 * model, compares them and collects the agreement table.
 */
import { kbHop } from '../src/system/topology.ts';
import { readFileSync } from 'node:fs';
import { replayChooser } from './capture.ts';
import { KNOWN_CAUSES, compareRun, type ComparisonRow, type KnownCause } from './compare.ts';
import type { LabScenario } from './labScenario.ts';
import { runModel } from './modelRun.ts';
import { NamespaceUnavailableError } from './netns.ts';
import type { Observation } from './observation.ts';
import { runReal, type Counters } from './realRun.ts';

/** One run's everything. */
export interface RunResult {
  readonly name: string;
  readonly origin: string;
  readonly scale: number;
  readonly choice: LabScenario['choice'];
  readonly horizon: number;
  readonly settings: Record<string, unknown>;
  readonly schedule: LabScenario['schedule'];
  readonly model: Observation;
  readonly real: Observation;
  readonly counters: { readonly gwlb: Counters; readonly appliance0: Counters; readonly appliance1: Counters };
  readonly conntrack: { readonly appliance0: readonly string[]; readonly appliance1: readonly string[]; readonly gwlb: readonly string[] };
  readonly capture: string;
  readonly realSeconds: number;
  readonly rows: readonly ComparisonRow[];
}

/** A run that could not be carried out (infrastructure error): fails the lab. */
export interface RunFailure {
  readonly name: string;
  readonly error: string;
}

/** The whole lab's result (`lab/results.json`). */
export interface LabResult {
  readonly format: 'midpath-lab/1';
  readonly kernel: string;
  readonly seed: number;
  readonly seconds: number;
  readonly runs: readonly RunResult[];
  readonly failures: readonly RunFailure[];
  readonly summary: { readonly rows: number; readonly agree: number; readonly modelBug: number; readonly documented: number; readonly unexplained: number };
  readonly causes: Readonly<Record<string, KnownCause>>;
  /** True when every run ran and no row is unexplained. */
  readonly ok: boolean;
}

/** Options of {@link runLab}. */
export interface LabOptions {
  readonly scenarios: readonly LabScenario[];
  readonly seed: number;
  /** Runs in parallel (each in its own namespaces). */
  readonly concurrency: number;
  /** Where captures go. */
  readonly outDir: string;
  /** Called as each run finishes. */
  readonly onRun?: (r: RunResult | RunFailure) => void;
}

function settingsOf(sc: LabScenario): Record<string, unknown> {
  const t = sc.topology;
  return {
    gwlbIdleTimeout: kbHop(t).gwlb.idleTimeout,
    gwlbReset: kbHop(t).gwlb.resetOnIdleTimeout,
    appliance: kbHop(t).appliances.firewall.kind,
    applianceTimeouts: kbHop(t).appliances.firewall.timeouts,
    clientKeepalive: t.client.keepalive,
    serverIdleClose: t.server.idleClose,
    retries2: t.client.retries2,
    rtoMin: t.client.rtoMin,
  };
}

/** Runs one scenario on both sides and compares. NamespaceUnavailableError propagates. */
export async function runOne(sc: LabScenario, tag: string, outDir: string): Promise<RunResult> {
  const real = await runReal(sc, tag, outDir);
  const model = sc.choice.mode === 'numgen' ? runModel(sc, replayChooser(real.observation.segments)) : runModel(sc);
  return {
    name: sc.name,
    origin: sc.origin,
    scale: sc.scale,
    choice: sc.choice,
    horizon: sc.horizon,
    settings: settingsOf(sc),
    schedule: sc.schedule,
    model,
    real: real.observation,
    counters: real.counters,
    conntrack: real.conntrack,
    capture: real.capture,
    realSeconds: real.seconds,
    rows: compareRun(sc, model, real.observation),
  };
}

function kernel(): string {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Runs every scenario (at most `concurrency` at a time), compares, and
 * returns the lab result. If network namespaces cannot be created, it throws
 * {@link NamespaceUnavailableError}: the lab fails, it never skips.
 */
export async function runLab(o: LabOptions): Promise<LabResult> {
  const started = Date.now();
  const runs: RunResult[] = [];
  const failures: RunFailure[] = [];
  let next = 0;
  let fatal: unknown = null;
  const worker = async (): Promise<void> => {
    while (fatal === null && next < o.scenarios.length) {
      const i = next++;
      const sc = o.scenarios[i]!;
      try {
        const r = await runOne(sc, `r${i}`, o.outDir);
        runs.push(r);
        o.onRun?.(r);
      } catch (e) {
        if (e instanceof NamespaceUnavailableError) {
          fatal = e;
          return;
        }
        const f = { name: sc.name, error: e instanceof Error ? e.message : String(e) };
        failures.push(f);
        o.onRun?.(f);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, () => worker()));
  if (fatal !== null) throw fatal;
  const order = new Map(o.scenarios.map((s, i) => [s.name, i]));
  runs.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const rows = runs.flatMap((r) => r.rows);
  const count = (v: ComparisonRow['verdict']): number => rows.filter((r) => r.verdict === v).length;
  const summary = { rows: rows.length, agree: count('agree'), modelBug: count('model-bug'), documented: count('documented'), unexplained: count('unexplained') };
  const used = new Set(rows.flatMap((r) => (r.cause === undefined ? [] : [r.cause])));
  return {
    format: 'midpath-lab/1',
    kernel: kernel(),
    seed: o.seed,
    seconds: (Date.now() - started) / 1000,
    runs,
    failures,
    summary,
    causes: Object.fromEntries(Object.entries(KNOWN_CAUSES).filter(([k]) => used.has(k))),
    ok: failures.length === 0 && summary.unexplained === 0 && runs.length > 0,
  };
}
