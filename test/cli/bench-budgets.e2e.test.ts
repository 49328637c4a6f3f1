/**
 * bench as a CI gate, end to end: a failed budget exits 1, passing ones 0, per operation too; a
 * budget that cannot be checked (malformed, unknown metric, duplicated, on a tool the workload does
 * not call) exits 2 before any server is started; budgets and load settings come from the config
 * file as well. Bad flags exit 2 before launching anything; an unknown tool exits 2 once the
 * server's tool list is known, and leaves nothing running.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BudgetResult } from '../../src/result/budgetResult.js';
import { noLeftovers, runBenchJson, runCli } from '../helpers/cli.js';
import { alive, fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

const MINIMAL_RAW = fixturePath('minimal-raw.mjs');
/** A fast open loop: 1 s measured at 200 req/s, no warm-up. */
const FAST = ['--rps', '200', '--duration', '1s', '--warmup', '0s'];

/** The user's (non-default) budgets of a result. */
const userBudgets = (budgets: BudgetResult[]): BudgetResult[] => budgets.filter((b) => b.source !== 'default');

/** Run bench with `args` and a pid file; expect exit 2 with nothing started and nothing on stdout. */
async function expectUsageErrorBeforeLaunch(args: string[]): Promise<string> {
  const pidFile = tmpFile('pids');
  const run = await runCli(['bench', ...args, '--no-save'], { env: { FIXTURE_PID_FILE: pidFile } });
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(readPids(pidFile), 'no server was started').toEqual([]);
  expect(run.stderr).not.toMatch(/mcp-opt: running /);
  await noLeftovers(run.testId);
  return run.stderr;
}

describe('bench budgets decide the exit code', () => {
  it('a failed budget exits 1 and is reported failed, from the flag', async () => {
    const { run, result } = await runBenchJson([MINIMAL_RAW, ...FAST, '--budget', 'p95<1us']);
    expect(run.code, run.stderr).toBe(1);
    expect(userBudgets(result.budgets)).toEqual([
      expect.objectContaining({ expression: 'p95<1us', metric: 'latency.p95', pass: false, source: 'flag' }),
    ]);
  });

  it('latency, error-rate and throughput budgets that hold exit 0', async () => {
    const { run, result } = await runBenchJson([MINIMAL_RAW, ...FAST, '--budget', 'p95<10s', '--budget', 'errors<1%', '--budget', 'rps>=100']);
    expect(run.code, run.stderr).toBe(0);
    const mine = userBudgets(result.budgets);
    expect(mine.map((b) => b.expression).sort()).toEqual(['errors<1%', 'p95<10s', 'rps>=100']);
    for (const b of mine) expect(b, b.expression).toMatchObject({ pass: true, source: 'flag' });
    expect(mine.find((b) => b.metric === 'rps')!.actual).toBeGreaterThanOrEqual(190);
  });

  it('a per-operation budget reads that operation\'s figures', async () => {
    const { run, result } = await runBenchJson([MINIMAL_RAW, ...FAST, '--call', 'echo={"message":"x"}', '--budget', 'tools/call:echo.p95<10s']);
    expect(run.code, run.stderr).toBe(0);
    const op = result.byOperation.find((o) => o.op === 'tools/call:echo');
    expect(op).toBeDefined();
    expect(op!.succeeded).toBeGreaterThan(0);
    expect(userBudgets(result.budgets)).toEqual([
      expect.objectContaining({ expression: 'tools/call:echo.p95<10s', pass: true, source: 'flag', actual: op!.latency!.p95 / 1000 }),
    ]);
  });
});

