/**
 * Run the CLI: `runCli` calls `main(argv, io)` in the test's own process with captured streams (fast,
 * and measured by coverage); `spawnCli`/`startCli` run the built CLI (`node bin/mcp-opt.js …`, from
 * dist/; run `npm run build` first) as a child process, never through a shell, the way a user or CI
 * job runs it, for what only a real process shows: signals, process trees, a closed stdout, start-up
 * time. Every run gets its own MCPOPT_TEST_ID, which every process it starts inherits, so a test can
 * check through /proc that nothing outlived it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { alive, processesWithTestId, readPids, repoRoot } from './fixtures.js';

/** The CLI entry (imports dist/cli/main.js). */
export const CLI_BIN: string = join(repoRoot, 'bin', 'mcp-opt.js');

/**
 * Fast analyze settings: enough to exercise every phase, about two seconds per run. One measured
 * cold start: add TWO_RUNS where a test needs two (a p50 budget, samples kept before a failure).
 */
export const FAST: readonly string[] = ['--runs', '1', '--warmup', '0', '--samples', '20', '--lookup-samples', '100'];

/** After FAST: two measured cold starts (the later --runs wins). */
export const TWO_RUNS: readonly string[] = ['--runs', '2'];

/** Options of runCli, spawnCli and startCli. */
export interface CliOptions {
  /** Added to (and overriding) the test process's environment. */
  env?: Record<string, string>;
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Kill the CLI (and everything carrying its test id) after this long, ms (default 45 000). */
  timeoutMs?: number;
  /**
   * runCli and runBenchJson: run it in a child process (spawnCli) instead, for claims about the load
   * generator's own timing (lateness, coordinated omission), which sharing the test's process would change.
   */
  inChild?: boolean;
}

/** How a CLI run ended. */
export interface CliResult {
  /** Exit code, or null when ended by a signal (or, in-process, when it timed out). */
  code: number | null;
  /** Signal that ended it, or null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The MCPOPT_TEST_ID this run (and everything it started) carried. */
  testId: string;
  /** Start → exit, ms. */
  durationMs: number;
  /** True when it was stopped at timeoutMs. */
  timedOut: boolean;
}

/** A CLI started in the background (for signal tests). */
export interface StartedCli {
  child: ChildProcess;
  testId: string;
  /** Resolves when the CLI exits (or is killed at timeoutMs). */
  done: Promise<CliResult>;
}

const DEFAULT_TIMEOUT_MS = 45_000;

/** The environment of one run: the test process's, plus `extra`, plus the run's own MCPOPT_TEST_ID. */
function runEnv(extra: Record<string, string> | undefined, testId: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, MCPOPT_TEST_ID: testId };
  // Keep the test runner's own hooks out of the CLI and the servers it starts.
  delete env['NODE_OPTIONS'];
  return env;
}

/** Start `node bin/mcp-opt.js ...args` without waiting for it. */
export function startCli(args: string[], opts: CliOptions = {}): StartedCli {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests.');
  const testId = randomUUID();
  const env = runEnv(opts.env, testId);
  const startedAt = performance.now();
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let timedOut = false;
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // The test fails on the exit code; do not let its servers outlive it either.
      killTestProcesses(testId);
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close', not 'exit': stdout and stderr are complete by then.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, testId, durationMs: performance.now() - startedAt, timedOut });
    });
  });
  return { child, testId, done };
}

/** Run `node bin/mcp-opt.js ...args` to completion, in a child process. */
export function spawnCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** A stream that keeps what is written to it (not a terminal, like a pipe). */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += String(chunk);
    done();
  }
}

