/**
 * A server that floods the client, end to end (`bench` against the raw-server fixtures): 1 MiB of
 * stderr per request, and thousands of notifications per request. Every request must still be
 * answered, the flood must not count as failure, mcp-opt's own memory must not grow with what
 * it was sent, and notifications must not keep a request's timeout from firing.
 *
 * mcp-opt's memory is its peak RSS (VmHWM from /proc), compared with a run of the same load
 * without the flood in this file: a client that kept the stderr or the notifications would grow
 * by at least the bytes it was sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { FAST, noLeftovers, parseBench, parseResult, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

const MIB = 1024 * 1024;
/** The load of every run here: 80 pings/s for 3 s after 1 s of warm-up (320 requests). */
const LOAD = ['--rps', '80', '--duration', '3s', '--warmup', '1s'];

/** `bench <fixture> ...args --json --no-save` with `env`; returns the run, its result and the CLI's peak RSS. */
async function benchWithPeak(fixture: string, env: Record<string, string>, args: string[] = LOAD) {
  const cli = startCli(['bench', fixturePath(fixture), ...args, '--json', '--no-save'], { env });
  let peakBytes = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${cli.child.pid}/status`, 'utf8'));
      if (m) peakBytes = Math.max(peakBytes, Number(m[1]) * 1024);
    } catch {
      /* exited */
    }
  }, 50);
  let run: CliResult;
  try {
    run = await cli.done;
  } finally {
    clearInterval(poll);
  }
  await noLeftovers(run.testId);
  let result: BenchResult;
  try {
    result = parseBench(run.stdout);
  } catch (err) {
    throw new Error(`no result JSON (exit ${run.code}, ${(err as Error).message}); stderr:\n${run.stderr}`);
  }
  expect(peakBytes, 'the CLI peak RSS was read').toBeGreaterThan(0);
  return { run, result, peakBytes };
}

describe('bench against a flooding server (minimal-raw.mjs)', () => {
  /** Peak RSS of mcp-opt for the same load without a flood. */
  let quietPeakBytes = 0;

  beforeAll(async () => {
    const { run, result, peakBytes } = await benchWithPeak('minimal-raw.mjs', {});
    expect(run.code, run.stderr).toBe(0);
    expect(result.requests.failed).toBe(0);
    quietPeakBytes = peakBytes;
  }, 30_000);

  it('STDERR_PER_CALL_KB=1024: every request answered, stderr is not failure, mcp-opt keeps only a bounded tail', async () => {
    const { run, result, peakBytes } = await benchWithPeak('minimal-raw.mjs', { STDERR_PER_CALL_KB: '1024' });
    expect(run.code, run.stderr).toBe(0);
    const { scheduled, sent, succeeded, failed, errors } = result.requests;
    // No stall: the server blocks on each 1 MiB write until mcp-opt drains it, and every send went out and was answered.
    expect(sent).toBe(scheduled);
    expect(succeeded).toBe(scheduled);
    expect(failed).toBe(0);
    expect(errors).toEqual({});
    // The server wrote at least 1 MiB per measured request (warm-up and initialize wrote more).
    const stderrBytes = scheduled * MIB;
    expect(stderrBytes).toBeGreaterThanOrEqual(240 * MIB);
    expect(peakBytes - quietPeakBytes, `peak ${peakBytes} vs ${quietPeakBytes} without stderr`).toBeLessThan(stderrBytes / 4);
  }, 30_000);

  it('NOTIFY_PER_CALL=2000: a notification flood is read and dropped; every request answered, memory bounded', async () => {
    const perCall = 2000;
    const { run, result, peakBytes } = await benchWithPeak('minimal-raw.mjs', { NOTIFY_PER_CALL: String(perCall) });
    expect(run.code, run.stderr).toBe(0);
    const { scheduled, sent, succeeded, failed } = result.requests;
    expect(sent).toBe(scheduled);
    expect(succeeded).toBe(scheduled);
    expect(failed).toBe(0);
    // Each notification line is more than 80 bytes (see lib/raw-server.mjs's flood()). A client that
    // kept them would grow by all of it; one that drops them still holds some as garbage until V8
    // collects it, later on a busy machine (measured: up to 58 % with one core kept busy).
    const notificationBytes = scheduled * perCall * 80;
    expect(peakBytes - quietPeakBytes, `peak ${peakBytes} vs ${quietPeakBytes} without notifications`).toBeLessThan(notificationBytes * 0.8);
  }, 30_000);
});

describe('analyze against a server logging 64 KiB of stderr per request (minimal-raw.mjs)', () => {
  it('drains and counts every byte, reports stderr-heavy (info), and does not fail', async () => {
    const run = await runCli(['analyze', fixturePath('minimal-raw.mjs'), ...FAST, '--no-save', '--json'], { env: { STDERR_PER_CALL_KB: '64' } });
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    const r = parseResult(run.stdout);
    const res = r.resources!;
    // The warm session's latency requests alone wrote 64 KiB each; every process's stderr is counted.
    expect(res.stderrBytes).toBeGreaterThanOrEqual(res.requestsBetween * 64 * 1024);
    // Lines of 128 bytes: all of it was read, none lost.
    expect(res.stderrLines * 128).toBe(res.stderrBytes);
    const f = r.findings.find((x) => x.id === 'stderr-heavy');
    expect(f?.severity, JSON.stringify(r.findings)).toBe('info');
    expect(r.latency!.operations.every((o) => Object.keys(o.errors).length === 0)).toBe(true);
  });
});

describe('progress notifications on a slow call (fixed-service.mjs, NOTIFY_PER_CALL)', () => {
  it('do not reset the timeout: the slow call times out at --timeout, the ping beside it succeeds', async () => {
    // --timeout is also the start-up timeout, so it leaves room for a slow spawn on a busy machine.
    const serviceMs = 8000;
    const timeoutMs = 2000;
    const workload = tmpFile('workload.yaml');
    writeFileSync(workload, 'operations:\n  - call: work\n    weight: 1\n  - method: ping\n    weight: 1\n');
    // `work` answers after 8 s and sends 200 notifications every 100 ms until then.
    const { run, result } = await benchWithPeak('fixed-service.mjs', { SERVICE_MS: String(serviceMs), NOTIFY_PER_CALL: '200' },
      ['--workload', workload, '--rps', '20', '--duration', '2s', '--warmup', '0s', '--timeout', `${timeoutMs}ms`, '--era', 'legacy']);
    expect(run.code, run.stderr).toBe(0);
    const work = result.byOperation.find((o) => o.op === 'tools/call:work')!;
    const ping = result.byOperation.find((o) => o.op === 'ping')!;
    expect(work.requests).toBeGreaterThan(0);
    expect(work.errors).toEqual({ timeout: work.requests });
    expect(ping.failed).toBe(0);
    expect(ping.succeeded).toBe(ping.requests);
    // Timed out at the timeout, long before the reply: the notifications every 100 ms did not extend it.
    expect(result.failedLatency!.min).toBeGreaterThanOrEqual(timeoutMs * 1000);
    expect(result.failedLatency!.max).toBeLessThan(serviceMs * 1000 * 0.8);
  }, 30_000);
});
