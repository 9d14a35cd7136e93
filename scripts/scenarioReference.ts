/**
 * The scenario format's field reference (docs/scenario-reference.md), generated
 * from its JSON Schema (itself generated from the zod schema in
 * src/scenarios/scenarioSchema.ts, the one definition). Generic over the schema:
 * every object in it, at any depth and in every `anyOf`/`oneOf` branch, gets a
 * table of its fields with their types, allowed values or ranges, defaults and
 * descriptions, so the reference follows the schema when fields or hop kinds are
 * added. Written by scripts/genReference.ts (`npm run generate`).
 */
import type { JsonSchema } from '../src/scenarios/scenarioJsonSchema.ts';

type Node = JsonSchema;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const props = (n: Node): Record<string, Node> => (isNode(n['properties']) ? (n['properties'] as Record<string, Node>) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);
const alternatives = (n: Node): Node[] => [...list(n['anyOf']), ...list(n['oneOf'])];

/** One table to write: an object schema and the heading it goes under. */
interface Section {
  readonly id: string;
  readonly title: string;
  readonly node: Node;
}

/** Text inside a Markdown table cell: pipes escaped, newlines folded. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (v: unknown): string => `\`${typeof v === 'string' && v !== '' ? v : JSON.stringify(v)}\``;

/** A stable anchor id from a section path. */
const anchor = (path: string): string =>
  path === ''
    ? 'top-level'
    : path
        .replace(/\[\]/g, '-item').replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();

/** The `type: X` constant an object branch is selected by, if it has one (e.g. a hop kind). */
function discriminator(n: Node): string | undefined {
  const t = props(n)['type'];
  return t !== undefined && typeof t['const'] === 'string' ? t['const'] : undefined;
}

/** A range like `60..6000`, `≥ 1` or '' from minimum/maximum (or item and length bounds). */
function range(min: unknown, max: unknown, unit = ''): string {
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `exactly ${min}${unit}` : `${min}..${max}${unit}`;
  if (typeof min === 'number') return `≥ ${min}${unit}`;
  if (typeof max === 'number') return `≤ ${max}${unit}`;
  return '';
}

/** What a value of this schema may be, in words; objects link to their own table. */
function typeText(n: Node, link: (n: Node) => string | undefined): string {
  if (n['const'] !== undefined) return code(n['const']);
  if (Array.isArray(n['enum'])) return (n['enum'] as unknown[]).map(code).join(', ');
  const alts = alternatives(n);
  if (alts.length > 0) return alts.map((a) => typeText(a, link)).join('; or ');
  switch (n['type']) {
    case 'integer':
    case 'number': {
      const r = range(n['minimum'], n['maximum']);
      return `${n['type']}${r === '' ? '' : ` ${r}`}`;
    }
    case 'string': {
      const details = [
        typeof n['format'] === 'string' ? n['format'] : undefined,
        n['format'] === undefined && typeof n['pattern'] === 'string' ? `matching ${code(n['pattern'])}` : undefined,
        range(n['minLength'], n['maxLength'], ' characters') || undefined,
      ].filter((d): d is string => d !== undefined);
      return details.length === 0 ? 'string' : `string (${details.join(', ')})`;
    }
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = isNode(n['items']) ? typeText(n['items'], link) : 'anything';
      const r = range(n['minItems'], n['maxItems'], ' items');
      return `list${r === '' ? '' : ` (${r})`} of: ${items}`;
    }
    case 'object': {
      const target = link(n);
      return target === undefined ? 'object' : `object, see [${target === '' ? 'top level' : target}](#${anchor(target)})`;
    }
    default:
      return 'any value';
  }
}

/**
 * Every object schema below `n` (itself included when it has properties), with
 * the dotted field path it is reached by: `client`, `path[]`, `path[].appliances`;
 * branches selected by a `type` constant are titled by it.
 */
function collect(n: Node, path: string, out: Section[], titles: Map<Node, string>): void {
  if (Object.keys(props(n)).length > 0 || n['type'] === 'object') {
    const kind = discriminator(n);
    const title = kind === undefined ? path : `${path} with type: ${kind}`;
    if (!titles.has(n) && Object.keys(props(n)).length > 0) {
      const unique = out.some((s) => s.title === title) ? `${title} (${out.filter((s) => s.title.startsWith(title)).length + 1})` : title;
      titles.set(n, unique);
      out.push({ id: anchor(unique), title: unique, node: n });
    }
    for (const [name, child] of Object.entries(props(n))) collect(child, path === '' ? name : `${path}.${name}`, out, titles);
  }
  for (const alt of alternatives(n)) collect(alt, path, out, titles);
  if (isNode(n['items'])) collect(n['items'], `${path}[]`, out, titles);
}

/** One section's table: a row per field. */
function table(section: Section, titles: Map<Node, string>): string[] {
  const required = new Set(Array.isArray(section.node['required']) ? (section.node['required'] as string[]) : []);
  const link = (n: Node): string | undefined => titles.get(n);
  const lines = [
    `<a id="${section.id}"></a>`,
    '',
    `## ${section.title === '' ? 'Top level' : `\`${section.title}\``}`,
    '',
  ];
  const about = section.node['description'];
  if (typeof about === 'string') lines.push(about, '');
  if (section.node['additionalProperties'] === false) lines.push('Other fields are refused (with the closest known name suggested).', '');
  lines.push('| field | allowed values | default | description |', '| --- | --- | --- | --- |');
  for (const [name, field] of Object.entries(props(section.node))) {
    const dflt = required.has(name) ? '**required**' : field['default'] === undefined ? '—' : code(field['default']);
    const description = typeof field['description'] === 'string' ? field['description'] : '';
    lines.push(`| \`${name}\` | ${cell(typeText(field, link))} | ${cell(dflt)} | ${cell(description)} |`);
  }
  lines.push('');
  return lines;
}

/** docs/scenario-reference.md for the given scenario JSON Schema. */
export function scenarioReferenceMarkdown(schema: JsonSchema): string {
  const sections: Section[] = [];
  const titles = new Map<Node, string>();
  collect(schema, '', sections, titles);
  const lines = [
    '# Scenario file reference',
    '',
    '<!-- Generated by `npm run generate` (scripts/genReference.ts) from src/scenarios/scenarioSchema.ts; do not edit by hand. test/docs/scenarioReference.test.ts fails while this file is stale. -->',
    '',
    'Every field of a midpath scenario file (YAML or JSON), generated from the same schema the loader',
    'validates with; `schema/scenario.schema.json` is that schema for editors. Sections cited as',
    '`docs/domain-facts.md §N` are in [domain-facts.md](domain-facts.md). Times are in seconds.',
    '`midpath init` writes a commented starter file.',
    '',
    '| section | fields |',
    '| --- | --- |',
    ...sections.map((s) => `| [${s.title === '' ? 'top level' : `\`${s.title}\``}](#${s.id}) | ${Object.keys(props(s.node)).map((k) => `\`${k}\``).join(', ')} |`),
    '',
    ...sections.flatMap((s) => table(s, titles)),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
