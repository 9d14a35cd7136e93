import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Scenario } from '../scenarios/scenario.ts';
import { comparePoints, findings, type Finding, type Shard, type SweepAxis, type SweepPoint, type SweepSpec } from './sweep.ts';

/**
 * What `midpath sweep --out FILE` writes and `midpath merge` reads and
 * writes (format `midpath-sweep/1`). The findings are recomputed from the
 * points on every merge; `coverage` says which shards the points come from.
 */
export interface SweepDocument {
  readonly format: 'midpath-sweep/1';
  /** The scenario swept: its name, the argument it was given as, and a digest of its validated contents (shards must agree). */
  readonly scenario: { readonly name: string; readonly source: string; readonly digest: string };
  readonly axes: readonly SweepAxis[];
  readonly samples: number;
  readonly properties: readonly string[];
  /** Remarks on how the fields were set (e.g. keepalive turned on). */
  readonly notes: readonly string[];
  /** The shards whose points are here: `complete` when all `shards` of them are. */
  readonly coverage: { readonly shards: number; readonly done: readonly number[]; readonly complete: boolean };
  /** Every checked point, ordered by value (first axis first). */
  readonly points: readonly SweepPoint[];
  readonly findings: readonly Finding[];
  /** Checks run and milliseconds spent in them, summed over shards. */
  readonly stats: { readonly checks: number; readonly ms: number };
}

/** Documents that cannot be read or merged: the message names the file and what is wrong. */
export class SweepDocumentError extends Error {
  override readonly name = 'SweepDocumentError';
}

/** A short digest of a validated scenario, so that shards of different scenarios are not merged. */
export function scenarioDigest(s: Scenario): string {
  return createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 16);
}

/** The document of one sweep run (one shard, or all of it with shard 1/1). */
export function sweepDocument(args: {
  readonly scenario: Scenario;
  readonly source: string;
  readonly spec: SweepSpec;
  readonly shard: Shard;
  readonly notes: readonly string[];
  readonly points: readonly SweepPoint[];
  readonly ms: number;
}): SweepDocument {
  const { scenario, source, spec, shard, notes, points, ms } = args;
  return {
    format: 'midpath-sweep/1',
    scenario: { name: scenario.name, source, digest: scenarioDigest(scenario) },
    axes: spec.axes.map((a) => ({ field: a.field, from: a.from, to: a.to })),
    samples: spec.samples,
    properties: [...spec.properties],
    notes: [...notes],
    coverage: { shards: shard.count, done: [shard.index], complete: shard.count === 1 },
    points: [...points].sort(comparePoints),
    findings: findings(spec.properties, points),
    stats: { checks: points.length, ms: Math.round(ms) },
  };
}

/** Most shards a sweep may be split into (as `--shard k/n` allows). */
export const MAX_SHARDS = 1000;
/** Most points a sweep document may hold (far more than 100 samples per axis and their bisections give). */
export const MAX_POINTS = 1_000_000;

const whole = z.number().int().safe();
const text = z.string().max(1000);
const documentSchema = z.object({
  format: z.literal('midpath-sweep/1'),
  scenario: z.object({ name: text, source: text, digest: z.string().regex(/^[0-9a-f]{16}$/) }),
  axes: z.array(z.object({ field: text, from: whole, to: whole })).min(1).max(2),
  samples: whole.min(2).max(100),
  properties: z.array(z.string().max(100)).min(1).max(64),
  notes: z.array(text).max(100),
  coverage: z.object({ shards: whole.min(1).max(MAX_SHARDS), done: z.array(whole.min(1).max(MAX_SHARDS)).min(1).max(MAX_SHARDS), complete: z.boolean() }),
  points: z.array(z.object({ values: z.array(whole).min(1).max(2), holds: z.record(z.string().max(100), z.boolean()) })).max(MAX_POINTS),
  findings: z.array(z.unknown()),
  stats: z.object({ checks: whole.min(0), ms: z.number().finite().min(0) }),
});

/** A zod issue path as `coverage.done[0]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`)).join('');
}

/**
 * Reads a sweep document from JSON text, checking its shape and that its
 * parts agree (every bound named: at most 1000 shards, 100 samples, 2
 * axes). Messages name the field, never quote the text.
 *
 * @param name the file name, shown in messages (the caller escapes it)
 * @throws SweepDocumentError naming the file and the first field that is wrong
 */
