import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './runMidpath.ts';

/*
 * The bundled command line and its V8 code cache (src/cli/codeCache.ts,
 * written by scripts/build.mjs). Each case loads the bundle of dist/ (built by
 * the suite's global setup) in a child process of its own, because V8 flags,
 * which decide whether V8 accepts a cache, are process-wide.
 */
const run = (body: string, flags = true): { cache: string; out: string; code: number } =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
import { tuneForShortRuns } from './dist/cli/v8Flags.js';
import { loadBundle } from './dist/cli/codeCache.js';
${flags ? 'tuneForShortRuns();' : ''}
let out = '';
const io = { out: (t) => { out += t; }, err: (t) => { out += t; }, env: {} };
${body}
`,
      ],
      { cwd: REPO, encoding: 'utf8' },
    ),
  );
const check = (options: string) => `
const b = loadBundle(${options});
const code = await b.exports.runCli(['check', 'kb-16099-keepalive-325', '--json'], io);
console.log(JSON.stringify({ cache: b.cache, out, code }));
`;
/** The output without its timings. */
const stable = (text: string) => text.replace(/"ms": [0-9.e+-]+/g, '"ms": 0');

const dir = mkdtempSync(join(tmpdir(), 'midpath-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled command line and its code cache (codeCache.ts)', { timeout: 60_000 }, () => {
  it('V8 accepts the code cache the build wrote, under the launcher’s flags, and the output is the one compiled from source', () => {
    const cached = run(check('{}'));
    const source = run(check('{ useCache: false }'));
    expect(cached.cache).toBe('accepted');
    expect(source.cache).toBe('absent');
    expect(cached.code).toBe(0);
    expect(stable(cached.out)).toBe(stable(source.out));
    expect(JSON.parse(cached.out).scenarios[0].name).toBe('kb-16099-keepalive-325');
  });

  it('a cache V8 rejects (made under other V8 flags, damaged, or cut short) costs only time: the command runs, with the same output', () => {
    const noFlags = run(check('{}'), false);
    const bytes = readFileSync(join(REPO, 'dist/bundle/midpath.cjs.cache'));
    const damaged = Buffer.from(bytes);
    for (let i = 64; i < damaged.length; i += 4096) damaged[i] = damaged[i]! ^ 0xff;
    writeFileSync(join(dir, 'damaged.cache'), damaged);
    writeFileSync(join(dir, 'short.cache'), bytes.subarray(0, bytes.length >> 1));
    // without V8's checksum (v8Flags.ts) the damaged cache crashed the process (SIGSEGV)
    const broken = run(check(`{ cache: ${JSON.stringify(join(dir, 'damaged.cache'))} }`));
    const short = run(check(`{ cache: ${JSON.stringify(join(dir, 'short.cache'))} }`));
    const source = run(check('{ useCache: false }'));
    for (const r of [noFlags, broken, short]) {
      expect(r.cache).toBe('rejected');
      expect(r.code).toBe(0);
      expect(stable(r.out)).toBe(stable(source.out));
    }
  });
});
