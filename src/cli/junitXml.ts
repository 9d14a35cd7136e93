import type { ScenarioResult } from '../check.ts';
import { escapeXml } from '../reporting/escapeXml.ts';
import { formatWindow } from './formatSeconds.ts';
import { propertyOutcome, verdictWord } from './propertyOutcome.ts';

/** Escapes text for XML (the reports' one escaper, src/reporting/escapeXml.ts). */
export const xmlEscape = escapeXml;

/**
 * JUnit XML for CI: one `<testsuite>` per scenario, one `<testcase>` per
 * (scenario, property), with a `<failure>` when the result does not meet
 * the scenario's expectation or was cut short by a limit. Every string from
 * the user (scenario names, messages) is XML-escaped.
 */
export function junitXml(results: readonly ScenarioResult[]): string {
  const cases = results.map((s) => s.results.map((r) => ({ s, r, outcome: propertyOutcome(s, r) })));
  const total = cases.reduce((n, c) => n + c.length, 0);
  const failures = cases.reduce((n, c) => n + c.filter((x) => x.outcome === 'unmet' || x.outcome === 'incomplete').length, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="midpath" tests="${total}" failures="${failures}">`];
  for (const group of cases) {
    const first = group[0];
    if (!first) continue;
    const s = first.s;
    const failed = group.filter((x) => x.outcome === 'unmet' || x.outcome === 'incomplete').length;
    lines.push(`  <testsuite name="${xmlEscape(s.name)}" tests="${group.length}" failures="${failed}" time="${(s.stats.ms / 1000).toFixed(3)}">`);
    for (const { r, outcome } of group) {
      const open = `    <testcase classname="midpath.${xmlEscape(s.name)}" name="${xmlEscape(r.property)}"`;
      if (outcome === 'unchecked') {
        lines.push(`${open}>`, '      <skipped message="expect: any (not checked)"/>', '    </testcase>');
        continue;
      }
      if (outcome !== 'unmet' && outcome !== 'incomplete') {
        lines.push(`${open}/>`);
        continue;
      }
      const window = r.window ? ` (${formatWindow(r.window.idleGapUnion)})` : '';
      const message =
        outcome === 'incomplete'
          ? 'incomplete: a limit cut the run short before this property was decided'
          : `${verdictWord(r)}${window}, expected ${r.expected ?? 'holds (not in expect: every property not listed must hold)'}`;
      const body = r.counterexample ? xmlEscape(r.counterexample.steps.map((st) => `${st.time} s  ${st.text}`).join('\n')) : '';
      lines.push(`${open}>`, `      <failure type="${outcome}" message="${xmlEscape(message)}">${body}</failure>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
