import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkTopology, DEFAULT_MAX_COUNTEREXAMPLE_INSTANTS } from '../../src/check.ts';
import { formatScenarioResult } from '../../src/cli/formatScenarioResult.ts';
import { htmlReport } from '../../src/reporting/htmlReport.ts';
import { junitXml } from '../../src/reporting/junitXml.ts';
import { resultsJson } from '../../src/reporting/resultsDocument.ts';
import type { Topology } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { runInProcess } from '../cli/runInProcess.ts';

/*
 * Counterexamples longer than the limit (check.ts maxCounterexampleInstants): a timeline's
 * size grows with the instants at which time passes, so a longer one is reported without a
 * timeline, and says so. Below it, even a long one gets its timeline (concretize.ts is
 * linear in the path).
 */
const view = (r: ReturnType<typeof checkTopology>) => r.results.map((x) => ({ property: x.property, holds: x.holds, window: x.window }));

describe('counterexamples too long to make concrete', { timeout: 120_000 }, () => {
  it('below the limit every violation has its timeline; above it none, with the same verdicts and windows, and the output says why', () => {
    const kb = kbTopology();
    const full = checkTopology(kb, {}, { replay: false });
    const violated = full.results.filter((r) => !r.holds);
    expect(violated.length).toBeGreaterThan(0);
    for (const r of violated) {
      expect(r.counterexample).toBeDefined();
      expect(r.counterexampleOmitted).toBeUndefined();
    }
    const cut = checkTopology(kb, {}, { replay: false, maxCounterexampleInstants: 3 });
    expect(view(cut)).toEqual(view(full));
    for (const r of cut.results.filter((x) => !x.holds)) {
      expect(r.counterexample).toBeUndefined();
      expect(r.counterexampleOmitted?.limit).toBe(3);
      expect(r.counterexampleOmitted!.instants).toBeGreaterThan(3);
    }
    const json = JSON.parse(resultsJson([cut])) as { scenarios: { results: { counterexampleOmitted?: { instants: number; limit: number } }[] }[] };
    expect(json.scenarios[0]!.results.some((r) => r.counterexampleOmitted?.limit === 3)).toBe(true);
    const text = formatScenarioResult(cut).join('\n');
    expect(text).toContain('no timeline: the counterexample has');
    expect(text).not.toContain('a midpath bug');
    // a CI job's JUnit failure says why it has no timeline
    expect(junitXml([cut])).toContain('no timeline: the counterexample has');
    // and the HTML report's verdict table
    expect(htmlReport({ scenarios: [{ result: cut }], machines: [] })).toContain('violated (no timeline: ');
    expect(htmlReport({ scenarios: [{ result: full }], machines: [] })).not.toContain('no timeline');
  });

  it('a generated topology whose no-half-open counterexample has 1,586 instants (4,754 steps) gets a timeline that replays by default, none at a lower limit', () => {
    // client keepalive idle 1 s, server idle close 1524 s: a probe and its ACK every second until the server closes
    const t = JSON.parse(readFileSync(new URL('../fixtures/longCounterexample.topology.json', import.meta.url), 'utf8')) as Topology;
    expect(DEFAULT_MAX_COUNTEREXAMPLE_INSTANTS).toBeGreaterThan(1586);
    const r = checkTopology(t, {}, { maxStates: 20_000 });
    expect(r.complete).toBe(true);
    const halfOpen = r.results.find((x) => x.property === 'no-half-open')!;
    expect(halfOpen.holds).toBe(false);
    expect(halfOpen.counterexampleOmitted).toBeUndefined();
    const steps = halfOpen.counterexample!.steps;
    expect(steps.length).toBe(4755);
    for (let k = 1; k < steps.length; k++) expect(steps[k]!.time).toBeGreaterThanOrEqual(steps[k - 1]!.time);
    // 1,586 instants at which time may pass; at the first of them none does (both at 0 s)
    expect(new Set(steps.map((s) => s.time)).size).toBe(1585);
    // the simulator, which knows nothing of zones, reproduces it at these times
    expect(halfOpen.replayed).toBe(true);
    const cut = checkTopology(t, {}, { replay: false, maxStates: 20_000, maxCounterexampleInstants: 1000 });
    expect(view(cut)).toEqual(view(r));
    expect(cut.results.find((x) => x.property === 'no-half-open')!.counterexampleOmitted).toEqual({ instants: 1586, limit: 1000 });
  });
  it('midpath check --max-counterexample-instants N sets the limit, and refuses a value that is not a whole number >= 1 (exit 2)', async () => {
    const cut = await runInProcess(['check', 'kb-16099', '--json', '--max-counterexample-instants', '3']);
    expect(cut.code).toBe(0);
    const doc = JSON.parse(cut.stdout) as { scenarios: { results: { holds: boolean; counterexample?: unknown; counterexampleOmitted?: { instants: number; limit: number } }[] }[] };
    const violated = doc.scenarios[0]!.results.filter((r) => !r.holds);
    expect(violated.length).toBeGreaterThan(0);
    for (const r of violated) {
      expect(r.counterexample).toBeUndefined();
      expect(r.counterexampleOmitted?.limit).toBe(3);
    }
    const text = await runInProcess(['check', 'kb-16099', '--max-counterexample-instants', '3']);
    expect(text.stdout).toContain('raise it with --max-counterexample-instants N');
    const bad = await runInProcess(['check', 'kb-16099', '--max-counterexample-instants', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-counterexample-instants expects a whole number ≥ 1, got '0'");
  });
});
