// The warm in-process target of issue 15 in a process of its own (bench/targets.ts
// starts it): the compiled package (dist/, what `import 'midpath'` loads) checks
// kb-16099 ten times to compose the system and warm the JIT, then as many timed
// times as the first argument asks (at least 15), and prints one JSON line: median
// wall and CPU ms, states, transitions. Its own process because the bench's, by
// the time the targets run, holds the systems of the rows before them (the
// 2-connection product's among them), which slows every garbage collection.
const runs = Math.max(15, Number(process.argv[2] ?? 15));
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { checkTopology } = await dist('check.js');
const { loadPreset } = await dist('scenarios/presets.js');
const { toTopology } = await dist('scenarios/toTopology.js');
const kb = toTopology(loadPreset('kb-16099'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let i = 0; i < 10; i++) checkTopology(kb, {}, { replay: false });
const wall = [];
const cpu = [];
let stats = { states: 0, transitions: 0 };
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  stats = checkTopology(kb, {}, { replay: false }).stats;
  const c = process.cpuUsage(c0);
  wall.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
}
console.log(JSON.stringify({ wall: median(wall), cpu: median(cpu), states: stats.states, transitions: stats.transitions }));
