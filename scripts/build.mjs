#!/usr/bin/env node
// Compiles src/ to dist/: ESM JavaScript and .d.ts files (tsc with
// rewriteRelativeImportExtensions, so `./x.ts` imports become `./x.js`), plus the
// files the code reads at run time (preset YAML, the worker bootstrap).
// Run by `npm run build`, and by npm itself on `npm ci`/`npm install` (prepare) and
// `npm pack`/`npm publish` (prepack). Plain Node, so it needs nothing but typescript.
//
//   node scripts/build.mjs           build; fails on a type error
//   node scripts/build.mjs --if-stale  build only when a file under src/ is newer than dist/ (the test suite's setup)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

/** Every file under `dir`, recursively. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** True when dist/ was built after the last change under src/ (and after this script and the build config changed). */
function isFresh() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...walk(src), fileURLToPath(import.meta.url), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')];
  return inputs.every((f) => statSync(f).mtimeMs < built);
}

if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);

// Built next to dist/ and swapped in at the end, so a midpath process that runs
// while a build is under way (a test, `npm pack`) never finds dist/ half written.
const next = `${dist}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  console.error('build: tsc failed (see above); dist/ is unchanged');
  process.exit(run.status ?? 1);
}

// tsc keeps `.ts` in the specifiers of declaration files; a consumer's NodeNext
// resolution needs the `.js` name of the file that exists next to them.
for (const file of walk(next).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g, (_m, lead, q, spec) => `${lead}${q}${spec}.js${q}`);
  if (fixed !== text) writeFileSync(file, fixed);
}

// Run-time files that are not TypeScript: copied as they are.
for (const file of walk(src).filter((f) => !f.endsWith('.ts'))) {
  const target = join(next, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);

const old = `${dist}.old-${process.pid}`;
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
