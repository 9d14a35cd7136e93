#!/usr/bin/env node
// Compiles src/ to dist/: ESM JavaScript and .d.ts files (tsc with
// rewriteRelativeImportExtensions, so `./x.ts` imports become `./x.js`), plus the
// files the code reads at run time (preset YAML, the worker bootstrap), plus the
// command line bundled by esbuild into one CommonJS file, dist/bundle/midpath.cjs,
// and V8's code cache for it (bin/midpath.js runs it through src/cli/codeCache.ts):
// one file to compile, from cached bytecode, instead of ~200 modules to resolve,
// parse and compile at start-up. Inside the bundle, every module's
// `import.meta.url` is rewritten to the URL of its own compiled file in dist/,
// so files it reads relative to itself (presets, package.json, the worker
// bootstrap) are found exactly where the unbundled code finds them.
// Run by `npm run build`, and by npm itself on `npm ci`/`npm install` (prepare) and
// `npm pack`/`npm publish` (prepack). Plain Node, so it needs nothing but typescript
// and esbuild.
//
//   node scripts/build.mjs           build; fails on a type error
//   node scripts/build.mjs --if-stale  build only when a file under src/ is newer than dist/ (the test suite's setup)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
 * Bundles src/cli/bundleEntry.ts into `<out>/bundle/midpath.cjs`: one
 * CommonJS file (a `vm.Script` can be compiled with a code cache; an ES module
 * cannot be, on Node 20). Dependencies are bundled too, except Graphviz
 * (@viz-js/viz, several MB of WebAssembly, imported only for reports). A
 * single file costs a little more to compile than the split ES module bundle
 * it replaced (0.98x measured), which the code cache more than pays back.
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
        // __filename: the bundle's own path (codeCache.ts passes it, as Node does for a CommonJS module)
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, require('node:url').pathToFileURL(__filename)).href`), loader: 'ts' };
      });
    },
  };
  // renderSvg.ts's `import('@viz-js/viz')` becomes a require of the package's CommonJS
  // build (its "require" export): a dynamic import inside a vm.Script needs a callback
  // that Node 20 marks experimental and drops when the script comes from a code cache.
  const vizByRequire = {
    name: 'viz-by-require',
    setup(b) {
      b.onResolve({ filter: /^@viz-js\/viz$/ }, (args) => (args.kind === 'dynamic-import' ? { path: 'viz', namespace: 'viz-by-require' } : { path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: 'viz-by-require' }, () => ({ contents: "module.exports = require('@viz-js/viz');", loader: 'js' }));
    },
  };
  await esbuild({
    entryPoints: { midpath: join(src, 'cli', 'bundleEntry.ts') },
    outdir: bundleDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    // ASCII only (other characters escaped), so that codeCache.ts reads it as latin1: no UTF-8 decoding
    charset: 'ascii',
    // and without comments or indentation: less to read; names stay, for stack traces
    minifyWhitespace: true,
    platform: 'node',
    target: 'node20',
    plugins: [metaUrl, vizByRequire],
    logLevel: 'warning',
  });
  // esbuild escapes other characters in strings, not in regular expression literals
  // (write those as \\uXXXX in src/): a bundle read as latin1 must be ASCII.
  const text = readFileSync(join(bundleDir, 'midpath.cjs'), 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) throw new Error(`build: dist/bundle/midpath.cjs is not ASCII at offset ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`);
}

/**
 * Writes V8's code cache for the bundle in `out` (src/cli/codeCache.ts): a
 * fresh Node process sets the launcher's V8 flags (the cache is accepted only
 * under the flags it was made with; they include V8's checksum of code caches),
 * runs `check kb-16099 --json` and the text output of
 * `check kb-16099-keepalive-325` from the bundle, and stores the code of every
 * function that ran. A cache that cannot
 * be made fails the build: without it every command still works, only slower,
 * so its absence would go unnoticed.
 */
function writeCodeCache(out) {
  const script = [
    `const { tuneForShortRuns } = await import(${JSON.stringify(pathToFileURL(join(out, 'cli', 'v8Flags.js')).href)});`,
    `const { writeCodeCache } = await import(${JSON.stringify(pathToFileURL(join(out, 'cli', 'codeCache.js')).href)});`,
    // No flags (a V8 outside 11-13): no cache, and bin/midpath.js reads none.
    "if (tuneForShortRuns()) await writeCodeCache([['check', 'kb-16099', '--json'], ['check', 'kb-16099-keepalive-325']]);",
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`build: writing the code cache failed (exit ${run.status})`);
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
try {
  await bundleCli(next);
  writeCodeCache(next);
} catch (e) {
  rmSync(next, { recursive: true, force: true });
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);

const old = `${dist}.old-${process.pid}`;
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