// Before: a p99 of 3 samples (their maximum) passed 'p99<10s' silently, exit 0.
describe('a percentile budget on fewer samples than it needs', () => {
  it('p99 of 3 requests fails (exit 1) and the report says it needs 100 samples', async () => {
    const out = tmpFile('few.json');
    const run = await runCli(['bench', MINIMAL_RAW, '--requests', '3', '--concurrency', '1', '--warmup', '0s', '--budget', 'p99<10s', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/p99<10s .*FAIL.*p99 of only 3 samples: a p99 needs at least 100, so it cannot be trusted/);
    const [b] = userBudgets((JSON.parse(readFileSync(out, 'utf8')) as { budgets: BudgetResult[] }).budgets);
    expect(b).toMatchObject({ expression: 'p99<10s', pass: false, samples: 3, minSamples: 100 });
    expect(b!.actual).toBeLessThan(10_000);
  });
});

describe('budgets that cannot be checked exit 2 before anything runs', () => {
  it('malformed', async () => {
    expect(await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--budget', 'p95 100'])).toContain('"p95 100" is not a budget');
  });

  it('unknown metric, listing the known ones', async () => {
    const stderr = await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--budget', 'nope<1ms']);
    expect(stderr).toContain('unknown metric "nope"');
    expect(stderr).toContain('tools/call:NAME');
  });

  it('the same metric bounded twice', async () => {
    expect(await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--budget', 'p95<1s', '--budget', 'p95<2s'])).toMatch(/p95<2s.*again.*p95<1s/);
  });

  it('a tool the workload does not call', async () => {
    const stderr = await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--call', 'echo={"message":"x"}', '--budget', 'tools/call:nope.p95<1s']);
    expect(stderr).toContain('names tool "nope", which the workload does not call');
  });
});

describe('budgets and load settings from mcp-opt.config.json', () => {
  it('a failing config budget exits 1, with source config, at the config\'s rate and length', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpopt-bench-config-'));
    writeFileSync(join(cwd, 'mcp-opt.config.json'), JSON.stringify({ budgets: ['p95<1us'], bench: { rps: 100, duration: '2s', warmup: 0 } }));
    const { run, result } = await runBenchJson([MINIMAL_RAW], { cwd });
    expect(run.code, run.stderr).toBe(1);
    expect(userBudgets(result.budgets)).toEqual([expect.objectContaining({ expression: 'p95<1us', pass: false, source: 'config' })]);
    expect(result.config).toMatchObject({ mode: 'open', rps: 100, durationMs: 2000, warmupMs: 0 });
    expect(result.throughput.targetRps).toBe(100);
    expect(Math.abs(result.requests.sent - 200)).toBeLessThanOrEqual(2);
  });
});

describe('bad flags exit 2', () => {
  it('invalid JSON in --call: before launching anything', async () => {
    const stderr = await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--call', 'echo={bad']);
    expect(stderr).toContain("--call 'echo={bad' is not valid");
    expect(stderr).toContain('not valid JSON');
  });

  it('--rps with --concurrency: before launching anything', async () => {
    const stderr = await expectUsageErrorBeforeLaunch([MINIMAL_RAW, '--rps', '10', '--concurrency', '2']);
    expect(stderr).toMatch(/--rps .*--concurrency .*exclude each other/);
  });

  it('--pool with a URL: before connecting, pointing at --connections', async () => {
    const stderr = await expectUsageErrorBeforeLaunch(['http://127.0.0.1:9/mcp', '--pool', '2']);
    expect(stderr).toContain('--connections');
  });

  it('an unknown tool in --call: exit 2 once connected, naming the tool and the known ones, nothing left', async () => {
    const pidFile = tmpFile('pids');
    const run = await runCli(['bench', MINIMAL_RAW, '--call', 'nope', '--no-save'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('the server has no tool "nope"');
    expect(run.stderr).toMatch(/Its tools: echo, add/);
    // It did connect (the tool list comes from the server), and the server is gone again.
    expect(readPids(pidFile).length).toBeGreaterThanOrEqual(1);
    expect(readPids(pidFile).filter(alive)).toEqual([]);
    await noLeftovers(run.testId);
  });

  it('the failed step is named once in the progress line', async () => {
    const run = await runCli(['bench', MINIMAL_RAW, '--call', 'nope', '--no-save']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('✗ workload: --call');
    expect(run.stderr).not.toContain('workload: workload:');
  });
});
