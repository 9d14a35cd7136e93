import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPreset, presetNames, presetPath } from '../../src/scenarios/presets.ts';
import { PROPERTY_IDS } from '../../src/scenarios/scenario.ts';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenarios/scenarioJsonSchema.ts';
import { checkJsonSchema } from './miniJsonSchema.ts';

const COMMITTED = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

type Json = { readonly [key: string]: unknown };
const at = (schema: unknown, ...keys: string[]): Json => {
  let node = schema;
  for (const k of keys) node = (node as Json)[k];
  return node as Json;
};

describe('schema/scenario.schema.json', () => {
  it('equals what scripts/genSchema.ts generates from the zod schema (run `npx tsx scripts/genSchema.ts` if not)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('is draft 2020-12 with the scenario fields, descriptions and a $schema property', () => {
    const schema = scenarioJsonSchema();
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(at(schema, 'properties'))).toEqual(['$schema', 'name', 'description', 'connections', 'client', 'server', 'path', 'addresses', 'expect']);
    expect(schema['required']).toEqual(['name', 'path']);
    expect(schema['additionalProperties']).toBe(false);
    for (const [name, field] of Object.entries(at(schema, 'properties'))) {
      expect(typeof (field as Json)['description'], name).toBe('string');
    }
  });

  it('carries the enums and ranges of the format', () => {
    const schema = scenarioJsonSchema();
    const gwlb = at(schema, 'properties', 'path', 'items', 'oneOf', '0', 'properties');
    expect(at(gwlb, 'idleTimeout')).toMatchObject({ type: 'integer', minimum: 60, maximum: 6000, default: 350 });
    expect(at(gwlb, 'stickiness')['enum']).toEqual(['5-tuple', '3-tuple', '2-tuple']);
    expect(at(gwlb, 'unknownNonSyn')['enum']).toEqual(['forward', 'drop']);
    expect(at(gwlb, 'boundary')['enum']).toEqual(['open', 'closed', 'ambiguous']);
    const keepalive = at(schema, 'properties', 'client', 'properties', 'keepalive', 'anyOf', '0');
    expect(keepalive['enum']).toEqual(['off', 'linux', 'windows', 'macos']);
    expect(Object.keys(at(schema, 'properties', 'expect', 'properties'))).toEqual([...PROPERTY_IDS]);
  });

  it.each(presetNames())('accepts preset %s as written and as resolved', (name) => {
    const schema = scenarioJsonSchema();
    const raw: unknown = parse(readFileSync(presetPath(name), 'utf8'));
    expect(checkJsonSchema(schema, raw)).toEqual([]);
    expect(checkJsonSchema(schema, JSON.parse(JSON.stringify(loadPreset(name))))).toEqual([]);
  });

  it('rejects what the loader rejects, structurally', () => {
    const schema = scenarioJsonSchema();
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'gwlb', idleTimeout: 59 }] })).toEqual(['$.path[0]: 0 of the oneOf branches match']);
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'nat-gateway' }, { type: 'nlb', idleTimeout: 600 }] })).toEqual([]);
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'nat-gateway', idleTimeout: 300 }] })).toEqual(['$.path[0]: 0 of the oneOf branches match']);
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'nlb', idleTimeout: 59 }] })).toEqual(['$.path[0]: 0 of the oneOf branches match']);
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'f5-bigip' }] })).toEqual(['$.path[0]: 0 of the oneOf branches match']);
    expect(checkJsonSchema(schema, { name: 'x', path: [{ type: 'gwlb' }], client: { keepAlive: 'linux' } })).toEqual(['$.client: unknown property keepAlive']);
  });
});
