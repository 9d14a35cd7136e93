import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, DEFAULT_TIME_BUDGET_MS } from '../../src/check.ts';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { presetPath } from '../../src/scenarios/presets.ts';
import { runInProcess } from './runInProcess.ts';

const tmp = mkdtempSync(join(tmpdir(), 'midpath-budget-'));
/** The reproduction: three connections sharing a 2-tuple GWLB entry (ran 4.5 min to 6.3 GB and an OOM abort without a budget). */
const shared = readFileSync(presetPath('kb-16099'), 'utf8')
  .replace(/^\$schema:.*\n/m, '')
  .replace('name: kb-16099', 'name: three-shared')
  .replace('connections: 1', 'connections: 3')
  .replace('    idleTimeout: 350\n', '    idleTimeout: 350\n    stickiness: 2-tuple\n');
const sharedPath = join(tmp, 'three-shared.yaml');
writeFileSync(sharedPath, shared);

describe('every exploration has a default budget', () => {
  it('the library check stops at the default time budget (a fake clock, not a long run)', () => {
    let t = 0;
    const r = check(parseScenarioText(shared, 'three-shared.yaml'), { now: () => (t += 50_000), replay: false });
    expect(r.complete).toBe(false);
    expect(r.stoppedBy).toEqual({ limit: 'time-budget', value: DEFAULT_TIME_BUDGET_MS });
  });

  it('check ends a run cut by --time-budget as incomplete (exit 3), saying which limit and how to raise it', async () => {
    const r = await runInProcess(['check', sharedPath, '--time-budget', '300']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('INCOMPLETE: the time budget (300 ms) ran out; raise it with --time-budget MS (library: timeBudgetMs)');
  });

  it('check ends a run over its heap budget as incomplete (exit 3), on this thread and on worker threads', async () => {
    const one = await runInProcess(['check', sharedPath, '--max-heap', '1']);
    expect(one.code).toBe(3);
    expect(one.stdout).toContain('INCOMPLETE: the memory budget (1 MB of heap) ran out; raise it with --max-heap MB (library: maxHeapBytes');
    const copy = join(tmp, 'copy.yaml');
    writeFileSync(copy, shared.replace('name: three-shared', 'name: three-shared-2'));
    const two = await runInProcess(['check', sharedPath, copy, '--max-heap', '1', '--json']);
    expect(two.code, two.stderr).toBe(3);
    const doc = JSON.parse(two.stdout);
    expect(doc.scenarios.map((s: { stoppedBy: unknown }) => s.stoppedBy)).toEqual([
      { limit: 'max-heap', value: 1024 * 1024 },
      { limit: 'max-heap', value: 1024 * 1024 },
    ]);
  }, 180_000);

  it('sweep takes --max-states and --time-budget: a point cut short ends the sweep with exit 3, not an internal error', async () => {
    const r = await runInProcess(['sweep', 'kb-16099', '--vary', 'client.keepalive.idle=300..400', '--samples', '2', '--max-states', '10'], { MIDPATH_PROGRESS: 'off' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/incomplete: the check at client\.keepalive\.idle=\d+ did not finish: the state limit \(10 states\) was reached; raise it with --max-states N/);
    const t = await runInProcess(['sweep', sharedPath, '--vary', 'client.keepalive.idle=300..400', '--samples', '2', '--time-budget', '100'], { MIDPATH_PROGRESS: 'off' });
    expect(t.code).toBe(3);
    expect(t.stderr).toContain('the time budget (100 ms) ran out');
  }, 180_000);
});

describe('a run cut by a limit marks every window it reports as partial', () => {
  it('in JSON, as the human output says "so far"', async () => {
    const r = await runInProcess(['check', sharedPath, '--time-budget', '300', '--json']);
    expect(r.code).toBe(3);
    const results: { window?: unknown; partialWindow?: boolean }[] = JSON.parse(r.stdout).scenarios[0].results;
    const windows = results.filter((x) => x.window !== undefined);
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) expect(w.partialWindow).toBe(true);
    const human = await runInProcess(['check', sharedPath, '--time-budget', '300']);
    expect(human.stdout).toContain('(so far: the run was cut short)');
  }, 180_000);

  it('a complete run marks none', async () => {
    const r = await runInProcess(['check', 'kb-16099', '--json']);
    expect(r.code).toBe(0);
    for (const x of JSON.parse(r.stdout).scenarios[0].results) expect(x.partialWindow).toBeUndefined();
  });
});
