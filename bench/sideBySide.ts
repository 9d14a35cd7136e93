/**
 * Side-by-side ratio of two checkouts in one run (issue 15: each
 * optimisation against its predecessor): `npx tsx bench/sideBySide.ts
 * <before-root> <after-root> [fresh|table] [processes]`. Make the "before"
 * checkout with `git worktree add /tmp/before <commit>` (and `npm ci` or a
 * node_modules symlink there). Processes alternate between the two
 * checkouts (before, after, before, …) so both see the same machine load;
 * each process runs bench/kbRun.ts (warm-up, then timed runs). Prints the
 * median of all timed runs per checkout and the ratio before/after, and
 * fails when the two explore different state or transition counts or give
 * different windows (an optimisation must not change the zone graph unless
 * its commit says why).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [before, after] = [process.argv[2], process.argv[3]];
if (!before || !after) {
  console.error('usage: npx tsx bench/sideBySide.ts <before-root> <after-root> [fresh|table] [processes]');
  process.exit(2);
}
const mode = process.argv[4] ?? 'fresh';
const procs = Number(process.argv[5] ?? 5);
const runner = fileURLToPath(new URL('./kbRun.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

interface Out {
  readonly states: number;
  readonly transitions: number;
  readonly windows: string;
  readonly times: number[];
  readonly cpu?: number[];
  readonly rssMB: number;
}
const all: Record<string, { times: number[]; cpu: number[]; rss: number[]; last?: Out }> = { before: { times: [], cpu: [], rss: [] }, after: { times: [], cpu: [], rss: [] } };
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (let p = 0; p < procs; p++) {
  for (const [name, root] of [['before', before], ['after', after]] as const) {
    const out = JSON.parse(execFileSync(tsx, [runner, root, mode], { encoding: 'utf8' }).trim().split('\n').pop()!) as Out;
    const slot = all[name]!;
    slot.times.push(...out.times);
    slot.cpu.push(...(out.cpu ?? []));
    slot.rss.push(out.rssMB);
    slot.last = out;
  }
}
const b = all['before']!;
const a = all['after']!;
const mb = median(b.times);
const ma = median(a.times);
console.log(`mode ${mode}, ${procs} processes each, alternating`);
console.log(`before ${before}: states ${b.last!.states} transitions ${b.last!.transitions} median ${mb.toFixed(1)} ms (rss ${median(b.rss)} MB)`);
console.log(`after  ${after}: states ${a.last!.states} transitions ${a.last!.transitions} median ${ma.toFixed(1)} ms (rss ${median(a.rss)} MB)`);
console.log(`ratio before/after ${(mb / ma).toFixed(2)}× wall`);
if (a.cpu.length > 0 && b.cpu.length > 0) console.log(`CPU ms before ${median(b.cpu).toFixed(1)}, after ${median(a.cpu).toFixed(1)}: ratio ${(median(b.cpu) / median(a.cpu)).toFixed(2)}×`);
if (b.last!.states !== a.last!.states || b.last!.transitions !== a.last!.transitions || b.last!.windows !== a.last!.windows) {
  console.log('the zone graphs differ (states, transitions or windows)');
  process.exitCode = 1;
}
