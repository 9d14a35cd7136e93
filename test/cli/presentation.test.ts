import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProgress } from '../../src/cli/checkProgress.ts';
import { TABLE_HEADER } from '../../src/cli/runStart.ts';
import { loadPreset, presetPath } from '../../src/scenarios/presets.ts';
import { runInProcess, type InProcessRun } from './runInProcess.ts';

const ESC = '\u001b';
const TTY = { out: true, err: true };
const tmp = mkdtempSync(join(tmpdir(), 'midpath-presentation-'));
const shared = join(tmp, 'three-shared.yaml');
writeFileSync(
  shared,
  readFileSync(presetPath('kb-16099'), 'utf8')
    .replace(/^\$schema:.*\n/m, '')
    .replace('name: kb-16099', 'name: three-shared')
    .replace('connections: 1', 'connections: 3')
    .replace('    idleTimeout: 350\n', '    idleTimeout: 350\n    stickiness: 2-tuple\n'),
);

describe('colour in human output', () => {
  it('on a terminal: verdict marks coloured (green as expected)', async () => {
    const r = await runInProcess(['check', 'kb-16099', '--property', 'no-mid-path-drop'], {}, TTY);
    expect(r.stdout).toContain(`${ESC}[32m✘${ESC}[39m no-mid-path-drop`);
    expect(r.stdout).toContain(`${ESC}[32mmeets expectations${ESC}[39m`);
  });

  it('off with NO_COLOR and when piped, so piped output is the same bytes', async () => {
    const noColor = await runInProcess(['check', 'kb-16099', '--property', 'no-mid-path-drop'], { NO_COLOR: '1' }, TTY);
    const piped = await runInProcess(['check', 'kb-16099', '--property', 'no-mid-path-drop']);
    expect(noColor.stdout).not.toContain(ESC);
    expect(piped.stdout).not.toContain(ESC);
    const strip = (s: string) => s.replace(/\d+ ms\)/, 'N ms)');
    expect(strip(noColor.stdout)).toBe(strip(piped.stdout));
  });
});

describe('a progress line on long check runs', () => {
  it('shows states, states/s and elapsed time once a run takes over a second, and erases it', () => {
    let t = 0;
    let err = '';
    const p = checkProgress({ out: () => {}, err: (s) => (err += s), env: {}, tty: { out: false, err: true } }, [loadPreset('kb-16099')], () => t);
    t = 500;
    p.onProgress?.(0, { states: 10_000, transitions: 12_000, depth: 5, statesPerSecond: 20_000 });
    expect(err).toBe('');
    t = 2500;
    p.onProgress?.(0, { states: 50_000, transitions: 60_000, depth: 9, statesPerSecond: 20_000 });
    expect(err).toBe(`\r${ESC}[2Kcheck kb-16099: 50000 states · 20000 states/s · 2.5 s`);
    p.finish();
    expect(err.endsWith(`\r${ESC}[2K`)).toBe(true);
  });

  it('runs on stderr of a real long check on a terminal, and never when stderr is piped', async () => {
    const tty = await runInProcess(['check', shared, '--time-budget', '3000'], {}, { out: false, err: true });
    expect(tty.code).toBe(3);
    expect(tty.stderr).toMatch(/check three-shared: \d+ states · \d+ states\/s · \d\.\d s/);
    const piped = await runInProcess(['check', shared, '--time-budget', '1500']);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toContain(ESC);
  }, 180_000);
});

describe('npm start: table header, legend, and where the report is', () => {
  let run: InProcessRun;
  let coloured: InProcessRun;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'midpath-start-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      run = await runInProcess(['start']);
      coloured = await runInProcess(['start'], {}, TTY);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);

  it('ends by saying where the report is', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('see the report: open reports/index.html');
  });

  it('has a header naming every column, and a legend for every column and symbol', () => {
    const lines = run.stdout.split('\n');
    for (const h of TABLE_HEADER) expect(lines[0]).toContain(h);
    const legend = run.stdout.slice(run.stdout.indexOf('legend:'));
    for (const h of ['verdict', 'expected', 'idle-gap window', 'met']) expect(legend).toMatch(new RegExp(`\\n  ${h}\\s`));
    for (const word of ['holds', 'violated', 'incomplete', '✔', '✘', '·', '?', '—', '∞', '( )', '[ ]']) expect(legend).toContain(word);
    // every symbol the table uses is explained
    const table = run.stdout.slice(0, run.stdout.indexOf('legend:'));
    for (const sym of new Set(table.match(/[✔✘·?—∞]/g))) expect(legend).toContain(sym);
  });

  it('is coloured on a terminal only', () => {
    expect(run.stdout).not.toContain(ESC);
    expect(coloured.stdout).toContain(`${ESC}[32m✔${ESC}[39m`);
    expect(coloured.stdout).toContain(`${ESC}[1mscenario`);
  });
});
