import type { Trace, TraceStep } from '../system/trace.ts';
import { escapeXml } from './escapeXml.ts';
import { timeAxis, type TimeAxis } from './timeAxis.ts';
import { lastDelivery, laneOf, secondsText, segmentPath, segmentWord, traceLanes, type Lane } from './traceLanes.ts';

/** Options of {@link sequenceSvg}. */
export interface SequenceSvgOptions {
  /** Prefix of the ids inside the SVG (markers), unique per page when several are inlined. */
  readonly idPrefix?: string;
}

/** Layout of the diagram, in SVG user units (pixels at natural size). */
export const SEQUENCE_LAYOUT = {
  /** Width of the time axis column left of the first lane. */
  axis: 116,
  /** Distance between two lanes. */
  lane: 150,
  /** Height of the lane headers. */
  head: 64,
  /** Vertical drop of one leg of a segment: each leg gets its own band, so the legs of one segment never cross. */
  legDrop: 14,
  /** Average glyph width as a share of the font size, used to keep every label inside the diagram (generous: sans-serif fonts differ). */
  glyph: 0.64,
  /** The same for bold text. */
  glyphBold: 0.7,
} as const;

const L = SEQUENCE_LAYOUT;
const FONT = 'Helvetica, Arial, sans-serif';
const COLOUR = { line: '#37474f', drop: '#c62828', reset: '#ef6c00', timer: '#6a1b9a', app: '#1565c0', log: '#8d6e63', grid: '#cfd8dc', idle: '#fff3cd', band: '#eceff1' };

const n = (x: number): string => String(Math.round(x * 10) / 10);

interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly fill: string;
  readonly cls?: string;
}

/** The estimated width of a text in pixels. */
export function textWidth(body: string, size: number, bold = false): number {
  return [...body].length * size * (bold ? L.glyphBold : L.glyph);
}

interface Ctx {
  readonly laneX: ReadonlyMap<string, number>;
  /** Right end of the lanes area (the diagram's width grows past it when a label needs room). */
  readonly lanesEnd: number;
  readonly id: string;
  /** Rightmost estimated extent of every label so far. */
  right: number;
}

/** A text element; its estimated extent is recorded so the diagram is made wide enough for it. */
function label(ctx: Ctx, x: number, y: number, body: string, s: TextStyle): string {
  const w = textWidth(body, s.size, s.bold === true);
  const anchor = s.anchor ?? 'start';
  const x1 = anchor === 'start' ? x + w : anchor === 'middle' ? x + w / 2 : x;
  ctx.right = Math.max(ctx.right, x1);
  const attrs = [
    `font-size="${s.size}"`,
    s.bold === true ? 'font-weight="bold"' : '',
    s.italic === true ? 'font-style="italic"' : '',
    anchor === 'start' ? '' : `text-anchor="${anchor}"`,
    `fill="${s.fill}"`,
    s.cls === undefined ? '' : `class="${s.cls}"`,
  ].filter((a) => a !== '');
  return `<text x="${n(x)}" y="${n(y)}" ${attrs.join(' ')}>${escapeXml(body)}</text>`;
}

/** A label beside lane x: to the right when it fits before the lanes end, to the left otherwise. */
function sideLabel(ctx: Ctx, x: number, y: number, body: string, s: TextStyle): string {
  const w = textWidth(body, s.size, s.bold === true);
  const right = x + 10 + w <= ctx.lanesEnd + L.lane / 2 || x - 10 - w < L.axis;
  return label(ctx, right ? x + 10 : x - 10, y, body, { ...s, anchor: right ? 'start' : 'end' });
}

function xOf(ctx: Ctx, lane: string): number {
  return ctx.laneX.get(lane) ?? L.axis;
}

/** Legs a segment step draws (its own and injected ones). */
function legCount(st: TraceStep): number {
  return segmentPath(st)?.legs.length ?? 0;
}

/** The height of a step's row: room for every leg in its own band, and for its log lines. */
function rowHeight(st: TraceStep): number {
  const legs = legCount(st);
  const marks = legs > 0 ? 13 + legs * L.legDrop + 14 : 26;
  return marks + 12 * (st.kind === 'timer' ? 0 : st.logs.length);
}

