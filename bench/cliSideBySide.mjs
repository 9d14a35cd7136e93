// Side-by-side ratio of two checkouts' whole `midpath` process (issue 15:
// each optimisation against its predecessor, measured in one run):
//   node bench/cliSideBySide.mjs <before-root> <after-root> [processes] [-- midpath args]
// (default args: check kb-16099 --json). Each root needs a built dist/
// (`node scripts/build.mjs` there). Processes alternate (before, after, …)
// so both see the same machine load. Prints the medians of wall time, CPU
// time (user + system) and peak RSS per checkout, their ratios, the load
// average, and fails when the two print different stdout (timings aside).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const pos = dash < 0 ? argv : argv.slice(0, dash);
const args = dash < 0 ? ['check', 'kb-16099', '--json'] : argv.slice(dash + 1);
const [before, after] = [pos[0], pos[1]];
if (!before || !after) {
  console.error('usage: node bench/cliSideBySide.mjs <before-root> <after-root> [processes] [-- midpath args]');
  process.exit(2);
}
const procs = Number(pos[2] ?? 7);
const probe = fileURLToPath(new URL('./cliProbe.mjs', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Drops what differs between runs of the same input: timings. */
const stable = (text) => text.replace(/"ms": [0-9.e+-]+/g, '"ms": 0');

const all = { before: { wall: [], cpu: [], rss: [] }, after: { wall: [], cpu: [], rss: [] } };
const outs = {};
const load0 = loadavg()[0];
for (let p = 0; p < procs; p++) {
  for (const [name, root] of [['before', before], ['after', after]]) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [probe, resolve(root, 'bin/midpath.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const wall = performance.now() - t0;
    const line = r.stderr.trim().split('\n').pop() ?? '';
    const m = /^probe (\d+) (\d+)$/.exec(line);
    if (!m) throw new Error(`${name}: no probe line (exit ${r.status}): ${r.stderr.slice(-400)}`);
    all[name].wall.push(wall);
    all[name].cpu.push(Number(m[2]) / 1000);
    all[name].rss.push(Number(m[1]) / 1024);
    outs[name] = stable(r.stdout);
  }
}
const f = (x) => x.toFixed(0);
console.log(`midpath ${args.join(' ')}: ${procs} processes each, alternating; load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
for (const name of ['before', 'after']) {
  const s = all[name];
  console.log(`${name.padEnd(6)} ${name === 'before' ? before : after}: wall ${f(median(s.wall))} ms, CPU ${f(median(s.cpu))} ms, peak RSS ${f(median(s.rss))} MB`);
}
const b = all.before;
const a = all.after;
console.log(`ratio before/after: wall ${(median(b.wall) / median(a.wall)).toFixed(2)}×, CPU ${(median(b.cpu) / median(a.cpu)).toFixed(2)}×, RSS ${(median(b.rss) / median(a.rss)).toFixed(2)}×`);
if (outs.before !== outs.after) {
  console.log('the two print different output');
  process.exitCode = 1;
}
