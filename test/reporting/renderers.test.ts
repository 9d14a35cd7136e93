import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/system/trace.ts';
import { escapeXml } from '../../src/reporting/escapeXml.ts';
import { dotString } from '../../src/reporting/dotString.ts';
import { htmlReport, scriptJson } from '../../src/reporting/htmlReport.ts';
import { machineDot } from '../../src/reporting/machineDot.ts';
import { renderSvg } from '../../src/reporting/renderSvg.ts';
import { SEQUENCE_LAYOUT, sequenceSvg, textWidth } from '../../src/reporting/sequenceSvg.ts';
import { systemDot, type ReachableGraph } from '../../src/reporting/systemDot.ts';
import { timeAxis } from '../../src/reporting/timeAxis.ts';
import { mermaidText, traceMermaid } from '../../src/reporting/traceMermaid.ts';
import { traceLanes } from '../../src/reporting/traceLanes.ts';
import { machineMermaid } from '../../src/reporting/graphMermaid.ts';
import { MACHINE_KINDS } from '../../src/cli/machineKinds.ts';
import { firewallSessionMachine } from '../../src/models/firewallSessionMachine.ts';
import { gwlbFlowMachine } from '../../src/models/gwlbFlowMachine.ts';

const fixture = (name: string): Trace => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Trace;
const drop = fixture('kb-16099.no-mid-path-drop.trace.json');
const reset = fixture('kb-16099-gwlb-reset.no-mid-path-reset.trace.json');
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('escaping', () => {
  it('turns markup into text for XML, SVG and HTML', () => {
    expect(escapeXml(`${HOSTILE}&"'`)).toBe('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;');
  });
  it('quotes DOT strings and keeps Graphviz from reading entities', () => {
    expect(dotString('a "b" \\ &lt;\nc')).toBe('"a \\"b\\" \\\\ &amp;lt;\\nc"');
  });
  it('keeps </script> out of inline JSON', () => {
    const s = scriptJson({ name: '</script><script>alert(1)</script>', sep: '\u2028' });
    expect(s).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(s)).toEqual({ name: '</script><script>alert(1)</script>', sep: '\u2028' });
  });
  it('writes Mermaid entity codes for characters its grammar reads', () => {
    expect(mermaidText('a:b;#<c>')).toBe('a#58;b#59;#35;#60;c#62;');
  });
});

describe('timeAxis', () => {
  it('draws gaps within a burst to one scale', () => {
    const a = timeAxis([0, 0.2, 0.6, 1.4], { row: 20, budget: 400, top: 0 });
    const g = a.gaps.map((x) => x.y1 - x.y0);
    expect(g[1]! / g[0]!).toBeCloseTo(2, 5);
    expect(g[2]! / g[0]!).toBeCloseTo(4, 5);
    expect(a.gaps.some((x) => x.broken)).toBe(false);
  });
  it('breaks every idle gap longer than breakAbove, each with its true length, and 0.2 s and 200 s never get the same length', () => {
    const a = timeAxis([0, 0.2, 0.6, 200.6, 200.8, 550.8]);
    const broken = a.gaps.filter((x) => x.broken);
    expect(broken.map((x) => Math.round(x.seconds * 1000) / 1000)).toEqual([200, 350]);
    const short = a.gaps[0]!.y1 - a.gaps[0]!.y0;
    for (const b of broken) expect(b.y1 - b.y0).not.toBeCloseTo(short, 0);
    expect(a.y).toEqual([...a.y].sort((x, y) => x - y));
  });
  it('gives each step its own row height', () => {
    const a = timeAxis([0, 0, 0], { rows: [10, 50, 10], anchor: 5, top: 0 });
    expect(a.y).toEqual([5, 15, 65]);
    expect(a.bottom).toBe(70);
  });
});