function segmentMarks(ctx: Ctx, st: TraceStep, y: number): string[] {
  const path = segmentPath(st);
  if (!path) return [];
  const out: string[] = [];
  const dashed = st.segment?.retransmit ? ' stroke-dasharray="5 3"' : '';
  path.legs.forEach((leg, i) => {
    const x0 = xOf(ctx, leg.from);
    const x1 = xOf(ctx, leg.to);
    const y0 = y + i * L.legDrop;
    const y1 = y0 + L.legDrop;
    const last = i === path.legs.length - 1;
    const colour = leg.injected ? COLOUR.reset : path.outcome === 'dropped' ? COLOUR.drop : COLOUR.line;
    const head = path.outcome === 'dropped' && last ? '' : ` marker-end="url(#${ctx.id}-arrow-${leg.injected ? 'reset' : path.outcome === 'dropped' ? 'drop' : 'ok'})"`;
    out.push(`<line class="mp-leg" x1="${n(x0)}" y1="${n(y0)}" x2="${n(x1)}" y2="${n(y1)}" stroke="${colour}" stroke-width="1.6"${dashed}${head}/>`);
    if (i === 0) {
      const flow = path.newFlowTarget === undefined ? '' : ` · new flow → appliance ${path.newFlowTarget}`;
      const body = `${segmentWord(st)}${flow}`;
      const w = textWidth(body, 11);
      const mid = (x0 + x1) / 2;
      const x = Math.max(L.axis + w / 2, mid);
      out.push(label(ctx, x, y0 - 4, body, { size: 11, anchor: 'middle', fill: colour }));
    }
    if (leg.injected) out.push(sideLabel(ctx, x1, y1 + 4, 'RST (injected)', { size: 10, fill: COLOUR.reset }));
  });
  if (path.outcome === 'dropped' && path.at !== undefined) {
    const x = xOf(ctx, path.at);
    const yy = y + path.legs.length * L.legDrop;
    const s = 7;
    out.push(`<path d="M${n(x - s)} ${n(yy - s)}L${n(x + s)} ${n(yy + s)}M${n(x + s)} ${n(yy - s)}L${n(x - s)} ${n(yy + s)}" stroke="${COLOUR.drop}" stroke-width="3" class="mp-drop"/>`);
    out.push(sideLabel(ctx, x + 4, yy + 4, `✕ dropped: ${path.reason ?? 'dropped'}`, { size: 11, bold: true, fill: COLOUR.drop }));
  }
  return out;
}

