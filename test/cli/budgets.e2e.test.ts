/**
 * Budgets as a CI gate, end to end: a failed budget exits 1, a passed one 0; a budget that cannot
 * be checked (malformed, unknown metric or tool, duplicated) exits 2, and when that is knowable
 * from the command line alone, before any server is started. Config-file budgets count as well,
 * and a flag replaces a config budget on the same metric.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BudgetResult } from '../../src/result/budgetResult.js';
import { FAST, TWO_RUNS, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

const MINIMAL = fixturePath('minimal.mjs');

/** `analyze minimal.mjs` with fast settings, --json, and the given budget flags and options. */
async function analyzeWithBudgets(extra: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const run = await runCli(['analyze', MINIMAL, ...FAST, ...TWO_RUNS, '--no-save', '--json', ...extra], opts);
  await noLeftovers(run.testId);
  return run;
}

/** The user's (non-default) budgets of a result. */
function userBudgets(stdout: string): BudgetResult[] {
  return parseResult(stdout).budgets.filter((b) => b.source !== 'default');
}

/** A fresh folder holding mcp-opt.config.json with `config`. */
function configDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-config-'));
  writeFileSync(join(dir, 'mcp-opt.config.json'), JSON.stringify(config));
  return dir;
}

describe('budgets given with --budget', () => {
  it('a budget that fails exits 1 and is reported failed, from the flag', async () => {
    const run = await analyzeWithBudgets(['--budget', 'coldStart.p50<1ms']);
    expect(run.code, run.stderr).toBe(1);
    expect(userBudgets(run.stdout)).toEqual([
      expect.objectContaining({ expression: 'coldStart.p50<1ms', metric: 'coldStart.ready.p50', pass: false, source: 'flag' }),
    ]);
  });

  it('a budget that passes exits 0', async () => {
    const run = await analyzeWithBudgets(['--budget', 'coldStart.p50<30s']);
    expect(run.code, run.stderr).toBe(0);
    expect(userBudgets(run.stdout)).toEqual([expect.objectContaining({ pass: true, source: 'flag' })]);
  });
});

describe('budgets that cannot be checked exit 2', () => {
  it('malformed: exit 2 before the server is ever started', async () => {
    const pidFile = tmpFile('pids');
    const run = await analyzeWithBudgets(['--budget', 'p95 100'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('"p95 100" is not a budget');
    expect(run.stdout).toBe('');
    expect(readPids(pidFile)).toEqual([]);
  });

  it('unknown metric: exit 2 naming it, before the server is started', async () => {
    const pidFile = tmpFile('pids');
    const run = await analyzeWithBudgets(['--budget', 'nope<1ms'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('unknown metric "nope"');
    expect(readPids(pidFile)).toEqual([]);
  });

  it('the same metric bounded twice: exit 2 before the server is started', async () => {
    const pidFile = tmpFile('pids');
    const run = await analyzeWithBudgets(['--budget', 'latency.p95<1s', '--budget', 'latency.p95<2s'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/latency\.p95<2s.*again.*latency\.p95<1s/);
    expect(readPids(pidFile)).toEqual([]);
  });

  it('a tool the server does not list: exit 2 naming the tool', async () => {
    const run = await analyzeWithBudgets(['--budget', 'latency.tools/call:nope.p95<1s']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('names tool "nope", which the server does not list');
    expect(run.stderr).toMatch(/echo, add/);
  });
});

describe('budgets from mcp-opt.config.json', () => {
  it('a failing config budget exits 1, reported with source config', async () => {
    const cwd = configDir({ budgets: ['coldStart.p50<1ms'] });
    const run = await analyzeWithBudgets([], { cwd });
    expect(run.code, run.stderr).toBe(1);
    expect(userBudgets(run.stdout)).toEqual([
      expect.objectContaining({ expression: 'coldStart.p50<1ms', pass: false, source: 'config' }),
    ]);
  });

  it('a flag on the same metric replaces the config budget', async () => {
    const cwd = configDir({ budgets: ['coldStart.p50<1ms'] });
    const run = await analyzeWithBudgets(['--budget', 'coldStart.p50<30s'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(userBudgets(run.stdout)).toEqual([
      expect.objectContaining({ expression: 'coldStart.p50<30s', pass: true, source: 'flag' }),
    ]);
  });
});