/** The leg lines of every segment step of a sequence SVG: [x1, y1, x2, y2] per leg. */
function legsByStep(svg: string): number[][][] {
  return [...svg.matchAll(/<g class="mp-step[^"]*" data-step="\d+">([\s\S]*?)<\/g>/g)].map((m) =>
    [...m[1]!.matchAll(/<line class="mp-leg" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/g)].map((l) => [1, 2, 3, 4].map((k) => Number(l[k]))),
  ).filter((legs) => legs.length > 0);
}

/** True when two segments properly intersect (touching at a shared endpoint does not count). */
function crosses(a: number[], b: number[]): boolean {
  const [x1, y1, x2, y2] = a as [number, number, number, number];
  const [x3, y3, x4, y4] = b as [number, number, number, number];
  const d = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3);
  if (d === 0) return false;
  const t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / d;
  const u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / d;
  return t > 1e-6 && t < 1 - 1e-6 && u > 1e-6 && u < 1 - 1e-6;
}

describe('sequenceSvg', () => {
  it('ends the dropped segment with ✕ at the dropping appliance and marks the deadlines', () => {
    const svg = sequenceSvg(drop);
    expect(svg).toContain('class="mp-drop"');
    expect(svg).toContain('✕ dropped: non-syn-no-session');
    expect(svg.match(/class="mp-deadline"/g)).toHaveLength(2);
    expect(svg).toContain('deadline: gwlb.flow0 idleTimeout fired');
    expect(svg).toContain('idle gap 400 s');
    expect(svg.match(/class="mp-step[^"]*" data-step=/g)).toHaveLength(drop.steps.length);
    // the ✕ is on the lane of appliance 1 (the 4th lane: client, GWLB, appliance 0, appliance 1)
    const x = /<path d="M([\d.]+) [\d.]+L[\d.]+ [\d.]+M[\d.]+ [\d.]+L[\d.]+ [\d.]+" stroke="#c62828" stroke-width="3" class="mp-drop"/.exec(svg);
    expect(Number(x![1]) + 7).toBe(SEQUENCE_LAYOUT.axis + SEQUENCE_LAYOUT.lane / 2 + 3 * SEQUENCE_LAYOUT.lane);
  });
  it('scales to its container: width 100% with a viewBox, no wider than its natural width', () => {
    const svg = sequenceSvg(drop);
    const m = /<svg [^>]*width="100%" viewBox="0 0 (\d+) (\d+)" style="max-width:(\d+)px"/.exec(svg);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![3]);
  });
  it('draws each leg of a segment in its own band: legs never cross, each drops at least 10 px, one starts where the last ended', () => {
    for (const t of [drop, reset]) {
      const steps = legsByStep(sequenceSvg(t));
      expect(steps.length).toBeGreaterThan(2);
      for (const legs of steps) {
        legs.forEach((a, i) => {
          expect(a[3]! - a[1]!).toBeGreaterThanOrEqual(10);
          if (i > 0) expect(a[1]).toBe(legs[i - 1]![3]);
          for (const b of legs.slice(i + 1)) expect(crosses(a, b), JSON.stringify([a, b])).toBe(false);
        });
      }
    }
  });
  it('takes a segment through the GWLB to its appliance and back to the GWLB', () => {
    const synAck = legsByStep(sequenceSvg(drop))[1]!;
    const lane = (k: number): number => SEQUENCE_LAYOUT.axis + SEQUENCE_LAYOUT.lane / 2 + k * SEQUENCE_LAYOUT.lane;
    expect(synAck.map((l) => [l[0], l[2]])).toEqual([[lane(4), lane(1)], [lane(1), lane(2)], [lane(2), lane(1)], [lane(1), lane(0)]]);
  });
  it('draws a labelled broken-axis band for each idle gap, and a legend', () => {
    const svg = sequenceSvg(drop);
    expect(svg.match(/class="mp-axis-break"/g)).toHaveLength(2);
    expect(svg).toContain('≈ +350 s');
    expect(svg).toContain('≈ +50 s');
    expect(svg.match(/class="mp-time-legend"/g)).toHaveLength(2);
    const times = [0, 0, 0, 0, 0, 0.5, 3000.5, 3000.5];
    const stretched: Trace = { ...drop, steps: drop.steps.map((s, i) => ({ ...s, time: times[i]! })) };
    const s2 = sequenceSvg(stretched);
    expect(s2.match(/class="mp-axis-break"/g)).toHaveLength(1);
    expect(s2).toContain('≈ +3000 s');
  });
  it('makes the diagram wide enough for its longest label', () => {
    const long = { ...drop, scenario: 'a-very-long-scenario-name-'.repeat(6) };
    const svg = sequenceSvg(long);
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    expect(width).toBeGreaterThanOrEqual(12 + textWidth(`${long.scenario} — ${long.property}`, 14, true));
  });
  it('draws an injected RST for a reset', () => {
    expect(sequenceSvg(reset)).toContain('RST (injected)');
  });
  it('escapes the scenario name', () => {
    const svg = sequenceSvg({ ...drop, scenario: HOSTILE });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
  it('is deterministic', () => {
    expect(sequenceSvg(drop)).toBe(sequenceSvg(JSON.parse(JSON.stringify(drop)) as Trace));
  });
});

describe('any path', () => {
  const base = { actor: 'x', text: '', logs: [], states: {}, clocks: [], zone: [], violates: [] };
  const hops = [
    { component: 'nat-gateway.flow0', action: 'forward' as const },
    { component: 'gwlb.flow0', action: 'forward' as const, target: 1, chosenTarget: 1 },
    { component: 'appliance1.c0', action: 'forward' as const },
    { component: 'azure-lb.flow0', action: 'forward' as const, target: 0 },
    { component: 'azure-lb.backend0.c0', action: 'forward' as const },
    { component: 'server0', action: 'deliver' as const },
  ];
  const multi: Trace = {
    format: 'midpath-trace/1', scenario: 'multi', property: 'no-mid-path-drop', violationStep: 2,
    steps: [
      { ...base, time: 0, kind: 'init' },
      { ...base, time: 0, kind: 'segment', segment: { conn: 0, from: 'client', kind: 'syn' }, hops, outcome: 'delivered' },
      { ...base, time: 400, kind: 'segment', segment: { conn: 0, from: 'server', kind: 'fin' }, hops: [{ component: 'azure-lb.flow0', action: 'forward', target: 0 }, { component: 'azure-lb.backend0.c0', action: 'drop', reason: 'non-syn-no-session' }], outcome: 'dropped' },
    ],
  };
  it('gives every hop and every touched target a lane, in path order', () => {
    expect(traceLanes(multi).map((l) => l.id)).toEqual(['client', 'nat-gateway', 'gwlb', 'appliance1', 'azure-lb', 'azure-lb.backend0', 'server']);
  });
  it('takes the segment through every hop and back from each target, legs never crossing', () => {
    const svg = sequenceSvg(multi);
    const [syn, fin] = legsByStep(svg);
    expect(syn).toHaveLength(8);
    for (const legs of [syn!, fin!]) legs.forEach((a, i) => legs.slice(i + 1).forEach((b) => expect(crosses(a, b)).toBe(false)));
    expect(svg).toContain('✕ dropped: non-syn-no-session');
  });
  it('writes Mermaid participant ids Mermaid can parse', () => {
    const mmd = traceMermaid(multi);
    expect(mmd).toContain('participant nat_gateway as nat-gateway');
    expect(mmd).toContain('participant azure_lb_backend0 as azure-lb backend 0');
    expect(mmd).toContain('azure_lb-xazure_lb_backend0: FIN c0');
  });
});

describe('traceMermaid', () => {
  it('writes a sequence diagram whose drop ends in -x at the appliance', () => {
    const mmd = traceMermaid(drop);
    expect(mmd.startsWith('sequenceDiagram\n')).toBe(true);
    expect(mmd).toContain('participant appliance1 as appliance 1');
    expect(mmd).toContain('gwlb-xappliance1: FIN c0 (new flow)');
    expect(mmd).toContain('Note over appliance1: DROPPED (non-syn-no-session)');
    expect(mmd).toContain('t = 350 s (+350 s)');
  });
  it('keeps a hostile name as text', () => {
    const mmd = traceMermaid({ ...drop, scenario: HOSTILE });
    expect(mmd).not.toContain('<');
    expect(mmd).toContain('#60;img src=x onerror=alert(1)#62;');
  });
});

describe('machineMermaid', () => {
  it.each(Object.keys(MACHINE_KINDS))('%s: every edge reads differently, guards named as in DOT', (name) => {
    const machine = MACHINE_KINDS[name]!;
    const edges = machineMermaid(machine).split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.filter((l, i) => edges.indexOf(l) !== i)).toEqual([]);
    const dot = machineDot(machine, name);
    for (const g of [...dot.matchAll(/\[([A-Za-z][\w ∧]*)\]/g)].map((m) => m[1]!)) expect(edges.some((l) => l.includes(`[${g}]`)), `guard ${g}`).toBe(true);
  });
  it('tells the firewall session\'s two self-loops on none apart', () => {
    const mmd = machineMermaid(firewallSessionMachine);
    expect(mmd).toContain('firewallSession_none --> firewallSession_none: SEG_IN [rejectsNonSyn]');
    expect(mmd).toContain('firewallSession_none --> firewallSession_none: SEG_IN [isRst]');
  });
});

describe('machineDot + renderSvg', () => {
  it('draws every state and highlights the drop and aged-out transitions of the firewall session', async () => {
    const dot = machineDot(firewallSessionMachine);
    for (const s of ['none', 'init', 'handshake', 'established', 'halfClosed', 'timeWait']) expect(dot).toContain(`"firewallSession.${s}" [label="${s}"`);
    expect(dot).toContain('class="hl-drop"');
    expect(dot).toContain('class="hl-aged-out"');
    expect(dot).toContain('after establishedTimeout');
    const svg = await renderSvg(dot);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('dropNonSyn');
  });
  it('labels the GWLB flow idle timer and its reset transition', () => {
    const dot = machineDot(gwlbFlowMachine);
    expect(dot).toContain('after idleTimeout');
    expect(dot).toContain('class="hl-reset"');
  });
});

describe('systemDot', () => {
  const graph: ReachableGraph = {
    title: HOSTILE,
    nodes: [
      { id: 0, lines: ['client0: closed'], initial: true },
      { id: 1, lines: ['client0: synSent'], initial: false },
    ],
    edges: [{ from: 0, to: 1, label: 'client0 connect', kind: 'dropped', agedOut: false }],
  };
  it('draws small graphs with drops in red', () => {
    const d = systemDot(graph);
    expect('dot' in d && d.dot).toContain('color="#c62828"');
  });
  it('omits graphs above the cap and says why', () => {
    const d = systemDot(graph, 1);
    expect('omitted' in d && d.omitted).toContain('2 discrete states');
  });
  it('survives a hostile title through Graphviz', async () => {
    const d = systemDot(graph);
    const svg = await renderSvg('dot' in d ? d.dot : '');
    expect(svg).not.toContain('<img');
  });
});

describe('htmlReport', () => {
  const result = (name: string, trace: Trace) => ({
    name,
    complete: true,
    results: [{ property: trace.property, holds: false, expected: 'violated' as const, counterexample: { ...trace, scenario: name } }],
    stats: { states: 10, transitions: 12, ms: 1234 },
  });
  it('is one self-contained page with no timings and every name escaped', () => {
    const html = htmlReport({ scenarios: [{ result: result(HOSTILE, drop), description: '</script><script>alert(2)</script>' }], machines: [] });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('1234');
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html.match(/<script/g)).toHaveLength(2);
  });
  it('is deterministic', () => {
    const input = { scenarios: [{ result: result('kb', drop) }], machines: [] };
    expect(htmlReport(input)).toBe(htmlReport(JSON.parse(JSON.stringify(input)) as typeof input));
  });
});
