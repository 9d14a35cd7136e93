import { createHash } from 'node:crypto';
import { z } from 'zod';
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

const whole = z.number().int().safe();
const documentSchema = z.object({
  format: z.literal('midpath-sweep/1'),
  scenario: z.object({ name: z.string(), source: z.string(), digest: z.string() }),
  axes: z.array(z.object({ field: z.string(), from: whole, to: whole })).min(1).max(2),
  samples: whole.min(2),
  properties: z.array(z.string()).min(1),
  notes: z.array(z.string()),
  coverage: z.object({ shards: whole.min(1), done: z.array(whole.min(1)).min(1), complete: z.boolean() }),
  points: z.array(z.object({ values: z.array(whole).min(1).max(2), holds: z.record(z.string(), z.boolean()) })),
  findings: z.array(z.unknown()),
  stats: z.object({ checks: whole.min(0), ms: z.number().min(0) }),
});

/**
 * Reads a sweep document from JSON text, checking its shape.
 *
 * @param name the file name, shown in messages
 * @throws SweepDocumentError naming the file and the first field that is wrong
 */
export function parseSweepDocument(text: string, name: string): SweepDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SweepDocumentError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new SweepDocumentError(`${name}: not a midpath sweep file (${where}${issue?.message ?? 'invalid'}); write one with midpath sweep --out FILE`);
  }
  const d = parsed.data;
  for (const p of d.points) {
    if (p.values.length !== d.axes.length) throw new SweepDocumentError(`${name}: point ${p.values.join(',')} has ${p.values.length} values for ${d.axes.length} axes`);
  }
  if (d.coverage.done.some((k) => k > d.coverage.shards)) throw new SweepDocumentError(`${name}: coverage names a shard above ${d.coverage.shards}`);
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
  return Array.from({ length: doc.coverage.shards }, (_, i) => i + 1).filter((k) => !doc.coverage.done.includes(k));
}
