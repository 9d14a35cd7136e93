import { createHash } from 'node:crypto';
import * as z from 'zod';

/** The name of the manifest midpath keeps in every folder it writes reports into. */
export const MANIFEST_NAME = '.midpath-manifest.json';

/**
 * The name of the list midpath keeps, in the folder of each single output
 * file it writes without a format of its own to recognise (`graph --out FILE`,
 * `export --out FILE`), of those files and their SHA-256. Kept apart from
 * {@link MANIFEST_NAME}, so a later `--out DIR` into the same folder never
 * counts them as stale files of its own.
 */
export const SINGLE_FILES_NAME = '.midpath-files.json';

/**
 * What midpath wrote into an output folder: per file name the SHA-256 of
 * the bytes it wrote (two while a write is under way: the old file's and
 * the new one's, so an interrupted run leaves a folder the next run still
 * accepts), and the temporary files of a write under way.
 */
export interface OutputManifest {
  readonly format: 'midpath-manifest/1';
  readonly files: Readonly<Record<string, readonly string[]>>;
  readonly temps: readonly string[];
}

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const plainName = z.string().min(1).max(255).regex(/^[^/\\\0]+$/).refine((n) => n !== '.' && n !== '..');

/** The manifest's shape, checked on every read (it lives in a folder others may write to). */
export const manifestSchema = z.strictObject({
  format: z.literal('midpath-manifest/1'),
  files: z.record(plainName, z.array(sha).min(1).max(2)),
  temps: z.array(plainName).max(10_000),
});

/** SHA-256 of some bytes, lower-case hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest as deterministic JSON text (names sorted). */
export function manifestText(m: OutputManifest): string {
  const files = Object.fromEntries(Object.keys(m.files).sort().map((k) => [k, m.files[k]!]));
  return `${JSON.stringify({ format: m.format, files, temps: [...m.temps].sort() }, null, 2)}\n`;
}
