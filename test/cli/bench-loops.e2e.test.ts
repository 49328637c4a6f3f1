/**
 * Open and closed loops keep their promise against real servers over real pipes: `--rps` below
 * the server's capacity sends at that rate (uniform within 1 %, poisson within 5 %), and
 * `--concurrency C` keeps C requests in flight, so throughput follows C / service time.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { noLeftovers, parseBench, runBenchJson, startCli, waitFor } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { withTimerProbe } from '../helpers/timerProbe.js';

const MINIMAL_RAW = fixturePath('minimal-raw.mjs');

describe('open loop (--rps) below capacity', () => {
  it('uniform arrivals: the rate is achieved within 1 %, nothing dropped, sustained', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--rps', '500', '--duration', '3s', '--warmup', '500ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.config).toMatchObject({ mode: 'open', rps: 500, arrival: 'uniform' });
    expect(Math.abs(r.throughput.rateErrorPct!)).toBeLessThan(1);
    expect(Math.abs(r.throughput.sentRps - 500) / 500).toBeLessThan(0.01);
    const counts = JSON.stringify({ requests: r.requests, throughput: r.throughput });
    expect(r.requests.dropped, counts).toBe(0);
    expect(r.throughput.sustained, counts).toBe(true);
    expect(r.requests.succeeded).toBe(r.requests.sent);
    expect(r.throughput.measuredSeconds).toBeCloseTo(3, 1);
    // The generator's own scheduling error is reported, and small at this rate.
    expect(r.sendLateness!.p50).toBeLessThan(1000);
    expect(r.warnings.join('\n')).not.toMatch(/NOT sustained/);
  });

  // At high rates each wake of the scheduler sends everything due (openLoop.ts MIN_TICK_MS): every
  // request of the window still goes out, once, and is answered.
  it('--rps 10000: every request due in the window is sent once and answered, none dropped', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--rps', '10000', '--duration', '2s', '--warmup', '200ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.requests.scheduled).toBe(20_000);
    expect(r.requests.sent).toBe(20_000);
    expect(r.requests.dropped).toBe(0);
    expect(r.requests.succeeded).toBe(20_000);
    expect(r.requests.strayResponses).toEqual({ unknownId: 0, duplicate: 0, late: 0 });
    expect(r.timeline.reduce((a, s) => a + s.sent, 0)).toBe(22_000);
  });

  it('poisson arrivals: the sent rate is the target within the spread of a Poisson count', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--rps', '500', '--arrival', 'poisson', '--duration', '3s', '--warmup', '500ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.config.arrival).toBe('poisson');
    // Arrivals in a 3 s window at 500/s are a Poisson count: mean 1500, standard deviation
    // √1500 ≈ 39 (2.6 %). Where the measured window starts in the seeded sequence depends on the
    // warm-up's wall time, so the count varies between runs: a fixed 5 % bound (1.9 σ) failed about
    // one run in twenty (CI run 20: exactly 5.0 %). Four standard deviations: 10.3 %.
    const expected = 500 * 3;
    expect(Math.abs(r.throughput.sentRps - 500) / 500).toBeLessThan((4 * Math.sqrt(expected)) / expected);
    expect(r.requests.failed).toBe(0);
  });

  // The alarm thread takes ~15-45 ms to start; before dc0cd4a the schedule started 5 ms ahead
  // of it, so with --warmup 0s the first sends left 15-45 ms late and a short run was called
  // generator-bound. Now t0 is fixed once the thread runs (alarmClock.ts `ready`).
  it('with --warmup 0s, the first sends are not late by the generator\'s own start-up', async () => {
    // A timer in a thread of the test process, every 20 ms (the send period) for the same run.
    const { value: { run, result: r }, lateness } = await withTimerProbe(() => runBenchJson([MINIMAL_RAW, '--rps', '50', '--duration', '2s', '--warmup', '0s']), 20);
    expect(run.code, run.stderr).toBe(0);
    expect(r.requests.sent).toBe(100);
    // Well under the thread's start-up (≥ 15 ms). A busy machine delays any timer by what it does
    // to every process: the bound allows what the same machine did, in the same seconds, to the
    // probe's timer and to the CLI's own main thread (event-loop delay, from before the first send).
    const machineStallUs = Math.max(r.generator.eventLoopDelayMs.max, lateness.maxMs) * 1000;
    const why = `event-loop delay max ${r.generator.eventLoopDelayMs.max} ms, probe timer late by ≤ ${lateness.maxMs.toFixed(1)} ms over ${lateness.samples} timers`;
    expect(r.sendLateness!.max, why).toBeLessThan(12_000 + machineStallUs);
  });
});

describe('closed loop (--concurrency)', () => {
  it('keeps C requests in flight: 4 in flight on a 50 ms service give ~80 req/s at ≥ 50 ms', async () => {
    const { run, result: r } = await runBenchJson(
      [fixturePath('fixed-service.mjs'), '--concurrency', '4', '--call', 'work', '--duration', '3s', '--warmup', '1s'],
      { env: { SERVICE_MS: '50' } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(r.config).toMatchObject({ mode: 'closed', concurrency: 4 });
    // Ideal 4 / 50 ms = 80 req/s; timers fire a little late, never early. With 4 in flight the
    // rate is 4 / mean latency (Little's law), however late a busy machine makes each answer.
    const littleRps = 4 / (r.latency!.mean / 1e6);
    expect(r.throughput.succeededRps).toBeGreaterThanOrEqual(0.9 * littleRps);
    expect(r.throughput.succeededRps).toBeLessThanOrEqual(85);
    expect(r.latency!.p50).toBeGreaterThanOrEqual(50_000);
    expect(r.latency!.min).toBeGreaterThanOrEqual(50_000);
    // In a closed loop latency is (nearly) service time: the next request is due when an answer
    // arrives and leaves at once.
    expect(Math.abs(r.latency!.p50 - r.serviceTime!.p50)).toBeLessThan(1000);
    // Whole seconds of the measured window (1 s warm-up + 3 s): 4 in flight, or 3 when the second
    // closed on an answer, just before its replacement left.
    const measured = r.timeline.filter((t) => !t.warmup && t.second < 4);
    expect(measured.length).toBe(3);
    for (const t of measured) {
      expect(t.inflight).toBeGreaterThanOrEqual(3);
      expect(t.inflight).toBeLessThanOrEqual(4);
      expect(t.sent).toBeGreaterThanOrEqual(0.75 * littleRps);
    }
    expect(r.requests.failed).toBe(0);
  });
});

/**
 * `bench minimal-raw --rps 200 --duration 2s --warmup 0s` whose CLI is frozen (SIGSTOP) for
 * `pauseForMs`, `pauseAtMs` after the load began: a generator hiccup, as a busy machine causes.
 * The load begins 20-50 ms after the "✓ workload" line (the alarm thread starts first).
 */
