import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from './usageError.ts';

/**
 * Writes a text file, creating its folder when missing.
 *
 * @throws InputError naming the file when it cannot be written
 */
export function writeTextFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputError(`${path}: cannot write (${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)})`);
  }
}
