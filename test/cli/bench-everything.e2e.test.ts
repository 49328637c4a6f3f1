/**
 * The acceptance run of issue 3, `mcp-opt bench <server-everything> --rps 1000`, at 5 s (the issue
 * ran 10 s; half shows the same at half the suite's cost): reports the achieved rate, corrected and
 * uncorrected percentiles, errors and resources, and saves the result; with --json, the saved file
 * is byte for byte what stdout printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchJson } from '../helpers/cli.js';
import { alive, repoRoot, tmpFile } from '../helpers/fixtures.js';

const EVERYTHING = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

describe('bench server-everything at 1000 req/s for 5 s (acceptance)', () => {
  it('reports rate, both latencies, errors, resources and generator health, and saves what it prints', async () => {
    const out = tmpFile('everything.json');
    const { run, result: r } = await runBenchJson([EVERYTHING, '--rps', '1000', '--duration', '5s', '--out', out], { timeoutMs: 40_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`saved ${out}`);
    // The saved result is the contract the json reporter prints, unchanged.
    expect(readFileSync(out, 'utf8')).toBe(run.stdout);

    expect(r.kind).toBe('bench');
    expect(r.incomplete).toBe(false);
    expect(r.config).toMatchObject({ mode: 'open', rps: 1000, durationMs: 5_000 });
    expect(r.server!.era).toBe('legacy');
    // Achieved rate.
    expect(r.throughput.measuredSeconds).toBeCloseTo(5, 0);
    expect(Math.abs(r.throughput.sentRps - 1000) / 1000).toBeLessThan(0.01);
    expect(Math.abs(r.throughput.rateErrorPct!)).toBeLessThan(1);
    expect(r.throughput.sustained, JSON.stringify({ requests: r.requests, throughput: r.throughput })).toBe(true);
    // Corrected (from the intended send) and uncorrected (service time) percentiles, HDR-encoded.
    for (const d of [r.latency!, r.serviceTime!]) {
      expect(d.n).toBe(r.requests.succeeded);
      expect(d.p50).toBeGreaterThan(0);
      expect(d.p99).toBeGreaterThanOrEqual(d.p50);
      expect(typeof d.hdr).toBe('string');
    }
    expect(r.latency!.p50).toBeGreaterThanOrEqual(r.serviceTime!.p50);
    // Errors: present, and none.
    expect(r.requests.errors).toEqual({});
    expect(r.requests.failed).toBe(0);
    // Resources of the server's process tree, sampled while it ran.
    expect(r.resources).not.toBeNull();
    expect(r.resources!.rssStartBytes).toBeGreaterThan(0);
    expect(r.resources!.rssPeakBytes).toBeGreaterThanOrEqual(r.resources!.rssStartBytes);
    expect(r.resources!.processCount).toBeGreaterThanOrEqual(1);
    // The generator watched itself.
    expect(r.generator.cpuPct).toBeGreaterThan(0);
    expect(typeof r.generator.eventLoopDelayMs.p99).toBe('number');
    expect(typeof r.generator.bottleneck).toBe('boolean');
    // A per-second timeline covering warm-up (2 s by default) and the 5 measured seconds.
    expect(r.timeline.filter((t) => !t.warmup && t.sent > 0).length).toBeGreaterThanOrEqual(5);
    expect(r.pool.instances).toHaveLength(1);
    expect(alive(r.pool.instances[0]!.pid!)).toBe(false);
  }, 60_000);
});