async function benchWithGeneratorPause(pauseAtMs: number, pauseForMs: number): Promise<BenchResult> {
  const cli = startCli(['bench', MINIMAL_RAW, '--rps', '200', '--duration', '2s', '--warmup', '0s', '--json', '--no-save']);
  let stderr = '';
  cli.child.stderr!.on('data', (s: string) => (stderr += s));
  expect(await waitFor(() => stderr.includes('✓ workload'), 20_000), stderr).toBe(true);
  await new Promise((r) => setTimeout(r, pauseAtMs));
  cli.child.kill('SIGSTOP');
  await new Promise((r) => setTimeout(r, pauseForMs));
  cli.child.kill('SIGCONT');
  const run = await cli.done;
  expect(run.code, run.stderr).toBe(0);
  await noLeftovers(run.testId);
  return parseBench(run.stdout);
}

describe('a generator pause (the CLI frozen for 400 ms)', () => {
  // Sustained means sent on time: ~80 of 400 sends (20 %) left up to 400 ms late, over 5 % beyond 20 ms (sustained.ts).
  it('mid-window: the requests due meanwhile leave late, none is dropped, the rate is not sustained (they were late)', async () => {
    const r = await benchWithGeneratorPause(800, 400);
    expect(r.requests.lateSends).toBeGreaterThanOrEqual(60);
    expect(r.requests.dropped).toBe(0);
    expect(r.requests.sent).toBe(400);
    expect(r.throughput.lateBoundMs).toBe(20);
    expect(r.throughput.lateBeyondBound).toBeGreaterThanOrEqual(60);
    expect(r.throughput.sustained).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/NOT sustained: .* of 400 sends \(\d+(\.\d)? %\) left late by more than 20 ms/);
  });

  it('straddling the end of the window: the requests due before the end leave late, none is dropped', async () => {
    const r = await benchWithGeneratorPause(1850, 400);
    expect(r.requests.dropped, JSON.stringify(r.requests)).toBe(0);
    expect(r.requests.sent).toBe(400);
    // How many of them fall in the window depends on when the pause landed: the verdict follows the count.
    expect(r.throughput.sustained).toBe(r.throughput.lateBeyondBound! <= 400 * 0.05);
  });
});

describe('an unreachable rate', () => {
  // 1 M req/s is far beyond what mcp-opt's open loop sends from one process (~240 k/s measured on
  // the 2-core machine): what goes out leaves late, and the verdict counts that lateness.
  it('--rps 1000000: not sustained, and the sends late beyond the bound are counted and named', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--rps', '1000000', '--duration', '500ms', '--warmup', '0s', '--method', 'ping']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.throughput.sustained).toBe(false);
    expect(r.throughput.lateBoundMs).toBe(20);
    expect(r.throughput.lateBeyondBound).toBeGreaterThan(r.requests.sent * 0.05);
    expect(r.warnings.join('\n')).toMatch(/NOT sustained: .* sends \([\d.]+ %\) left late by more than 20 ms/);
  });

  // The generator's own limit is named as such (issue 14: the warning fires when mcp-opt is the
  // limit; bench:generator shows it does not at the rates it sustains): a server that costs ~1 µs
  // per request cannot be what holds 400 k req/s back.
  it('--rps 400000 for 2 s: the generator is flagged as the bottleneck, and every answer is still classified', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--rps', '400000', '--duration', '2s', '--warmup', '0s', '--method', 'ping']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.throughput.sustained).toBe(false);
    expect(r.generator.bottleneck, JSON.stringify(r.generator)).toBe(true);
    expect(r.generator.reason).toMatch(/the generator, not the server, may be the limit/);
    expect(r.warnings.join('\n')).toMatch(/the generator, not the server, may be the limit/);
    expect(r.requests.succeeded + r.requests.failed + r.requests.abandoned).toBe(r.requests.sent);
    expect(r.requests.failed).toBe(0);
  });
});
