import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LONG_RUN_HEAP_BYTES } from '../../src/cli/v8Flags.ts';
import { REPO } from './runMidpath.ts';

/*
 * The launcher's V8 heuristics (src/cli/v8Flags.ts), observed where they act:
 * the size of V8's young generation (`new_space`) in a fresh process that keeps
 * allocating objects it holds on to. V8 flags are process-wide, so each case
 * runs in a child process of its own (the compiled module in dist/, built by
 * the suite's global setup), never in the test worker.
 */
const script = (body: string) => `
import v8 from 'node:v8';
import { tuneForShortRuns, noteHeapUsed, LONG_RUN_HEAP_BYTES } from './dist/cli/v8Flags.js';
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const kept = [];
const allocate = () => { for (let i = 0; i < 1e6; i++) kept.push({ i, pair: [i, i + 1] }); };
const out = {};
${body}
console.log(JSON.stringify(out));
`;
const run = (body: string): Record<string, number | boolean> => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script(body)], { cwd: REPO, encoding: 'utf8' }));

const MB = 1024 * 1024;

describe('the launcher’s V8 heuristics (v8Flags.ts)', () => {
  it('keep the young generation small on a short run, and let it grow again once the heap passes LONG_RUN_HEAP_BYTES', () => {
    const r = run(`
      out.tuned = tuneForShortRuns();
      allocate(); allocate();
      out.short = newSpace();
      noteHeapUsed(LONG_RUN_HEAP_BYTES); // not past it yet
      allocate(); allocate();
      out.atLimit = newSpace();
      noteHeapUsed(LONG_RUN_HEAP_BYTES + 1);
      allocate(); allocate();
      out.long = newSpace();
    `);
    const untuned = run('allocate(); allocate(); out.size = newSpace();');
    // V8's default grows the young generation under this load (8 MB and more here).
    expect(untuned['size']).toBeGreaterThan(8 * MB);
    if (r['tuned'] === false) {
      // another V8 version: nothing was set, and the young generation grows as by default
      expect(r['short']).toBeGreaterThan(8 * MB);
      return;
    }
    expect(r['short']).toBeLessThanOrEqual(4 * MB);
    expect(r['atLimit']).toBeLessThanOrEqual(4 * MB);
    expect(r['long']).toBeGreaterThan(8 * MB);
  });

  it('counts the KB check as short: its heap stays well below LONG_RUN_HEAP_BYTES', () => {
    const peak = Number(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import v8 from 'node:v8';
           import { checkTopology } from './dist/check.js';
           import { loadPreset } from './dist/scenarios/presets.js';
           import { toTopology } from './dist/scenarios/toTopology.js';
           const r = checkTopology(toTopology(loadPreset('kb-16099')), {}, { heap: () => v8.getHeapStatistics().used_heap_size });
           console.log(r.stats.peakHeapBytes);`,
        ],
        { cwd: REPO, encoding: 'utf8' },
      ),
    );
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(LONG_RUN_HEAP_BYTES / 2);
  });
});
