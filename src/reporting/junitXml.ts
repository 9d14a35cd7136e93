import { omittedTimelineText } from './omittedTimeline.ts';
import type { ScenarioResult } from '../check.ts';
import { formatInterval, type Interval } from '../engine/interval.ts';
import { escapeXml } from './escapeXml.ts';
import { propertyOutcome, verdictWord } from './propertyOutcome.ts';

/** Escapes text for XML (the reports' one escaper, src/reporting/escapeXml.ts). */
export const xmlEscape = escapeXml;

/** A problem attached to a test case: a `<failure>` (an expectation not met) or an `<error>` (the test could not run to a verdict). */
export interface JUnitProblem {
  readonly type: string;
  readonly message: string;
  /** Element text, e.g. the counterexample's timeline. */
  readonly body?: string;
}

/** One `<testcase>`. */
export interface JUnitCase {
  readonly name: string;
  readonly classname: string;
  readonly failure?: JUnitProblem;
  readonly error?: JUnitProblem;
  /** A `<skipped>` with this message. */
  readonly skipped?: string;
  /** A `<system-out>` with this text. */
  readonly systemOut?: string;
}

/** One `<testsuite>`. */
export interface JUnitSuite {
  readonly name: string;
  /** Seconds (a timing: the only thing that differs between two runs). */
  readonly time: number;
  readonly cases: readonly JUnitCase[];
}

const count = (suite: JUnitSuite) => ({
  tests: suite.cases.length,
  failures: suite.cases.filter((c) => c.failure !== undefined).length,
  errors: suite.cases.filter((c) => c.error !== undefined).length,
  skipped: suite.cases.filter((c) => c.skipped !== undefined).length,
});

function problem(tag: 'failure' | 'error', p: JUnitProblem): string {
  return `      <${tag} type="${xmlEscape(p.type)}" message="${xmlEscape(p.message)}">${xmlEscape(p.body ?? '')}</${tag}>`;
}

/**
 * JUnit XML of some suites, in the form the JUnit schema of Jenkins' xUnit
 * plugin accepts (test/fixtures/junit.xsd): `<testsuites>` with totals,
 * each `<testsuite>` with `name`, `tests`, `failures`, `errors`, `skipped`
 * and `time`, each `<testcase>` with `name` and `classname` and at most one
 * of `<failure>`, `<error>`, `<skipped>`, then an optional `<system-out>`.
 * Every string is XML-escaped (characters XML cannot hold are dropped).
 */
export function junitSuitesXml(suites: readonly JUnitSuite[]): string {
  const totals = suites.map(count).reduce((a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped }), { tests: 0, failures: 0, errors: 0, skipped: 0 });
  const time = suites.reduce((t, s) => t + s.time, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="midpath" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${time.toFixed(3)}">`,
  ];
  for (const suite of suites) {
    const c = count(suite);
    lines.push(`  <testsuite name="${xmlEscape(suite.name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${suite.time.toFixed(3)}">`);
    for (const tc of suite.cases) {
      const open = `    <testcase classname="${xmlEscape(tc.classname)}" name="${xmlEscape(tc.name)}"`;
      const inner = [
        ...(tc.failure ? [problem('failure', tc.failure)] : tc.error ? [problem('error', tc.error)] : tc.skipped !== undefined ? [`      <skipped message="${xmlEscape(tc.skipped)}"/>`] : []),
        ...(tc.systemOut === undefined ? [] : [`      <system-out>${xmlEscape(tc.systemOut)}</system-out>`]),
      ];
      if (inner.length === 0) lines.push(`${open}/>`);
      else lines.push(`${open}>`, ...inner, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function windowText(union: readonly Interval[]): string {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return `idle gap ∈ ${union.map((iv) => formatInterval({ ...iv, from: r(iv.from), to: iv.to === null ? null : r(iv.to) })).join(' ∪ ')} s`;
}

/**
 * JUnit XML for CI of check results: one `<testsuite>` per scenario, one
 * `<testcase>` per (scenario, property): a `<failure>` where the verdict
 * misses the scenario's expectation (with the counterexample timeline), an
 * `<error>` where a limit cut the run short before the property was
 * decided (with `limitText`, which says which limit and how to raise it),
 * `<skipped>` where the scenario marks the property `any`; a property not
 * named in `expect` must hold (properties/expectationOutcome.ts).
 *
 * @param limitText what cut a scenario short, for its error messages
 */
export function junitXml(results: readonly ScenarioResult[], limitText: (s: ScenarioResult) => string = () => 'a limit cut the run short'): string {
  return junitSuitesXml(
    results.map((s) => ({
      name: s.name,
      time: s.stats.ms / 1000,
      cases: s.results.map((r): JUnitCase => {
        const base = { classname: `midpath.${s.name}`, name: r.property };
        const outcome = propertyOutcome(s, r);
        if (outcome === 'incomplete') return { ...base, error: { type: 'incomplete', message: `incomplete: ${limitText(s)} before this property was decided` } };
        if (outcome === 'unchecked') return { ...base, skipped: 'expect: any (not checked)' };
        if (outcome === 'met') return base;
        const window = r.window ? ` (${windowText(r.window.idleGapUnion)})` : '';
        const omitted = r.counterexampleOmitted ? omittedTimelineText(r.counterexampleOmitted) : '';
        const body = r.counterexample ? r.counterexample.steps.map((st) => `${st.time} s  ${st.text}`).join('\n') : omitted;
        return { ...base, failure: { type: 'unmet', message: `${verdictWord(r)}${window}, expected ${r.expected ?? 'holds (not in expect: every property not listed must hold)'}`, body } };
      }),
    })),
  );
}

/**
 * JUnit XML for a run that ended before any verdict (bad input, a refused
 * output, a limit): one suite `midpath <command>` with one test case whose
 * `<error>` carries the message, so CI never reads a stale file.
 *
 * @param type `bad-input`, `incomplete` or `internal`
 */
export function junitErrorXml(command: string, type: string, message: string): string {
  return junitSuitesXml([{ name: `midpath ${command}`, time: 0, cases: [{ name: command, classname: 'midpath', error: { type, message } }] }]);
}
