import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.ts';
import { checkInWorkers } from '../../src/cli/checkInWorkers.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';

const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'ms' || k === 'peakHeapBytes' ? undefined : v))) as unknown;

describe('checking scenarios on worker threads', () => {
  it('returns the same results, in input order, as checking them one by one', async () => {
    const scenarios = ['kb-16099-gwlb-reset', 'kb-16099-keepalive-325', 'kb-16099-server-idle-325'].map(loadPreset);
    const before = process.env['MIDPATH_WORKERS'];
    process.env['MIDPATH_WORKERS'] = '2';
    try {
      const parallel = await checkInWorkers(scenarios, {});
      expect(parallel.map((r) => r.name)).toEqual(scenarios.map((s) => s.name));
      expect(strip(parallel)).toEqual(strip(scenarios.map((s) => check(s))));
    } finally {
      if (before === undefined) delete process.env['MIDPATH_WORKERS'];
      else process.env['MIDPATH_WORKERS'] = before;
    }
  });
});