export function parseSweepDocument(text: string, name: string): SweepDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new SweepDocumentError(`${name}: not JSON${at === undefined ? '' : ` (syntax error at character ${at})`}; write a sweep file with midpath sweep --out FILE`);
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${fieldPath(issue.path)}: ` : '';
    throw new SweepDocumentError(`${name}: not a midpath sweep file (${where}${issue?.message ?? 'invalid'}); write one with midpath sweep --out FILE`);
  }
  const d = parsed.data;
  const bad = (field: string, message: string): SweepDocumentError => new SweepDocumentError(`${name}: not a midpath sweep file (${field}: ${message})`);
  d.axes.forEach((a, i) => {
    if (a.from >= a.to) throw bad(`axes[${i}]`, `from ${a.from} is not below to ${a.to}`);
  });
  d.coverage.done.forEach((k, i) => {
    if (k > d.coverage.shards) throw bad(`coverage.done[${i}]`, `shard ${k} is above coverage.shards ${d.coverage.shards}`);
    if (d.coverage.done.indexOf(k) !== i) throw bad(`coverage.done[${i}]`, `shard ${k} is listed twice`);
  });
  d.points.forEach((p, i) => {
    if (p.values.length !== d.axes.length) throw bad(`points[${i}].values`, `${p.values.length} values for ${d.axes.length} axes`);
    p.values.forEach((v, j) => {
      const a = d.axes[j]!;
      if (v < a.from || v > a.to) throw bad(`points[${i}].values[${j}]`, `${v} is outside ${a.field}'s range ${a.from}..${a.to}`);
    });
    for (const id of Object.keys(p.holds)) if (!d.properties.includes(id)) throw bad(`points[${i}].holds`, 'names a property the document does not list');
  });
  return { ...d, points: d.points, findings: findings(d.properties, d.points) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Joins the documents of a sweep's shards into one: the union of their
 * points, with findings recomputed. With every shard present the result
 * equals the unsharded run's document except for `coverage` and `stats`.
 *
 * @param docs each with the file name it came from, for messages
 * @throws SweepDocumentError when they come from different sweeps or disagree about a point
 */
export function mergeSweepDocuments(docs: readonly { readonly name: string; readonly doc: SweepDocument }[]): SweepDocument {
  const first = docs[0];
  if (first === undefined) throw new SweepDocumentError('no sweep files to merge');
  const base = first.doc;
  const points = new Map<string, SweepPoint>();
  const done = new Set<number>();
  const notes: string[] = [];
  let checks = 0;
  let ms = 0;
  for (const { name, doc } of docs) {
    const differs = (what: string, a: unknown, b: unknown): SweepDocumentError =>
      new SweepDocumentError(`${name}: a different sweep than ${first.name} (${what}: ${JSON.stringify(b)} vs ${JSON.stringify(a)})`);
    if (doc.scenario.digest !== base.scenario.digest) throw differs('scenario', `${base.scenario.name} ${base.scenario.digest}`, `${doc.scenario.name} ${doc.scenario.digest}`);
    if (!same(doc.axes, base.axes)) throw differs('axes', base.axes, doc.axes);
    if (doc.samples !== base.samples) throw differs('samples', base.samples, doc.samples);
    if (!same(doc.properties, base.properties)) throw differs('properties', base.properties, doc.properties);
    if (doc.coverage.shards !== base.coverage.shards) throw differs('shard count', base.coverage.shards, doc.coverage.shards);
    for (const p of doc.points) {
      const key = p.values.join(',');
      const known = points.get(key);
      if (known === undefined) points.set(key, p);
      else if (base.properties.some((id) => known.holds[id] !== p.holds[id])) {
        throw new SweepDocumentError(`${name}: disagrees with an earlier file about ${base.axes.map((a, i) => `${a.field}=${p.values[i]}`).join(', ')}`);
      }
    }
    for (const k of doc.coverage.done) done.add(k);
    for (const n of doc.notes) if (!notes.includes(n)) notes.push(n);
    checks += doc.stats.checks;
    ms += doc.stats.ms;
  }
  const sorted = [...points.values()].sort(comparePoints);
  return {
    ...base,
    notes,
    coverage: { shards: base.coverage.shards, done: [...done].sort((a, b) => a - b), complete: done.size === base.coverage.shards },
    points: sorted,
    findings: findings(base.properties, sorted),
    stats: { checks, ms },
  };
}

/** The shards missing from a document's coverage (1-based). */
export function missingShards(doc: SweepDocument): number[] {
  const done = new Set(doc.coverage.done);
  return Array.from({ length: Math.min(doc.coverage.shards, MAX_SHARDS) }, (_, i) => i + 1).filter((k) => !done.has(k));
}
