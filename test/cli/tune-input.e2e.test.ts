/**
 * `mcp-opt tune` on input it must refuse or points that fail, and the caps it keeps: exit codes,
 * messages, saved failed points and request counts. Nothing here rests on a measured rate or
 * latency, so this file runs with the behaviour tests, two at a time.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { ANY_SLO, runCli, TUNE_SHORT } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { tuneJson } from '../helpers/tune.js';

const TUNABLE = fixturePath('tunable.mjs');

describe('tune: bad points and bad input', () => {
  it('--max-calls caps every request the tune sends, as the server counts them', async () => {
    const log = tmpFile('calls.log');
    const { code, stderr, result } = await tuneJson([TUNABLE, '--call', 'work', '--knob', 'env:WORKERS=2,4', ...ANY_SLO, '--max-calls', '200', '--no-save'], { CALL_LOG: log });
    expect(code, stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    expect(calls).toBeLessThanOrEqual(200);
    // Each point got its share of 100 (no warm-up: its calls would count too).
    expect(calls).toBeGreaterThanOrEqual(190);
    expect(result.points.flatMap((p) => p.runs.map((r) => r.requestsSent))).toEqual([100, 100]);
    expect(result.config.maxCalls).toBe(200);
  });

  it('--max-calls too small to measure every point is refused before anything starts', async () => {
    const run = await runCli(['tune', TUNABLE, '--call', 'work', '--knob', 'env:WORKERS=1,2,4,8', '--max-calls', '40', '--no-save'], { timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--max-calls 40 leaves 10 requests for each of 4 points/);
  });

  it('every point failing is a target failure: exit 3, the failed points saved', async () => {
    const out = tmpFile('failed.json');
    const run = await runCli(['tune', TUNABLE, '--knob', 'env:WORKERS=9,16', '--out', out, ...TUNE_SHORT], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/Every point failed.*cannot start 9 workers/s);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as TuneResult;
    expect(saved.points.map((p) => p.status)).toEqual(['failed', 'failed']);
    expect(saved.incomplete).toBe(true);
  });

  // Before, a point whose every request failed measured "errors 100 %" and counted as measured.
  it('a point where no request succeeds is a failed point, stopped early as bench stops (1000 failures)', async () => {
    const { code, stderr, result } = await tuneJson([fixturePath('failing.mjs'), '--call', 'fetch_status', '--knob', 'concurrency=1,2', '--no-save'], { MODE: 'jsonrpc-error' });
    expect(code, stderr).toBe(3);
    expect(result.points.map((p) => p.status)).toEqual(['failed', 'failed']);
    for (const p of result.points) expect(p.error).toMatch(/^Stopped early: no request succeeded \(100\d failed: jsonrpc:-32603 ×100\d/);
  });

  it('an SLO no point meets: says so, shows the closest point, exit 1', async () => {
    const run = await runCli(['tune', TUNABLE, '--call', 'work', '--knob', 'env:WORKERS=2,4', '--slo', 'p95<1ms', '--no-save', ...TUNE_SHORT], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/No point met p95 < 1 ms/);
    expect(run.stdout).toMatch(/closest/i);
  });

  it.each([
    [['--knob', 'env:WORKERS'], /env:WORKERS.*no values/],
    [['--knob', 'threads=1,2'], /threads/],
    [['--knob', 'concurrency=0,2'], /concurrency/],
    [['--slo', 'rps>10'], /latency percentile/],
    [['--objective', 'min-p95'], /--at-rps/],
  ])('usage error before anything starts: %j', async (args, message) => {
    const run = await runCli(['tune', TUNABLE, '--call', 'work', ...args, '--no-save'], { timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/running/);
  });

  it('a file knob in the config may not leave the config\'s folder without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-tune-config-'));
    writeFileSync(join(dir, 'outside.json'), '{"pool":{"max":1}}');
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(join(dir, 'cfg', 'mcp-opt.config.json'), JSON.stringify({ tune: { knobs: { 'file:../outside.json#/pool/max': [1, 2] } } }));
    const refused = await runCli(['tune', TUNABLE, '--dry-run'], { cwd: join(dir, 'cfg'), timeoutMs: 20_000 });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/outside .*--force/);
    const forced = await runCli(['tune', TUNABLE, '--dry-run', '--force'], { cwd: join(dir, 'cfg'), timeoutMs: 20_000 });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/file:\.\.\/outside\.json#\/pool\/max \(2\)/);
  });

  it('--dry-run prints the points and starts nothing', async () => {
    const run = await runCli(['tune', TUNABLE, '--knob', 'pool=1,2', '--knob', 'concurrency=1..8', '--dry-run'], { timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pool \(2\) × concurrency \(4\) = 8 points; grid search/);
    expect(run.stdout).toMatch(/pool 2, concurrency 8/);
    expect(run.stdout).toMatch(/nothing was started/);
  });
});
