/**
 * A small JSON Schema (draft 2020-12) checker for the keywords
 * z.toJSONSchema emits for the scenario schema: type, const, enum,
 * properties, required, additionalProperties, items, minItems, maxItems,
 * minimum, maximum, multipleOf, minLength, maxLength, pattern, format (ipv4), anyOf,
 * oneOf. Test helper only; unknown keywords fail loudly.
 */
type Json = { readonly [key: string]: unknown };

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default']);
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function typeOk(type: unknown, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`miniJsonSchema: unsupported type ${String(type)}`);
  }
}

/** Every violation of `schema` by `value`, as `path: problem` strings; empty when valid. */
export function checkJsonSchema(schema: unknown, value: unknown, path = '$'): string[] {
  if (!isObj(schema)) throw new Error(`miniJsonSchema: schema at ${path} is not an object`);
  const errors: string[] = [];
  for (const [k, s] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k)) continue;
    switch (k) {
      case 'type':
        if (!typeOk(s, value)) errors.push(`${path}: not ${String(s)}`);
        break;
      case 'const':
        if (value !== s) errors.push(`${path}: not ${JSON.stringify(s)}`);
        break;
      case 'enum':
        if (!(s as unknown[]).includes(value)) errors.push(`${path}: not in enum`);
        break;
      case 'properties':
        if (isObj(value)) for (const [p, ps] of Object.entries(s as Json)) if (p in value) errors.push(...checkJsonSchema(ps, value[p], `${path}.${p}`));
        break;
      case 'required':
        if (isObj(value)) for (const r of s as string[]) if (!(r in value)) errors.push(`${path}: missing ${r}`);
        break;
      case 'additionalProperties':
        if (s !== false) throw new Error('miniJsonSchema: only additionalProperties: false is supported');
        if (isObj(value)) {
          const known = isObj(schema['properties']) ? schema['properties'] : {};
          for (const p of Object.keys(value)) if (!(p in known)) errors.push(`${path}: unknown property ${p}`);
        }
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => errors.push(...checkJsonSchema(s, item, `${path}[${i}]`)));
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (s as number)) errors.push(`${path}: fewer than ${String(s)} items`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > (s as number)) errors.push(`${path}: more than ${String(s)} items`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (s as number)) errors.push(`${path}: below ${String(s)}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (s as number)) errors.push(`${path}: above ${String(s)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < (s as number)) errors.push(`${path}: too short`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && value.length > (s as number)) errors.push(`${path}: too long`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(s as string, 'u').test(value)) errors.push(`${path}: does not match ${String(s)}`);
        break;
      case 'multipleOf':
        if (typeof value === 'number' && value % (s as number) !== 0) errors.push(`${path}: not a multiple of ${String(s)}`);
        break;
      case 'format':
        if (s !== 'ipv4') throw new Error(`miniJsonSchema: unsupported format ${String(s)}`);
        if (typeof value === 'string' && !IPV4.test(value)) errors.push(`${path}: not ipv4`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const matching = (s as unknown[]).filter((b) => checkJsonSchema(b, value, path).length === 0).length;
        if (k === 'anyOf' ? matching === 0 : matching !== 1) errors.push(`${path}: ${matching} of the ${k} branches match`);
        break;
      }
      default:
        throw new Error(`miniJsonSchema: unsupported keyword ${k} at ${path}`);
    }
  }
  return errors;
}
