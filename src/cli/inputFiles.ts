import { statSync, type Stats } from 'node:fs';

/** The files a run reads, by device and inode, so that no output can replace one (even through another name or a hard link). */
export interface InputFiles {
  readonly ids: ReadonlySet<string>;
}

const idOf = (s: Stats): string => `${s.dev}:${s.ino}`;

/** The inputs among `paths` that exist (presets and missing files are skipped). */
export function inputFiles(paths: readonly string[]): InputFiles {
  const ids = new Set<string>();
  for (const p of paths) {
    try {
      ids.add(idOf(statSync(p)));
    } catch {
      // not a file (a preset name) or missing: nothing to protect
    }
  }
  return { ids };
}

/** True when `stat` is one of the inputs. */
export function sameFileAsInput(inputs: InputFiles, stat: Stats): boolean {
  return inputs.ids.has(idOf(stat));
}
