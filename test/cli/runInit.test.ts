import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, meetsExpectations } from '../../src/check.ts';
import { runCli } from '../../src/cli/runCli.ts';
import { loadScenarioFile } from '../../src/node/loadScenarioFile.ts';
import { REPO } from './runMidpath.ts';

const dir = mkdtempSync(join(tmpdir(), 'midpath-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

describe('midpath init', () => {
  it('writes a commented starter scenario that loads, is named after the file and shows what its comments say', async () => {
    const file = join(dir, 'our-gwlb.yaml');
    const r = await cli(['init', file]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('#')).length).toBeGreaterThan(20);
    const scenario = loadScenarioFile(file);
    expect(scenario.name).toBe('our-gwlb');
    const result = check(scenario, { properties: ['no-mid-path-drop'] });
    expect(meetsExpectations(result)).toBe(true);
    expect(result.results[0]).toMatchObject({ holds: false, window: { idleGap: { from: 350, fromInclusive: false, to: null } } });
    // "with client keepalive { idle: 300 } it is not" (the file's closing comment)
    const fixed = join(dir, 'fixed.yaml');
    writeFileSync(fixed, text.replace(/^name: our-gwlb$/m, 'name: fixed').replace(/^( {2}keepalive: )off$/m, '$1{ idle: 300 }'));
    expect(check(loadScenarioFile(fixed), { properties: ['no-mid-path-drop'] }).results[0]?.holds).toBe(true);
  });

  it("begins with a yaml-language-server modeline whose $schema is this midpath's JSON Schema, relative to the file", async () => {
    const file = join(dir, 'nested', 'deeper', 'path.yaml');
    // init does not create folders: a missing one is bad input
    const missing = await cli(['init', file]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`midpath: ${file}: cannot write (ENOENT)\n`);
    const here = join(dir, 'modeline.yaml');
    expect((await cli(['init', here])).code).toBe(0);
    const ref = MODELINE.exec(readFileSync(here, 'utf8'))?.[1];
    expect(ref).toBeDefined();
    expect(readFileSync(resolve(dirname(here), ref!), 'utf8')).toBe(readFileSync(join(REPO, 'schema', 'scenario.schema.json'), 'utf8'));
  });

  it('never overwrites: an existing file is exit 2 with a message, and stays as it was', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'name: mine\n# my own notes\n');
    const r = await cli(['init', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`midpath: ${file} already exists; init never overwrites a file (choose another name: midpath init FILE)\n`);
    expect(readFileSync(file, 'utf8')).toBe('name: mine\n# my own notes\n');
  });

  it('does not write through a symlink of that name (even a dangling one)', async () => {
    const link = join(dir, 'link.yaml');
    const target = join(dir, 'elsewhere.yaml');
    symlinkSync(target, link);
    expect((await cli(['init', link])).code).toBe(2);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a second file argument (exit 2)', async () => {
    const r = await cli(['init', join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('midpath init: takes at most one file, got 2');
    expect(existsSync(join(dir, 'a.yaml'))).toBe(false);
  });

  it('writes scenario.yaml in the working folder by default (the compiled binary), which `midpath check` accepts', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const bin = join(REPO, 'bin', 'midpath.js');
    const init = spawnSync(process.execPath, [bin, 'init'], { cwd, encoding: 'utf8' });
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('wrote scenario.yaml: a commented starter scenario; check it with: midpath check scenario.yaml\n');
    const ref = MODELINE.exec(readFileSync(join(cwd, 'scenario.yaml'), 'utf8'))?.[1];
    expect(existsSync(resolve(cwd, ref!))).toBe(true);
    const run = spawnSync(process.execPath, [bin, 'check', 'scenario.yaml', '--property', 'no-mid-path-drop'], { cwd, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^scenario: meets expectations/);
    expect(run.status).toBe(0);
  });

  it('the loader accepts both the modeline and a $schema field in the same file', () => {
    const file = join(dir, 'both.yaml');
    writeFileSync(file, '# yaml-language-server: $schema=../schema/scenario.schema.json\n$schema: ../schema/scenario.schema.json\nname: both\npath:\n  - type: gwlb\n');
    expect(loadScenarioFile(file).name).toBe('both');
  });
});
