import { defineConfig } from 'vitest/config';

// Server and browser tests share one real Redis per test file (see test/helpers/redis.ts);
// files run in parallel forks, each with its own Redis on a free port.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs redis-server and Chromium where they are missing and can be (README, first lines).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
