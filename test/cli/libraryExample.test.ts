// The README's "Use it from your own tests" example, run as written (only the import
// points at the source instead of the package). The last test keeps the two the same.

// README example: begin
import { describe, expect, it } from 'vitest';
import { check, loadScenario, presets, properties } from '../../src/index.ts';

describe('our path through the inspection VPC', () => {
  // your topology: a scenario file in your repository (paths are relative to the project root)
  const ours = check(loadScenario('examples/our-path.yaml'));

  it('is checked exhaustively', () => {
    expect(ours.complete).toBe(true);
  });

  it.each(properties.map((p) => p.id))('%s holds: this topology never drops an idle connection', (id) => {
    const r = ours.results.find((x) => x.property === id);
    expect(r?.holds, `${id} is violated at idle gap ${JSON.stringify(r?.window?.idleGap)}`).toBe(true);
  });

  it('would drop one without the keepalive fix (Palo Alto KB 16099)', () => {
    const kb = check(presets.load('kb-16099'), { properties: ['no-mid-path-drop'] });
    expect(kb.results[0]).toMatchObject({ property: 'no-mid-path-drop', holds: false });
    // at every idle gap longer than the GWLB's 350 s idle timeout
    expect(kb.results[0]?.window?.idleGap).toMatchObject({ from: 350, fromInclusive: false, to: null });
  });
});
// README example: end

import { readFileSync } from 'node:fs';

/** The text between two marker lines (exclusive), or undefined. */
function between(text: string, begin: string, end: string): string | undefined {
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from + 1);
  return from < 0 || to < 0 ? undefined : text.slice(text.indexOf('\n', from) + 1, to);
}

describe('the README example', () => {
  it('is the code this file runs, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = between(readme, '## Use it from your own tests', '\n## ');
    expect(section, 'README.md has a section "## Use it from your own tests"').toBeDefined();
    const block = between(section!, '```ts', '```');
    expect(block, 'that section has a ```ts block').toBeDefined();
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    const ran = between(self, '// README example: begin', '// README example: end')!;
    expect(block!.replace("from 'midpath'", "from '../../src/index.ts'")).toBe(ran);
  });
});
