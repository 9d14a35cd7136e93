import { z } from 'zod';
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
  cached ??= z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
  return cached;
}

/** {@link scenarioJsonSchema} as the exact text committed in schema/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
