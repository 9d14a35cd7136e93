// `npm test` runs its files in worker threads that share one module cache
// (vitest.config.ts, project `shared`, isolate: false). That is only sound while
// no file there changes process-wide state; this file keeps it so: a test file
// that does must be listed in PROCESS_TESTS (its own child process).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROCESS_TESTS, SYSTEM_TESTS } from '../../vitest.config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What changes state other test files in the same worker would see. */
const PROCESS_WIDE = [
  { what: 'process.chdir', re: /\bprocess\.chdir\s*\(/ },
  { what: 'vi.mock / vi.doMock', re: /\bvi\.(?:do)?[mM]ock\s*\(/ },
  { what: 'vi.stubEnv / vi.stubGlobal', re: /\bvi\.stub(?:Env|Global)\s*\(/ },
  { what: 'an assignment to process.env', re: /\bprocess\.env(?:\.\w+|\[[^\]]+\])\s*=[^=]/ },
  { what: 'delete process.env', re: /\bdelete\s+process\.env\b/ },
  { what: 'a new process.env', re: /\bprocess\.env\s*=[^=]/ },
  { what: 'Object.assign to process.env', re: /\bObject\.assign\s*\(\s*process\.env\b/ },
  { what: 'fake timers', re: /\bvi\.useFakeTimers\s*\(/ },
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return /\.ts$/.test(e.name) ? [relative(ROOT, path)] : [];
  });
}

/** Which process-wide changes a source text makes. */
export function processWideChanges(text: string): string[] {
  return PROCESS_WIDE.filter((p) => p.re.test(text)).map((p) => p.what);
}

describe('files that share a worker', () => {
  it('recognises each kind of process-wide change (the scan itself can fail)', () => {
    expect(processWideChanges('process.chdir(dir)')).toEqual(['process.chdir']);
    expect(processWideChanges("vi.mock('../x.ts')")).toEqual(['vi.mock / vi.doMock']);
    expect(processWideChanges("process.env.NO_COLOR = '1'")).toEqual(['an assignment to process.env']);
    expect(processWideChanges("process.env['HOME'] = '/'")).toEqual(['an assignment to process.env']);
    expect(processWideChanges('process.env = { ...saved }')).toEqual(['a new process.env']);
    expect(processWideChanges("Object.assign(process.env, { CI: '1' })")).toEqual(['Object.assign to process.env']);
    expect(processWideChanges("if (process.env.CI === 'true') {}")).toEqual([]);
    expect(processWideChanges('const env = { ...process.env }')).toEqual([]);
    expect(processWideChanges('runInProcess(args, { NO_COLOR: "1" })')).toEqual([]);
  });

  it('change no process-wide state, unless listed in PROCESS_TESTS', () => {
    const isolated = new Set([...PROCESS_TESTS, ...SYSTEM_TESTS]);
    const offenders = testFiles(join(ROOT, 'test'))
      .filter((f) => !isolated.has(f) && f !== 'test/docs/testIsolation.test.ts')
      .map((f) => ({ file: f, changes: processWideChanges(readFileSync(join(ROOT, f), 'utf8')) }))
      .filter((x) => x.changes.length > 0);
    expect(offenders).toEqual([]);
  });

  it('PROCESS_TESTS lists files that exist', () => {
    const all = new Set(testFiles(join(ROOT, 'test')));
    for (const f of PROCESS_TESTS) expect(all.has(f), f).toBe(true);
  });
});
