import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_NAME, SINGLE_FILES_NAME, sha256 } from '../../src/cli/outputManifest.ts';
import type { ReportFile } from '../../src/cli/reportFiles.ts';
import { writeReportFiles, type WriteStep } from '../../src/cli/writeReportFiles.ts';
import { InputError } from '../../src/cli/usageError.ts';
import { presetPath } from '../../src/scenarios/presets.ts';
import { runInProcess } from './runInProcess.ts';
import { runMidpath } from './runMidpath.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-outsafety-'));
let n = 0;
const fresh = (): string => join(tmp, `d${n++}`);
const file = (name: string, data: string): ReportFile => ({ name, kind: 'results', data });
const manifestOf = (dir: string): { files: Record<string, string[]>; temps: string[] } => JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8'));

describe('--out DIR never overwrites what the user wrote', () => {
  it('writes a manifest listing every file it wrote with its SHA-256', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n'), file('b.json', 'B\n')]);
    expect(manifestOf(dir)).toEqual({ format: 'midpath-manifest/1', files: { 'a.json': [sha256('A\n')], 'b.json': [sha256('B\n')] }, temps: [] });
  });

  it('replaces its own unchanged files on the next run', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    writeReportFiles(dir, [file('a.json', 'A2\n')]);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('A2\n');
  });

  it('refuses a file it did not write, even one that looks like a midpath report', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<!-- midpath --> my own page');
    writeFileSync(join(dir, 'results.json'), '{"scenarios": []}');
    expect(() => writeReportFiles(dir, [file('results.json', 'x')])).toThrow(/results\.json: exists and was not written by midpath/);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('{"scenarios": []}');
  });

  it('refuses a file of its own that was edited since, and writes nothing', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n'), file('b.json', 'B\n')]);
    writeFileSync(join(dir, 'b.json'), 'my edit');
    expect(() => writeReportFiles(dir, [file('a.json', 'A2\n'), file('b.json', 'B2\n')])).toThrow(/b\.json: was changed since midpath wrote it/);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('A\n');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('my edit');
  });

  it('never follows a symbolic link: not a name in the folder, not the folder itself', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    const outside = join(tmp, `outside${n++}.txt`);
    writeFileSync(outside, 'precious');
    symlinkSync(outside, join(dir, 'b.json'));
    expect(() => writeReportFiles(dir, [file('b.json', 'B\n')])).toThrow(/b\.json: is a symbolic link/);
    // a dangling link that would create a file outside the folder
    const dangling = join(tmp, `created${n++}.txt`);
    symlinkSync(dangling, join(dir, 'c.json'));
    expect(() => writeReportFiles(dir, [file('c.json', 'C\n')])).toThrow(/c\.json: is a symbolic link/);
    expect(existsSync(dangling)).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    const linkDir = join(tmp, `linkdir${n++}`);
    symlinkSync(dir, linkDir);
    expect(() => writeReportFiles(linkDir, [file('a.json', 'A\n')])).toThrow(/is a symbolic link; midpath writes reports only into a real folder/);
  });

  it('refuses a folder where a report file goes', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'a.json'), { recursive: true });
    expect(() => writeReportFiles(dir, [file('a.json', 'A\n')])).toThrow(/a\.json: exists and is not a regular file/);
  });

  it('removes the stale files of an earlier run only through the manifest', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n'), file('old.trace.json', 'T\n'), file('edited.trace.json', 'E\n')]);
    writeFileSync(join(dir, 'edited.trace.json'), 'my notes');
    writeFileSync(join(dir, 'mine.trace.json'), 'not midpath');
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_NAME, 'a.json', 'edited.trace.json', 'mine.trace.json'].sort());
    expect(readFileSync(join(dir, 'edited.trace.json'), 'utf8')).toBe('my notes');
    expect(Object.keys(manifestOf(dir).files)).toEqual(['a.json']);
  });

  it('refuses a damaged manifest instead of guessing', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    writeFileSync(join(dir, MANIFEST_NAME), '{"format":"midpath-manifest/1","files":{"../x":["00"]},"temps":[]}');
    expect(() => writeReportFiles(dir, [file('a.json', 'A\n')])).toThrow(/is not a midpath manifest/);
  });

  it('refuses a name that is not a plain file name in the folder', () => {
    expect(() => writeReportFiles(fresh(), [file('../escape.json', 'x')])).toThrow(InputError);
  });
});

