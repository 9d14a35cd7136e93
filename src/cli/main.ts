/**
 * The `midpath` executable: runs the command line given to the process and
 * exits with its code. `bin/midpath.js` loads its compiled form,
 * `dist/cli/main.js` (`npm run build`); `npm start` runs `midpath start`.
 *
 * @module
 */
import { runCli } from './runCli.ts';

// A closed pipe (`midpath check … | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
