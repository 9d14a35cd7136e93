/**
 * `npm run bench`: explores the KB 16099 scenario and its appliance-count
 * family, several runs each, and prints states, transitions, median ms,
 * states/s and peak heap; writes bench/results.json. Timings vary with the
 * machine; state and transition counts do not.
 */
import { writeFileSync } from 'node:fs';
import { checkTopology } from '../src/check.ts';
import { kbTopology, type KbOverrides } from '../test/fixtures/kbTopology.ts';

const runs = Number(process.env['MIDPATH_BENCH_RUNS'] ?? 5);
const cases: { name: string; o: KbOverrides }[] = [
  { name: 'kb-16099', o: {} },
  ...[1, 2, 4, 8, 16].map((n) => ({ name: `kb-16099 appliances=${n}`, o: { appliances: n } })),
  { name: 'kb-16099 keepalive 325', o: { clientKeepaliveIdle: 325 } },
  { name: 'kb-16099 timeouts x10', o: { timeScale: 10 } },
  { name: 'kb-16099 timeouts x100', o: { timeScale: 100 } },
];

interface Row {
  readonly scenario: string;
  readonly states: number;
  readonly transitions: number;
  readonly medianMs: number;
  readonly statesPerSecond: number;
  readonly peakHeapMB: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const rows: Row[] = [];
for (const c of cases) {
  const times: number[] = [];
  let states = 0;
  let transitions = 0;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = checkTopology(kbTopology(c.o), {}, { replay: false, heap: () => process.memoryUsage().heapUsed });
    times.push(performance.now() - t0);
    states = r.stats.states;
    transitions = r.stats.transitions;
    peak = Math.max(peak, r.stats.peakHeapBytes ?? 0);
  }
  const ms = median(times);
  rows.push({ scenario: c.name, states, transitions, medianMs: Math.round(ms * 10) / 10, statesPerSecond: Math.round((states * 1000) / ms), peakHeapMB: Math.round(peak / 1e5) / 10 });
  const r = rows[rows.length - 1]!;
  console.log(`${r.scenario.padEnd(28)} states ${String(r.states).padStart(7)}  transitions ${String(r.transitions).padStart(7)}  median ${String(r.medianMs).padStart(8)} ms  ${String(r.statesPerSecond).padStart(7)} states/s  heap ${r.peakHeapMB} MB`);
}
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ runs, node: process.version, rows }, null, 2)}\n`);
console.log(`bench/results.json written (${runs} runs per case, median)`);
import { runSpinBench } from './spin.ts';
await runSpinBench();
