import { defineConfig } from 'vitest/config';

/**
 * What genuinely needs system tools (SPIN and gcc; network namespaces, nftables,
 * root) runs in `npm run test:system` (vitest.system.config.ts) instead; `npm test`
 * needs only Node and `npm ci`.
 */
export const SYSTEM_TESTS = ['test/reporting/promela.test.ts', 'test/lab/lab.test.ts', 'test/lab/natConntrack.test.ts'];

/**
 * Files that change process-wide state (`process.chdir`, which worker threads
 * may not call; `process.env`): each runs in a child process of its own.
 * test/docs/testIsolation.test.ts fails on any other file that does.
 */
export const PROCESS_TESTS = ['test/cli/junitSchema.test.ts', 'test/cli/presentation.test.ts', 'test/cli/checkInWorkers.test.ts'];

/**
 * Every other file runs in worker threads that keep their module cache from
 * one file to the next (`isolate: false`): importing the sources and their
 * dependencies again for each of about 75 files was most of the suite's CPU
 * time (test/models alone: 37 s with a fresh process per file, 12 s shared).
 * These files share no mutable state: none mocks a module, changes the
 * working folder, the environment or a global; fast-check's global seed is
 * set from MIDPATH_SEED to the same value by every file that sets it.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/setup/buildDist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...SYSTEM_TESTS, ...PROCESS_TESTS], pool: 'threads', isolate: false },
      },
      {
        extends: true,
        test: { name: 'process', include: PROCESS_TESTS, pool: 'forks' },
      },
    ],
  },
});
