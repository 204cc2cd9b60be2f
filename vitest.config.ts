import { defineConfig } from 'vitest/config';

/**
 * Files that start gateway processes and kill or restart them against deadlines, and the partner faults,
 * whose timeouts are short. They run one at a time, in a child process each, so that no two of them compete
 * for the machine's cores.
 */
const PROCESS_FILES = [
  'tests/e2e/**/*.test.ts',
  'tests/reliability/kill-*.test.ts',
  'tests/reliability/scale-out.test.ts',
  'tests/reliability/partner-faults.test.ts',
];

/** gc-pressure: nothing unless GC_PRESSURE_MS is set (README, "Proof under load and faults"). */
const common = { testTimeout: 30_000, hookTimeout: 60_000, setupFiles: ['tests/support/gc-pressure.mjs'] };

/**
 * Two lanes side by side, each one file at a time: the process files in a forked child each, everything
 * else (in-process gateways, fuzzing, the console in Chromium) in a worker thread each. Vitest runs the
 * forks pool and the threads pool at once, so the suite takes about as long as its longer lane.
 */
export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    poolOptions: {
      forks: { maxForks: 1, minForks: 1 },
      threads: { maxThreads: 1, minThreads: 1 },
    },
    projects: [
      { test: { ...common, name: 'processes', include: PROCESS_FILES, pool: 'forks' } },
      { test: { ...common, name: 'in-process', include: ['tests/**/*.test.ts'], exclude: PROCESS_FILES, pool: 'threads' } },
    ],
  },
});
