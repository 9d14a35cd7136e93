// The package as a user gets it: `npm pack`, then a separate consumer project that
// installs the tarball offline (from the npm cache `npm ci` filled; a dead proxy
// makes any network request fail) and uses it from plain Node, from TypeScript
// (a strict NodeNext `tsc --noEmit`) and from vitest (the README's example, as
// written there). About 20-40 s: it packs, installs and runs a second vitest.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerLockfile, type Lockfile } from './consumerLockfile.ts';
import { REPO } from '../cli/runMidpath.ts';
import { presetNames } from '../../src/scenarios/presets.ts';

const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly bin: Record<string, string>;
  readonly engines: Record<string, string>;
};
const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** The README's library example: the ```ts block of its "Use it from your own tests" section. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const from = readme.indexOf('## Use it from your own tests');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (from < 0 || block === null) throw new Error('README.md has no ```ts block under "## Use it from your own tests"');
  return block[1]!;
}

/** Runs a command in the consumer project; returns its output, or fails with everything it printed. */
function run(dir: string, command: string, args: readonly string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env, MIDPATH_DEBUG: '' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let consumer: string;
let tarballFiles: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'midpath-pack-'));
  consumer = join(work, 'consumer');
  mkdirSync(join(consumer, 'examples'), { recursive: true });
  // --ignore-scripts: pack the dist/ the suite's global setup built (npm pack's own prepack
  // build would swap dist/ under the tests that run the binary at the same time)
  const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as [
    { filename: string; files: { path: string }[] },
  ];
  tarballFiles = packed[0].files.map((f) => f.path);
  const tarball = packed[0].filename;
  copyFileSync(join(work, tarball), join(consumer, tarball));
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(consumer, tarball))).digest('base64')}`;
  const lock = consumerLockfile(repoLock, repoPackage, tarball, integrity, ['vitest']);
  writeFileSync(join(consumer, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: lock.packages['']!.dependencies }, null, 2)}\n`);
  copyFileSync(join(REPO, 'examples', 'our-path.yaml'), join(consumer, 'examples', 'our-path.yaml'));
  const install = run(consumer, NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    npm_config_proxy: 'http://127.0.0.1:9',
    npm_config_https_proxy: 'http://127.0.0.1:9',
  });
  if (install.code !== 0) throw new Error(`npm ci --offline in the consumer failed:\n${install.stdout}\n${install.stderr}`);
}, 180_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships compiled JavaScript, declarations, the schema, the docs and the licence, and no sources, tests, lab, benchmarks or CI', () => {
    expect(tarballFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/midpath.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/cli/codeCache.js', 'dist/bundle/midpath.cjs', 'dist/bundle/midpath.cjs.cache', 'schema/scenario.schema.json', 'dist/scenarios/presets/kb-16099.yaml']));
    expect(tarballFiles.filter((f) => /^(src|test|lab|bench|scripts|\.ci|reports|examples)\//.test(f))).toEqual([]);
    expect(tarballFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('imports in plain Node (ESM) and checks a preset', () => {
    writeFileSync(
      join(consumer, 'plain.mjs'),
      `import { check, meetsExpectations, presets } from 'midpath';
const result = check(presets.load('kb-16099-keepalive-325'));
console.log(JSON.stringify({ meets: meetsExpectations(result), holds: result.results.map((r) => [r.property, r.holds]) }));
`,
    );
    const r = run(consumer, process.execPath, ['plain.mjs']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      meets: true,
      holds: [['no-mid-path-drop', true], ['no-mid-path-reset', true], ['no-half-open', true], ['clean-close', true]],
    });
  });

  it('loads with require() too, where Node can require an ES module (Node >= 20.19)', () => {
    writeFileSync(join(consumer, 'required.cjs'), `const { presets } = require('midpath');\nconsole.log(presets.names().join(','));\n`);
    const r = run(consumer, process.execPath, ['--no-warnings', 'required.cjs']);
    expect(r.stdout.trim()).toBe(presetsList());
  });

  it("runs the midpath binary from node_modules/.bin, compiled (no tsx in the consumer's tree)", () => {
    const r = run(consumer, join(consumer, 'node_modules', '.bin', 'midpath'), ['check', 'kb-16099', '--property', 'no-mid-path-drop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kb-16099: meets expectations/);
    expect(r.stdout).toContain('idle gap ∈ (350, ∞) s');
    expect(run(consumer, process.execPath, ['-e', "import('tsx').then(() => process.exit(1), () => process.exit(0))"]).code).toBe(0);
  });

  it('type-checks in a strict NodeNext TypeScript project (tsc --noEmit): typed results, and a wrong call is an error', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] }, include: ['typed.ts'] }, null, 2)}\n`,
    );
    writeFileSync(
      join(consumer, 'typed.ts'),
      `import { check, presets, properties, type PropertyId, type ScenarioResult } from 'midpath';
const result: ScenarioResult = check(presets.load('kb-16099'), { properties: ['no-mid-path-drop'] });
const first: PropertyId | undefined = properties[0]?.id;
const verdict: boolean | undefined = result.results[0]?.holds;
const from: number | undefined = result.results[0]?.window?.idleGap.from;
// @ts-expect-error: check takes a Scenario, not a number
check(42);
export { first, from, verdict };
`,
    );
    const ok = run(consumer, process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The same project with a type error in it fails: the check above can fail.
    writeFileSync(join(consumer, 'typed.ts'), `import { presets } from 'midpath';\nconst n: number = presets.names();\nexport { n };\n`);
    const bad = run(consumer, process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain("Type 'string[]' is not assignable to type 'number'");
  });

  it("runs the README's vitest example, as written there, against the installed package", () => {
    writeFileSync(join(consumer, 'our-path.test.ts'), readmeExample());
    const r = run(consumer, process.execPath, [join(consumer, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose', '--testTimeout=120000'], { CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
    expect(r.stderr + r.stdout).toMatch(/Tests\s+6 passed \(6\)/);
    expect(r.code).toBe(0);
  });
});

/** The preset names, as the repository lists them (the required module must return the same). */
function presetsList(): string {
  // the repository's own preset list, in its order: the installed package must list the same
  return presetNames().join(',');
}
