#!/usr/bin/env node
// The `midpath` command: runs the compiled CLI, bundled (dist/bundle/, built by
// `npm run build`, which npm runs on `npm ci`, `npm install` and `npm pack`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/bundle/midpath.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('midpath: dist/ is missing: run `npm run build` (npm ci and npm install run it)\n');
  process.exit(70);
}
await import(main.href);
