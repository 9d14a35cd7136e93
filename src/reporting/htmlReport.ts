import { omittedTimelineText } from './omittedTimeline.ts';
import { createHash } from 'node:crypto';
import type { PropertyResult, ScenarioResult } from '../check.ts';
import { formatInterval } from '../engine/interval.ts';
import { expectationOutcome, type ExpectationOutcome } from '../properties/expectationOutcome.ts';
import type { Trace } from '../system/trace.ts';
import { escapeXml } from './escapeXml.ts';
import { EXPLORER_SCRIPT } from './explorerScript.ts';
import { HIGHLIGHT_COLOURS, type EdgeHighlight } from './machineDot.ts';
import { REPORT_CSS } from './reportCss.ts';
import { sequenceFigure } from './sequenceSvg.ts';
import { secondsText } from './traceLanes.ts';

/** A composed system's reachable graph as shown in the report: an SVG, or why it was left out. */
export type SystemFigure = { readonly svg: string } | { readonly omitted: string };

/** One checked scenario as the report shows it. */
export interface ReportScenario {
  readonly result: ScenarioResult;
  /** The scenario's description (user text, escaped). */
  readonly description?: string;
  readonly system?: SystemFigure;
}

/** The input of {@link htmlReport}: data only, every SVG already rendered. */
export interface HtmlReportInput {
  readonly title?: string;
  readonly scenarios: readonly ReportScenario[];
  /** Each machine kind's state graph (inline SVG from Graphviz). */
  readonly machines: readonly { readonly name: string; readonly svg: string; readonly file?: string }[];
  /** The files written beside index.html for a counterexample (relative names), to link to. */
  readonly counterexampleFiles?: (scenario: string, property: string) => readonly string[];
}

const e = escapeXml;

/** JSON that is safe inside `<script type="application/json">`: no `<`, `>`, `&` or line separators survive unescaped, so `</script>` cannot end the block. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function verdict(r: PropertyResult): 'holds' | 'violated' | 'incomplete' {
  return r.incomplete === true ? 'incomplete' : r.holds ? 'holds' : 'violated';
}

function meets(_s: ScenarioResult, r: PropertyResult): ExpectationOutcome {
  return expectationOutcome(r);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function windowText(r: PropertyResult): string {
  if (!r.window) return '';
  return `idle gap ∈ ${r.window.idleGapUnion.map((iv) => formatInterval({ ...iv, from: round(iv.from), to: iv.to === null ? null : round(iv.to) })).join(' ∪ ')} s`;
}

function verdictTable(scenarios: readonly ReportScenario[], anchor: (s: string, p: string) => string | undefined): string {
  const mark = { met: '✔ as expected', unmet: '✘ NOT as expected', unchecked: '·', incomplete: '? incomplete' } as const;
  const rows = scenarios.flatMap(({ result: s }) =>
    s.results.map((r) => {
      const m = meets(s, r);
      const a = anchor(s.name, r.property);
      const v = verdict(r);
      // a counterexample too long to make concrete (check.ts maxCounterexampleInstants) has no diagram: say why
      const omitted = r.counterexampleOmitted ? ` (${omittedTimelineText(r.counterexampleOmitted)})` : '';
      const cell = (a === undefined ? e(v) : `<a href="#${e(a)}">${e(v)}</a>`) + e(omitted);
      return `<tr><td>${e(s.name)}</td><td>${e(r.property)}</td><td class="mp-${v}">${cell}</td><td>${e(r.expected ?? '—')}</td><td>${e(windowText(r))}</td><td class="mp-${m}">${e(mark[m])}</td></tr>`;
    }),
  );
  return [
    '<table class="mp-verdicts"><thead><tr><th>scenario</th><th>property</th><th>verdict</th><th>expected</th><th>window</th><th>outcome</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function legend(): string {
  const names: Record<EdgeHighlight, string> = { drop: 'drops a segment', reset: 'resets (RST)', 'aged-out': 'session ages out', abort: 'connection aborts' };
  const items = (Object.keys(HIGHLIGHT_COLOURS) as EdgeHighlight[]).map((k) => `<span><i style="background:${HIGHLIGHT_COLOURS[k]}"></i>${e(names[k])}</span>`);
  return `<p class="mp-legend">${items.join('')}<span><i style="background:#607d8b;height:1px;border-top:2px dashed #607d8b"></i>timer (after)</span></p>`;
}

function explorer(index: number, trace: Trace): string {
  const dropWord = trace.steps[trace.violationStep]?.outcome === 'dropped' ? 'jump to drop ✕' : 'jump to violation ✕';
  return [
    `<section class="mp-explorer" data-trace="${index}" tabindex="0" aria-label="step-through explorer">`,
    `<div><button data-act="first" data-role="first">« first</button><button data-act="prev" data-role="prev">◀ prev</button><button data-act="next" data-role="next">next ▶</button><button data-act="drop" data-role="drop">${e(dropWord)}</button><span class="mp-pos" data-role="pos"></span></div>`,
    '<p class="mp-step-text" data-role="text"></p>',
    '<p class="mp-violates" data-role="violates"></p>',
    '<div class="mp-cols"><div><h4>component states after this step</h4><table><tbody data-role="states"></tbody></table></div>',
    '<div><h4>clocks (seconds since each was last reset)</h4><ul data-role="clocks"></ul><h4>log records</h4><ul data-role="logs"></ul></div></div>',
    '<p class="mp-note">← / → step through; click a row of the diagram or of the step table to jump to it.</p>',
    '</section>',
  ].join('\n');
}

/** The table of every step of a trace, in a scroll box; the explorer highlights the current row and scrolls it into view. */
function stepTable(index: number, trace: Trace): string {
  const rows = trace.steps.map((st, i) => {
    const cls = i === trace.violationStep ? ' class="mp-violation"' : '';
    return `<tr data-step="${i}"${cls}><td>${i + 1}</td><td>${e(secondsText(st.time))}</td><td>${e(st.actor)}</td><td>${e(st.text)}${st.violates.length > 0 ? ` <b>◀ violates ${e(st.violates.join(', '))}</b>` : ''}</td></tr>`;
  });
  return [
    `<div class="mp-steps-box" data-trace="${index}"><table class="mp-steps"><thead><tr><th>#</th><th>time</th><th>actor</th><th>step</th></tr></thead><tbody>`,
    ...rows,
    '</tbody></table></div>',
  ].join('\n');
}

