/**
 * SPIN side by side (issue 7): midpath and SPIN on the same KB presets at
 * their REAL timeout values (350 s GWLB, 3600 s firewall, …; SPIN counts
 * them in whole seconds).
 *
 * Per preset and property:
 * - SPIN's whole process: generate the Promela model (src/reporting/promela.ts),
 *   `spin -D<CHECK_…> -a`, `gcc -O2 -DSAFETY`, `./pan` (stops at the first
 *   violation, or explores everything when the property holds);
 * - midpath in-process: `checkTopology` of that one property, stopping at the
 *   first violation like pan (`stopAtFirst`, no windows, no replay).
 * Per preset, all four properties: SPIN's four pipelines against midpath's
 * one exploration, in-process (`checkTopology`) and as a whole process
 * (`node bin/midpath.js check <preset> --json`: startup, windows,
 * counterexamples and replay included).
 *
 * Time to verdict is the median of `MIDPATH_SPIN_RUNS` runs (default 3);
 * states are pan's "states, stored" and midpath's symbolic states. pan runs
 * with `-m` (depth) and `-DMEMLIM` (MB) limits; a run cut short is reported
 * as incomplete, which is a result, not a failure. Writes
 * bench/spin-results.json. Run alone with `npx tsx bench/spin.ts`; `npm run
 * bench` runs it after bench/run.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { checkTopology } from '../src/check.ts';
import { compileSpin, runPan } from '../src/node/spinRunner.ts';
import type { PanResult } from '../src/reporting/panOutput.ts';
import { PROMELA_PROPERTIES, toPromela, type PromelaPropertyId } from '../src/reporting/promela.ts';
import { kbPresetNames, loadPreset } from '../src/scenarios/presets.ts';
import { toTopology } from '../src/scenarios/toTopology.ts';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** pan's limits: search depth and memory (MB). */
const PAN_LIMITS = { maxDepth: 1_000_000, memLimitMB: 8192, hashLog2: 24 } as const;

/** One (preset, property) comparison. */
export interface SpinPropertyRow {
  readonly preset: string;
  readonly property: PromelaPropertyId;
  readonly midpath: { readonly holds: boolean; readonly states: number; readonly medianMs: number };
  readonly spin: {
    readonly holds: boolean;
    /** pan finished its search (false also when it stopped at the first violation). */
    readonly complete: boolean;
    /** A limit (depth, memory) cut the search short: no verdict when no error was found. */
    readonly truncated: boolean;
    readonly states: number;
    readonly transitions: number;
    readonly depth: number;
    readonly memoryMB: number;
    readonly warnings: readonly string[];
    /** Median ms of each stage and of the whole process. */
    readonly medianMs: { readonly generate: number; readonly spin: number; readonly gcc: number; readonly pan: number; readonly total: number };
  };
  /** SPIN's whole process over midpath in-process (> 1: midpath is ahead). */
  readonly ratio: number;
  readonly agree: boolean;
}

/** One preset, all four properties. */
export interface SpinPresetRow {
  readonly preset: string;
  /** Sum of SPIN's four whole-process medians. */
  readonly spinTotalMs: number;
  readonly spinStates: number;
  readonly spinComplete: boolean;
  /** midpath, every property in one exploration, in-process (windows, no replay). */
  readonly midpathInProcessMs: number;
  readonly midpathStates: number;
  /** `node bin/midpath.js check <preset> --json`, wall clock. */
  readonly midpathProcessMs: number;
  readonly ratioInProcess: number;
  readonly ratioProcess: number;
  readonly agree: boolean;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number): number => Math.round(x * 10) / 10;

