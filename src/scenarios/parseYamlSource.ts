import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { formatFieldPath } from './formatFieldPath.ts';
import type { Locator } from './issuesFromZod.ts';
import { ScenarioError, type ScenarioIssue } from './scenarioError.ts';
import { yamlKeyString, yamlLocator } from './yamlLocator.ts';

/** Largest scenario text accepted, in bytes (1 MiB). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * Most alias expansions accepted while building the value: far more than a
 * scenario needs, far fewer than a "billion laughs" file asks for.
 */
export const MAX_ALIAS_COUNT = 100;

/** Most syntax errors reported from one file. */
const MAX_REPORTED = 5;

/** A parsed scenario text: the plain value and where each field came from. */
export interface YamlSource {
  readonly value: unknown;
  readonly locate: Locator;
}

/**
 * Parses scenario text as YAML 1.2 (core schema, so `off` and `yes` stay
 * strings; JSON is YAML 1.2 too). Refuses, with a {@link ScenarioError},
 * text over {@link MAX_SCENARIO_BYTES}, empty text, syntax errors (with
 * their line), several documents, duplicate keys, and alias bombs. Never
 * throws anything else.
 */
export function parseYamlSource(text: string, sourceName: string): YamlSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCENARIO_BYTES) {
    throw new ScenarioError(sourceName, [{ path: '', code: 'too-large', message: `the file is ${bytes} bytes, over the 1 MiB limit (${MAX_SCENARIO_BYTES} bytes) for a scenario` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.2', schema: 'core', merge: false, uniqueKeys: false, prettyErrors: false, strict: true, intAsBigInt: false });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const issues = doc.errors.slice(0, MAX_REPORTED).map((e): ScenarioIssue => {
      const first = e.message.split('\n')[0] ?? e.message;
      if (e.code === 'RESOURCE_EXHAUSTION') return { path: '', code: 'too-large', message: `the text is nested too deeply to parse (${first})`, line: lineAt(e.pos[0]) };
      if (e.code === 'MULTIPLE_DOCS') return { path: '', code: 'syntax', message: 'the text holds more than one YAML document (a scenario file holds one)', line: lineAt(e.pos[0]) };
      return { path: '', code: 'syntax', message: `YAML syntax error: ${first}`, line: lineAt(e.pos[0]) };
    });
    throw new ScenarioError(sourceName, dedupe(issues));
  }
  if (doc.contents === null) {
    throw new ScenarioError(sourceName, [{ path: '', code: 'empty', message: 'the file is empty (a scenario needs at least name and path)' }]);
  }
  const duplicates = duplicateKeys(doc, lineAt);
  if (duplicates.length > 0) throw new ScenarioError(sourceName, duplicates.slice(0, MAX_REPORTED));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const aliasBomb = e instanceof ReferenceError && /alias/i.test(e.message);
    throw new ScenarioError(sourceName, [
      aliasBomb
        ? { path: '', code: 'alias-limit', message: `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT} alias expansions); this looks like a "billion laughs" file` }
        : { path: '', code: 'syntax', message: `the YAML cannot be turned into data: ${e instanceof Error ? e.message : String(e)}` },
    ]);
  }
  return { value, locate: yamlLocator(doc, lineCounter) };
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line ?? ''}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A field path as a linked list from the leaf up, so walking a big document copies nothing. */
interface PathLink {
  readonly seg: PropertyKey;
  readonly parent: PathLink | undefined;
}

function pathOf(link: PathLink | undefined): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (let l = link; l !== undefined; l = l.parent) out.push(l.seg);
  return out.reverse();
}

/** Keys that occur twice in one mapping (walked iteratively: no recursion limit, linear time). */
function duplicateKeys(doc: Document.Parsed, lineAt: (offset: number) => number): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const todo: { node: unknown; at: PathLink | undefined }[] = [{ node: doc.contents, at: undefined }];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const { node, at } = next;
    if (isMap(node)) {
      const firstLine = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const key = yamlKeyString(pair.key);
        const keyStart = (pair.key as { range?: readonly number[] | null } | null)?.range?.[0];
        const line = keyStart === undefined ? undefined : lineAt(keyStart);
        if (key !== undefined && firstLine.has(key)) {
          const first = firstLine.get(key);
          issues.push({
            path: formatFieldPath([...pathOf(at), key]),
            code: 'duplicate-key',
            message: `duplicate key${first === undefined ? '' : ` (first at line ${first})`}`,
            ...(line === undefined ? {} : { line }),
          });
        } else if (key !== undefined) {
          firstLine.set(key, line);
        }
        todo.push({ node: pair.value, at: { seg: key ?? '?', parent: at } });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => todo.push({ node: item, at: { seg: i, parent: at } }));
    }
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
