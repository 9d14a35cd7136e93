// Runs the midpath CLI (bin/midpath.js) in this process and, when it exits,
// appends its peak resident set size (KB, peakRss.mjs) and
// its CPU time (µs, user + system, all threads) to the file named by
// MIDPATH_RSS_FILE: the whole-process rows of bench/targets.ts. Usage: node bench/rss.mjs check kb-16099 --json
import { appendFileSync } from 'node:fs';
import { peakRssKb } from './peakRss.mjs';

const out = process.env.MIDPATH_RSS_FILE;
process.on('exit', () => {
  if (out) {
    const u = process.resourceUsage();
    appendFileSync(out, `${peakRssKb()} ${u.userCPUTime + u.systemCPUTime}\n`);
  }
});
process.argv.splice(1, 1, new URL('../bin/midpath.js', import.meta.url).pathname);
await import('../bin/midpath.js');
