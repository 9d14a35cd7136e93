import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/index.ts';
import { presetPath } from '../../src/scenarios/presets.ts';
import { runInProcess } from './runInProcess.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-bounded-'));
const scenarioText = (preset: string): string => readFileSync(presetPath(preset), 'utf8').replace(/^\$schema:.*\n/m, '');
const out = join(tmp, 'out');
const mine = join(tmp, 'mine.yaml');
const tracePath = join(out, 'kb-16099.no-mid-path-drop.trace.json');

beforeAll(async () => {
  writeFileSync(mine, scenarioText('kb-16099'));
  const r = await runInProcess(['check', mine, '--property', 'no-mid-path-drop', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
}, 180_000);

describe('check reads only regular files, within the size limit', () => {
  for (const dev of ['/dev/zero', '/dev/urandom']) {
    it(`refuses ${dev} before reading a byte`, async () => {
      const r = await runInProcess(['check', dev]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${dev}: is a character device, not a scenario file`);
    });
  }

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(tmp, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await runInProcess(['check', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a FIFO (named pipe), not a scenario file');
  });

  it('refuses a directory', async () => {
    const dir = join(tmp, 'dir.yaml');
    mkdirSync(dir);
    const r = await runInProcess(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a directory, not a scenario file');
  });

  it('refuses a trace file over 1 MiB, and a device as a trace', async () => {
    const big = join(tmp, 'big.trace.json');
    writeFileSync(big, `{"x": "${'y'.repeat(1024 * 1024)}"}`);
    const r = await runInProcess(['trace', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 1 MiB limit \(1048576 bytes\) for a trace file/);
    const z = await runInProcess(['trace', '/dev/zero']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('/dev/zero: is a character device, not a trace file');
  });
});

describe('a trace carries the resolved topology it was made from', () => {
  it('is in the trace file', () => {
    const t = JSON.parse(readFileSync(tracePath, 'utf8'));
    expect(t.topology).toMatchObject({ name: 'kb-16099', connections: 1, path: [{ kind: 'gwlb', gwlb: { idleTimeout: 350 }, appliances: { count: 2 } }] });
  });

  it('replays a trace of one’s own scenario file, even after the file is gone', async () => {
    const copy = join(tmp, 'moved.trace.json');
    writeFileSync(copy, readFileSync(tracePath));
    rmSync(mine);
    const r = await runInProcess(['trace', copy, '--replay']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reproduced, it still fails');
    writeFileSync(mine, scenarioText('kb-16099'));
  });

  it('never reads the path in the trace’s scenario field', async () => {
    const t = JSON.parse(readFileSync(tracePath, 'utf8'));
    const hostile = join(tmp, 'hostile.trace.json');
    writeFileSync(hostile, JSON.stringify({ ...t, scenario: '/proc/self/environ' }));
    const r = await runInProcess(['trace', hostile, '--replay']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/PATH=|HOME=/);
    writeFileSync(hostile, JSON.stringify({ ...t, scenario: '/dev/zero', topology: undefined }));
    const old = await runInProcess(['trace', hostile, '--replay']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('carries no topology');
  });

  it('accepts a UTF-8 byte-order mark in a trace file', async () => {
    const bom = join(tmp, 'bom.trace.json');
    writeFileSync(bom, `\uFEFF${readFileSync(tracePath, 'utf8')}`);
    const r = await runInProcess(['trace', bom, '--replay']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('error messages never echo file contents', () => {
  it('says where JSON breaks without quoting the text', async () => {
    const secret = join(tmp, 'secret.trace.json');
    writeFileSync(secret, 'AWS_SECRET=hunter2 and more');
    const r = await runInProcess(['trace', secret]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not JSON/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('quotes at most a short escaped excerpt of the offending value', async () => {
    const t = JSON.parse(readFileSync(tracePath, 'utf8'));
    const bad = join(tmp, 'bad.trace.json');
    writeFileSync(bad, JSON.stringify({ ...t, steps: [{ ...t.steps[0], kind: `\u001b[31m${'z'.repeat(500)}` }] }));
    const r = await runInProcess(['trace', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('steps[0].kind');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('\\u001b[31mzzz');
    expect(r.stderr.length).toBeLessThan(400);
  });
});

describe('two scenarios with the same name in one run', () => {
  it('are refused with both sources named (exit 2)', async () => {
    const r = await runInProcess(['check', 'kb-16099', mine]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`two scenarios named kb-16099 in one run: kb-16099 and ${mine}`);
  });
});

describe('the library still loads a scenario from a path', () => {
  it('loadScenario(path)', () => {
    expect(loadScenario(mine).name).toBe('kb-16099');
  });
});
