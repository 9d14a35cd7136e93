import { mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { escapeText } from './escapeText.ts';
import { sameFileAsInput, type InputFiles } from './inputFiles.ts';
import { InputError } from './usageError.ts';
import { lstatOrUndefined, writeNewFile } from './writeReportFiles.ts';

/** What a single output file (`--junit FILE`, `sweep --out FILE`, `merge --out FILE`) is, so midpath can tell its own earlier file from a user's. */
export interface OutputKind {
  /** For messages: `a JUnit file`. */
  readonly what: string;
  /** True when the existing file's text is one midpath wrote of this kind (parsed, not sniffed). */
  readonly isOwn: (text: string) => boolean;
}

/**
 * The default kind: an existing file counts as midpath's own when its first
 * two lines equal those of the new text (a Promela model or graph of the
 * same scenario or machine). Commands with a parseable format pass a
 * stricter kind.
 */
function sameHeader(text: string): OutputKind {
  const head = (t: string): string => t.split('\n', 2).join('\n');
  return { what: 'an earlier midpath output of the same kind', isOwn: (existing) => head(existing) === head(text) && head(text).length > 0 };
}

/**
 * Refuses `path` as an output of `kind` when {@link writeTextFile} would:
 * a symbolic link, not a regular file, an input, or not midpath's own file
 * of this kind. Commands call it before a long run, so a refused output
 * costs nothing.
 *
 * @throws InputError (exit 2) naming the file and why
 */
export function assertReplaceable(path: string, kind: OutputKind, inputs?: InputFiles): void {
  const shown = escapeText(path);
  const stat = lstatOrUndefined(path);
  if (stat !== undefined) {
    if (stat.isSymbolicLink()) throw new InputError(`${shown}: is a symbolic link; midpath never writes through one (name the file itself)`);
    if (!stat.isFile()) throw new InputError(`${shown}: exists and is not a regular file; refusing to replace it`);
    if (inputs && sameFileAsInput(inputs, stat)) throw new InputError(`${shown}: is an input of this run; refusing to overwrite it with ${kind.what} (name another file)`);
    let own = false;
    try {
      own = stat.size <= 64 * 1024 * 1024 && kind.isOwn(readFileSync(path, 'utf8'));
    } catch {
      own = false;
    }
    if (!own) throw new InputError(`${shown}: exists and is not ${kind.what} that midpath wrote; refusing to overwrite it (move it, or name another file)`);
  }
}

/**
 * Writes one output file, never losing anything a user wrote:
 * - refused when `path` is a symbolic link, not a regular file, one of the
 *   run's inputs (by device and inode, so another name or a hard link of
 *   the scenario is refused too), or an existing file that is not midpath's
 *   own output of this kind;
 * - written to a temporary name in the same folder, flushed, and renamed
 *   over `path`, so `path` always holds either its old bytes or the new
 *   ones, whole.
 *
 * @throws InputError (exit 2) naming the file and why
 */
export function writeTextFile(path: string, text: string, kind: OutputKind = sameHeader(text), inputs?: InputFiles): void {
  assertReplaceable(path, kind, inputs);
  const shown = escapeText(path);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${escapeText(dir)}: cannot create the folder (${typeof code === 'string' ? code : 'error'})`);
  }
  const tmp = join(dir, `.${basename(path)}.midpath-${process.pid}.tmp`);
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
}
