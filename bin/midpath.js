#!/usr/bin/env node
// The `midpath` command: runs the compiled CLI, bundled (dist/bundle/, built by
// `npm run build`, which npm runs on `npm ci`, `npm install` and `npm pack`).
// First it sets V8's heuristics for a short cold run (src/cli/v8Flags.ts, compiled
// to dist/cli/v8Flags.js): they are read when V8 compiles or resizes, so setting
// them before the CLI is loaded takes effect.
import { existsSync } from 'node:fs';

const tuning = new URL('../dist/cli/v8Flags.js', import.meta.url);
const main = new URL('../dist/bundle/midpath.js', import.meta.url);
if (!existsSync(main) || !existsSync(tuning)) {
  process.stderr.write('midpath: dist/ is missing: run `npm run build` (npm ci and npm install run it)\n');
  process.exit(70);
}
(await import(tuning.href)).tuneForShortRuns();
await import(main.href);
