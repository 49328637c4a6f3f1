/**
 * A server that closes its stdout but keeps running (minimal-raw.mjs CLOSE_STDOUT_AFTER=N: the
 * first N requests are answered, then file descriptor 1 is closed and the process lives on,
 * reading stdin). It can answer nothing more: the run ends as a target failure (exit 3) that says
 * so, with the partial result saved, instead of every later request timing out.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { FAST, noLeftovers, runCli, savedIncomplete } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

const CLOSED = /the server closed its stdout but kept running/;

describe('a server that closes its stdout but stays alive', () => {
  it('bench: exit 3 naming the closed stdout, requests in flight end as closed (not timeouts), the partial result saved', async () => {
    const out = tmpFile('stdout-closed-bench.json');
    // 1 initialize + ~25 warm-up pings + ~75 measured ones, then stdout closes 1.5 s into the 3 s window.
    const run = await runCli(
      ['bench', fixturePath('minimal-raw.mjs'), '--rps', '50', '--duration', '3s', '--warmup', '500ms', '--timeout', '20s', '--out', out],
      { env: { CLOSE_STDOUT_AFTER: '100' } },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(CLOSED);
    await noLeftovers(run.testId);
    const saved = savedIncomplete<BenchResult>(out, CLOSED);
    expect(saved.requests.succeeded).toBeGreaterThan(0);
    expect(saved.requests.errors['closed']).toBeGreaterThan(0);
    expect(saved.requests.errors['timeout']).toBeUndefined();
  });

  it('analyze: exit 3 naming the closed stdout, the partial result saved', async () => {
    const out = tmpFile('stdout-closed-analyze.json');
    // Enough for the probe, the cold starts and the tool list; the latency phase then meets the closed stdout.
    const run = await runCli(['analyze', fixturePath('minimal-raw.mjs'), ...FAST, '--out', out], { env: { CLOSE_STDOUT_AFTER: '60' } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(CLOSED);
    await noLeftovers(run.testId);
    savedIncomplete<AnalyzeResult>(out, CLOSED);
  });
});
