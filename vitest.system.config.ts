import { defineConfig } from 'vitest/config';
import { SYSTEM_TESTS } from './vitest.config.ts';

/** `npm run test:system`: the tests that need SPIN + gcc and root with network namespaces; fails (never skips) without them. */
export default defineConfig({
  test: {
    include: SYSTEM_TESTS,
    globalSetup: ['test/setup/requireSystemTools.ts', 'test/setup/buildDist.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
