/**
 * vitest global setup: the tests that run the `midpath` binary run the compiled
 * CLI (dist/, as users do), so compile it first when a source file is newer than
 * the last build (`node scripts/build.mjs --if-stale`: a no-op when fresh).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildDist(): void {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
}
