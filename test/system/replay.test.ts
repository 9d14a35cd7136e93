import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.ts';
import { check, checkTopology } from '../../src/check.ts';
import { explore } from '../../src/engine/explore.ts';
import { applianceCountArb, boundaryArb, endpointArb, pathTopology, topologyArb } from '../../src/properties/arbitraries.ts';
import { flowHop } from '../../src/system/flowHop.ts';
import { checksFor, properties } from '../../src/properties/catalogue.ts';
import { loadPreset } from '../../src/scenarios/presets.ts';
import { toTopology } from '../../src/scenarios/toTopology.ts';
import { ProductSystem } from '../../src/system/product.ts';
import { buildTrace, replayTrace, type Trace, type TraceStep } from '../../src/system/trace.ts';
import { OpenBoundaryGuardRemoved } from '../fixtures/mutants.ts';
import { withGwlb } from '../../src/system/topology.ts';
import { kbTopology } from '../fixtures/kbTopology.ts';
import { runs } from '../properties/fuzzing.ts';

/*
 * Issue 11 §2: the replay follows the trace step by step (every order the
 * explorer explores at one instant) and confirms a trace only when the
 * simulator does exactly what it records and violates its property at its
 * violation step. Seeds: see test/properties/fuzzing.ts.
 */

describe('no false alarm at equal deadlines', () => {
  it('replays a counterexample whose middlebox timer fires at the same instant as an endpoint timer (closed boundary)', () => {
    // client keepalive idle 350 = GWLB 350 with boundary closed: at 350 s the entry expires before the probe crosses
    const b = kbTopology({ clientKeepaliveIdle: 350 });
    const r = checkTopology(withGwlb(b, { gwlb: { boundary: 'closed' } }), {}, { properties: ['no-mid-path-drop'] });
    expect(r.results[0]).toMatchObject({ holds: false, replayed: true, window: { idleGap: { from: 350, fromInclusive: true, to: 2069.6, toInclusive: true } } });
  });

  const cases = topologyArb({
    connections: fc.constant(1),
    appliances: applianceCountArb({ min: 1, max: 3 }),
    gwlbBoundary: boundaryArb,
    applianceBoundary: boundaryArb,
    client: endpointArb({ retries2: { min: 1, max: 2 } }),
    server: endpointArb({ retries2: { min: 1, max: 2 } }),
  });
  test.prop([cases], runs(6))('every counterexample of a generated topology replays, whatever its boundaries', (t) => {
    const r = checkTopology(t, {}, { maxStates: 10_000 });
    for (const x of r.results) if (!x.holds && x.incomplete !== true) expect(x.replayed, `${x.property}: ${JSON.stringify(x.counterexample?.steps.map((s) => s.text))}`).toBe(true);
  });
});

describe('a composition mutant is caught by the replay', () => {
  it('the open-boundary ghost guard removed: the explorer reports a drop at exactly the timeout that the simulator refuses', () => {
    const t = kbTopology({ clientKeepaliveIdle: 350, retries2: 2 });
    expect(checkTopology(t, {}, { properties: ['no-mid-path-drop'], replay: false }).results[0]!.holds).toBe(true);
    const sys = new OpenBoundaryGuardRemoved(t);
    const checks = checksFor(sys, properties.filter((p) => p.id === 'no-mid-path-drop'));
    const v = explore(sys, checks).verdicts[0]!;
    expect(v.status).toBe('violated');
    if (v.status !== 'violated') return;
    const trace = buildTrace(sys, v.path, v.id, (step, prev) => (step.edge && prev ? checks.edge!(prev, step.edge) : []))!;
    const replay = replayTrace(sys, trace);
    expect(replay.reproduced).toBe(false);
    expect(replay.mismatch).toMatchObject({ field: 'order' });
    expect(replay.observed).toMatch(/boundary: open/);
  });
});

// ---- a corpus of edited traces ----

const kb = check(loadPreset('kb-16099'), { properties: ['no-mid-path-drop', 'no-half-open'] });
const kbSys = new ProductSystem(toTopology(loadPreset('kb-16099')));
const dropTrace = kb.results.find((x) => x.property === 'no-mid-path-drop')!.counterexample!;
const halfOpenTrace = kb.results.find((x) => x.property === 'no-half-open')!.counterexample!;

