import { mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { escapeText } from './escapeText.ts';
import { sameFileAsInput, type InputFiles } from './inputFiles.ts';
import { InputError } from './usageError.ts';
import { SINGLE_FILES_NAME, sha256, type OutputManifest } from './outputManifest.ts';
import { hashOf, lstatOrUndefined, readManifest, writeManifest, writeNewFile } from './writeReportFiles.ts';

/** What a single output file with a format midpath can parse (`--junit FILE`, `sweep --out FILE`, `merge --out FILE`) is, so midpath can tell its own earlier file from a user's. */
export interface OutputKind {
  /** For messages: `a JUnit file`. */
  readonly what: string;
  /** True when the existing file's text is one midpath wrote of this kind (parsed, not sniffed). */
  readonly isOwn: (text: string) => boolean;
}

/**
 * Refuses `path` as an output when {@link writeTextFile} would: a symbolic
 * link, not a regular file, an input, or not midpath's own file: of `kind`
 * when one is given, else listed unchanged in the folder's
 * {@link SINGLE_FILES_NAME}. Commands call it before a long run, so a
 * refused output costs nothing.
 *
 * @returns the hash of the existing file when it is replaceable by the listing, else undefined
 * @throws InputError (exit 2) naming the file and why
 */
export function assertReplaceable(path: string, kind?: OutputKind, inputs?: InputFiles): string | undefined {
  const shown = escapeText(path);
  if (basename(path).startsWith('.midpath-')) throw new InputError(`${shown}: names midpath's own bookkeeping (.midpath-…); name another file`);
  const stat = lstatOrUndefined(path);
  if (stat === undefined) {
    if (kind === undefined) listedFiles(path);
    return undefined;
  }
  if (stat.isSymbolicLink()) throw new InputError(`${shown}: is a symbolic link; midpath never writes through one (name the file itself)`);
  if (!stat.isFile()) throw new InputError(`${shown}: exists and is not a regular file; refusing to replace it`);
  if (inputs && sameFileAsInput(inputs, stat)) throw new InputError(`${shown}: is an input of this run; refusing to overwrite it${kind ? ` with ${kind.what}` : ''} (name another file)`);
  if (kind === undefined) {
    const listed = listedFiles(path).files[basename(path)];
    if (listed === undefined) throw new InputError(`${shown}: exists and was not written by midpath (not in ${SINGLE_FILES_NAME} of its folder); refusing to overwrite it (move it, or name another file)`);
    const now = hashOf(path);
    if (!listed.includes(now)) throw new InputError(`${shown}: was changed since midpath wrote it; refusing to overwrite it (move it, or name another file)`);
    return now;
  }
  let own = false;
  try {
    own = stat.size <= 64 * 1024 * 1024 && kind.isOwn(readFileSync(path, 'utf8'));
  } catch {
    own = false;
  }
  if (!own) throw new InputError(`${shown}: exists and is not ${kind.what} that midpath wrote; refusing to overwrite it (move it, or name another file)`);
  return undefined;
}

/** The single-file list of `path`'s folder (empty when the folder or the list does not exist yet). */
function listedFiles(path: string): OutputManifest {
  const dir = dirname(path);
  return lstatOrUndefined(dir)?.isDirectory() === true ? readManifest(dir, SINGLE_FILES_NAME) : { format: 'midpath-manifest/1', files: {}, temps: [] };
}

/**
 * Writes one output file, never losing anything a user wrote:
 * - refused when `path` is a symbolic link, not a regular file, one of the
 *   run's inputs (by device and inode, so another name or a hard link of
 *   the scenario is refused too), or an existing file that is not midpath's
 *   own: with a `kind`, one that parses as that kind; without one (graphs,
 *   Promela models), one listed with its SHA-256 in the folder's
 *   {@link SINGLE_FILES_NAME} and unchanged since midpath wrote it (so an
 *   edited graph or model is never replaced), and the list records the new
 *   bytes (both hashes while the rename is under way);
 * - written to a temporary name in the same folder, flushed, and renamed
 *   over `path`, so `path` always holds either its old bytes or the new
 *   ones, whole.
 *
 * @throws InputError (exit 2) naming the file and why
 */
export function writeTextFile(path: string, text: string, kind?: OutputKind, inputs?: InputFiles): void {
  const oldHash = assertReplaceable(path, kind, inputs);
  const shown = escapeText(path);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${escapeText(dir)}: cannot create the folder (${typeof code === 'string' ? code : 'error'})`);
  }
  const name = basename(path);
  const hash = sha256(text);
  const list = kind === undefined ? readManifest(dir, SINGLE_FILES_NAME) : undefined;
  const listWith = (hashes: string[]): void => {
    if (list) writeManifest(dir, { ...list, files: { ...list.files, [name]: hashes } }, SINGLE_FILES_NAME);
  };
  listWith(oldHash === undefined || oldHash === hash ? [hash] : [oldHash, hash]);
  const tmp = join(dir, `.${name}.midpath-${process.pid}.tmp`);
  if (lstatOrUndefined(tmp) !== undefined) unlinkSync(tmp);
  writeNewFile(tmp, text);
  try {
    renameSync(tmp, path);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw new InputError(`${shown}: cannot write (${typeof code === 'string' ? code : 'error'})`);
  }
  listWith([hash]);
}
