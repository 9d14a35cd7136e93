/**
 * `npx tsx bench/paths.ts` (also run by `npm run bench` after bench/run.ts):
 * paths of 1..5 hops of different kinds, the KB 16099 endpoints on each (no
 * keepalive, the server closing after 400 s idle), all four properties, at
 * least three runs each. Prints states, transitions and the median ms, and
 * writes bench/paths-results.json and the Markdown table
 * bench/paths-results.md. The 4-hop row is a path with a GWLB and two
 * appliances. Timings vary with the machine; state and transition counts do
 * not. Not a test: nothing here asserts a time.
 */
import { writeFileSync } from 'node:fs';
import { checkTopology } from '../src/check.ts';
import { flowHop } from '../src/system/flowHop.ts';
import type { FirewallHopSpec, HopSpec, Topology } from '../src/system/topology.ts';
import { kbTopology } from '../test/fixtures/kbTopology.ts';

const runs = Math.max(3, Number(process.env['MIDPATH_BENCH_RUNS'] ?? 3));

const kb = kbTopology();
const gwlb = kb.path[0]!;
const panOs: FirewallHopSpec = { kind: 'firewall', firewall: { kind: 'pan-os', rejectNonSyn: true, timeouts: { init: 5, handshake: 10, established: 3600, halfClosed: 120, timeWait: 15 } }, boundary: 'open' };

/** The paths, client side first. */
const paths: readonly (readonly HopSpec[])[] = [
  [flowHop('nat-gateway')],
  [flowHop('eni-conntrack'), flowHop('nat-gateway')],
  [flowHop('eni-conntrack'), gwlb, flowHop('nat-gateway')],
  [flowHop('eni-conntrack'), gwlb, flowHop('aws-network-firewall'), flowHop('nat-gateway')],
  [flowHop('eni-conntrack'), gwlb, flowHop('aws-network-firewall'), panOs, flowHop('nat-gateway')],
];

/** One benchmark row. */
export interface PathBenchRow {
  readonly hops: number;
  readonly path: string;
  readonly complete: boolean;
  readonly states: number;
  readonly transitions: number;
  readonly medianMs: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: PathBenchRow[] = [];
for (const path of paths) {
  const t: Topology = { ...kb, name: `path-${path.length}`, path };
  const times: number[] = [];
  let last = checkTopology(t, {}, { replay: false });
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = checkTopology(t, {}, { replay: false });
    times.push(performance.now() - t0);
  }
  const label = path.map((h) => (h.kind === 'gwlb' ? `gwlb (${h.appliances.count} ${h.appliances.firewall.kind})` : h.kind === 'firewall' ? h.firewall.kind : h.type)).join(' → ');
  const row: PathBenchRow = { hops: path.length, path: label, complete: last.complete, states: last.stats.states, transitions: last.stats.transitions, medianMs: Math.round(median(times) * 10) / 10 };
  rows.push(row);
  console.log(`${String(row.hops).padStart(2)} hops  ${row.states.toString().padStart(7)} states ${row.transitions.toString().padStart(7)} transitions ${row.medianMs.toString().padStart(8)} ms  ${row.path}`);
}

const md = [
  '| hops | path (client side first) | states | transitions | median ms |',
  '| ---: | --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.hops} | ${r.path} | ${r.states} | ${r.transitions} | ${r.medianMs}${r.complete ? '' : ' (cut)'} |`),
].join('\n');
writeFileSync(new URL('./paths-results.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);
writeFileSync(new URL('./paths-results.md', import.meta.url), `${md}\n`);
