/**
 * A plain-text table: a header row, a rule, and the rows, each column as
 * wide as its widest cell (counted in code points, so `∞` and `✔` are one).
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const len = (s: string): number => [...s].length;
  const widths = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - len(c))))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}
