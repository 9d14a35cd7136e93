// Runs the midpath CLI (bin/midpath.js) in this process and, when it exits,
// appends its peak resident set size (KB, process.resourceUsage().maxRSS) and
// its CPU time (µs, user + system, all threads) to the file named by
// MIDPATH_RSS_FILE: the whole-process rows of bench/targets.ts. Usage: node bench/rss.mjs check kb-16099 --json
//
// The peak is VmHWM of /proc/self/status where there is one (Linux): this
// process's own high-water mark since it started. getrusage's maxRSS
// (`process.resourceUsage().maxRSS`) is not: started by a process that has
// grown, it reports the parent's resident set at fork time. Measured: after
// the bench process grew to 750 MB, a child `check kb-16099 --json` reported
// a maxRSS of 206 MB against a VmHWM of 89 MB (the bench's 127-131 MB rows).
import { appendFileSync, readFileSync } from 'node:fs';

/** Peak resident set in KB of this process. */
function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS;
}

const out = process.env.MIDPATH_RSS_FILE;
process.on('exit', () => {
  if (out) {
    const u = process.resourceUsage();
    appendFileSync(out, `${peakRssKb()} ${u.userCPUTime + u.systemCPUTime}\n`);
  }
});
process.argv.splice(1, 1, new URL('../bin/midpath.js', import.meta.url).pathname);
await import('../bin/midpath.js');
