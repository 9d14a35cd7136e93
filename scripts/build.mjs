#!/usr/bin/env node
// Compiles src/ to dist/: ESM JavaScript and .d.ts files (tsc with
// rewriteRelativeImportExtensions, so `./x.ts` imports become `./x.js`), plus the
// files the code reads at run time (preset YAML, the worker bootstrap), plus the
// command line bundled by esbuild into dist/bundle/ (bin/midpath.js runs it):
// a few files instead of ~200 modules to resolve and load at start-up, each
// command still loaded only when it runs (code splitting). Inside the bundle,
// every module's `import.meta.url` is rewritten to the URL of its own compiled
// file in dist/, so files it reads relative to itself (presets, package.json,
// the worker bootstrap) are found exactly where the unbundled code finds them.
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
import { build as esbuild } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

/** Every file under `dir`, recursively. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Bundles src/cli/main.ts into `<out>/bundle/` (ESM, code splitting, every
 * file at the top of that folder). Dependencies are bundled too, except
 * Graphviz (@viz-js/viz, several MB of WebAssembly, loaded only for reports).
 */
async function bundleCli(out) {
  const bundleDir = join(out, 'bundle');
  const metaUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!args.path.startsWith(src) || !text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
        const compiled = join(out, relative(src, args.path)).replace(/\.ts$/, '.js');
        const rel = relative(bundleDir, compiled).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
  await esbuild({
    entryPoints: { midpath: join(src, 'cli', 'main.ts') },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@viz-js/viz'],
    chunkNames: 'chunk-[hash]',
    // CommonJS dependencies inside an ES module bundle need a real require for Node's built-ins.
    banner: { js: "import { createRequire as __midpathRequire } from 'node:module'; const require = __midpathRequire(import.meta.url);" },
    plugins: [metaUrl],
    logLevel: 'warning',
  });
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
await bundleCli(next);
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);

const old = `${dist}.old-${process.pid}`;
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
