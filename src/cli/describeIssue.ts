import type { core } from 'zod';
import { excerpt } from './escapeText.ts';

/** The value at a field path, or undefined. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** A field path as `steps[3].hops[0].chosenTarget`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`)).join('');
}

/**
 * One zod issue of a JSON document as `field: message (got <excerpt>)`:
 * the field path, zod's message, and at most a short escaped excerpt of the
 * offending value (never more of the file).
 */
export function describeIssue(issue: core.$ZodIssue | undefined, doc: unknown): string {
  if (issue === undefined) return 'invalid';
  const where = issue.path.length > 0 ? `${fieldPath(issue.path)}: ` : '';
  const got = issue.path.length > 0 && issue.code !== 'invalid_type' ? valueAt(doc, issue.path) : undefined;
  const shown = got === undefined || (typeof got === 'object' && got !== null) ? '' : ` (got ${excerpt(got)})`;
  return `${where}${issue.message.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}${shown}`;
}
