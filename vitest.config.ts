import { defineConfig } from 'vitest/config';

/**
 * Files whose assertions rest on measured figures (rates, percentiles, lateness, throughput
 * ratios, rank correlations, cold-start timings). On a 2-core machine two such files at once
 * make each other's servers and generators compete for the CPU and turn flaky, so they run one
 * at a time, after everything else. Named one by one: a file that only checks what happens (exit
 * codes, messages, saved files, counts), however much load it sends, runs with the behaviour
 * tests, four at a time (report.e2e, tune-input.e2e, bench-interrupt.e2e, bench-faults.e2e,
 * bench-workload.e2e, bench-http.e2e, the pure bench units).
 */
const MEASURING = [
  'test/cli/bench-budgets.e2e.test.ts',
  'test/cli/bench-crash.e2e.test.ts',
  'test/cli/bench-everything-http.e2e.test.ts',
  'test/cli/bench-everything.e2e.test.ts',
  'test/cli/bench-http-expiry.e2e.test.ts',
  'test/cli/bench-loops.e2e.test.ts',
  'test/cli/bench-omission.e2e.test.ts',
  'test/cli/bench-pool.e2e.test.ts',
  'test/cli/tune.e2e.test.ts',
  'test/cli/tune-files.e2e.test.ts',
  'test/cli/tune-proxy.e2e.test.ts',
  'test/cli/report-ci.e2e.test.ts',
  'test/cli/lookupLinear.e2e.test.ts',
  'test/cli/profile.e2e.test.ts',
  'test/runners/bench/alarmClock.test.ts',
  'test/runners/bench/autocannonAgreement.test.ts',
  'test/runners/bench/autocannonLoad.test.ts',
  'test/runners/bench/engine.test.ts',
  'test/runners/bench/generatorHealth.test.ts',
  'test/runners/analyze/coldStart.test.ts',
  'test/fixtures/benchServers.test.ts',
  'test/measure/toolListCost.test.ts',
  'test/target/stdioTransport.test.ts',
];

/**
 * Files that replace a module with vi.mock (node:fs, to fail a write; procfs.js): they need a
 * process of their own, as vitest's module mocks do not reach modules another file already loaded.
 */
const MOCKING = ['test/result/write.test.ts', 'test/patch/apply.test.ts', 'test/runners/analyze/coldStart.test.ts'];
/** The measuring files among MOCKING (coldStart.test mocks procfs.js), and the behaviour ones. */
const MEASURING_MOCKING = MOCKING.filter((f) => MEASURING.includes(f));
const BEHAVIOUR_MOCKING = MOCKING.filter((f) => !MEASURING.includes(f));

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run coverage` (CI): line, branch, function and statement coverage of src/, from the tests
    // that run it in-process (the CLI through runCli's main(argv, io); spawned CLIs are not counted).
    // The thresholds sit just below what the suite measured, so CI fails when coverage drops.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
      // The figure is printed (and the thresholds checked) even when a test failed.
      reportOnFailure: true,
      // Measured by the whole suite on 2026-12-03: lines 96.2 %, branches 85.0 %, functions 95.4 %, statements 93.6 %.
      thresholds: { lines: 95, branches: 84, functions: 94, statements: 92.5 },
    },
    projects: [
      {
        // Behaviour: unit tests and end-to-end tests that assert what happens, not how fast.
        // Four files at a time on 2 cores: the CLI runs in-process and part of a file's time is spent
        // waiting on servers, which the other workers fill; on a machine where another process keeps a
        // core busy, more runnable test processes also get more of the CPU (with one busy core: 200 s
        // at three workers, 177 s at four, 173 s at five). They finish before the measuring files start.
        // Not isolated: a worker runs file after file in one process, so src/ and the libraries are
        // loaded once per worker, not once per file: the behaviour files are CPU-bound on a busy 2-core
        // machine, and sharing the loads took them from 236 s to 214 s there. Tests leave no module state behind:
        // main() resets its own (cli/runState.ts), and every server a file starts, it stops.
        extends: true,
        test: { name: 'behaviour', include: ['test/**/*.test.ts'], exclude: [...MEASURING, ...MOCKING], maxWorkers: 4, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'mocking', include: BEHAVIOUR_MOCKING, maxWorkers: 1, sequence: { groupOrder: 0 } },
      },
      {
        // One file at a time, in one process (not isolated, as behaviour), after everything else.
        extends: true,
        test: { name: 'measuring', include: MEASURING, exclude: MEASURING_MOCKING, maxWorkers: 1, isolate: false, sequence: { groupOrder: 1 } },
      },
      {
        // The mocking measuring files, alone too, after the others.
        extends: true,
        test: { name: 'measuring-mocking', include: MEASURING_MOCKING, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
