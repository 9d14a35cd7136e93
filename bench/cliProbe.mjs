// Runs a midpath launcher (its path is the first argument) in this process
// and, at exit, prints `probe <peak RSS KB> <CPU µs, user + system>` as the
// last line of stderr (bench/cliSideBySide.mjs reads it).
// The peak is VmHWM of /proc/self/status on Linux: getrusage's maxRSS can
// include the parent's resident set at fork time (bench/rss.mjs).
import { readFileSync } from 'node:fs';

function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nprobe ${peakRssKb()} ${u.userCPUTime + u.systemCPUTime}\n`);
});
const bin = process.argv[2];
process.argv.splice(1, 2, bin);
await import(new URL(`file://${bin}`).href);
