import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real servers and measure them: on a 2-core machine, two test files at once make
    // each other's servers and generators compete for the CPU, and timing-sensitive figures
    // (send lateness, stall percentiles, rates within 1 %) turn flaky. One file at a time keeps
    // the whole suite around 5 minutes here.
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
