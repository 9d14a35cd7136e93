/**
 * Counterexample timelines (part of `npm run bench`): src/engine/concretize.ts
 * (backward zones over the path's own clocks, then a forward choice on concrete
 * values) side by side with the form before it, one stamp clock per instant in
 * one DBM (test/engine/fixtures/concretizeStampClocks.ts), on prefixes of the
 * 4,754-step no-half-open counterexample of test/fixtures/longCounterexample.topology.json
 * (client keepalive every second against a server idle close of 1524 s), then the
 * new form alone on the whole path (the old one needs about 90 s there). Runs
 * alternate between the two forms; medians. Not a test: nothing here asserts a time.
 */
import { readFileSync } from 'node:fs';
import { concretize, concretizeInstants } from '../src/engine/concretize.ts';
import { explore } from '../src/engine/explore.ts';
import type { Edge } from '../src/engine/timedSystem.ts';
import { checksFor } from '../src/properties/catalogue.ts';
import { ProductSystem } from '../src/system/product.ts';
import type { Topology } from '../src/system/topology.ts';
import { concretizeStampClocks } from '../test/engine/fixtures/concretizeStampClocks.ts';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** One row: a prefix of the path, both forms' medians (ms), and whether they chose the same times. */
export interface ConcretizeRow {
  readonly steps: number;
  readonly instants: number;
  readonly newMs: number;
  readonly oldMs: number | undefined;
  readonly sameTimes: boolean | undefined;
}

export function runConcretizeBench(runs: number): { rows: ConcretizeRow[]; markdown: string } {
  const t = JSON.parse(readFileSync(new URL('../test/fixtures/longCounterexample.topology.json', import.meta.url), 'utf8')) as Topology;
  const sys = new ProductSystem(t);
  const v = explore(sys, checksFor(sys)).verdicts.find((x) => x.id === 'no-half-open');
  if (!v || v.status !== 'violated') throw new Error('bench/concretize.ts: the long topology no longer violates no-half-open');
  const path: Edge<unknown, unknown>[] = v.path.slice(1).map((p) => p.edge!) as Edge<unknown, unknown>[];
  const rows: ConcretizeRow[] = [];
  console.log(`\nCounterexample timelines (${path.length}-step path; median of ${runs}; old = one stamp clock per instant)`);
  for (const steps of [200, 400, 800, path.length]) {
    const edges = path.slice(0, steps);
    const withOld = steps <= 800;
    const tNew: number[] = [];
    const tOld: number[] = [];
    let same: boolean | undefined;
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const a = concretize(sys as never, edges as never);
      tNew.push(performance.now() - t0);
      if (!withOld) continue;
      t0 = performance.now();
      const b = concretizeStampClocks(sys as never, edges as never);
      tOld.push(performance.now() - t0);
      same = JSON.stringify(a?.times) === JSON.stringify(b?.times) && a !== undefined;
    }
    const row: ConcretizeRow = {
      steps,
      instants: concretizeInstants(sys as never, edges as never),
      newMs: Math.round(median(tNew) * 10) / 10,
      oldMs: withOld ? Math.round(median(tOld) * 10) / 10 : undefined,
      sameTimes: same,
    };
    rows.push(row);
    console.log(
      `${String(steps).padStart(5)} steps, ${String(row.instants).padStart(5)} instants: new ${String(row.newMs).padStart(8)} ms` +
        (withOld ? `, old ${String(row.oldMs).padStart(8)} ms (${(row.oldMs! / row.newMs).toFixed(0)}×), same times: ${same ? 'yes' : 'NO'}` : ''),
    );
  }
  const markdown = [
    '| steps | instants | concretize.ts ms | one stamp clock per instant ms | ratio | same times |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.steps} | ${r.instants} | ${r.newMs} | ${r.oldMs ?? '(not run: about 90 s)'} | ${r.oldMs === undefined ? '' : `${(r.oldMs / r.newMs).toFixed(0)}×`} | ${r.sameTimes === undefined ? '' : r.sameTimes ? 'yes' : 'no'} |`),
  ].join('\n');
  return { rows, markdown };
}
