import { escapeText } from './escapeText.ts';
import type { Finding, SweepAxis } from '../sweep/sweep.ts';
import { missingShards, type SweepDocument } from '../sweep/sweepDocument.ts';

const range = (a: SweepAxis): string => `${a.field} = ${a.from}..${a.to}`;

/** One flip between two runs, in words: `holds at 350, violated at 351`. */
function flipWords(below: { to: number; holds: boolean }, above: { from: number; holds: boolean }): string {
  const word = (h: boolean): string => (h ? 'holds' : 'violated');
  const gap = above.from - below.to > 1 ? ` (not narrowed: ${below.to + 1}..${above.from - 1} unchecked)` : '';
  return `${word(below.holds)} at ${below.to}, ${word(above.holds)} at ${above.from}${gap}`;
}

/**
 * A finding as one sentence about the last axis `field`:
 * `holds iff client.keepalive.idle ≤ 350 (holds at 350, violated at 351)`,
 * `holds throughout 60..600 (5 points checked)`, or for more than one flip
 * `not monotone in …: holds 60..120, violated 121..400, holds 401..600`.
 */
export function findingSentence(f: Finding, field: string): string {
  const [r0, r1] = f.runs;
  if (r0 === undefined) return 'not checked';
  const word = (h: boolean): string => (h ? 'holds' : 'violated');
  if (r1 === undefined) return `${word(r0.holds)} throughout ${r0.from}..${r0.to} (${f.checked} point${f.checked === 1 ? '' : 's'} checked)`;
  if (f.runs.length === 2) {
    const iff = r0.holds ? `holds iff ${field} ≤ ${r0.to}` : `holds iff ${field} ≥ ${r1.from}`;
    return `${iff} (${flipWords(r0, r1)})`;
  }
  return `not monotone in ${field}: ${f.runs.map((r) => `${word(r.holds)} ${r.from === r.to ? r.from : `${r.from}..${r.to}`}`).join(', ')} (${f.checked} points checked)`;
}

/**
 * With two axes: when every line has one exact flip on the same side and the
 * boundary is the first axis's value plus a constant, that relation
 * (`holds iff client.keepalive.idle ≤ path[0].idleTimeout`); else undefined.
 */
export function relationSentence(lines: readonly Finding[], first: string, second: string): string | undefined {
  if (lines.length < 2) return undefined;
  let side: boolean | undefined;
  let offset: number | undefined;
  for (const f of lines) {
    const [r0, r1] = f.runs;
    if (f.runs.length !== 2 || r0 === undefined || r1 === undefined || r1.from - r0.to !== 1) return undefined;
    const boundary = r0.holds ? r0.to : r1.from;
    const c = boundary - f.at[0]!;
    if (side !== undefined && (side !== r0.holds || offset !== c)) return undefined;
    side = r0.holds;
    offset = c;
  }
  if (offset === undefined) return undefined;
  const plus = offset === 0 ? '' : offset > 0 ? ` + ${offset}` : ` − ${-offset}`;
  return `holds iff ${second} ${side === true ? '≤' : '≥'} ${first}${plus} (at every ${first} checked)`;
}

/** The human report of a sweep document: a header, one line per property (a block per property with two axes), notes. */
export function formatSweep(doc: SweepDocument, title: string): string {
  const lines: string[] = [];
  const checks = `${doc.stats.checks} check${doc.stats.checks === 1 ? '' : 's'}, ${(doc.stats.ms / 1000).toFixed(1)} s`;
  lines.push(`${title} ${doc.scenario.name}: ${doc.axes.map(range).join(' × ')} (${checks})`);
  if (!doc.coverage.complete) {
    const missing = missingShards(doc);
    lines.push(
      `partial: shard${doc.coverage.done.length === 1 ? '' : 's'} ${doc.coverage.done.join(', ')} of ${doc.coverage.shards}; missing ${missing.join(', ')}. Merge every shard's --out file with midpath merge for the whole result.`,
    );
  }
  const width = Math.max(...doc.properties.map((p) => p.length));
  const last = doc.axes[doc.axes.length - 1]!;
  for (const property of doc.properties) {
    const mine = doc.findings.filter((f) => f.property === property);
    if (doc.axes.length === 1) {
      for (const f of mine) lines.push(`  ${property.padEnd(width)}  ${findingSentence(f, last.field)}`);
      continue;
    }
    const first = doc.axes[0]!;
    lines.push(`  ${property}, along ${last.field} for each ${first.field}:`);
    const labelWidth = Math.max(0, ...mine.map((f) => String(f.at[0]).length));
    for (const f of mine) lines.push(`    ${first.field} = ${String(f.at[0]).padStart(labelWidth)}: ${findingSentence(f, last.field)}`);
    const relation = relationSentence(mine, first.field, last.field);
    if (relation !== undefined) lines.push(`    → ${relation}`);
  }
  const unmonotone = doc.findings.filter((f) => !f.monotone);
  lines.push(
    unmonotone.length === 0
      ? `  monotone: every property flips at most once along ${last.field} on the checked points`
      : `  NOT monotone: ${[...new Set(unmonotone.map((f) => f.property))].join(', ')} flip${unmonotone.length === 1 ? 's' : ''} more than once along ${last.field}; every flip found is listed`,
  );
  for (const n of doc.notes) lines.push(`note: ${n}`);
  // names and notes may come from a file (merge): no control character reaches the terminal
  return `${lines.map(escapeText).join('\n')}\n`;
}
