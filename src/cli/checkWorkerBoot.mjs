// Worker bootstrap. Compiled (dist/, the package): load the JavaScript worker.
// From the TypeScript sources (the repository's tests): register tsx in this
// thread first, then load the TypeScript worker.
import { existsSync } from 'node:fs';

const compiled = new URL('./checkWorker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./checkWorker.ts', import.meta.url).href);
}
