import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The layer table of design.md ("Layers"): imports point one way, downward;
 * nothing imports cli. Ranks, highest first:
 *   4 cli, and src/index.ts (the library's surface; nothing inside imports it)
 *   3 reporting, scenarios, properties, sweep, src/check.ts (the library's
 *     check: it composes scenarios, properties and the system; reporting
 *     reads its result types) and src/node (the library's bounded file
 *     reading: presets and loadScenario read their files through it)
 *   2 system
 *   1 engine, models
 * and two stricter rules: the engine knows nothing of TCP (imports nothing
 * of midpath's outside src/engine) and the models are pure (nothing outside
 * src/models).
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

const RANK: Readonly<Record<string, number>> = { cli: 4, 'index.ts': 4, reporting: 3, scenarios: 3, properties: 3, sweep: 3, 'check.ts': 3, node: 3, system: 2, engine: 1, models: 1 };

/** The layer a file under src belongs to: its top folder, or its own name for a file at the top. */
function layerOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|mts|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Relative imports of a source file (static `import … from`, `export … from`, dynamic `import()`), resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    out.push(resolve(dirname(file), (m[1] ?? m[2])!));
  }
  return out;
}

/** Why an import from layer `from` to layer `to` breaks the rules, or undefined when it is allowed. */
function broken(from: string, to: string): string | undefined {
  const rank = RANK[from];
  const toRank = RANK[to];
  if (rank === undefined || toRank === undefined) return 'not in the layer table';
  if (toRank > rank) return `points up (${from} ${rank} → ${to} ${toRank})`;
  if ((from === 'engine' || from === 'models') && to !== from) return `${from} imports nothing of midpath's outside src/${from}`;
  return undefined;
}

/** Every import that breaks the layer rules, as `from → to`. */
function violations(files: readonly string[]): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    const rank = RANK[from];
    if (rank === undefined) {
      bad.push(`${relative(SRC, file)}: not in the layer table`);
      continue;
    }
    for (const target of importsOf(file)) {
      if (!target.startsWith(SRC)) continue;
      const why = broken(from, layerOf(target));
      if (why) bad.push(`${relative(SRC, file)} → ${relative(SRC, target)}: ${why}`);
    }
  }
  return bad;
}

describe('the layer table of design.md', () => {
  const files = sourceFiles(SRC);

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf(join(SRC, 'system/product.ts')).some((f) => f.endsWith('engine/timedSystem.ts'))).toBe(true);
  });

  it('has no import pointing up, and an engine and models that import only themselves', () => {
    expect(violations(files)).toEqual([]);
  });

  it('flags an upward import, a TCP import in the engine, and a file outside the table', () => {
    expect(broken('models', 'system')).toBe('points up (models 1 → system 2)');
    expect(broken('system', 'cli')).toBe('points up (system 2 → cli 4)');
    expect(broken('engine', 'models')).toBe("engine imports nothing of midpath's outside src/engine");
    expect(broken('cli', 'system')).toBeUndefined();
    expect(broken('reporting', 'check.ts')).toBeUndefined();
    expect(violations([join(SRC, 'stray', 'x.ts')])).toEqual(['stray/x.ts: not in the layer table']);
  });
});