type Edit = (t: Trace) => Trace;
const steps = (t: Trace, f: (steps: TraceStep[]) => TraceStep[]): Trace => ({ ...t, steps: f(t.steps.map((s) => ({ ...s }))) });
const atStep = (i: number | ((t: Trace) => number), f: (s: TraceStep) => TraceStep): Edit => (t) => {
  const k = typeof i === 'number' ? i : i(t);
  return steps(t, (l) => l.map((s, j) => (j === k ? f(s) : s)));
};
const violation = (t: Trace) => t.violationStep;
const firstOf = (pred: (s: TraceStep) => boolean) => (t: Trace) => t.steps.findIndex(pred);
const gwlbTimer = firstOf((s) => s.kind === 'timer' && s.actor.startsWith('gwlb'));
const newFlowStep = (t: Trace) => t.steps.findLastIndex((s) => s.hops?.some((h) => h.chosenTarget !== undefined) === true);

/** Each edit describes a run that cannot happen; `on` is the trace it edits. */
const corpus: readonly { readonly name: string; readonly on: Trace; readonly edit: Edit }[] = [
  { name: 'only the init step, with empty states', on: dropTrace, edit: (t) => ({ ...t, violationStep: 0, steps: [{ ...t.steps[0]!, states: {} }] }) },
  { name: 'only the init step, intact', on: dropTrace, edit: (t) => ({ ...t, violationStep: 0, steps: [t.steps[0]!] }) },
  { name: 'a drop trace relabelled as no-mid-path-reset', on: dropTrace, edit: (t) => ({ ...t, property: 'no-mid-path-reset', steps: t.steps.map((s) => ({ ...s, violates: s.violates.map((v) => (v === 'no-mid-path-drop' ? 'no-mid-path-reset' : v)) })) }) },
  { name: 'a drop trace relabelled as no-half-open', on: dropTrace, edit: (t) => ({ ...t, property: 'no-half-open' }) },
  { name: 'the half-open trace with its violation step’s states emptied', on: halfOpenTrace, edit: atStep(violation, (s) => ({ ...s, states: {} })) },
  { name: 'the half-open trace with one endpoint’s nested state edited', on: halfOpenTrace, edit: atStep(violation, (s) => ({ ...s, states: { ...s.states, client0: 'established' } })) },
  { name: 'the dropped segment’s outcome changed to delivered', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, outcome: 'delivered' })) },
  { name: 'the drop reason changed', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, hops: s.hops!.map((h) => (h.action === 'drop' ? { ...h, reason: 'no-flow-entry' as const } : h)) })) },
  { name: 'the new flow sent to the appliance that has the session', on: dropTrace, edit: atStep(newFlowStep, (s) => ({ ...s, hops: s.hops!.map((h) => (h.chosenTarget === undefined ? h : { ...h, chosenTarget: 0, target: 0 })) })) },
  { name: 'the GWLB timer fired early', on: dropTrace, edit: atStep(gwlbTimer, (s) => ({ ...s, time: 349 })) },
  { name: 'the GWLB timer step removed', on: dropTrace, edit: (t) => ({ ...steps(t, (l) => l.filter((_, j) => j !== gwlbTimer(t))), violationStep: t.violationStep - 1 }) },
  { name: 'the violating segment sent on connection 1', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, segment: { ...s.segment!, conn: 1 } })) },
  { name: 'the violating segment’s kind changed', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, segment: { ...s.segment!, kind: 'data' } })) },
  { name: 'an aged-out log invented', on: dropTrace, edit: atStep(gwlbTimer, (s) => ({ ...s, logs: [...s.logs, { component: 'appliance0.c0', conn: 0, reason: 'aged-out' }] })) },
  { name: 'a changed context (retransmission count)', on: halfOpenTrace, edit: atStep(violation, (s) => ({ ...s, context: { ...s.context!, server0: `${s.context!['server0']} extra=1` } })) },
  { name: 'the violation step moved one step earlier', on: dropTrace, edit: (t) => ({ ...t, violationStep: t.violationStep - 1 }) },
  { name: 'the violation mark removed from the violating step', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, violates: [] })) },
  { name: 'a violation mark added to a step that violates nothing', on: dropTrace, edit: atStep(1, (s) => ({ ...s, violates: ['no-mid-path-drop'] })) },
  { name: 'an application action the environment forbids (the server closes)', on: dropTrace, edit: atStep(1, (s) => ({ ...s, actor: 'server0', action: 'APP_CLOSE' })) },
  { name: 'time going back', on: dropTrace, edit: atStep(violation, (s) => ({ ...s, time: 10 })) },
  { name: 'a step of an unknown kind', on: dropTrace, edit: atStep(1, (s) => ({ ...s, kind: 'magic' as TraceStep['kind'] })) },
];

