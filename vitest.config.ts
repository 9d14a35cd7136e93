import { defineConfig } from 'vitest/config';

/**
 * What genuinely needs system tools (SPIN and gcc; network namespaces, nftables,
 * root) runs in `npm run test:system` (vitest.system.config.ts) instead; `npm test`
 * needs only Node and `npm ci`.
 */
export const SYSTEM_TESTS = ['test/reporting/promela.test.ts', 'test/lab/lab.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...SYSTEM_TESTS],
    globalSetup: ['test/setup/buildDist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
