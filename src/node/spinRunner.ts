/**
 * Runs SPIN on a Promela model of src/reporting/promela.ts: writes the model,
 * spawns `spin -a`, `gcc` and `./pan`, and parses pan's report with
 * src/reporting/panOutput.ts. Node-only (child processes and files), so it
 * lives outside src/reporting.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parsePanOutput, type PanResult } from '../reporting/panOutput.ts';

const run = promisify(execFile);

/** Options of {@link runSpin}. */
export interface RunSpinOptions {
  /** Defines passed to `spin -D…` (e.g. `['CHECK_DROP']`); default none (all properties). */
  readonly defines?: readonly string[];
  /** pan's `-m` (maximum search depth), default 1,000,000. */
  readonly maxDepth?: number;
  /** pan's `-w` (log2 of the hash table size), default 22. */
  readonly hashLog2?: number;
  /** gcc's `-DMEMLIM` in MB (pan stops, incomplete, above it), default 8192. */
  readonly memLimitMB?: number;
  /** Extra pan arguments, default `['-c0']` (count every error, so every violated property shows). */
  readonly panArgs?: readonly string[];
  /** Directory to work in (kept); default a fresh temporary directory, removed afterwards. */
  readonly dir?: string;
  /** Time limit per tool in ms (default 10 minutes). */
  readonly timeoutMs?: number;
  /**
   * gcc's optimisation level for pan, default `O2`. On the models of the
   * agreement test `O0` compiles about 8-10x faster while pan runs as fast
   * (measured under load: 0.9 s against 7.0 s to compile and 0.18 s against
   * 0.17 s to search 23 k states; 1.2 s against 11.9 s and 1.0 s against
   * 1.3 s for 338 k states); on models of millions of states (real timeout
   * values, bench/spin.ts) `O2`'s faster search can pay for its compile.
   */
  readonly optimize?: 'O0' | 'O1' | 'O2';
}

/** Times of each stage of {@link runSpin}, in ms. */
export interface SpinTimes {
  readonly spin: number;
  readonly gcc: number;
  readonly pan: number;
}

/** The result of {@link runSpin}. */
export interface SpinRun {
  readonly pan: PanResult;
  readonly times: SpinTimes;
  /** pan's whole output. */
  readonly output: string;
}

/**
 * Writes a model to a directory, runs `spin -a`, `gcc -O2 -DSAFETY` (see {@link RunSpinOptions.optimize}) and
 * `./pan`, and parses pan's report. Needs `spin` and `gcc` on the PATH
 * (Debian's `spin` package). Several runs of the same compiled model use
 * {@link runPan}.
 */
export async function runSpin(model: string, options: RunSpinOptions = {}): Promise<SpinRun> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'midpath-spin-')));
  try {
    const times = await compileSpin(model, dir, options);
    const r = await runPan(dir, options);
    return { pan: r.pan, output: r.output, times: { ...times, pan: r.ms } };
  } finally {
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `model.pml` into `dir` and builds `dir/pan`; returns the times of spin and gcc in ms. */
export async function compileSpin(model: string, dir: string, options: RunSpinOptions = {}): Promise<{ spin: number; gcc: number }> {
  const timeout = options.timeoutMs ?? 600_000;
  await writeFile(join(dir, 'model.pml'), model);
  const t0 = performance.now();
  await run('spin', [...(options.defines ?? []).map((d) => `-D${d}`), '-a', 'model.pml'], { cwd: dir, timeout });
  const t1 = performance.now();
  await run('gcc', [`-${options.optimize ?? 'O2'}`, '-DSAFETY', `-DMEMLIM=${options.memLimitMB ?? 8192}`, '-o', 'pan', 'pan.c'], { cwd: dir, timeout });
  const t2 = performance.now();
  return { spin: t1 - t0, gcc: t2 - t1 };
}

/** Runs `dir/pan` (built by {@link compileSpin}) and parses its report. */
export async function runPan(dir: string, options: RunSpinOptions = {}): Promise<{ pan: PanResult; output: string; ms: number }> {
  const t0 = performance.now();
  const args = [`-m${options.maxDepth ?? 1_000_000}`, `-w${options.hashLog2 ?? 22}`, ...(options.panArgs ?? ['-c0'])];
  let output: string;
  try {
    const r = await run('./pan', args, { cwd: dir, timeout: options.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024 });
    output = r.stdout + r.stderr;
  } catch (e) {
    // pan exits non-zero in some configurations (memory limit); its report is still on stdout.
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    if (!/errors:|MEMLIM|out of memory/.test(output)) throw e;
  }
  return { pan: parsePanOutput(output), output, ms: performance.now() - t0 };
}
