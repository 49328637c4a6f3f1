/**
 * Ctrl-C during `bench` (issue 3, "Bad input and faults"): stop sending, wait briefly for in-flight
 * replies, save the partial result, reap every process, exit 130. The target is a pool of two
 * npx-like wrappers whose servers fork a long-lived grandchild (3 generations per instance), under
 * load at 200 req/s; SIGINT goes to the CLI alone, not to the servers' groups.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { allRecordedDead, noLeftovers, savedIncomplete, startCli, waitFor, type StartedCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

/** Start `bench wrapper.mjs --pool 2 --rps 200 --duration 60s` and wait until `loadMs` of load ran. */
async function startLoadedPool(loadMs: number): Promise<{ cli: StartedCli; pidFile: string; out: string }> {
  const pidFile = tmpFile('pids');
  const out = tmpFile('interrupted.json');
  const cli = startCli(
    ['bench', fixturePath('wrapper.mjs'), '--rps', '200', '--duration', '60s', '--warmup', '1s', '--pool', '2', '--out', out],
    { env: { FORK_GRANDCHILD: '1', FIXTURE_PID_FILE: pidFile }, timeoutMs: 45_000 },
  );
  let stderr = '';
  cli.child.stderr!.on('data', (s: string) => (stderr += s));
  // The workload step ends just before the load starts.
  const loading = await waitFor(() => /✓ workload/.test(stderr), 25_000);
  expect(loading, `stderr so far:\n${stderr}`).toBe(true);
  await new Promise((r) => setTimeout(r, loadMs));
  // Two instances, three generations each (wrapper, server, grandchild).
  expect(readPids(pidFile).length).toBeGreaterThanOrEqual(6);
  return { cli, pidFile, out };
}


describe('bench interrupted by Ctrl-C', () => {
  it('one SIGINT: exit 130 within 10 s, every process reaped, the partial result saved with what was measured', async () => {
    const { cli, pidFile, out } = await startLoadedPool(2500);
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    const run = await cli.done;
    const afterSignalMs = performance.now() - sentAt;

    expect(run.code, run.stderr).toBe(130);
    expect(afterSignalMs).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/SIGINT received/);
    expect(run.stderr).toContain(`saved ${out} (incomplete)`);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile);

    const saved = savedIncomplete<BenchResult>(out, /interrupt/i);
    expect(saved.kind).toBe('bench');
    // 1 s of warm-up then ~1.5 s measured before the signal.
    expect(saved.throughput.measuredSeconds).toBeGreaterThan(0);
    expect(saved.throughput.measuredSeconds).toBeLessThan(10);
    expect(saved.requests.sent).toBeGreaterThan(0);
    expect(saved.requests.succeeded).toBeGreaterThan(0);
    expect(saved.pool.instances).toHaveLength(2);
    for (const i of saved.pool.instances) expect(i.sent).toBeGreaterThan(0);
  });

  it('two SIGINTs 100 ms apart: exit 130 at once, nothing left running', async () => {
    const { cli, pidFile } = await startLoadedPool(1500);
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    cli.child.kill('SIGINT');
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    expect(performance.now() - sentAt).toBeLessThan(5000);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile);
  });

  it('a second SIGINT during a slow server stop: the partial result was saved before the stop began', async () => {
    // IGNORE_EOF + IGNORE_SIGTERM (minimal.mjs): the stop climbs the whole ladder (EOF, SIGTERM,
    // SIGKILL), so the second SIGINT lands while the server is being stopped and exits at once.
    const out = tmpFile('slow-stop.json');
    const cli = startCli(
      ['bench', fixturePath('minimal.mjs'), '--rps', '100', '--duration', '60s', '--warmup', '500ms', '--out', out],
      { env: { IGNORE_EOF: '1', IGNORE_SIGTERM: '1' }, timeoutMs: 45_000 },
    );
    let stderr = '';
    cli.child.stderr!.on('data', (s: string) => (stderr += s));
    expect(await waitFor(() => /✓ workload/.test(stderr), 25_000), stderr).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    cli.child.kill('SIGINT');
    // The load phase ended: what follows is the stop of the server, which takes over a second.
    expect(await waitFor(() => /load: .*stopped: interrupted/.test(stderr), 10_000), stderr).toBe(true);
    cli.child.kill('SIGINT');
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted again/);
    expect(run.stderr).not.toContain(`saved ${out}`);
    await noLeftovers(run.testId);
    const saved = savedIncomplete<BenchResult>(out, /interrupt/i);
    expect(saved.kind).toBe('bench');
    expect(saved.requests.succeeded).toBeGreaterThan(0);
    expect(saved.throughput.measuredSeconds).toBeGreaterThan(0);
  });
});
