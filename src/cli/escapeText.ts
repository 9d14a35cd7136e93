/**
 * Text from a file or the command line, safe to print on a terminal:
 * control characters (C0, DEL, C1, and the bidirectional overrides) become
 * `\n`, `\x1b`, `\u202e`-style escapes, so no input can move the cursor,
 * recolour the terminal or hide text.
 */
export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A short excerpt of an offending value for an error message: at most
 * `max` characters (code points) of its JSON form, escaped with
 * {@link escapeText}, `…` marking a cut. Never echoes more of a file.
 */
export function excerpt(value: unknown, max = 40): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const chars = [...text];
  return escapeText(chars.length > max ? `${chars.slice(0, max).join('')}…` : text);
}
