import { scenarioJsonSchema, type JsonSchema } from './scenarioJsonSchema.ts';

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema and every `anyOf`/`oneOf`/`allOf` branch below it. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [];
  const todo: JsonSchema[] = [schema];
  while (todo.length > 0) {
    const s = todo.pop();
    if (s === undefined) break;
    out.push(s);
    for (const k of ['anyOf', 'oneOf', 'allOf']) {
      const branches = s[k];
      if (Array.isArray(branches)) for (const b of branches) if (isSchema(b)) todo.push(b);
    }
  }
  return out;
}

/**
 * The field names the scenario format allows in the mapping at `path`
 * (for "unknown field, did you mean …" messages), read off the generated
 * JSON Schema; empty when the path leads nowhere known.
 */
export function knownFields(path: readonly PropertyKey[]): string[] {
  let current: JsonSchema[] = [scenarioJsonSchema()];
  for (const seg of path) {
    const next: JsonSchema[] = [];
    for (const s of current.flatMap(alternatives)) {
      const child = typeof seg === 'number' ? s['items'] : isSchema(s['properties']) && typeof seg === 'string' ? s['properties'][seg] : undefined;
      if (isSchema(child)) next.push(child);
    }
    current = next;
  }
  const names = new Set<string>();
  for (const s of current.flatMap(alternatives)) {
    const props = s['properties'];
    if (isSchema(props)) for (const k of Object.keys(props)) names.add(k);
  }
  return [...names];
}