describe('writes are atomic: an interrupted run leaves every file whole and the folder usable', () => {
  const steps: [WriteStep, number[]][] = [['pending-manifest', [0]], ['temp', [0, 1]], ['rename', [0, 1]], ['stale', [0, 1]], ['manifest', [0]]];
  for (const [at, nths] of steps) {
    for (const nth of nths) {
      it(`after ${at} #${nth + 1}`, () => {
        const dir = fresh();
        const v1 = [file('a.json', 'A1\n'), file('b.json', 'B1\n'), file('gone.json', 'G\n'), file('gone2.json', 'G2\n')];
        writeReportFiles(dir, v1);
        const v2 = [file('a.json', 'A2 longer\n'), file('b.json', 'B2 longer\n')];
        let seen = 0;
        const interrupt = (s: WriteStep): void => {
          if (s === at && seen++ === nth) throw new Error('interrupted');
        };
        expect(() => writeReportFiles(dir, v2, { afterStep: interrupt })).toThrow('interrupted');
        // every file holds its old or its new bytes, never a partial or empty file
        for (const name of readdirSync(dir)) {
          const bytes = readFileSync(join(dir, name), 'utf8');
          expect(statSync(join(dir, name)).size, name).toBeGreaterThan(0);
          if (name === 'a.json') expect(['A1\n', 'A2 longer\n']).toContain(bytes);
          if (name === 'b.json') expect(['B1\n', 'B2 longer\n']).toContain(bytes);
        }
        // the next run accepts the folder and completes it
        writeReportFiles(dir, v2);
        expect(readdirSync(dir).sort()).toEqual([MANIFEST_NAME, 'a.json', 'b.json'].sort());
        expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('B2 longer\n');
      });
    }
  }

  it('leaves no temporary file after a complete run', () => {
    const dir = fresh();
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a real check --out killed (SIGKILL) in the middle of writing', () => {
  it('leaves every file whole, and the next run completes the folder', async () => {
    // an earlier run of another scenario: its files are stale for the next one
    const template = fresh();
    expect((await runMidpath(['check', 'kb-16099', '--property', 'no-mid-path-drop', '--out', template])).code).toBe(0);
    // One kill after each kind of write step (writeReportFiles.ts WriteStep), early and late:
    // the pending manifest alone, temporary files being written, renames under way, stale files
    // being removed, and the final manifest. Temporary files are there only while they are written
    // or renamed.
    const points: readonly [string, boolean][] = [
      ['pending-manifest:1', false],
      ['temp:2', true],
      ['rename:1', true],
      ['rename:5', true],
      ['stale:1', false],
      ['manifest:1', false],
    ];
    for (const [at, temps] of points) {
      const dir = fresh();
      cpSync(template, dir, { recursive: true });
      const killed = await runMidpath(['check', 'kb-16099-fw-timeout-300', '--out', dir], { MIDPATH_TEST_KILL_AT: at });
      expect(killed.code, `${at}: killed (the step was reached)`).toBe(null);
      expect(readdirSync(dir).some((f) => f.endsWith('.tmp')), `${at}: temporary files there`).toBe(temps);
      // Every file on disk is whole and vouched for by the manifest on disk at that moment
      // (the pending one lists the old and the new hash of each name, and each temporary file).
      const vouched = manifestOf(dir).files;
      for (const name of readdirSync(dir)) {
        expect(statSync(join(dir, name)).size, `${at}: ${name}`).toBeGreaterThan(0);
        if (name !== MANIFEST_NAME) expect(vouched[name] ?? [], `${at}: ${name} is a version the manifest lists`).toContain(sha256(readFileSync(join(dir, name))));
      }
      const next = await runMidpath(['check', 'kb-16099-fw-timeout-300', '--out', dir]);
      expect(next.code, `${at}: ${next.stderr}`).toBe(0);
      const files = readdirSync(dir).sort();
      expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('kb-16099.')), at).toEqual([]);
      expect(files, at).toEqual([MANIFEST_NAME, ...Object.keys(manifestOf(dir).files)].sort());
      expect(files, at).toContain('kb-16099-fw-timeout-300.no-mid-path-drop.trace.json');
    }
  }, 180_000);
});

