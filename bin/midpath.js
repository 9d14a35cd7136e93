#!/usr/bin/env node
// The `midpath` command: runs the compiled CLI, bundled (dist/bundle/, built by
// `npm run build`, which npm runs on `npm ci`, `npm install` and `npm pack`).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Two V8 heuristics tuned for a short, cold run (issue 15; README,
// "Performance", measured side by side in bench/cliSideBySide.mjs):
// - a smaller inlining budget per optimised function: TurboFan compiled the
//   explorer's loop for ~200 ms, three times over; the compile work of
//   `check kb-16099` goes from ~2.2 s to ~0.8 s of CPU;
// - a young generation that does not grow: peak RSS ~120 → ~92 MB.
// Both are read when V8 compiles or resizes, so setting them here, before the
// CLI is loaded, takes effect. V8 prints "unrecognized flag" on stderr for a
// flag it does not know, so they are set only on V8 11-13 (Node 20-24), whose
// flag definitions have both names. Measured on Node 20 (V8 11) only; later V8
// versions clamp the growth factor to at least 2, so there the second flag
// changes nothing.
if (/^1[123]\./.test(process.versions.v8)) {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  setFlagsFromString('--semi-space-growth-factor=1');
}

const main = new URL('../dist/bundle/midpath.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('midpath: dist/ is missing: run `npm run build` (npm ci and npm install run it)\n');
  process.exit(70);
}
await import(main.href);
