import type { Trace, TraceStep } from '../system/trace.ts';
import { escapeXml } from './escapeXml.ts';
import { timeAxis, type TimeAxis } from './timeAxis.ts';
import { lastDelivery, laneOf, secondsText, segmentPath, segmentWord, traceLanes, type Lane } from './traceLanes.ts';

/** Options of {@link sequenceSvg}. */
export interface SequenceSvgOptions {
  /** Prefix of the ids inside the SVG (markers), unique per page when several are inlined. */
  readonly idPrefix?: string;
}

const AXIS_W = 120;
const LANE_W = 170;
const HEAD = 64;
const SLANT = 5;
const FONT = 'Helvetica, Arial, sans-serif';
const COLOUR = { line: '#37474f', drop: '#c62828', reset: '#ef6c00', timer: '#6a1b9a', app: '#1565c0', log: '#8d6e63', grid: '#cfd8dc', idle: '#fff3cd' };

const n = (x: number): string => String(Math.round(x * 10) / 10);

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`;
}

interface Ctx {
  readonly lanes: readonly Lane[];
  readonly laneX: ReadonlyMap<string, number>;
  readonly width: number;
  readonly id: string;
}

function xOf(ctx: Ctx, lane: string): number {
  return ctx.laneX.get(lane) ?? AXIS_W;
}

function segmentMarks(ctx: Ctx, st: TraceStep, y: number): string[] {
  const path = segmentPath(st);
  if (!path) return [];
  const out: string[] = [];
  const dashed = st.segment?.retransmit ? ' stroke-dasharray="5 3"' : '';
  path.legs.forEach((leg, i) => {
    const x0 = xOf(ctx, leg.from);
    const x1 = xOf(ctx, leg.to);
    const y0 = y + (leg.injected ? path.legs.length - 1 : i) * SLANT;
    const y1 = y0 + SLANT;
    const last = i === path.legs.length - 1;
    const colour = leg.injected ? COLOUR.reset : path.outcome === 'dropped' ? COLOUR.drop : COLOUR.line;
    const head = path.outcome === 'dropped' && last ? '' : ` marker-end="url(#${ctx.id}-arrow-${leg.injected ? 'reset' : path.outcome === 'dropped' ? 'drop' : 'ok'})"`;
    out.push(`<line x1="${n(x0)}" y1="${n(y0)}" x2="${n(x1)}" y2="${n(y1)}" stroke="${colour}" stroke-width="1.6"${dashed}${head}/>`);
    if (i === 0) {
      const mid = (x0 + x1) / 2;
      out.push(text(mid, y0 - 4, segmentWord(st), `text-anchor="middle" font-size="11" fill="${colour}"`));
    }
    if (leg.injected && i === path.legs.length - 1) out.push(text((x0 + x1) / 2, y1 + 12, 'RST (injected)', `text-anchor="middle" font-size="10" fill="${COLOUR.reset}"`));
  });
  if (path.newFlowTarget !== undefined) {
    out.push(text(xOf(ctx, 'gwlb') + 6, y + SLANT + 14, `new flow → appliance ${path.newFlowTarget}`, `font-size="10" fill="${COLOUR.timer}"`));
  }
  if (path.outcome === 'dropped' && path.at !== undefined) {
    const last = path.legs[path.legs.length - 1];
    const x = xOf(ctx, path.at);
    const yy = y + path.legs.length * SLANT;
    const s = 7;
    out.push(`<path d="M${n(x - s)} ${n(yy - s)}L${n(x + s)} ${n(yy + s)}M${n(x + s)} ${n(yy - s)}L${n(x - s)} ${n(yy + s)}" stroke="${COLOUR.drop}" stroke-width="3" class="mp-drop"/>`);
    const toLeft = last !== undefined && xOf(ctx, last.from) > x;
    out.push(text(x + (toLeft ? -12 : 12), yy + 4, `✕ dropped: ${path.reason ?? 'dropped'}`, `font-size="11" font-weight="bold" fill="${COLOUR.drop}"${toLeft ? ' text-anchor="end"' : ''}`));
  }
  return out;
}

function stepMarks(ctx: Ctx, st: TraceStep, y: number): string[] {
  const out: string[] = [];
  if (st.kind === 'segment') out.push(...segmentMarks(ctx, st, y));
  if (st.kind === 'app') {
    const x = xOf(ctx, laneOf(st.actor) ?? 'client');
    out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="4.5" fill="${COLOUR.app}"/>`);
    const word = (st.action ?? '').replace(/^APP_/, '').toLowerCase();
    out.push(text(x + 8, y + 4, `${st.actor}: ${word}`, `font-size="11" fill="${COLOUR.app}"`));
  }
  if (st.kind === 'timer') {
    const x = xOf(ctx, laneOf(st.actor) ?? 'client');
    out.push(`<line x1="${n(AXIS_W - 10)}" y1="${n(y)}" x2="${n(ctx.width - 10)}" y2="${n(y)}" stroke="${COLOUR.timer}" stroke-width="1" stroke-dasharray="2 3" opacity="0.7"/>`);
    out.push(`<path d="M${n(x)} ${n(y - 7)}L${n(x + 7)} ${n(y)}L${n(x)} ${n(y + 7)}L${n(x - 7)} ${n(y)}Z" fill="${COLOUR.timer}" class="mp-deadline"/>`);
    const name = (st.timer ?? '').split('.')[2] ?? 'timer';
    out.push(text(x + 10, y - 4, `deadline: ${st.actor} ${name} fired`, `font-size="11" font-weight="bold" fill="${COLOUR.timer}"`));
  }
  st.logs.forEach((g, k) => {
    const x = xOf(ctx, laneOf(g.component) ?? 'client');
    out.push(text(x + 10, y + 14 + 12 * k, `log: ${g.reason}`, `font-size="10" font-style="italic" fill="${COLOUR.log}"`));
  });
  return out;
}

