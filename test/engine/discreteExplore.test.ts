import { describe, expect, it } from 'vitest';
import { discreteExplore } from '../../src/engine/discreteExplore.ts';
import type { Checks } from '../../src/engine/explore.ts';
import { chainChecks, chainSystem, fischerChecks, fischerSystem, lightChecks, lightSystem, observerChecks, observerSystem } from './fixtures/toyModels.ts';

const statuses = (vs: ReadonlyArray<{ id: string; status: string }>) => vs.map((v) => `${v.id}:${v.status}`);

describe('discreteExplore', () => {
  it('gives a shortest trace as delays and edge labels', () => {
    const v = discreteExplore(lightSystem(), lightChecks, { tick: 1 }).verdicts[0]!;
    expect(v.status).toBe('violated');
    expect(v.status === 'violated' ? v.trace : []).toEqual([
      { delay: 2, label: 'press' },
      { delay: 1, label: 'press' },
    ]);
  });

  it('reaches x > 5 at 5.5 on half ticks, and caps the value as "above the max"', () => {
    const v = discreteExplore(observerSystem(5), observerChecks, { tick: 0.5 }).verdicts[0]!;
    if (v.status !== 'violated') throw new Error('expected a violation');
    expect(v.trace).toEqual([{ delay: 5.5, label: 'late' }]);
    expect(v.windowSamples).toEqual([{ value: 5.5, above: true }]);
  });

  it('counts capped states: one clock with max 5 on whole ticks has values 0..6', () => {
    const r = discreteExplore(observerSystem(5), observerChecks, { tick: 1 });
    // idle: o ∈ 0..6 (6 = "above 5"); fine: o ∈ 0..6; bad: entered at 6 only.
    expect(r.states).toBe(7 + 7 + 1);
    expect([...r.keys].sort()).toEqual(['bad', 'fine', 'idle']);
  });

  it('lets no time pass in an urgent state or past an invariant', () => {
    // step0 needs x ≥ 1 but state 0 is urgent: the end is unreachable.
    const urgent = chainSystem(['x'], [{ guard: [['x', '>=', 1]] }], {}, [0]);
    expect(statuses(discreteExplore(urgent, chainChecks(1), { tick: 1 }).verdicts)).toEqual(['reach-end:holds']);
    // x ≤ 2 everywhere: x ≥ 3 is never reached.
    const bounded = chainSystem(['x'], [{ guard: [['x', '>=', 3]] }], { x: 2 });
    expect(statuses(discreteExplore(bounded, chainChecks(1), { tick: 1 }).verdicts)).toEqual(['reach-end:holds']);
    const loose = chainSystem(['x'], [{ guard: [['x', '>=', 2]] }], { x: 2 });
    expect(statuses(discreteExplore(loose, chainChecks(1), { tick: 1 }).verdicts)).toEqual(['reach-end:violated']);
  });

  it('ends a run cut by maxStates as incomplete, never as holds', () => {
    const r = discreteExplore(fischerSystem({ k: 1, K: 2 }), fischerChecks, { tick: 1, maxStates: 10 });
    expect(r.complete).toBe(false);
    expect(r.stopReason).toBe('max-states');
    expect(statuses(r.verdicts)).toEqual(['mutex:incomplete']);
  });

  it('explores depth-first on request with the same verdict and keys', () => {
    const bfs = discreteExplore(fischerSystem({ k: 2, K: 2 }), fischerChecks, { tick: 1 });
    const dfs = discreteExplore(fischerSystem({ k: 2, K: 2 }), fischerChecks, { tick: 1, order: 'dfs' });
    expect(statuses(dfs.verdicts)).toEqual(statuses(bfs.verdicts));
    expect([...dfs.keys].sort()).toEqual([...bfs.keys].sort());
    expect(dfs.states).toBe(bfs.states);
  });

  it('refuses a tick that does not divide the constants, and says what to do', () => {
    expect(() => discreteExplore(observerSystem(5), observerChecks, { tick: 2 })).toThrow(/not a multiple of tick 2.*choose a tick/);
    expect(() => discreteExplore(observerSystem(5), observerChecks, { tick: 0 })).toThrow(/positive/);
  });

  it('checks the initial state too', () => {
    const checks: Checks<'idle' | 'fine' | 'bad', string> = { ids: ['not-idle'], state: (s) => (s === 'idle' ? ['not-idle'] : []) };
    const v = discreteExplore(observerSystem(5), checks, { tick: 1 }).verdicts[0]!;
    expect(v.status === 'violated' ? v.trace : undefined).toEqual([]);
  });
});
