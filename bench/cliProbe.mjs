// Runs a midpath launcher (its path is the first argument) in this process
// and, at exit, prints `probe <peak RSS KB> <CPU µs, user + system>` as the
// last line of stderr (bench/cliSideBySide.mjs reads it).
import { peakRssKb } from './peakRss.mjs';

process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nprobe ${peakRssKb()} ${u.userCPUTime + u.systemCPUTime}\n`);
});
const bin = process.argv[2];
process.argv.splice(1, 2, bin);
await import(new URL(`file://${bin}`).href);