function axisMarks(ctx: Ctx, trace: Trace, axis: TimeAxis): string[] {
  const out: string[] = [];
  let lastTime = Number.NaN;
  trace.steps.forEach((st, i) => {
    if (st.time === lastTime) return;
    lastTime = st.time;
    const y = axis.y[i]!;
    out.push(`<line x1="${n(AXIS_W - 16)}" y1="${n(y)}" x2="${n(AXIS_W - 8)}" y2="${n(y)}" stroke="${COLOUR.line}"/>`);
    out.push(text(AXIS_W - 20, y + 4, secondsText(st.time), `text-anchor="end" font-size="11" fill="${COLOUR.line}"`));
  });
  for (const g of axis.gaps) {
    const mid = (g.y0 + g.y1) / 2;
    if (g.broken) {
      const zig = (yy: number): string => `M${n(AXIS_W - 24)} ${n(yy)}l6 -5l6 10l6 -10l6 10l6 -5`;
      out.push(`<rect x="${n(AXIS_W - 26)}" y="${n(mid - 8)}" width="${n(ctx.width - AXIS_W + 16)}" height="12" fill="#ffffff"/>`);
      out.push(`<path d="${zig(mid - 6)}${zig(mid + 4).replace('M', 'M')}" stroke="${COLOUR.line}" fill="none" class="mp-axis-break"/>`);
      out.push(text(AXIS_W - 30, mid + 2, `+${secondsText(g.seconds)}`, `text-anchor="end" font-size="11" font-weight="bold" fill="${COLOUR.line}"`));
      out.push(text(AXIS_W - 30, mid + 15, '(axis broken)', `text-anchor="end" font-size="9" fill="${COLOUR.line}"`));
    } else if (g.y1 - g.y0 >= 44) {
      out.push(text(AXIS_W - 20, mid + 4, `+${secondsText(g.seconds)}`, `text-anchor="end" font-size="10" font-style="italic" fill="#78909c"`));
    }
  }
  return out;
}

