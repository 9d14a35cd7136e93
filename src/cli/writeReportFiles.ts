import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportFile, ReportKind } from './reportFiles.ts';
import { InputError } from './usageError.ts';

const PCAPNG_SECTION_HEADER = [0x0a, 0x0d, 0x0d, 0x0a];

/** True when the existing file at `path` is one midpath wrote (same kind), so replacing it loses nothing of the user's. */
function isMidpathOutput(path: string, kind: ReportKind): boolean {
  const stat = statSync(path);
  if (!stat.isFile()) return false;
  const bytes = readFileSync(path);
  if (kind === 'pcapng') return PCAPNG_SECTION_HEADER.every((b, i) => bytes[i] === b);
  if (kind === 'html' || kind === 'dot' || kind === 'svg' || kind === 'mmd') return bytes.subarray(0, 512).toString('utf8').includes('midpath');
  try {
    const doc: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof doc !== 'object' || doc === null) return false;
    if (kind === 'trace') return (doc as { format?: unknown }).format === 'midpath-trace/1';
    return Array.isArray((doc as { scenarios?: unknown }).scenarios);
  } catch {
    return false;
  }
}

/** Runs a file-system call, turning its failure into an InputError naming `path`. */
function attempt(path: string, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${path}: cannot write (${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Writes report files into `dir`, creating it when missing. Every file is
 * checked before anything is written: an existing file of the same name
 * that midpath did not write is never overwritten.
 *
 * @returns the paths written, in order
 * @throws InputError when `dir` is not a folder or a name is taken by a file midpath did not write
 */
export function writeReportFiles(dir: string, files: readonly ReportFile[]): string[] {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${dir}: exists and is not a folder (--out needs a folder)`);
  attempt(dir, () => mkdirSync(dir, { recursive: true }));
  for (const f of files) {
    const path = join(dir, f.name);
    if (existsSync(path) && !isMidpathOutput(path, f.kind)) {
      throw new InputError(`${path}: exists and was not written by midpath; refusing to overwrite it (choose another --out folder)`);
    }
  }
  return files.map((f) => {
    const path = join(dir, f.name);
    attempt(path, () => writeFileSync(path, f.data));
    return path;
  });
}
