/**
 * A DOT double-quoted string (Graphviz "ID"), quotes included. Backslashes
 * and quotes are escaped, line breaks become `\n` (centred lines in a
 * label), and `&` becomes `&amp;` so Graphviz never reads user text as an
 * HTML entity; `<` and `>` need nothing here because Graphviz escapes them
 * itself when it writes SVG.
 */
export function dotString(text: string): string {
  const body = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/&/g, '&amp;')
    .replace(/\r?\n/g, '\\n');
  return `"${body}"`;
}

/** DOT attributes `[k="v", …]` from a record, keys in insertion order; undefined values are left out. */
export function dotAttrs(attrs: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${dotString(v)}`);
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}
