import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { Locator } from './issuesFromZod.ts';

interface Ranged {
  readonly range?: readonly [number, number, number] | null;
}

/** The string a mapping key becomes in the parsed object, or undefined for a non-scalar key. */
export function yamlKeyString(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/**
 * A {@link Locator} over a parsed YAML document: follows a field path
 * through its mappings and sequences and returns the line of the value (or
 * of the key, with `atKey`). Undefined where the path leaves the document
 * (a missing field has no line), except through an alias, where the
 * alias's own line is returned.
 */
export function yamlLocator(doc: Document.Parsed, lineCounter: LineCounter): Locator {
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as Ranged | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  return (path, atKey) => {
    let node: unknown = doc.contents;
    let line = lineOf(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => yamlKeyString(p.key) === String(seg));
        if (pair === undefined) return undefined;
        line = lineOf(pair.key) ?? line;
        if (atKey && i === path.length - 1) return line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined) return undefined;
      } else {
        return isAlias(node) ? line : undefined;
      }
      line = lineOf(node) ?? line;
    }
    return line;
  };
}
