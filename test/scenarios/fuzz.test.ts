import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseScenarioText } from '../../src/scenarios/loadScenario.ts';
import { presetNames, presetPath } from '../../src/scenarios/presets.ts';
import type { Scenario } from '../../src/scenarios/scenario.ts';
import { ScenarioError } from '../../src/scenarios/scenarioError.ts';
import { validateScenario } from '../../src/scenarios/validateScenario.ts';

/*
 * Fuzzing the loader: whatever comes in, the only thing that may come out
 * besides a Scenario is a ScenarioError with readable issues, and each input
 * is settled in well under a second.
 *
 * Replay: MIDPATH_SEED=<seed> (printed by fast-check on failure);
 * more runs: MIDPATH_FUZZ_RUNS=<n> (default 200).
 */
const seedEnv = process.env['MIDPATH_SEED'];
const runs = Number(process.env['MIDPATH_FUZZ_RUNS'] ?? '200');
const params = { numRuns: Number.isInteger(runs) && runs > 0 ? runs : 200, ...(seedEnv === undefined ? {} : { seed: Number(seedEnv) }) };

const presetTexts = presetNames().map((n) => readFileSync(presetPath(n), 'utf8'));

/** Runs `load`, then checks it either returned a scenario that validates to itself or threw a well-formed ScenarioError. */
function settles(load: () => Scenario): void {
  let scenario: Scenario | undefined;
  try {
    scenario = load();
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a ScenarioError`);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.message).not.toMatch(/\[object |undefined/);
      if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
    }
    expect(e.format().split('\n')).toHaveLength(e.issues.length);
  }
  if (scenario !== undefined) expect(validateScenario(JSON.parse(JSON.stringify(scenario)), 'again')).toEqual(scenario);
}

/** One edit to a text: delete, insert, replace or duplicate a slice. */
const textEdit = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(':', '- ', '\n  ', '[', '{', '&a ', '*a', '"', "'", '#', '---\n', '\t', '0', '-1', '1e400', 'null', '~', '!!str ', '<<: ')) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 60 }) }),
);

type TextEdit = typeof textEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, edit: TextEdit): string {
  const at = text.length === 0 ? 0 : edit.at % text.length;
  switch (edit.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + edit.len);
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + edit.text + text.slice(at + edit.text.length);
    case 'duplicate':
      return text.slice(0, at + edit.len) + text.slice(at, at + edit.len) + text.slice(at + edit.len);
  }
}

/** Sets (or deletes, with undefined) the value at a path of keys/indices chosen by numbers, in a copy. */
function mutateAt(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const [first = 0, ...rest] = choices;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    const i = value.length === 0 ? 0 : first % value.length;
    copy[i] = mutateAt(value[i], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const key = keys.length === 0 ? 'extra' : (keys[first % keys.length] ?? 'extra');
  const next = mutateAt(copy[key], rest, replacement);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

describe('scenario loading under fuzzing', () => {
  test.prop([fc.string({ maxLength: 400 })], params)('settles any string', (text) => {
    settles(() => parseScenarioText(text, 'fuzz.yaml'));
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 200 })], params)('settles any unicode text', (text) => {
    settles(() => parseScenarioText(text, 'fuzz.yaml'));
  });

  test.prop([fc.jsonValue()], params)('settles any JSON value, as JSON and as YAML text', (value) => {
    settles(() => parseScenarioText(JSON.stringify(value) ?? 'null', 'fuzz.json'));
    settles(() => parseScenarioText(stringify(value), 'fuzz.yaml'));
  });

  test.prop([fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true })], params)(
    'settles any JavaScript value passed to validateScenario',
    (value) => {
      settles(() => validateScenario(value, 'fuzz'));
    },
  );

  test.prop([fc.nat({ max: presetTexts.length - 1 }), fc.array(textEdit, { minLength: 1, maxLength: 4 })], params)('settles any few edits of a valid preset text', (i, edits) => {
    const text = edits.reduce(applyEdit, presetTexts[i] ?? '');
    settles(() => parseScenarioText(text, 'mutated.yaml'));
  });

  test.prop(
    [fc.nat({ max: presetTexts.length - 1 }), fc.array(fc.nat(), { maxLength: 5 }), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.double())],
    params,
  )('settles a valid preset with one field replaced, removed or added', (i, choices, replacement) => {
    const value = mutateAt(parse(presetTexts[i] ?? ''), choices, replacement);
    settles(() => validateScenario(value, 'mutated'));
    settles(() => parseScenarioText(stringify(value) ?? '', 'mutated.yaml'));
  });
});
