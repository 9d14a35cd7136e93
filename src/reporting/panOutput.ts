/**
 * The parser of the output of SPIN's `pan` verifier for the model of
 * src/reporting/promela.ts: pure (text in, verdicts out), so it is tested
 * without SPIN. The runner that spawns spin, gcc and pan is
 * src/node/spinRunner.ts.
 */
import { PROMELA_PROPERTIES, type PromelaPropertyId } from './promela.ts';


/** What pan reported. */
export interface PanResult {
  /** `errors: N`. */
  readonly errors: number;
  /** Properties whose assertion was reported violated. */
  readonly violated: readonly PromelaPropertyId[];
  /** Any other assertion that failed (e.g. the QLEN bound): a model problem. */
  readonly otherAssertions: readonly string[];
  /** `N states, stored`. */
  readonly statesStored: number;
  /** `N transitions`. */
  readonly transitions: number;
  /** `depth reached N`. */
  readonly depth: number;
  /**
   * False when pan did not finish its search: it stopped at the first error
   * (`Search not completed`; the violation is still a verdict) or was cut
   * short (see {@link PanResult.truncated}).
   */
  readonly complete: boolean;
  /** True when a limit cut the search short (depth `-m`, memory, hash table): then `errors: 0` is no verdict. */
  readonly truncated: boolean;
  /** pan's warnings, verbatim. */
  readonly warnings: readonly string[];
  /** `total actual memory usage` in MB. */
  readonly memoryMB: number;
}

/** Parses the output of `./pan` (SPIN 6). */
export function parsePanOutput(text: string): PanResult {
  const num = (re: RegExp): number => {
    const m = re.exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  const violated = new Set<PromelaPropertyId>();
  const other = new Set<string>();
  for (const m of text.matchAll(/pan:\d+:\s+(.*?) \(at depth/g)) {
    const a = /^assertion violated\s+(.*)$/.exec(m[1]!);
    const p = a ? PROMELA_PROPERTIES.find((q) => a[1]!.replace(/\s+/g, '') === `!(${q.flag})`) : undefined;
    if (p) violated.add(p.id);
    // any other error pan reports (another assertion, an invalid end state, an acceptance cycle)
    else other.add((a ? a[1]! : m[1]!).trim());
  }
  const warnings = text
    .split('\n')
    .filter((l) => /max search depth too small|out of memory|MEMLIM|search not completed|hash table is full/i.test(l))
    .map((l) => l.trim());
  return {
    errors: num(/errors:\s*(\d+)/),
    violated: PROMELA_PROPERTIES.map((p) => p.id).filter((id) => violated.has(id)),
    otherAssertions: [...other],
    statesStored: num(/([\d.e+]+) states, stored/),
    transitions: num(/([\d.e+]+) transitions \(= stored\+matched\)/),
    depth: num(/depth reached (\d+)/),
    complete: warnings.length === 0 && /errors:/.test(text),
    truncated: warnings.some((w) => !/search not completed/i.test(w)) || !/errors:/.test(text),
    warnings,
    memoryMB: num(/([\d.]+)\s+total actual memory usage/),
  };
}
