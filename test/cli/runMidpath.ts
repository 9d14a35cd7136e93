import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (the binary's working folder in these tests). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** What one run of the real binary printed and returned. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/midpath.js …args` (the compiled CLI in dist/, built by the suite's global setup) in the repository, as a user would. */
export function runMidpath(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/midpath.js', ...args], { cwd: REPO, env: { ...process.env, ...env, MIDPATH_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
