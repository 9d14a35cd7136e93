/**
 * Writes docs/scenario-reference.md from the scenario JSON Schema (generated
 * from the zod schema, the single source of truth). `npm run generate` runs it
 * after scripts/genSchema.ts; test/docs/scenarioReference.test.ts fails while
 * the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/scenarios/scenarioJsonSchema.ts';
import { scenarioReferenceMarkdown } from './scenarioReference.ts';

const target = fileURLToPath(new URL('../docs/scenario-reference.md', import.meta.url));
writeFileSync(target, scenarioReferenceMarkdown(scenarioJsonSchema()));
console.log(`wrote ${target}`);
