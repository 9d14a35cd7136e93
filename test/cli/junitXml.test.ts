import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/check.ts';
import { junitXml, xmlEscape } from '../../src/reporting/junitXml.ts';
import { isWellFormedXml } from './isWellFormedXml.ts';

const result: ScenarioResult = {
  name: `a<b&"c'>`,
  complete: true,
  results: [
    { property: 'no-mid-path-drop', holds: false, expected: 'holds', window: { idleGap: { from: 350, fromInclusive: false, to: null, toInclusive: false }, idleGapUnion: [{ from: 350, fromInclusive: false, to: null, toInclusive: false }] } },
    { property: 'no-mid-path-reset', holds: true, expected: 'holds' },
    { property: 'clean-close', holds: false },
    { property: 'no-half-open', holds: false, expected: 'any' },
  ],
  stats: { states: 3, transitions: 2, ms: 1234 },
};

describe('junitXml', () => {
  it('escapes every user string and stays well-formed', () => {
    const xml = junitXml([result]);
    expect(isWellFormedXml(xml)).toBe(true);
    expect(xml).toContain('name="a&lt;b&amp;&quot;c&#39;&gt;"');
    expect(xml).not.toContain('a<b');
  });

  it('fails a testcase where the result misses its expectation, and where a property not named in expect is violated', () => {
    const xml = junitXml([result]);
    expect(xml).toContain('tests="4" failures="2" errors="0" skipped="1"');
    expect(xml).toMatch(/name="no-mid-path-drop">\n\s+<failure type="unmet" message="violated \(idle gap ∈ \(350, ∞\) s\), expected holds"/);
    expect(xml).toMatch(/name="clean-close">\n\s+<failure type="unmet" message="violated, expected holds \(not in expect/);
    expect(xml).toContain('name="no-mid-path-reset"/>');
  });

  it('skips a property the scenario marks any', () => {
    expect(junitXml([result])).toMatch(/name="no-half-open">\n\s+<skipped message="expect: any \(not checked\)"\/>/);
  });

  it('errors an undecided property when a limit cut the run short', () => {
    const xml = junitXml([{ ...result, complete: false, results: [{ property: 'no-half-open', holds: false, incomplete: true }] }]);
    expect(xml).toContain('<error type="incomplete"');
  });

  it('drops characters XML cannot hold', () => {
    expect(xmlEscape('a\u0000b\u0007c')).toBe('abc');
  });
});
