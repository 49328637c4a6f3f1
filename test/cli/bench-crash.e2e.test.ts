/**
 * A server that dies under load (crash-mid-run.mjs: after CRASH_AFTER_CALLS tool calls it writes
 * "fatal: simulated crash" and exits 7). Alone, the run stops: exit 3 with the server's exit code
 * and stderr, requests caught by the crash counted as 'closed' errors, and the result saved and
 * marked incomplete. In a pool with --keep-going the run goes on with the survivors and says so;
 * without it, it stops and suggests --keep-going. CRASH_ONLY_ONE makes only one instance crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { noLeftovers, parseBench, runCli } from '../helpers/cli.js';
import { alive, fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

const CRASH = fixturePath('crash-mid-run.mjs');
/** Warm-up 0: the crash falls in the measured window, so its errors are counted. */
const LOAD = ['--rps', '200', '--duration', '3s', '--warmup', '0s', '--call', 'echo={"message":"x"}'];

/** Every pid the fixtures recorded is dead, and nothing with the run's test id is left. */
async function expectNothingLeft(testId: string, pidFile: string): Promise<void> {
  await noLeftovers(testId);
  expect(readPids(pidFile).filter(alive)).toEqual([]);
}

describe('bench when the server crashes mid-run', () => {
  it('one instance: exit 3 naming exit code 7 and the stderr, result saved incomplete, in-flight requests closed', async () => {
    const out = tmpFile('crash.json');
    const pidFile = tmpFile('pids');
    const run = await runCli(['bench', CRASH, ...LOAD, '--out', out], { env: { CRASH_AFTER_CALLS: '40', FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('exited with code 7');
    expect(run.stderr).toContain('fatal: simulated crash');
    // Stopped at the crash, not at the end of the 3 s.
    expect(run.durationMs).toBeLessThan(6000);
    await expectNothingLeft(run.testId, pidFile);

    expect(existsSync(out)).toBe(true);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    expect(saved.kind).toBe('bench');
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toMatch(/^load: /);
    expect(saved.incompleteReason).toContain('exited with code 7');
    // The requests the crash caught are errors of class 'closed', never latencies.
    expect(saved.requests.errors['closed']).toBeGreaterThanOrEqual(1);
    expect(saved.requests.failed).toBe(Object.values(saved.requests.errors).reduce((a, b) => a + b, 0));
    expect(saved.requests.succeeded).toBeGreaterThanOrEqual(38);
    expect(saved.requests.succeeded).toBeLessThanOrEqual(40);
    expect(saved.latency!.n).toBe(saved.requests.succeeded);
    expect(saved.pool.instances[0]!.alive).toBe(false);
  });

  it('--pool 2 --keep-going: one instance dies, the run goes on with the other and exits 0', async () => {
    const lock = tmpFile('crash.lock');
    const pidFile = tmpFile('pids');
    const run = await runCli(['bench', CRASH, ...LOAD, '--pool', '2', '--keep-going', '--json', '--no-save'], {
      env: { CRASH_AFTER_CALLS: '100', CRASH_ONLY_ONE: lock, FIXTURE_PID_FILE: pidFile },
    });
    expect(run.code, run.stderr).toBe(0);
    await expectNothingLeft(run.testId, pidFile);
    expect(existsSync(lock), 'one instance took the crash lock').toBe(true);
    const r = parseBench(run.stdout);
    expect(r.incomplete).toBe(false);
    expect(r.config.keepGoing).toBe(true);
    const [dead, live] = [r.pool.instances.filter((i) => !i.alive), r.pool.instances.filter((i) => i.alive)];
    expect(dead).toHaveLength(1);
    expect(live).toHaveLength(1);
    expect(r.warnings.join('\n')).toMatch(/1 of 2 server instances died during the run \(#\d\).*--keep-going/);
    // The dead one took ~100 calls (~1 s in); the survivor served the rest of the 3 s.
    expect(dead[0]!.succeeded).toBeLessThanOrEqual(100);
    expect(live[0]!.succeeded).toBeGreaterThan(dead[0]!.sent * 2);
    // Seconds after the crash (≈ 1 s in) still complete requests, without errors.
    const timeline = JSON.stringify(r.timeline.map((t) => [t.second, t.sent, t.completed, t.errors]));
    const crashSecond = r.timeline.find((t) => t.errors > 0)?.second;
    expect(crashSecond, timeline).toBeDefined();
    const after = r.timeline.filter((t) => t.second > crashSecond! && !t.warmup);
    expect(after.length, timeline).toBeGreaterThanOrEqual(1);
    expect(after.reduce((n, t) => n + t.completed, 0), timeline).toBeGreaterThanOrEqual(150);
    expect(after.every((t) => t.errors === 0), timeline).toBe(true);
    expect(r.requests.succeeded).toBeGreaterThanOrEqual(550);
  });

  it('--pool 2 without --keep-going: exit 3, and the message suggests --keep-going', async () => {
    const lock = tmpFile('crash.lock');
    const pidFile = tmpFile('pids');
    const run = await runCli(['bench', CRASH, ...LOAD, '--pool', '2', '--json', '--no-save'], {
      env: { CRASH_AFTER_CALLS: '100', CRASH_ONLY_ONE: lock, FIXTURE_PID_FILE: pidFile },
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/Server instance \d of 2 closed the connection during the run/);
    expect(run.stderr).toContain('add --keep-going');
    expect(run.stderr).toContain('exited with code 7');
    await expectNothingLeft(run.testId, pidFile);
    const r = parseBench(run.stdout);
    expect(r.incomplete).toBe(true);
    expect(r.incompleteReason).toMatch(/^load: .*--keep-going/);
    expect(r.pool.instances.filter((i) => !i.alive)).toHaveLength(1);
  });
});