describe('the CLI refuses an output that is an input (exit 2)', () => {
  it('check my.yaml --junit my.yaml leaves the scenario as it was', async () => {
    const scenario = join(tmp, 'my.yaml');
    const text = readFileSync(presetPath('kb-16099-keepalive-325'), 'utf8').replace(/^\$schema:.*\n/m, '');
    writeFileSync(scenario, text);
    const r = await runInProcess(['check', scenario, '--junit', scenario]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/my\.yaml: is an input of this run; refusing to overwrite it/);
    expect(readFileSync(scenario, 'utf8')).toBe(text);
  });

  it('check --junit FILE refuses a file that is not a JUnit file midpath wrote, and replaces its own', async () => {
    const junit = join(tmp, 'notes.xml');
    writeFileSync(junit, '<notes/>');
    const r = await runInProcess(['check', 'kb-16099-keepalive-325', '--junit', junit]);
    expect(r.code).toBe(2);
    expect(readFileSync(junit, 'utf8')).toBe('<notes/>');
    const own = join(tmp, 'own.xml');
    expect((await runInProcess(['check', 'kb-16099-keepalive-325', '--junit', own])).code).toBe(0);
    expect((await runInProcess(['check', 'kb-16099-keepalive-325', '--junit', own])).code).toBe(0);
    expect(readFileSync(own, 'utf8')).toMatch(/<testsuites name="midpath"/);
  });

  it('merge a.json b.json --out a.json leaves a.json as it was', async () => {
    const a = join(tmp, 'sweep-a.json');
    const b = join(tmp, 'sweep-b.json');
    const vary = ['--vary', 'client.keepalive.idle=300..310', '--samples', '2'];
    expect((await runInProcess(['sweep', 'kb-16099', ...vary, '--shard', '1/2', '--out', a], { MIDPATH_PROGRESS: 'off' })).code).toBe(0);
    expect((await runInProcess(['sweep', 'kb-16099', ...vary, '--shard', '2/2', '--out', b], { MIDPATH_PROGRESS: 'off' })).code).toBe(0);
    const before = readFileSync(a, 'utf8');
    const r = await runInProcess(['merge', a, b, '--out', a]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sweep-a\.json: is an input of this run/);
    expect(readFileSync(a, 'utf8')).toBe(before);
    expect(lstatSync(a).isFile()).toBe(true);
  }, 180_000);
});

describe('graph --out and export --out replace only a file midpath wrote and nobody changed since', () => {
  const listOf = (dir: string): { files: Record<string, string[]> } => JSON.parse(readFileSync(join(dir, SINGLE_FILES_NAME), 'utf8'));

  it('graph --out: lists the file it wrote, replaces it while unchanged, refuses it once edited, even with the same first lines', async () => {
    const dir = fresh();
    const out = join(dir, 'tcp.dot');
    expect((await runInProcess(['graph', 'tcpEndpoint', '--out', out])).code).toBe(0);
    const dot = readFileSync(out, 'utf8');
    expect(listOf(dir).files).toEqual({ 'tcp.dot': [sha256(dot)] });
    expect((await runInProcess(['graph', 'tcpEndpoint', '--out', out])).code).toBe(0);
    const edited = `${dot}// my note\n`;
    writeFileSync(out, edited);
    const r = await runInProcess(['graph', 'tcpEndpoint', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tcp\.dot: was changed since midpath wrote it; refusing to overwrite it/);
    expect(readFileSync(out, 'utf8')).toBe(edited);
  });

  it('graph --out: refuses a user file it did not write, though it starts as the graph does', async () => {
    const dir = fresh();
    mkdirSync(dir);
    const out = join(dir, 'mine.dot');
    const mine = `${(await runInProcess(['graph', 'tcpEndpoint'])).stdout}// mine\n`;
    writeFileSync(out, mine);
    const r = await runInProcess(['graph', 'tcpEndpoint', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine\.dot: exists and was not written by midpath/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(out, 'utf8')).toBe(mine);
  });

  it('export --out: refuses the scenario itself and an edited model; replaces its own unchanged model', async () => {
    const dir = fresh();
    mkdirSync(dir);
    const scenario = join(dir, 'kb.yaml');
    const text = readFileSync(presetPath('kb-16099-keepalive-325'), 'utf8');
    writeFileSync(scenario, text);
    const self = await runInProcess(['export', '--promela', scenario, '--out', scenario]);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/kb\.yaml: is an input of this run/);
    expect(readFileSync(scenario, 'utf8')).toBe(text);
    const model = join(dir, 'kb.pml');
    expect((await runInProcess(['export', '--promela', scenario, '--out', model])).code).toBe(0);
    expect((await runInProcess(['export', '--promela', scenario, '--out', model])).code).toBe(0);
    writeFileSync(model, `${readFileSync(model, 'utf8')}/* tuned */\n`);
    const r = await runInProcess(['export', '--promela', scenario, '--out', model]);
    expect(r.code).toBe(2);
    expect(readFileSync(model, 'utf8')).toMatch(/\/\* tuned \*\/\n$/);
  });

  it('refuses to write over its own bookkeeping file', async () => {
    const dir = fresh();
    const r = await runInProcess(['graph', 'tcpEndpoint', '--out', join(dir, SINGLE_FILES_NAME)]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, SINGLE_FILES_NAME))).toBe(false);
  });

  it('a later --out DIR into the same folder leaves the single files alone', async () => {
    const dir = fresh();
    expect((await runInProcess(['graph', 'tcpEndpoint', '--out', join(dir, 'tcp.dot')])).code).toBe(0);
    writeReportFiles(dir, [file('a.json', 'A\n')]);
    writeReportFiles(dir, [file('b.json', 'B\n')]);
    expect(existsSync(join(dir, 'tcp.dot'))).toBe(true);
  });
});