describe('an edited or impossible trace is never confirmed', () => {
  it('the unedited traces replay', () => {
    expect(replayTrace(kbSys, dropTrace)).toMatchObject({ reproduced: true });
    expect(replayTrace(kbSys, halfOpenTrace)).toMatchObject({ reproduced: true });
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s: not reproduced, naming the step and field', (_, c) => {
    const edited = c.edit(c.on);
    expect(edited).not.toEqual(c.on);
    const r = replayTrace(kbSys, edited);
    expect(r.reproduced).toBe(false);
    expect(r.mismatch?.field).toMatch(/\w/);
    expect(r.observed).toMatch(/^step \d+, /);
  });
});

describe('midpath trace --replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'midpath-replay-'));
  const run = async (t: Trace | object) => {
    const file = join(dir, `t${Math.random().toString(36).slice(2)}.trace.json`);
    writeFileSync(file, JSON.stringify(t));
    let out = '';
    let err = '';
    const code = await runCli(['trace', file, '--replay'], { out: (s) => (out += s), err: (s) => (err += s), env: {} });
    return { code, out, err };
  };

  it('confirms the unedited trace (exit 0)', async () => {
    const r = await run(dropTrace);
    expect(r.code).toBe(0);
    expect(r.out).toContain('reproduced, it still fails');
  });

  it.each(corpus.slice(0, 8).map((c) => [c.name, c] as const))('%s: NOT reproduced, exit 1', async (_, c) => {
    const r = await run(c.edit(c.on));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/NOT reproduced: step \d+, /);
    expect(r.out).not.toContain('it still fails');
  });

  it('rejects an unknown property with exit 2, naming the field and the allowed ids', async () => {
    const r = await run({ ...dropTrace, property: 'no-midpath-drop' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/property: 'no-midpath-drop' is not a midpath property \(allowed: no-mid-path-drop, /);
  });
});

describe('an edited trace on a path of registry hops is never confirmed', () => {
  // An NLB alone (open boundary, a late segment gets an RST to its sender: domain-facts §2, §11.2): its reset trace.
  const nlb = { hop: flowHop('nlb', { idleTimeout: 350 }), fate: 'reset' as const, timeout: 350 };
  const t = pathTopology({ hops: [nlb], shortest: 350, first: nlb }, 1);
  const resetTrace = checkTopology(t, {}, { properties: ['no-mid-path-reset'] }).results[0]!.counterexample!;
  const sys = new ProductSystem(t);
  const edits: readonly (readonly [string, Edit])[] = [
    ['the RST outcome changed to dropped', atStep(violation, (s) => ({ ...s, outcome: 'dropped' }))],
    ['the RST outcome changed to delivered', atStep(violation, (s) => ({ ...s, outcome: 'delivered' }))],
    ['the reset trace relabelled as no-mid-path-drop', (x) => ({ ...x, property: 'no-mid-path-drop', steps: x.steps.map((s) => ({ ...s, violates: s.violates.map((v) => (v === 'no-mid-path-reset' ? 'no-mid-path-drop' : v)) })) })],
    ['the NLB timer fired before its timeout', atStep(firstOf((s) => s.kind === 'timer' && s.actor !== 'client0' && s.actor !== 'server0'), (s) => ({ ...s, time: 300 }))],
    ['the NLB hop’s action rewritten as a forward', atStep(violation, (s) => ({ ...s, hops: s.hops!.map((h) => ({ ...h, action: 'forward' as const })) }))],
  ];

  it('the unedited reset trace replays', () => {
    expect(resetTrace.steps[resetTrace.violationStep]!.outcome).toBe('reset');
    expect(replayTrace(sys, resetTrace)).toMatchObject({ reproduced: true });
  });

  it.each(edits)('%s: not reproduced', (_, edit) => {
    const edited = edit(resetTrace);
    expect(edited).not.toEqual(resetTrace);
    const r = replayTrace(sys, edited);
    expect(r.reproduced).toBe(false);
    expect(r.observed).toMatch(/^step \d+, /);
  });
});
