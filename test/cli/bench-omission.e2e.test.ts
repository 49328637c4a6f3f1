/**
 * Coordinated omission, the headline of `mcp-opt bench` (issue 3, Tests): the stall fixture freezes
 * 400 ms every second (PERIOD_MS=1000 STALL_MS=400). At 200 req/s in an open loop, 40 % of requests
 * arrive during a stall and wait out its remainder, so the truth is corrected p90 ≈ 300 ms and
 * p99 ≈ 390 ms (fixtures/servers/stall.mjs). Latency from the intended send time must show that
 * whatever --max-inflight is; service time (from the actual send) shows it only when nothing holds
 * sends back; a closed loop, which sends only after an answer, does not see it at all.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { runBenchJson } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { withTimerProbe } from '../helpers/timerProbe.js';

const STALL = fixturePath('stall.mjs');
const STALL_ENV = { PERIOD_MS: '1000', STALL_MS: '400' };
/** Four whole stall periods measured: every phase of the period gets its share of arrivals. */
const OPEN_LOOP = ['--rps', '200', '--duration', '4s', '--warmup', '1s', '--call', 'work'];
/** Bounds around the fixture's known truth (p90 ≈ 300 ms, p99 ≈ 390 ms), µs. */
const P90_US = [240_000, 360_000] as const;
const P99_US = [340_000, 430_000] as const;
/** "Under a few ms": what service time is when sends are not queued behind a stall, µs. */
const FAST_US = 5_000;

/** How late the machine made a timer in another thread during the run (probe), µs. */
let machineLateUs = { max: 0, p99: 0 };

async function benchStall(extra: string[]): Promise<BenchResult> {
  // A child process: the claims are about the generator's own lateness, as users run it.
  const { value: { run, result }, lateness } = await withTimerProbe(() => runBenchJson([STALL, ...extra], { env: STALL_ENV, inChild: true }));
  machineLateUs = { max: lateness.maxMs * 1000, p99: lateness.p99Ms * 1000 };
  expect(run.code, run.stderr).toBe(0);
  expect(result.incomplete).toBe(false);
  return result;
}

/**
 * The corrected percentiles show the stalls: p90 and p99 within the truth's bounds. A busy machine
 * stretches the fixture's busy-wait stall by what it delays everything else: the upper bounds
 * allow the largest lateness the probe's timer saw in the same run.
 */
function expectStallsInCorrectedLatency(r: BenchResult): void {
  const why = `probe timer late by ≤ ${(machineLateUs.max / 1000).toFixed(1)} ms`;
  expect(r.latency!.p90).toBeGreaterThanOrEqual(P90_US[0]);
  expect(r.latency!.p90, why).toBeLessThanOrEqual(P90_US[1] + machineLateUs.max);
  expect(r.latency!.p99).toBeGreaterThanOrEqual(P99_US[0]);
  expect(r.latency!.p99, why).toBeLessThanOrEqual(P99_US[1] + machineLateUs.max);
}

/** The achieved rate is reported, and `sustained` says whether it met the target. */
function expectRateReported(r: BenchResult): void {
  expect(r.throughput.targetRps).toBe(200);
  expect(typeof r.throughput.rateErrorPct).toBe('number');
  expect(r.throughput.sustained).toBe(r.requests.dropped === 0 && r.throughput.rateErrorPct! >= -1 && r.throughput.lateBeyondBound! <= r.requests.sent * 0.05);
  expect(r.requests.failed).toBe(0);
}

describe('bench against a server that stalls 400 ms every second, 200 req/s open loop', () => {
  it('with no in-flight cap, both corrected latency and service time show the queueing', async () => {
    const r = await benchStall(OPEN_LOOP);
    expect(r.config).toMatchObject({ mode: 'open', rps: 200, maxInflight: null });
    expectStallsInCorrectedLatency(r);
    // Every send leaves on time and queues inside the server: service time sees the stall too.
    expect(r.serviceTime!.p90).toBeGreaterThan(200_000);
    // Nothing holds sends back: the rate is held (whether sends were also on time depends on the
    // machine: the server busy-waits 400 ms of every second on the same cores; expectRateReported
    // checks the verdict against the lateness measured).
    expectRateReported(r);
    expect(r.requests.dropped).toBe(0);
    expect(Math.abs(r.throughput.rateErrorPct!)).toBeLessThan(1);
  });

  it('with --max-inflight 10, corrected latency still shows the stalls while service time hides them', async () => {
    const r = await benchStall([...OPEN_LOOP, '--max-inflight', '10']);
    expect(r.config.maxInflight).toBe(10);
    expectStallsInCorrectedLatency(r);
    // Sends wait at the cap during a stall, so once sent they are answered at once: the gap a
    // closed loop hides is the difference between these two figures.
    expect(r.serviceTime!.p90, `probe timer p99 lateness ${(machineLateUs.p99 / 1000).toFixed(1)} ms`).toBeLessThan(FAST_US + machineLateUs.p99);
    expect(r.requests.lateSends).toBeGreaterThan(0);
    expect(r.sendLateness!.p90).toBeGreaterThan(100_000);
    expect(r.warnings.join('\n')).toMatch(/--max-inflight 10 held some back/);
    // When the window ends inside a stall (a 40 % chance), requests the cap still holds back are
    // dropped, as they should be: only consistency is asserted here.
    expectRateReported(r);
    if (r.throughput.sustained === false) expect(r.warnings.join('\n')).toMatch(/NOT sustained/);
  });

  it('a closed loop at --concurrency 1 does not see the stalls (the blind spot)', async () => {
    const r = await benchStall(['--concurrency', '1', '--duration', '2s', '--warmup', '1s', '--call', 'work']);
    expect(r.config).toMatchObject({ mode: 'closed', concurrency: 1, rps: null });
    // One slow request per stall among thousands of fast ones: p90 (and p99) look healthy.
    expect(r.serviceTime!.p90, `probe timer p99 lateness ${(machineLateUs.p99 / 1000).toFixed(1)} ms`).toBeLessThan(FAST_US + machineLateUs.p99);
    expect(r.latency!.p90).toBeLessThan(FAST_US);
    expect(r.latency!.max).toBeGreaterThan(200_000);
    // No target rate in a closed loop: nothing to sustain.
    expect(r.throughput).toMatchObject({ targetRps: null, rateErrorPct: null, sustained: null });
  });
});
