/**
 * `--pool N` starts N stdio server instances, one session each, and every `--balance` strategy
 * spreads the load over all of them. The worker-pool fixture with one worker (WORKERS=1,
 * SERVICE_MS=10) serves one call at a time, so an instance saturates at ~92 req/s and a pool of 3
 * must give about three times that: the instances really run side by side.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { BENCH_SHORT, runBenchJson } from '../helpers/cli.js';
import { alive, fixturePath } from '../helpers/fixtures.js';

const WORKER_POOL = fixturePath('worker-pool.mjs');
const ONE_WORKER = { WORKERS: '1', SERVICE_MS: '10' };

/** `bench worker-pool.mjs --concurrency 6 --call work` with `extra`; exit 0, nothing left. */
async function benchPool(extra: string[]): Promise<BenchResult> {
  const { run, result } = await runBenchJson([WORKER_POOL, '--concurrency', '6', '--call', 'work', ...BENCH_SHORT, ...extra], { env: ONE_WORKER });
  expect(run.code, run.stderr).toBe(0);
  expect(result.requests.failed).toBe(0);
  // The run is over: no instance it started is still running.
  for (const i of result.pool.instances) expect(alive(i.pid!), `instance ${i.index} pid ${i.pid}`).toBe(false);
  return result;
}

/** Three live instances with distinct pids, each of which took measured requests. */
function expectThreeWorkingInstances(r: BenchResult): void {
  const instances = r.pool.instances;
  expect(instances).toHaveLength(3);
  expect(instances.map((i) => i.index)).toEqual([0, 1, 2]);
  for (const i of instances) {
    expect(i.pid).toEqual(expect.any(Number));
    expect(i.alive).toBe(true);
    expect(i.sent).toBeGreaterThan(0);
    expect(i.succeeded).toBe(i.sent);
  }
  expect(new Set(instances.map((i) => i.pid)).size).toBe(3);
  expect(instances.reduce((n, i) => n + i.sent, 0)).toBe(r.requests.sent);
}

describe('bench --pool 3 over single-worker servers', () => {
  let single: BenchResult | undefined;

  it('--pool 1: one instance, the baseline throughput (~92 req/s)', async () => {
    single = await benchPool(['--pool', '1']);
    expect(single.pool.instances).toHaveLength(1);
    expect(single.throughput.succeededRps).toBeGreaterThan(60);
    expect(single.throughput.succeededRps).toBeLessThanOrEqual(100);
  });

  it('round-robin: every instance gets its turn (sent counts within 2) and throughput is ~3× one instance', async () => {
    const r = await benchPool(['--pool', '3', '--balance', 'round-robin']);
    expect(r.pool.balance).toBe('round-robin');
    expect(r.config.instances).toBe(3);
    expectThreeWorkingInstances(r);
    const sent = r.pool.instances.map((i) => i.sent);
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThanOrEqual(2);
    // Per-instance service time is recorded for a pool.
    for (const i of r.pool.instances) expect(i.serviceTime!.p50).toBeGreaterThanOrEqual(10_000);
    expect(single, 'the --pool 1 baseline ran first').toBeDefined();
    expect(r.throughput.succeededRps / single!.throughput.succeededRps).toBeGreaterThanOrEqual(2.2);
  });

  it.each(['least-inflight', 'latency-ewma'])('%s: all three instances take requests and the pool scales', async (balance) => {
    const r = await benchPool(['--pool', '3', '--balance', balance]);
    expect(r.pool.balance).toBe(balance);
    expectThreeWorkingInstances(r);
    expect(single, 'the --pool 1 baseline ran first').toBeDefined();
    expect(r.throughput.succeededRps / single!.throughput.succeededRps).toBeGreaterThanOrEqual(2.2);
  });
});