function stepMarks(ctx: Ctx, st: TraceStep, y: number, width: number): string[] {
  const out: string[] = [];
  if (st.kind === 'segment') out.push(...segmentMarks(ctx, st, y));
  if (st.kind === 'app') {
    const x = xOf(ctx, laneOf(st.actor) ?? 'client');
    out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="4.5" fill="${COLOUR.app}"/>`);
    const word = (st.action ?? '').replace(/^APP_/, '').toLowerCase();
    out.push(sideLabel(ctx, x - 2, y + 4, `${st.actor}: ${word}`, { size: 11, fill: COLOUR.app }));
  }
  if (st.kind === 'timer') {
    const x = xOf(ctx, laneOf(st.actor) ?? 'client');
    out.push(`<line x1="${n(L.axis - 10)}" y1="${n(y)}" x2="${n(width - 10)}" y2="${n(y)}" stroke="${COLOUR.timer}" stroke-width="1" stroke-dasharray="2 3" opacity="0.7"/>`);
    out.push(`<path d="M${n(x)} ${n(y - 7)}L${n(x + 7)} ${n(y)}L${n(x)} ${n(y + 7)}L${n(x - 7)} ${n(y)}Z" fill="${COLOUR.timer}" class="mp-deadline"/>`);
    const name = (st.timer ?? '').split('.')[2] ?? 'timer';
    out.push(sideLabel(ctx, x, y - 5, `deadline: ${st.actor} ${name} fired`, { size: 11, bold: true, fill: COLOUR.timer }));
  }
  const base = st.kind === 'segment' ? y + legCount(st) * L.legDrop + 14 : y + 16;
  st.logs.forEach((g, k) => {
    if (st.kind === 'timer') return;
    const x = xOf(ctx, laneOf(g.component) ?? 'client');
    out.push(sideLabel(ctx, x, base + 12 * k, `log: ${g.component} ${g.reason}`, { size: 10, italic: true, fill: COLOUR.log }));
  });
  return out;
}

function axisMarks(ctx: Ctx, trace: Trace, axis: TimeAxis, width: number): string[] {
  const out: string[] = [];
  let lastTime = Number.NaN;
  trace.steps.forEach((st, i) => {
    if (st.time === lastTime) return;
    lastTime = st.time;
    const y = axis.y[i]!;
    out.push(`<line x1="${n(L.axis - 16)}" y1="${n(y)}" x2="${n(L.axis - 8)}" y2="${n(y)}" stroke="${COLOUR.line}"/>`);
    out.push(label(ctx, L.axis - 20, y + 4, secondsText(st.time), { size: 11, anchor: 'end', fill: COLOUR.line }));
  });
  for (const g of axis.gaps) {
    const mid = (g.y0 + g.y1) / 2;
    if (g.broken) {
      const zig = (yy: number): string => `M${n(L.axis - 14)} ${n(yy)}l3 -4l6 8l6 -8l3 4`;
      out.push(`<rect class="mp-axis-band" x="${n(L.axis - 8)}" y="${n(g.y0 + 6)}" width="${n(width - L.axis)}" height="${n(g.y1 - g.y0 - 12)}" fill="${COLOUR.band}" fill-opacity="0.75"/>`);
      out.push(`<rect x="${n(L.axis - 16)}" y="${n(mid - 7)}" width="16" height="14" fill="#ffffff"/>`);
      out.push(`<path d="${zig(mid - 5)}${zig(mid + 5)}" stroke="${COLOUR.line}" fill="none" class="mp-axis-break"/>`);
      out.push(label(ctx, L.axis - 20, mid, `≈ +${secondsText(g.seconds)}`, { size: 11, bold: true, anchor: 'end', fill: COLOUR.line }));
      out.push(label(ctx, L.axis - 20, mid + 13, 'axis broken', { size: 9, anchor: 'end', fill: COLOUR.line }));
    } else if (g.y1 - g.y0 >= 18) {
      out.push(label(ctx, L.axis - 20, mid + 4, `+${secondsText(g.seconds)}`, { size: 10, italic: true, anchor: 'end', fill: '#78909c' }));
    }
  }
  return out;
}

/** The legend under the diagram: how to read the time axis. */
function legendLines(axis: TimeAxis): string[] {
  const px = Math.round(axis.scale * 10) / 10;
  return [
    `Time runs down, to scale within a burst of activity (${px} px = 1 s).`,
    `≈ band: an idle gap longer than ${axis.breakAbove} s, drawn shorter; its label gives the true length.`,
  ];
}

/**
 * A counterexample as a sequence diagram drawn directly as SVG: one lane
 * each for the client, every hop of the path, every appliance the trace
 * touches and the server; each segment's way across the path hop by hop,
 * every leg in its own band so the legs of one segment never cross, a
 * dropped one ending in ✕ at the hop that dropped it; every timer deadline
 * that fired marked across the lanes; the idle gap before the violation
 * shaded and labelled with its true length. The time axis is proportional
 * within bursts of activity and broken, with a labelled band, across each
 * idle gap ({@link timeAxis}); a legend says so. The SVG scales to its
 * container (`width="100%"` with a viewBox, at most its natural width), and
 * is made wide enough for every label. Each step is a
 * `<g class="mp-step" data-step="i">` (the HTML explorer highlights it).
 * Every text is escaped. Pure and deterministic.
 */
export function sequenceSvg(trace: Trace, options: SequenceSvgOptions = {}): string {
  return sequenceFigure(trace, options).svg;
}

/** A sequence diagram ({@link sequenceSvg}) and a strip of its lane headers alone, drawn to the same width, for a header that stays in view while the diagram scrolls. */
export interface SequenceFigure {
  readonly svg: string;
  /** An SVG of the lane headers and the time-axis title only, at the diagram's width (it scales the same way). */
  readonly head: string;
}

/** The diagram of {@link sequenceSvg} together with its lane-header strip. Pure and deterministic. */
export function sequenceFigure(trace: Trace, options: SequenceSvgOptions = {}): SequenceFigure {
  const lanes: readonly Lane[] = traceLanes(trace);
  const laneX = new Map(lanes.map((l, i) => [l.id, L.axis + L.lane / 2 + i * L.lane]));
  const lanesEnd = L.axis + lanes.length * L.lane;
  const ctx: Ctx = { laneX, lanesEnd, id: options.idPrefix ?? 'mpseq', right: lanesEnd };
  const axis = timeAxis(trace.steps.map((s) => s.time), { top: L.head + 22, rows: trace.steps.map(rowHeight) });
  // a first pass finds how wide the labels need the diagram to be
  const draw = (width: number): string[] => {
    const body: string[] = [];
    let idleLabel = '';
    const v = trace.violationStep;
    const from = lastDelivery(trace, v);
    if (from >= 0 && v < trace.steps.length) {
      const y0 = axis.y[from]!;
      const y1 = axis.y[v]!;
      const idle = trace.steps[v]!.time - trace.steps[from]!.time;
      body.push(`<rect x="${n(L.axis - 8)}" y="${n(y0)}" width="${n(width - L.axis)}" height="${n(Math.max(1, y1 - y0))}" fill="${COLOUR.idle}" class="mp-idle"/>`);
      const bands = axis.gaps.filter((g) => g.broken && g.y0 >= y0 && g.y1 <= y1).sort((a, b) => b.y1 - b.y0 - (a.y1 - a.y0));
      const band = bands[0];
      const ly = band === undefined ? (y0 + y1) / 2 + 4 : (band.y0 + band.y1) / 2 + 5;
      idleLabel = label(ctx, (L.axis + lanesEnd) / 2, ly, `idle gap ${secondsText(idle)}`, { size: 13, bold: true, anchor: 'middle', fill: '#8a6d3b', cls: 'mp-idle-label' });
    }
    lanes.forEach((l) => {
      const x = laneX.get(l.id)!;
      body.push(`<line x1="${n(x)}" y1="${L.head + 4}" x2="${n(x)}" y2="${n(axis.bottom)}" stroke="${COLOUR.grid}" stroke-width="2"/>`);
      body.push(`<rect x="${n(x - 60)}" y="${L.head - 26}" width="120" height="30" rx="5" fill="#eceff1" stroke="#90a4ae"/>`);
      body.push(label(ctx, x, L.head - 6, l.title, { size: 13, anchor: 'middle', fill: '#263238' }));
    });
    body.push(`<line x1="${n(L.axis - 8)}" y1="${L.head + 4}" x2="${n(L.axis - 8)}" y2="${n(axis.bottom)}" stroke="${COLOUR.line}"/>`);
    body.push(label(ctx, L.axis - 20, L.head - 6, 'time', { size: 11, anchor: 'end', fill: '#607d8b' }));
    body.push(...axisMarks(ctx, trace, axis, width));
    body.push(idleLabel);
    trace.steps.forEach((st, i) => {
      const y = axis.y[i]!;
      const cls = i === v ? 'mp-step mp-violation' : 'mp-step';
      body.push(`<g class="${cls}" data-step="${i}">`);
      body.push(`<title>${escapeXml(`${secondsText(st.time)}  ${st.text}`)}</title>`);
      body.push(`<rect class="mp-cursor" x="${n(L.axis - 8)}" y="${n(axis.top[i]!)}" width="${n(width - L.axis)}" height="${n(rowHeight(st))}" fill="transparent"/>`);
      body.push(...stepMarks(ctx, st, y, width));
      body.push('</g>');
    });
    legendLines(axis).forEach((line, k) => body.push(label(ctx, 12, axis.bottom + 22 + 15 * k, line, { size: 11, fill: '#455a64', cls: 'mp-time-legend' })));
    body.push(label(ctx, 12, 22, `${trace.scenario} — ${trace.property}`, { size: 14, bold: true, fill: '#263238' }));
    return body;
  };
  draw(lanesEnd);
  const width = Math.ceil(Math.max(lanesEnd + 16, ctx.right + 16));
  const body = draw(width);
  const height = Math.ceil(axis.bottom + 22 + 15 * legendLines(axis).length + 8);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="mp-sequence" width="100%" viewBox="0 0 ${width} ${height}" style="max-width:${width}px" font-family="${FONT}" data-natural-width="${width}">`);
  out.push(`<title>${escapeXml(`${trace.scenario}: ${trace.property} counterexample`)}</title>`);
  out.push('<defs>');
  for (const [k, c] of [['ok', COLOUR.line], ['drop', COLOUR.drop], ['reset', COLOUR.reset]] as const) {
    out.push(`<marker id="${escapeXml(`${ctx.id}-arrow-${k}`)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${c}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(...body);
  out.push('</svg>');
  const head: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="mp-sequence-head" width="100%" viewBox="0 ${L.head - 30} ${width} 38" style="max-width:${width}px" font-family="${FONT}" aria-hidden="true">`];
  head.push(`<rect x="0" y="${L.head - 30}" width="${width}" height="38" fill="#ffffff"/>`);
  lanes.forEach((l) => {
    const x = laneX.get(l.id)!;
    head.push(`<rect x="${n(x - 60)}" y="${L.head - 26}" width="120" height="30" rx="5" fill="#eceff1" stroke="#90a4ae"/>`);
    head.push(label(ctx, x, L.head - 6, l.title, { size: 13, anchor: 'middle', fill: '#263238' }));
  });
  head.push(label(ctx, L.axis - 20, L.head - 6, 'time', { size: 11, anchor: 'end', fill: '#607d8b' }));
  head.push('</svg>');
  return { svg: `${out.join('\n')}\n`, head: `${head.join('\n')}\n` };
}
