// Every "domain-facts §N" the README, the JSON schema and the sources cite names a
// section that docs/domain-facts.md has.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FACTS = readFileSync(join(ROOT, 'docs', 'domain-facts.md'), 'utf8');

/** Section numbers the fact sheet has: its numbered headings, and §10 (a marked item of the modelling consequences). */
function sections(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)) found.add(m[1]!);
  for (const m of text.matchAll(/^\d+\. \*\*\(§(\d+)\)/gm)) found.add(m[1]!);
  return found;
}

/** The section numbers cited right after each "domain-facts" in `text` (lists and ranges such as §4.1–4.3 included). */
function citations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/domain-facts(?:\.md)?((?:[ ,;]*(?:and )?§\d+(?:\.\d+)?(?:[–-]§?\d+(?:\.\d+)?)?)+)/g)) {
    for (const n of m[1]!.matchAll(/§?(\d+(?:\.\d+)?)/g)) out.push(n[1]!);
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('docs/domain-facts.md', () => {
  const have = sections(FACTS);

  it('has the sections the code cites, §10 included', () => {
    expect([...have]).toEqual(expect.arrayContaining(['1', '1.1', '1.2', '1.3', '1.4', '1.6', '2', '3', '3.1', '3.2', '4', '4.1', '4.2', '4.3', '10', '11', '11.2']));
  });

  it('resolves every citation in the README, the JSON schema and src/', () => {
    const texts = [join(ROOT, 'README.md'), join(ROOT, 'schema', 'scenario.schema.json'), ...files(join(ROOT, 'src')).filter((f) => /\.(ts|mjs|yaml)$/.test(f))];
    const unresolved: string[] = [];
    let count = 0;
    for (const file of texts) {
      for (const n of citations(readFileSync(file, 'utf8'))) {
        count++;
        if (!have.has(n)) unresolved.push(`${file.slice(ROOT.length)}: §${n}`);
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
  });

  it('is cited by the JSON schema by its path in the repository', () => {
    const schema = readFileSync(join(ROOT, 'schema', 'scenario.schema.json'), 'utf8');
    expect(schema).toContain('docs/domain-facts.md §1.1');
    expect(schema).not.toMatch(/(?<!docs\/)domain-facts §/);
  });

  it('records the lab finding on tcp_retries2: 924.6 s counted from the first retransmission, abort at 1044.6 s', () => {
    const linux = FACTS.slice(FACTS.indexOf('### 4.1 Linux'), FACTS.indexOf('### 4.2'));
    expect(linux).toContain('counted from the first retransmission');
    expect(linux).toContain('1044.6 s after the segment');
  });

  it('finds a citation of a section it does not have (the check can fail)', () => {
    expect(citations('see domain-facts §9.9 and §1.1').filter((n) => !have.has(n))).toEqual(['9.9']);
  });
});
