import * as z from 'zod';
import { scenarioSchema } from './scenarioSchema.ts';

/** A JSON Schema document or subschema, as plain data. */
export type JsonSchema = { readonly [key: string]: unknown };

let cached: JsonSchema | undefined;

/**
 * The JSON Schema (draft 2020-12) of the scenario file format, generated
 * from {@link scenarioSchema} with zod's `z.toJSONSchema` (input side: what a
 * user writes, with defaults shown). schema/scenario.schema.json is this,
 * written by scripts/genSchema.ts.
 */
export function scenarioJsonSchema(): JsonSchema {
  cached ??= citeFactsByPath(z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' })) as JsonSchema;
  return cached;
}

/**
 * The models cite their facts as "domain-facts §N"; a schema user has only the
 * repository, so every description names the file: "docs/domain-facts.md §N".
 */
function citeFactsByPath(node: unknown): unknown {
  if (typeof node === 'string') return node.replace(/(?<!docs\/)domain-facts \u00a7/g, 'docs/domain-facts.md §');
  if (Array.isArray(node)) return node.map(citeFactsByPath);
  if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, citeFactsByPath(v)]));
  return node;
}

/** {@link scenarioJsonSchema} as the exact text committed in schema/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
