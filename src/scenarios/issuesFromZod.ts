import type { z } from 'zod';
import { formatFieldPath } from './formatFieldPath.ts';
import { knownFields } from './knownFields.ts';
import type { ScenarioIssue, ScenarioIssueCode } from './scenarioError.ts';
import { suggestName } from './suggestName.ts';

/**
 * Finds the 1-based source line of a field path; with `atKey`, the line of
 * the mapping key itself (for unknown fields). Undefined when unknown.
 */
export type Locator = (path: readonly PropertyKey[], atKey: boolean) => number | undefined;

type ZodIssue = z.core.$ZodIssue;

/** Codes of issues that mean "the value has the wrong shape here", not "a deeper field is wrong". */
const SHAPE_CODES = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

/**
 * Replaces a union failure by the failures of the one branch whose shape
 * matched (every issue below the union's own level), so that
 * `keepalive: { idle: x }` reports `keepalive.idle`, not "keepalive: not
 * allowed". Keeps the union's own message when no single branch fits.
 */
function flattenUnion(issue: ZodIssue): ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const fitting = issue.errors.filter((branch) => branch.length > 0 && branch.every((b) => b.path.length > 0 || !SHAPE_CODES.has(b.code)));
  const only = fitting.length === 1 ? fitting[0] : undefined;
  if (only === undefined) return [issue];
  return only.flatMap((b) => flattenUnion({ ...b, path: [...issue.path, ...b.path] }));
}

const ISSUE_CODES: readonly string[] = ['unsupported-hop', 'invalid-value'] satisfies ScenarioIssueCode[];

/** The scenario issue code: a hop-type failure, a code a refinement names in its params, or invalid-value. */
function codeOf(issue: ZodIssue): ScenarioIssueCode {
  if (issue.code === 'invalid_union' && issue.path.length === 3 && issue.path[0] === 'path' && issue.path[2] === 'type') return 'unsupported-hop';
  const named: unknown = issue.code === 'custom' ? issue.params?.['scenarioCode'] : undefined;
  return typeof named === 'string' && ISSUE_CODES.includes(named) ? (named as ScenarioIssueCode) : 'invalid-value';
}

/**
 * A message without a leading `field: ` that repeats the tail of its own
 * path: the models' config schemas (src/models) name their field in the
 * message (`idleTimeout: 30 is below …`), the scenario format names it in
 * the path (`path[0].idleTimeout`).
 */
function withoutFieldPrefix(path: readonly PropertyKey[], message: string): string {
  for (let k = path.length; k >= 1; k--) {
    const tail = path.slice(-k).map(String).join('.');
    if (message.startsWith(`${tail}: `)) return message.slice(tail.length + 2);
  }
  return message;
}

/**
 * Turns zod issues into scenario issues: field paths as users write them,
 * one issue per unknown field (with a "did you mean" hint), source lines
 * from `locate`, identical messages for the same field merged.
 */
export function issuesFromZod(issues: readonly ZodIssue[], locate?: Locator): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: ScenarioIssue): void => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  const lineOf = (path: readonly PropertyKey[], atKey: boolean): { line?: number } => {
    const line = locate?.(path, atKey);
    return line === undefined ? {} : { line };
  };
  for (const issue of issues.flatMap(flattenUnion)) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = knownFields(issue.path).sort();
      for (const key of issue.keys) {
        const hint = suggestName(key, allowed);
        const message =
          hint !== undefined ? `unknown field (did you mean ${hint}?)` : allowed.length > 0 ? `unknown field (allowed: ${allowed.join(', ')})` : 'unknown field';
        push({ path: formatFieldPath([...issue.path, key]), message, code: 'unknown-field', ...lineOf([...issue.path, key], true) });
      }
      continue;
    }
    push({ path: formatFieldPath(issue.path), message: withoutFieldPrefix(issue.path, issue.message), code: codeOf(issue), ...lineOf(issue.path, false) });
  }
  // In source order where lines are known (Array.prototype.sort is stable).
  const order = (i: ScenarioIssue): number => i.line ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => order(a) - order(b));
}