/**
 * Run `mcp-opt ...args` to completion in this process: `main(argv, io)` with captured stdout and
 * stderr, the run's environment and working directory passed in `io` (this process's are left
 * alone) and no signal handlers. `signal` is always null; at timeoutMs the servers the run started
 * are killed (which ends it) and the result says timedOut.
 */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (opts.inChild) return spawnCli(args, opts);
  const testId = randomUUID();
  const stdout = new Capture();
  const stderr = new Capture();
  const startedAt = performance.now();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      killTestProcesses(testId);
      resolve(null);
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  });
  const io = { stdout, stderr, env: runEnv(opts.env, testId), cwd: opts.cwd ?? repoRoot };
  try {
    const code = await Promise.race([main([process.execPath, CLI_BIN, ...args], io), expired]);
    return { code, signal: null, stdout: stdout.text, stderr: stderr.text, testId, durationMs: performance.now() - startedAt, timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** The whole of stdout parsed as one JSON document (throws if anything else is there). */
export function parseResult(stdout: string): AnalyzeResult {
  return JSON.parse(stdout) as AnalyzeResult;
}

/** Short bench runs: 0.5 s of warm-up, 2 s measured (the e2e tests' default). */
export const BENCH_SHORT: readonly string[] = ['--duration', '2s', '--warmup', '500ms'];

/** Short tune points: 300 ms warm-up, 1.2 s measured (the tune e2e tests' default). */
export const TUNE_SHORT: readonly string[] = ['--point-warmup', '300ms', '--point-duration', '1200ms'];

/**
 * An SLO every point meets, for tunes run for another purpose (a result to render, files to apply,
 * a workload to check): under the default p95<100ms a busy machine can leave no point within it, and
 * tune exits 1 (that case is tune-input.e2e's own test).
 */
export const ANY_SLO: readonly string[] = ['--slo', 'p95<30s'];

/** The whole of stdout parsed as one bench result (throws if anything else is there). */
export function parseBench(stdout: string): BenchResult {
  const result = JSON.parse(stdout) as BenchResult;
  expect(result.kind, 'stdout holds a bench result').toBe('bench');
  return result;
}

/**
 * `mcp-opt bench ...args --json` (plus --no-save unless --out is given) to completion; asserts that
 * nothing it started outlived it and returns the run and its result (stdout must be the JSON).
 */
export async function runBenchJson(args: string[], opts: CliOptions = {}): Promise<{ run: CliResult; result: BenchResult }> {
  const run = await runCli(['bench', ...args, '--json', ...(args.includes('--out') ? [] : ['--no-save'])], opts);
  await noLeftovers(run.testId);
  let result: BenchResult;
  try {
    result = parseBench(run.stdout);
  } catch (err) {
    throw new Error(`bench printed no result JSON (exit ${run.code}, ${(err as Error).message}); stderr:\n${run.stderr}`);
  }
  return { run, result };
}

/** Ids of a result's findings. */
export function findingIds(result: AnalyzeResult): string[] {
  return result.findings.map((f) => f.id);
}

/** Poll `check` until it returns true or `timeoutMs` passes; returns its last answer. */
export async function waitFor(check: () => boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Assert that no live process carries `testId`. Polls up to 3 s: a process killed a moment ago
 * may still be exiting (zombies have no readable environment, so they do not count).
 */
export async function noLeftovers(testId: string): Promise<void> {
  // Polls up to 8 s: killed processes linger as zombies until init reaps them, slowly on a loaded VM.
  await waitFor(() => processesWithTestId(testId).length === 0, 8000);
  expect(processesWithTestId(testId), `processes with MCPOPT_TEST_ID=${testId}`).toEqual([]);
}

/** SIGKILL every process carrying `testId` (cleanup after a failed test; not an assertion). */
export function killTestProcesses(testId: string): void {
  for (const pid of processesWithTestId(testId)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Every pid a fixture recorded in `pidFile` is gone (polls up to `timeoutMs`: the groups were just signalled). */
export async function allRecordedDead(pidFile: string, timeoutMs = 8000): Promise<void> {
  const pids = readPids(pidFile);
  await waitFor(() => pids.every((p) => !alive(p)), timeoutMs);
  expect(pids.filter(alive)).toEqual([]);
}

/** The result saved at `out`, which must be marked incomplete for a reason matching `reason`. */
export function savedIncomplete<T extends { incomplete: boolean; incompleteReason: string | null }>(out: string, reason: RegExp): T {
  const saved = JSON.parse(readFileSync(out, 'utf8')) as T;
  expect(saved.incomplete).toBe(true);
  expect(saved.incompleteReason).toMatch(reason);
  return saved;
}