/**
 * A counterexample as a sequence diagram drawn directly as SVG, on a real
 * time axis (see {@link timeAxis}): one lane each for the client, the GWLB,
 * every appliance and the server; each segment's way across the path, the
 * dropped one ending in ✕ at the hop that dropped it; every timer deadline
 * that fired marked across the lanes; the idle gap before the violation
 * shaded and labelled with its true length. Each step is a
 * `<g class="mp-step" data-step="i">` (the HTML explorer highlights it).
 * Every text is escaped. Pure and deterministic.
 */
export function sequenceSvg(trace: Trace, options: SequenceSvgOptions = {}): string {
  const lanes = traceLanes(trace);
  const laneX = new Map(lanes.map((l, i) => [l.id, AXIS_W + LANE_W / 2 + i * LANE_W]));
  const width = AXIS_W + lanes.length * LANE_W + 150;
  const ctx: Ctx = { lanes, laneX, width, id: options.idPrefix ?? 'mpseq' };
  const axis = timeAxis(trace.steps.map((s) => s.time), { top: HEAD + 30 });
  const height = axis.bottom + 36;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="mp-sequence" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="${FONT}">`);
  out.push(`<title>${escapeXml(`${trace.scenario}: ${trace.property} counterexample`)}</title>`);
  out.push('<defs>');
  for (const [k, c] of [['ok', COLOUR.line], ['drop', COLOUR.drop], ['reset', COLOUR.reset]] as const) {
    out.push(`<marker id="${escapeXml(`${ctx.id}-arrow-${k}`)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${c}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`);
  out.push(text(12, 22, `${trace.scenario} — ${trace.property}`, 'font-size="14" font-weight="bold" fill="#263238"'));
  const v = trace.violationStep;
  const from = lastDelivery(trace, v);
  if (from >= 0 && v < trace.steps.length) {
    const y0 = axis.y[from]!;
    const y1 = axis.y[v]!;
    const idle = trace.steps[v]!.time - trace.steps[from]!.time;
    out.push(`<rect x="${n(AXIS_W - 8)}" y="${n(y0)}" width="${n(width - AXIS_W)}" height="${n(Math.max(1, y1 - y0))}" fill="${COLOUR.idle}" class="mp-idle"/>`);
    out.push(text(width - 14, (y0 + y1) / 2 + 4, `idle gap ${secondsText(idle)}`, 'text-anchor="end" font-size="12" font-weight="bold" fill="#8a6d3b"'));
  }
  lanes.forEach((l) => {
    const x = laneX.get(l.id)!;
    out.push(`<line x1="${n(x)}" y1="${HEAD + 4}" x2="${n(x)}" y2="${n(axis.bottom)}" stroke="${COLOUR.grid}" stroke-width="2"/>`);
    out.push(`<rect x="${n(x - 62)}" y="${HEAD - 26}" width="124" height="30" rx="5" fill="#eceff1" stroke="#90a4ae"/>`);
    out.push(text(x, HEAD - 6, l.title, 'text-anchor="middle" font-size="13" fill="#263238"'));
  });
  out.push(`<line x1="${n(AXIS_W - 8)}" y1="${HEAD + 4}" x2="${n(AXIS_W - 8)}" y2="${n(axis.bottom)}" stroke="${COLOUR.line}"/>`);
  out.push(text(AXIS_W - 20, HEAD - 6, 'time', 'text-anchor="end" font-size="11" fill="#607d8b"'));
  out.push(...axisMarks(ctx, trace, axis));
  trace.steps.forEach((st, i) => {
    const y = axis.y[i]!;
    const cls = i === v ? 'mp-step mp-violation' : 'mp-step';
    out.push(`<g class="${cls}" data-step="${i}">`);
    out.push(`<title>${escapeXml(`${secondsText(st.time)}  ${st.text}`)}</title>`);
    out.push(`<rect class="mp-cursor" x="${n(AXIS_W - 8)}" y="${n(y - 13)}" width="${n(width - AXIS_W)}" height="26" fill="transparent"/>`);
    out.push(...stepMarks(ctx, st, y));
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
