import { omittedTimelineText } from '../reporting/omittedTimeline.ts';
import { meetsExpectations, type PropertyResult, type ScenarioResult } from '../check.ts';
import { formatTimeline } from '../reporting/formatTimeline.ts';
import { formatWindow } from './formatSeconds.ts';
import { propertyOutcome, verdictWord } from '../reporting/propertyOutcome.ts';
import { limitMessage } from './heapBudget.ts';
import type { Colours } from './colour.ts';

/** Longest counterexample timeline printed in full by `midpath check`. */
const MAX_TIMELINE_STEPS = 14;

function expectationText(s: ScenarioResult, r: PropertyResult): string {
  const o = propertyOutcome(s, r);
  if (o === 'incomplete') return 'not decided: a limit cut the run short';
  if (o === 'unchecked') return 'not checked (expect: any)';
  if (r.expected === undefined) return o === 'unmet' ? 'UNEXPECTED (not in expect, so it must hold; write `any` to ignore it)' : 'as required';
  return o === 'met' ? 'as expected' : `UNEXPECTED (expected ${r.expected})`;
}

function verdictLines(s: ScenarioResult, r: PropertyResult, width: number, c: Colours | undefined): string[] {
  const v = verdictWord(r);
  const o = propertyOutcome(s, r);
  const plain = v === 'holds' ? '✔' : v === 'violated' ? '✘' : '?';
  // the mark says the verdict; its colour says whether that was expected (green) or not (red)
  const mark = c === undefined ? plain : o === 'met' ? c.green(plain) : o === 'unmet' ? c.red(plain) : o === 'incomplete' ? c.yellow(plain) : plain;
  const window = r.window ? `  ${formatWindow(r.window.idleGapUnion)}${!s.complete ? ' (so far: the run was cut short)' : r.partialWindow ? ' (at least: --first stopped at the first violation)' : ''}` : '';
  const lines = [`  ${mark} ${r.property.padEnd(width)}  ${v}, ${expectationText(s, r)}${window}`];
  if (r.counterexample) {
    lines.push(...formatTimeline(r.counterexample, { indent: '      ', maxSteps: MAX_TIMELINE_STEPS }));
    if (r.replayed === true) lines.push('      replayed on the simulator: reproduced');
    else if (r.replayed === false) lines.push('      replayed on the simulator: NOT reproduced (a midpath bug; please report it with this trace)');
    else lines.push('      not replayed on the simulator');
  } else if (r.counterexampleOmitted) {
    lines.push(`      ${omittedTimelineText(r.counterexampleOmitted)}`);
  } else if (v === 'violated') {
    lines.push('      no concrete counterexample could be built (a midpath bug)');
  }
  return lines;
}

/**
 * One scenario's results for people: a header with the verdict against the
 * scenario's `expect` and the exploration size, a verdict line per property
 * (✔ holds / ✘ violated / ? incomplete, with the idle-gap window of a
 * violation), and under each violation its timeline in the KB's terms and
 * whether the simulator reproduced it. With `c` (a terminal), marks and
 * verdicts are coloured: green as expected, red not, yellow undecided.
 */
export function formatScenarioResult(s: ScenarioResult, c?: Colours): string[] {
  const status = !s.complete ? `INCOMPLETE: ${s.stoppedBy === undefined ? 'a limit was hit' : limitMessage(s.stoppedBy)}` : meetsExpectations(s) ? 'meets expectations' : 'DOES NOT MEET EXPECTATIONS';
  const shown = c === undefined ? status : !s.complete ? c.yellow(status) : meetsExpectations(s) ? c.green(status) : c.red(status);
  const header = `${c === undefined ? s.name : c.bold(s.name)}: ${shown} (${s.stats.states} states, ${s.stats.transitions} transitions, ${s.stats.ms} ms)`;
  const width = Math.max(0, ...s.results.map((r) => r.property.length));
  return [header, ...s.results.flatMap((r) => verdictLines(s, r, width, c))];
}