/** One SPIN pipeline (generate, `spin -a`, gcc, pan) for one property define, in a temporary directory. */
export async function spinOnce(model: () => string, define: string): Promise<{ times: { generate: number; spin: number; gcc: number; pan: number }; pan: PanResult }> {
  const dir = await mkdtemp(join(tmpdir(), 'midpath-spin-bench-'));
  try {
    const t0 = performance.now();
    const text = model();
    const generate = performance.now() - t0;
    const c = await compileSpin(text, dir, { defines: [define], memLimitMB: PAN_LIMITS.memLimitMB, timeoutMs: 1_800_000 });
    const r = await runPan(dir, { maxDepth: PAN_LIMITS.maxDepth, hashLog2: PAN_LIMITS.hashLog2, panArgs: [], timeoutMs: 1_800_000 });
    return { times: { generate, spin: c.spin, gcc: c.gcc, pan: r.ms }, pan: r.pan };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the comparison, prints a table per property and per preset, and
 * writes bench/spin-results.json.
 */
export async function runSpinBench(runs = Number(process.env['MIDPATH_SPIN_RUNS'] ?? 3)): Promise<{ properties: SpinPropertyRow[]; presets: SpinPresetRow[] }> {
  console.log(`\nSPIN side by side: real timeout values, median of ${runs} runs (SPIN: generate + spin -a + gcc + pan, whole process; midpath: in-process)`);
  const properties: SpinPropertyRow[] = [];
  const presets: SpinPresetRow[] = [];
  for (const preset of kbPresetNames()) {
    const topology = toTopology(loadPreset(preset));
    const rows: SpinPropertyRow[] = [];
    for (const p of PROMELA_PROPERTIES) {
      const mTimes: number[] = [];
      let mHolds = true;
      let mStates = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const r = checkTopology(topology, {}, { properties: [p.id], replay: false, stopAtFirst: true });
        mTimes.push(performance.now() - t0);
        mHolds = r.results[0]!.holds;
        mStates = r.stats.states;
      }
      const stage = { generate: [] as number[], spin: [] as number[], gcc: [] as number[], pan: [] as number[], total: [] as number[] };
      let pan: PanResult | undefined;
      for (let i = 0; i < runs; i++) {
        const r = await spinOnce(() => toPromela(topology), p.define);
        pan = r.pan;
        stage.generate.push(r.times.generate);
        stage.spin.push(r.times.spin);
        stage.gcc.push(r.times.gcc);
        stage.pan.push(r.times.pan);
        stage.total.push(r.times.generate + r.times.spin + r.times.gcc + r.times.pan);
        if (r.pan.truncated && r.pan.errors === 0) break; // a cut-short run: once is enough to report it
      }
      const sHolds = pan!.errors === 0;
      const total = median(stage.total);
      const mMs = median(mTimes);
      const row: SpinPropertyRow = {
        preset,
        property: p.id,
        midpath: { holds: mHolds, states: mStates, medianMs: round(mMs) },
        spin: {
          holds: sHolds,
          complete: pan!.complete,
          truncated: pan!.truncated,
          states: pan!.statesStored,
          transitions: pan!.transitions,
          depth: pan!.depth,
          memoryMB: pan!.memoryMB,
          warnings: pan!.warnings,
          medianMs: { generate: round(median(stage.generate)), spin: round(median(stage.spin)), gcc: round(median(stage.gcc)), pan: round(median(stage.pan)), total: round(total) },
        },
        ratio: round(total / mMs),
        agree: mHolds === sHolds && !(sHolds && pan!.truncated),
      };
      rows.push(row);
      properties.push(row);
      const verdict = (h: boolean) => (h ? 'holds   ' : 'violated');
      console.log(
        `${preset.padEnd(26)} ${p.id.padEnd(18)} midpath ${verdict(mHolds)} ${String(mStates).padStart(7)} states ${String(row.midpath.medianMs).padStart(9)} ms | ` +
          `spin ${verdict(sHolds)}${sHolds && pan!.truncated ? ' (CUT SHORT: no verdict)' : ''} ${String(pan!.statesStored).padStart(9)} states ${String(row.spin.medianMs.total).padStart(9)} ms ` +
          `(gcc ${row.spin.medianMs.gcc}, pan ${row.spin.medianMs.pan}) | spin/midpath ${row.ratio}×${row.agree ? '' : '  DISAGREE'}`,
      );
    }
    // All four properties: midpath's one exploration against SPIN's four runs.
    const inProc: number[] = [];
    const proc: number[] = [];
    let states = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      states = checkTopology(topology, {}, { replay: false }).stats.states;
      inProc.push(performance.now() - t0);
      const t1 = performance.now();
      try {
        await exec(process.execPath, [join(root, 'bin/midpath.js'), 'check', preset, '--json'], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
      } catch (e) {
        // exit 1 = an expectation missed; the timing still counts, the JSON is not needed here
        if ((e as { code?: unknown }).code !== 1) throw e;
      }
      proc.push(performance.now() - t1);
    }
    const spinTotal = rows.reduce((n, r) => n + r.spin.medianMs.total, 0);
    const row: SpinPresetRow = {
      preset,
      spinTotalMs: round(spinTotal),
      spinStates: rows.reduce((n, r) => n + r.spin.states, 0),
      spinComplete: rows.every((r) => !(r.spin.holds && r.spin.truncated)),
      midpathInProcessMs: round(median(inProc)),
      midpathStates: states,
      midpathProcessMs: round(median(proc)),
      ratioInProcess: round(spinTotal / median(inProc)),
      ratioProcess: round(spinTotal / median(proc)),
      agree: rows.every((r) => r.agree),
    };
    presets.push(row);
    console.log(
      `${preset.padEnd(26)} ALL FOUR           midpath ${String(states).padStart(7)} states, in-process ${row.midpathInProcessMs} ms, check --json ${row.midpathProcessMs} ms | ` +
        `spin ${row.spinStates} states, ${row.spinTotalMs} ms | spin/midpath ${row.ratioInProcess}× in-process, ${row.ratioProcess}× whole process${row.agree ? '' : '  DISAGREE'}\n`,
    );
  }
  const doc = { runs, node: process.version, panLimits: PAN_LIMITS, note: 'real timeout values; SPIN ticks are whole seconds (rtoMin 0.2 s rounded to 1 s)', properties, presets };
  writeFileSync(new URL('./spin-results.json', import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`bench/spin-results.json written (${runs} runs per case, median)`);
  return { properties, presets };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runSpinBench();
