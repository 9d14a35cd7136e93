/**
 * `npm run bench`: explores the KB 16099 scenario and its families, one
 * dimension at a time from the KB base (appliances 1, 2, 4, 8, 16;
 * connections 1, 2, 3; every timeout × 1, 10, 100; keepalive off and on),
 * at least five runs each, and prints states, transitions, median ms,
 * states/s and peak heap; writes bench/results.json and the Markdown table
 * bench/results.md (pasted into the README), with the issue 15 targets
 * (bench/targets.ts: warm and fresh in-process, whole process and peak RSS
 * side by side with SPIN, states against timeout magnitude, the products
 * that do not decompose), and the cost of counterexample timelines
 * (bench/concretize.ts). Then the SPIN comparison (bench/spin.ts). Timings vary with the machine; state and transition
 * counts do not. Not a test: nothing here asserts a time.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { checkTopology } from '../src/check.ts';
import { kbTopology, type KbOverrides } from '../test/fixtures/kbTopology.ts';
import { runConcretizeBench } from './concretize.ts';
import { runTargets } from './targets.ts';

const runs = Math.max(5, Number(process.env['MIDPATH_BENCH_RUNS'] ?? 5));
const load0 = loadavg();
const started = new Date().toISOString();

interface Case {
  readonly dimension: string;
  readonly value: string;
  readonly o: KbOverrides;
  /** Explore the full product of connections instead of one independent connection. */
  readonly full?: boolean;
}

const cases: Case[] = [
  ...[1, 2, 4, 8, 16].map((n) => ({ dimension: 'appliances', value: String(n), o: { appliances: n } })),
  ...[1, 2, 3].map((n) => ({ dimension: 'connections', value: String(n), o: { connections: n } })),
  { dimension: 'connections (full product, 10 s budget)', value: '2', o: { connections: 2 }, full: true },
  ...[1, 10, 100].map((k) => ({ dimension: 'timeout scale', value: `×${k}`, o: { timeScale: k } })),
  { dimension: 'keepalive', value: 'off', o: {} },
  { dimension: 'keepalive', value: 'on (idle 325)', o: { clientKeepaliveIdle: 325 } },
];

/** One benchmark row. */
export interface BenchRow {
  readonly dimension: string;
  readonly value: string;
  readonly complete: boolean;
  readonly states: number;
  readonly transitions: number;
  readonly medianMs: number;
  readonly statesPerSecond: number;
  readonly peakHeapMB: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const rows: BenchRow[] = [];
for (const c of cases) {
  const times: number[] = [];
  let states = 0;
  let transitions = 0;
  let peak = 0;
  let complete = true;
  const n = c.full ? 1 : runs;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = checkTopology(kbTopology(c.o), {}, {
      replay: false,
      heap: () => process.memoryUsage().heapUsed,
      ...(c.full ? { decompose: false, timeBudgetMs: 10_000 } : {}),
    });
    times.push(performance.now() - t0);
    states = r.stats.states;
    transitions = r.stats.transitions;
    complete = r.complete;
    peak = Math.max(peak, r.stats.peakHeapBytes ?? 0);
  }
  const ms = median(times);
  const row: BenchRow = {
    dimension: c.dimension,
    value: c.value,
    complete,
    states,
    transitions,
    medianMs: Math.round(ms * 10) / 10,
    statesPerSecond: Math.round((states * 1000) / ms),
    peakHeapMB: Math.round(peak / 1e5) / 10,
  };
  rows.push(row);
  console.log(
    `${`${row.dimension} = ${row.value}`.padEnd(48)} ${complete ? '' : '(incomplete) '}states ${String(row.states).padStart(8)}  transitions ${String(row.transitions).padStart(8)}  median ${String(row.medianMs).padStart(8)} ms  ${String(row.statesPerSecond).padStart(7)} states/s  heap ${row.peakHeapMB} MB`,
  );
}

const table = [
  '| dimension | value | states | transitions | median ms | states/s | peak heap MB |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.dimension} | ${r.value} | ${r.complete ? '' : '≥ '}${r.states} | ${r.transitions} | ${r.medianMs}${r.complete ? '' : ' (cut)'} | ${r.statesPerSecond} | ${r.peakHeapMB} |`),
].join('\n');
const targets = await runTargets(runs);
const timelines = runConcretizeBench(runs);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ runs, node: process.version, loadAverage: { start: load0, end: loadavg() }, rows, targets: targets.rows, counterexampleTimelines: timelines.rows }, null, 2)}\n`);
const load1 = loadavg();
const machine = `Measured ${started} on Node ${process.version}, ${cpus().length} cores; load average (1, 5, 15 min) ${load0.map((x) => x.toFixed(2)).join(', ')} at the start, ${load1.map((x) => x.toFixed(2)).join(', ')} at the end (other work was running: compare ratios within one run).`;
writeFileSync(new URL('./results.md', import.meta.url), `${machine}\n\n${table}\n\nIssue 15 targets, measured in the same run:\n\n${targets.markdown}\n\nCounterexample timelines (bench/concretize.ts), in the same run:\n\n${timelines.markdown}\n`);
console.log(`bench/results.json and bench/results.md written (${runs} runs per case, median)`);

import { runSpinBench } from './spin.ts';
await runSpinBench();
