import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ReportFile } from './reportFiles.ts';
import { MANIFEST_NAME, manifestSchema, manifestText, sha256, type OutputManifest } from './outputManifest.ts';
import { InputFileError, readInputText } from '../node/readInputFile.ts';
import { InputError } from './usageError.ts';
import { escapeText } from './escapeText.ts';
import { sameFileAsInput, type InputFiles } from './inputFiles.ts';

/** Steps of a folder write, in order, for tests that interrupt it ({@link WriteOptions.afterStep}). */
export type WriteStep = 'pending-manifest' | 'temp' | 'rename' | 'stale' | 'manifest';

/** Options of {@link writeReportFiles}. */
export interface WriteOptions {
  /** Files the run read: none of them is ever replaced. */
  readonly inputs?: InputFiles;
  /** Called after each step (tests throw here to interrupt a write at that point). */
  readonly afterStep?: (step: WriteStep, name: string) => void;
}

/** Runs a file-system call, turning its failure into an InputError naming `path`. */
function attempt<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${escapeText(path)}: cannot write (${typeof code === 'string' ? code : 'error'})`);
  }
}

/** lstat without following a symbolic link; undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') return undefined;
    throw new InputError(`${escapeText(path)}: cannot inspect (${typeof code === 'string' ? code : 'error'})`);
  }
}

/** Writes bytes to a new file (O_EXCL: never through an existing name or symbolic link) and flushes them to disk. */
export function writeNewFile(path: string, data: string | Uint8Array): void {
  attempt(path, () => {
    const fd = openSync(path, 'wx', 0o644);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** The folder's manifest `name` (default {@link MANIFEST_NAME}), or an empty one; a damaged manifest is refused, never guessed at. */
export function readManifest(dir: string, name: string = MANIFEST_NAME): OutputManifest {
  const path = join(dir, name);
  const stat = lstatOrUndefined(path);
  if (stat === undefined) return { format: 'midpath-manifest/1', files: {}, temps: [] };
  if (!stat.isFile()) throw new InputError(`${escapeText(path)}: is not a regular file; midpath keeps its list of written files there (remove it, or choose another --out folder)`);
  let text: string;
  try {
    text = readInputText(path, 'a midpath manifest');
  } catch (e) {
    if (e instanceof InputFileError) throw new InputError(`${escapeText(e.message)}`);
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`${escapeText(path)}: is not a midpath manifest (midpath-manifest/1); refusing to write into the folder (remove it, or choose another --out folder)`);
  return parsed.data;
}

/** Writes the manifest `name` (default {@link MANIFEST_NAME}) through a temporary file and a rename, so it is always whole. */
export function writeManifest(dir: string, m: OutputManifest, name: string = MANIFEST_NAME): void {
  const tmp = join(dir, `${name}.${process.pid}.tmp`);
  if (lstatOrUndefined(tmp) !== undefined) attempt(tmp, () => unlinkSync(tmp));
  writeNewFile(tmp, manifestText(m));
  attempt(join(dir, name), () => renameSync(tmp, join(dir, name)));
}

/** The hash of a regular file's bytes, read as they are now. */
export function hashOf(path: string): string {
  return attempt(path, () => sha256(readFileSync(path)));
}

/** @throws InputError when a name is not a plain file name inside the folder */
function checkName(dir: string, name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || name === MANIFEST_NAME || name.startsWith('.midpath-')) {
    throw new InputError(`${escapeText(join(dir, name))}: not a plain file name inside ${escapeText(dir)}; refusing to write it`);
  }
}

/**
 * Refuses an output folder {@link writeReportFiles} would refuse whatever
 * the files: a symbolic link, not a folder, or a damaged manifest. Commands
 * call it before a long run.
 *
 * @throws InputError (exit 2) naming the folder and why
 */
export function assertReportFolder(dir: string): void {
  const dirStat = lstatOrUndefined(dir);
  if (dirStat?.isSymbolicLink()) throw new InputError(`${escapeText(dir)}: is a symbolic link; midpath writes reports only into a real folder (name the folder it points to)`);
  if (dirStat !== undefined && !dirStat.isDirectory()) throw new InputError(`${escapeText(dir)}: exists and is not a folder (--out needs a folder)`);
  if (dirStat !== undefined) readManifest(dir);
}

/**
 * Writes report files into `dir` (`--out DIR`), never losing anything a user
 * wrote there:
 * - `dir/.midpath-manifest.json` lists every file midpath wrote with its
 *   SHA-256; an existing file is replaced only if the manifest lists it and
 *   its bytes are unchanged since; anything else (a user's file, a file
 *   edited since, a symbolic link, a folder) makes the run refuse before
 *   anything is written;
 * - no symbolic link is followed: not `dir` itself, not a name in it;
 * - no file the run read ({@link WriteOptions.inputs}) is replaced;
 * - files of an earlier run that this run does not write are removed only
 *   when the manifest lists them unchanged (an edited one stays, unlisted);
 * - each file is written to a temporary name in `dir` and renamed over its
 *   name; the manifest lists both the old and the new bytes while the
 *   renames are under way, so a run interrupted at any moment leaves every
 *   file whole (its old or its new bytes, never a partial or empty file),
 *   and the next run accepts the folder and finishes the job.
 *
 * @returns the paths written, in order
 * @throws InputError (exit 2) naming the path and why it is refused
 */
export function writeReportFiles(dir: string, files: readonly ReportFile[], options: WriteOptions = {}): string[] {
  const step = options.afterStep ?? (() => {});
  assertReportFolder(dir);
  const dirStat = lstatOrUndefined(dir);
  if (dirStat === undefined) attempt(dir, () => mkdirSync(dir, { recursive: true }));
  const old = readManifest(dir);
  const names = new Set<string>();
  for (const f of files) {
    checkName(dir, f.name);
    if (names.has(f.name)) throw new InputError(`${escapeText(join(dir, f.name))}: two report files of this run have the same name`);
    names.add(f.name);
  }

  // Check every target before anything is written.
  const keepHashes = new Map<string, string[]>();
  for (const f of files) {
    const path = join(dir, f.name);
    const stat = lstatOrUndefined(path);
    if (stat === undefined) continue;
    const shown = escapeText(path);
    if (stat.isSymbolicLink()) throw new InputError(`${shown}: is a symbolic link; midpath never writes through one (remove it, or choose another --out folder)`);
    if (!stat.isFile()) throw new InputError(`${shown}: exists and is not a regular file; refusing to replace it (choose another --out folder)`);
    if (options.inputs && sameFileAsInput(options.inputs, stat)) throw new InputError(`${shown}: is an input of this run; refusing to overwrite it (choose another --out folder)`);
    const listed = old.files[f.name];
    if (listed === undefined) throw new InputError(`${shown}: exists and was not written by midpath (not in ${MANIFEST_NAME}); refusing to overwrite it (move it, or choose another --out folder)`);
    const now = hashOf(path);
    if (!listed.includes(now)) throw new InputError(`${shown}: was changed since midpath wrote it; refusing to overwrite it (move it, or choose another --out folder)`);
    keepHashes.set(f.name, [now]);
  }

  // Leftovers of an interrupted run: its temporary files (listed by name) go first.
  for (const t of old.temps) {
    const path = join(dir, t);
    if (!t.startsWith('.midpath-') || lstatOrUndefined(path)?.isFile() !== true) continue;
    attempt(path, () => unlinkSync(path));
  }

  // Files of an earlier run this run does not write, still as midpath wrote them.
  const stale: { name: string; hash: string }[] = [];
  for (const [name, hashes] of Object.entries(old.files)) {
    if (names.has(name)) continue;
    const path = join(dir, name);
    const stat = lstatOrUndefined(path);
    if (stat === undefined || !stat.isFile()) continue;
    if (options.inputs && sameFileAsInput(options.inputs, stat)) continue;
    const now = hashOf(path);
    if (hashes.includes(now)) stale.push({ name, hash: now });
  }

  const planned = files.map((f, i) => ({ file: f, temp: `.midpath-${process.pid}-${i}.tmp`, hash: sha256(f.data) }));
  const pending: Record<string, string[]> = {};
  for (const s of stale) pending[s.name] = [s.hash];
  for (const p of planned) pending[p.file.name] = [...(keepHashes.get(p.file.name) ?? []).filter((h) => h !== p.hash), p.hash];
  for (const p of planned) pending[p.temp] = [p.hash];
  writeManifest(dir, { format: 'midpath-manifest/1', files: pending, temps: planned.map((p) => p.temp) });
  step('pending-manifest', MANIFEST_NAME);

  for (const p of planned) {
    const tmp = join(dir, p.temp);
    if (lstatOrUndefined(tmp) !== undefined) attempt(tmp, () => unlinkSync(tmp));
    writeNewFile(tmp, p.file.data);
    step('temp', p.temp);
  }
  const written = planned.map((p) => {
    const path = join(dir, p.file.name);
    attempt(path, () => renameSync(join(dir, p.temp), path));
    step('rename', p.file.name);
    return path;
  });
  for (const s of stale) {
    attempt(join(dir, s.name), () => unlinkSync(join(dir, s.name)));
    step('stale', s.name);
  }
  writeManifest(dir, { format: 'midpath-manifest/1', files: Object.fromEntries(planned.map((p) => [p.file.name, [p.hash]])), temps: [] });
  step('manifest', MANIFEST_NAME);
  return written;
}
