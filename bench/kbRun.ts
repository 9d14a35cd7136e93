/**
 * One process of the side-by-side comparison (bench/sideBySide.ts): loads
 * midpath from the given checkout (`npx tsx bench/kbRun.ts <root> [mode]`),
 * runs the KB 16099 check (all four properties, complete windows, no
 * replay) `MIDPATH_BENCH_WARMUP` + `MIDPATH_BENCH_RUNS` times in this
 * process and prints one JSON line: states, transitions and the wall and CPU
 * times (ms) of the runs after warm-up.
 *
 * Modes: `fresh` (default) runs `checkTopology`, which reuses the composed
 * system of a topology it checked recently (check.ts `recentSystems`);
 * `table` explores one composed system again and again, so the discrete
 * successor table (and the system's own caches) are built once and only the
 * zone exploration is timed; `compose` builds a new `ProductSystem` per run
 * and explores it, so composition (xstate steps, keys, successor table) is
 * timed as well.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const mode = process.argv[3] ?? 'fresh';
const warmup = Number(process.env['MIDPATH_BENCH_WARMUP'] ?? 2);
const runs = Number(process.env['MIDPATH_BENCH_RUNS'] ?? 5);
const imp = (p: string) => import(pathToFileURL(`${root}/${p}`).href);

const { checkTopology } = await imp('src/check.ts');
const { kbTopology } = await imp('test/fixtures/kbTopology.ts');
const { ProductSystem } = await imp('src/system/product.ts');
const { explore } = await imp('src/engine/explore.ts');
const { checksFor, properties } = await imp('src/properties/catalogue.ts');

const times: number[] = [];
const cpu: number[] = [];
let states = 0;
let transitions = 0;
let windows = '';
const sys = mode === 'table' ? new ProductSystem(kbTopology()) : undefined;
const checks = sys ? checksFor(sys, properties) : undefined;
for (let i = 0; i < warmup + runs; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (sys || mode === 'compose') {
    const s = sys ?? new ProductSystem(kbTopology());
    const r = explore(s, sys ? checks : checksFor(s, properties), {});
    states = r.stats.states;
    transitions = r.stats.transitions;
    windows = JSON.stringify(r.verdicts.map((v: { id: string; status: string; window?: unknown }) => [v.id, v.status, v.window]));
  } else {
    const r = checkTopology(kbTopology(), {}, { replay: false });
    states = r.stats.states;
    transitions = r.stats.transitions;
    windows = JSON.stringify(r.results.map((x: { property: string; holds: boolean; window?: unknown }) => [x.property, x.holds, x.window]));
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (i >= warmup) {
    times.push(ms);
    cpu.push((c.user + c.system) / 1000);
  }
}
console.log(JSON.stringify({ root, mode, states, transitions, windows, times, cpu, rssMB: Math.round(process.memoryUsage().rss / 1e5) / 10 }));