/** The explorer's data: what it shows per step, nothing else. */
function traceData(t: Trace): unknown {
  return {
    scenario: t.scenario,
    property: t.property,
    violationStep: t.violationStep,
    steps: t.steps.map((s) => ({ time: s.time, text: s.text, states: s.states, clocks: s.clocks, logs: s.logs, violates: s.violates })),
  };
}

/**
 * The report page, `index.html`: one self-contained, deterministic HTML
 * document (no network, no external files, no timings): the verdict table;
 * each counterexample as a sequence diagram that fits its container (time
 * proportional within bursts, broken across idle gaps) with a step table
 * and a step-through explorer (previous/next, jump to the violation, which
 * scrolls it into view in the diagram and the table, ← →, every
 * component's state and the clocks at each step) driven by a small inline
 * script reading an inline JSON blob; each machine's state graph at full
 * size (readable, scrolling in its frame); for small configurations the
 * composed system's reachable graph, otherwise the reason it is omitted. Every user-provided
 * name is escaped; the JSON cannot close its script element; a Content
 * Security Policy allows only the page's own script (by hash) and styles.
 */
export function htmlReport(input: HtmlReportInput): string {
  const title = input.title ?? 'midpath report';
  const traces: { trace: Trace; anchor: string }[] = [];
  const anchors = new Map<string, string>();
  input.scenarios.forEach(({ result }) => {
    result.results.forEach((r) => {
      if (!r.counterexample) return;
      const anchor = `cx-${traces.length}`;
      anchors.set(`${result.name}\u0000${r.property}`, anchor);
      traces.push({ trace: r.counterexample, anchor });
    });
  });
  const body: string[] = [`<h1>${e(title)}</h1>`];
  const total = input.scenarios.reduce((n, s) => n + s.result.results.length, 0);
  body.push(`<p class="mp-note">${input.scenarios.length} scenario(s), ${total} property result(s), ${traces.length} counterexample(s).</p>`);
  body.push('<h2 id="verdicts">Verdicts</h2>', verdictTable(input.scenarios, (s, p) => anchors.get(`${s}\u0000${p}`)));
  for (const { result, description } of input.scenarios) {
    if (description === undefined) continue;
    body.push(`<p class="mp-note"><b>${e(result.name)}</b>: ${e(description)} (${result.stats.states} states, ${result.stats.transitions} transitions${result.complete ? '' : ', INCOMPLETE'})</p>`);
  }
  if (traces.length > 0) body.push('<h2 id="counterexamples">Counterexamples</h2>');
  traces.forEach(({ trace, anchor }, i) => {
    body.push(`<h3 id="${e(anchor)}">${e(trace.scenario)} — ${e(trace.property)}</h3>`);
    const files = input.counterexampleFiles?.(trace.scenario, trace.property) ?? [];
    if (files.length > 0) body.push(`<p class="mp-files">files: ${files.map((f) => `<a href="${e(encodeURIComponent(f))}">${e(f)}</a>`).join('')}</p>`);
    body.push(explorer(i, trace));
    const figure = sequenceFigure(trace, { idPrefix: `seq${i}` });
    body.push(`<figure class="mp-figure mp-sequence-figure" data-trace="${i}"><div class="mp-seq-head">${figure.head}</div>${figure.svg}</figure>`);
    body.push(stepTable(i, trace));
  });
  if (input.machines.length > 0) {
    body.push('<h2 id="machines">Machines</h2>', legend());
    for (const m of input.machines) {
      const link = m.file === undefined ? '' : ` <small>(<a href="${e(encodeURIComponent(m.file))}">full size</a>)</small>`;
      body.push(`<h3>${e(m.name)}${link}</h3>`, `<figure class="mp-figure mp-machine" tabindex="0" aria-label="${e(`state graph of ${m.name}, at full size; scroll to see all of it`)}">${m.svg}</figure>`);
    }
  }
  const systems = input.scenarios.filter((s) => s.system !== undefined);
  if (systems.length > 0) {
    body.push('<h2 id="systems">Composed systems (reachable discrete states)</h2>');
    for (const s of systems) {
      body.push(`<h3>${e(s.result.name)}</h3>`);
      const f = s.system!;
      body.push('svg' in f ? `<figure class="mp-figure mp-system">${f.svg}</figure>` : `<p class="mp-note">${e(f.omitted)}</p>`);
    }
  }
  const hash = createHash('sha256').update(EXPLORER_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="generator" content="midpath">',
    `<meta http-equiv="Content-Security-Policy" content="${e(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    `<script type="application/json" id="midpath-data">${scriptJson({ traces: traces.map((t) => traceData(t.trace)) })}</script>`,
    `<script>${EXPLORER_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
