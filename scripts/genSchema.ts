/**
 * Writes schema/scenario.schema.json from the zod scenario schema (the
 * single source of truth). Run after changing src/scenarios/scenarioSchema.ts:
 *
 *     npx tsx scripts/genSchema.ts
 *
 * test/scenarios/scenarioJsonSchema.test.ts fails while the committed file
 * differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenarios/scenarioJsonSchema.ts';

const target = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url));
writeFileSync(target, scenarioJsonSchemaText());
console.log(`wrote ${target}`);
