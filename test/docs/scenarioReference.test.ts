import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioReferenceMarkdown } from '../../scripts/scenarioReference.ts';
import { scenarioJsonSchema, type JsonSchema } from '../../src/scenarios/scenarioJsonSchema.ts';

const COMMITTED = fileURLToPath(new URL('../../docs/scenario-reference.md', import.meta.url));

/** Every property name anywhere in a JSON schema, with the description it carries. */
function allFields(node: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(node)) for (const n of node) allFields(n, out);
  else if (typeof node === 'object' && node !== null) {
    const n = node as JsonSchema;
    const props = n['properties'];
    if (typeof props === 'object' && props !== null) {
      for (const [name, field] of Object.entries(props as Record<string, JsonSchema>)) {
        if (typeof field['description'] === 'string') out.set(name, field['description']);
        else if (!out.has(name)) out.set(name, '');
      }
    }
    for (const v of Object.values(n)) allFields(v, out);
  }
  return out;
}

describe('docs/scenario-reference.md', () => {
  it('equals what `npm run generate` writes from the zod schema (run it if not)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(scenarioReferenceMarkdown(scenarioJsonSchema()));
  });

  it('has a row for every field of the schema, at every depth, with its description', () => {
    const text = readFileSync(COMMITTED, 'utf8');
    const fields = allFields(scenarioJsonSchema());
    expect(fields.size).toBeGreaterThan(20);
    for (const [name, description] of fields) {
      expect(text, name).toContain(`| \`${name}\` |`);
      if (description !== '') expect(text, name).toContain(description.replace(/\|/g, '\\|'));
    }
  });

  it('shows ranges, enums and defaults as the schema has them', () => {
    const text = readFileSync(COMMITTED, 'utf8');
    expect(text).toContain('| `idleTimeout` | integer 60..6000 | `350` |');
    expect(text).toContain('| `stickiness` | `5-tuple`, `3-tuple`, `2-tuple` | `5-tuple` |');
    expect(text).toContain('| `name` | string (matching `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`) | **required** |');
  });

  it('follows the schema: a new hop kind, field or range appears in its own table without changes to the generator', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        path: {
          type: 'array',
          minItems: 1,
          items: {
            oneOf: [
              { type: 'object', properties: { type: { type: 'string', const: 'gwlb' }, idleTimeout: { type: 'integer', minimum: 60, maximum: 6000, default: 350, description: 'GWLB idle.' } }, required: ['type'] },
              { type: 'object', properties: { type: { type: 'string', const: 'nat-gateway' }, idleTimeout: { type: 'integer', minimum: 350, maximum: 350, default: 350, description: 'Fixed.' } }, required: ['type'] },
            ],
          },
        },
      },
      required: ['path'],
    };
    const md = scenarioReferenceMarkdown(schema);
    expect(md).toContain('## `path[] with type: gwlb`');
    expect(md).toContain('## `path[] with type: nat-gateway`');
    expect(md).toContain('| `idleTimeout` | integer exactly 350 | `350` | Fixed. |');
    expect(md).toContain('| `path` | list (≥ 1 items) of: object, see [path[] with type: gwlb](#path-item-with-type-gwlb); or object, see [path[] with type: nat-gateway](#path-item-with-type-nat-gateway) | **required** |');
  });
});
