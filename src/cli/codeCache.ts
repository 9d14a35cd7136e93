import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { Io } from './io.ts';

/**
 * Loads the bundled command line with V8's code cache (issue 15; README,
 * "Performance").
 *
 * The bundle (`dist/bundle/midpath.cjs`, one CommonJS file built by
 * scripts/build.mjs from `bundleEntry.ts`) is compiled as a `vm.Script` with
 * the cached data `npm run build` wrote next to it
 * (`midpath.cjs.cache`, {@link writeCodeCache}): V8's bytecode for the
 * functions that `check kb-16099 --json` and `check kb-16099-keepalive-325`
 * ran, produced by the machine that built dist/ from the bundle's own
 * source. A cold process then neither parses nor compiles
 * them again. The cache holds compiled code, never a result: V8 accepts it
 * only for the same source, V8 version and V8 flags (bin/midpath.js sets the
 * same flags before loading as the build did, src/cli/v8Flags.ts), and
 * otherwise rejects it and compiles the source as usual, which costs time
 * and changes nothing else. A missing cache file is the same.
 *
 * Not used by the library (`import 'midpath'` loads the ES modules of
 * dist/).
 */

/** The bundled command line. */
export const BUNDLE_FILE = fileURLToPath(new URL('../bundle/midpath.cjs', import.meta.url));
/** V8's code cache for {@link BUNDLE_FILE}. */
export const CODE_CACHE_FILE = `${BUNDLE_FILE}.cache`;

/** What the bundle exports (bundleEntry.ts). */
export interface BundleExports {
  main(argv: readonly string[]): Promise<number>;
  runCli(argv: readonly string[], io: Io): Promise<number>;
}

/** The loaded bundle, and what V8 did with the code cache. */
export interface LoadedBundle {
  readonly exports: BundleExports;
  /** `accepted`: compiled from the cache; `rejected`: V8 refused it (another source, V8 or flags); `absent`: no cache read. */
  readonly cache: 'accepted' | 'rejected' | 'absent';
  readonly script: Script;
}

/**
 * Compiles and runs the bundle (with the code cache unless `useCache` is
 * false, or when the cache file is missing) and returns its exports.
 * `bundle` and `cache` default to the files of this dist/.
 */
export function loadBundle(options: { readonly useCache?: boolean; readonly bundle?: string; readonly cache?: string } = {}): LoadedBundle {
  const bundle = options.bundle ?? BUNDLE_FILE;
  const cacheFile = options.cache ?? CODE_CACHE_FILE;
  const cachedData = options.useCache !== false && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  // The same wrapper Node gives a CommonJS module. The bundle is ASCII (the build checks),
  // so latin1 reads it without decoding UTF-8. It has no dynamic import
  // (scripts/build.mjs turns Graphviz's into a require), so no import callback is needed.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'latin1')}\n})`, {
    filename: bundle,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const cache = cachedData === undefined ? 'absent' : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  return { exports: module.exports as BundleExports, cache, script };
}

/**
 * Writes the code cache of the bundle: loads it without a cache, runs each
 * command line of `runs` in this process (their output discarded; each must
 * exit 0), then stores V8's code for every function compiled so far. Called
 * by scripts/build.mjs in a fresh process that has set the launcher's V8
 * flags first. Written to a temporary file and renamed, so a reader never
 * sees half a cache. Returns its size in bytes.
 */
export async function writeCodeCache(runs: readonly (readonly string[])[], options: { readonly bundle?: string; readonly cache?: string } = {}): Promise<number> {
  const loaded = loadBundle({ ...options, useCache: false });
  for (const argv of runs) {
    const code = await loaded.exports.runCli(argv, { out: () => {}, err: () => {}, env: {} });
    if (code !== 0) throw new Error(`code cache: \`midpath ${argv.join(' ')}\` exited ${code}`);
  }
  const data = loaded.script.createCachedData();
  const file = options.cache ?? CODE_CACHE_FILE;
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
  return data.length;
}
