#!/usr/bin/env node
// The `midpath` command: runs the compiled CLI, bundled (dist/bundle/midpath.cjs,
// built by `npm run build`, which npm runs on `npm ci`, `npm install` and `npm pack`),
// compiled from V8's code cache where V8 accepts it (src/cli/codeCache.ts).
// First it sets V8's heuristics for a short cold run (src/cli/v8Flags.ts, compiled
// to dist/cli/v8Flags.js): they are read when V8 compiles or resizes, so setting
// them before the CLI is loaded takes effect; the build made the code cache under
// the same flags, including V8's checksum of code caches.
import { existsSync } from 'node:fs';

const tuning = new URL('../dist/cli/v8Flags.js', import.meta.url);
const loader = new URL('../dist/cli/codeCache.js', import.meta.url);
const bundle = new URL('../dist/bundle/midpath.cjs', import.meta.url);
if (![tuning, loader, bundle].every((u) => existsSync(u))) {
  process.stderr.write('midpath: dist/ is missing: run `npm run build` (npm ci and npm install run it)\n');
  process.exit(70);
}
// The code cache is read only under the flags it was written with (no flags, no cache).
const tuned = (await import(tuning.href)).tuneForShortRuns();
process.exitCode = await (await import(loader.href)).loadBundle({ useCache: tuned }).exports.main(process.argv.slice(2));
