/**
 * The entry point of the bundled command line, `dist/bundle/midpath.cjs`
 * (scripts/build.mjs), which `bin/midpath.js` runs through `codeCache.ts`;
 * `main.ts` runs the same {@link main} unbundled.
 *
 * @module
 */
import { runCli } from './runCli.ts';

export { runCli };

/** Runs the command line `argv` on this process's standard streams and environment; resolves to its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // A closed pipe (`midpath check … | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return runCli(argv, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  });
}
