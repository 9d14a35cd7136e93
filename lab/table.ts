/**
 * The agreement table as text: one line per comparison row, grouped by run,
 * then the causes of every disagreement.
 */
import type { LabResult } from './lab.ts';

const MARK: Readonly<Record<string, string>> = { agree: 'agree', 'model-bug': 'MODEL BUG', documented: 'documented', unexplained: 'UNEXPLAINED' };

function clip(s: string, n: number): string {
  return s.length <= n ? s.padEnd(n) : `${s.slice(0, n - 1)}…`;
}

/** Formats the lab result for a terminal. */
export function formatTable(r: LabResult): string {
  const lines: string[] = [];
  const w = { aspect: 34, side: 46 };
  lines.push(`${'aspect'.padEnd(w.aspect)} ${'model'.padEnd(w.side)} ${'real Linux'.padEnd(w.side)} verdict`);
  for (const run of r.runs) {
    lines.push('');
    lines.push(`── ${run.name}  (${run.origin}; horizon ${run.horizon}s; real run ${run.realSeconds.toFixed(1)}s)`);
    for (const row of run.rows) {
      lines.push(`${clip(row.aspect, w.aspect)} ${clip(row.model, w.side)} ${clip(row.real, w.side)} ${MARK[row.verdict] ?? row.verdict}${row.cause === undefined ? '' : ` [${row.cause}]`}`);
    }
  }
  for (const f of r.failures) lines.push('', `── ${f.name}: RUN FAILED: ${f.error}`);
  lines.push('');
  const s = r.summary;
  lines.push(`${r.runs.length} runs, ${s.rows} rows: ${s.agree} agree, ${s.modelBug} model bug, ${s.documented} documented difference, ${s.unexplained} unexplained; ${r.failures.length} failed runs; ${r.seconds.toFixed(1)} s (kernel ${r.kernel}, seed ${r.seed})`);
  for (const [id, c] of Object.entries(r.causes)) {
    lines.push('', `[${id}] ${c.kind === 'model-bug' ? 'MODEL BUG' : 'documented difference'}: ${c.summary}`);
    if (c.fix !== undefined) lines.push(`  fix: ${c.fix}`);
  }
  lines.push('', r.ok ? 'lab: OK (every disagreement has a known cause)' : 'lab: FAILED (unexplained disagreement or failed run)');
  return lines.join('\n');
}
