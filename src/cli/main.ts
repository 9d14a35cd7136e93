/**
 * The `midpath` executable, unbundled: runs the command line given to the
 * process and exits with its code. `bin/midpath.js` runs the same
 * {@link main} from the bundle (`bundleEntry.ts`, `codeCache.ts`).
 *
 * @module
 */
import { main } from './bundleEntry.ts';

process.exitCode = await main(process.argv.slice(2));
