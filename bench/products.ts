/**
 * Products that do not decompose (issue 15; README, "Products that do not
 * decompose"): `npx tsx bench/products.ts [budget ms]` prints, for small
 * KB-shaped topologies with connections sharing a 2-tuple GWLB entry (one
 * retransmission), the states of the unreduced product, of the product
 * observing one connection (src/system/observedConnections.ts), stopped at the
 * end of the observed connections (src/system/observedEnd.ts), both, and an upper
 * bound on what a reduction of zero-time interleavings could save: the
 * product in which a state with segments in flight keeps only the crossings
 * of its first in-flight direction (NOT sound: it drops behaviours; only a
 * bound on any partial-order reduction restricted to instantaneous steps).
 * Each row is explored in this process, one after another, with the budget
 * (default 60 s). Measurements only; the exactness of observing one
 * connection is tested in test/system/observedConnections.test.ts.
 */
import { checkTopology } from '../src/check.ts';
import { explore } from '../src/engine/explore.ts';
import type { TimedSystem } from '../src/engine/timedSystem.ts';
import { checksFor } from '../src/properties/catalogue.ts';
import type { SystemLabel } from '../src/system/labels.ts';
import { ProductSystem, type SystemEdge, type SystemState } from '../src/system/product.ts';
import { kbTopology, type KbOverrides } from '../test/fixtures/kbTopology.ts';

const budgetMs = Number(process.argv[2] ?? 60_000);

/** The product keeping, in a state with segments in flight, only the first in-flight direction's crossings (an unsound bound). */
function firstCrossingOnly(sys: ProductSystem): TimedSystem<SystemState, SystemLabel> {
  const cache = new Map<string, readonly SystemEdge[]>();
  return {
    initial: () => sys.initial(),
    clocks: (s) => sys.clocks(s),
    key: (s) => sys.key(s),
    urgent: (s) => sys.urgent(s),
    dropClocks: (s, k) => sys.dropClocks(s, k),
    successors: (s) => {
      const all = sys.successors(s);
      const first = s.inflight[0];
      if (first === undefined) return all;
      let hit = cache.get(s.key);
      if (!hit) {
        hit = all.filter((e) => e.label.kind === 'segment' && e.label.seg.conn === first.conn && e.label.seg.from === first.from);
        cache.set(s.key, hit);
      }
      return hit;
    },
  };
}

const shapes: [string, KbOverrides][] = [
  ['one appliance', { retries2: 1, appliances: 1 }],
  ['one appliance, server never closes', { retries2: 1, appliances: 1, serverIdleClose: 'never' }],
  ['two appliances, server never closes', { retries2: 1, serverIdleClose: 'never' }],
];
const cell = (r: { complete: boolean; stats: { states: number } }) => `${r.complete ? '' : '≥ '}${r.stats.states}`;
console.log('| topology | connections | unreduced | one observed | stopped at its end | both (default) | zero-time orders but one (unsound bound) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, o] of shapes) {
  for (const connections of [2, 3]) {
    const t = kbTopology({ ...o, connections, stickiness: '2-tuple' });
    const run = (observeOne: boolean, stopAtObservedEnd: boolean) => checkTopology(t, {}, { replay: false, observeOne, stopAtObservedEnd, timeBudgetMs: budgetMs });
    const sys = new ProductSystem(t, { observeOne: false });
    const bound = explore(firstCrossingOnly(sys), checksFor(sys), { timeBudgetMs: budgetMs });
    console.log(`| ${name} | ${connections} | ${cell(run(false, false))} | ${cell(run(true, false))} | ${cell(run(false, true))} | ${cell(run(true, true))} | ${cell(bound)} |`);
  }
}
