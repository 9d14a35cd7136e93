// Peak resident set in KB of this process, for the whole-process benchmarks
// (bench/rss.mjs, bench/cliProbe.mjs). VmHWM of /proc/self/status where there
// is one (Linux): this process's own high-water mark since it started.
// getrusage's maxRSS (`process.resourceUsage().maxRSS`) is not: started by a
// process that has grown, it reports the parent's resident set at fork time.
// Measured: after the bench process grew to 750 MB, a child `check kb-16099
// --json` reported a maxRSS of 206 MB against a VmHWM of 89 MB.
import { readFileSync } from 'node:fs';

export function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS;
}
