/**
 * A leaking server under `bench` (leaky.mjs: each echo call keeps LEAK_KB KiB resident): the RSS
 * trend mcp-opt reports must match the leak the server itself records (LEAK_LOG), within ±20 %,
 * and a memory budget must catch it. The bound is on memory, not time: the rate is whatever the
 * run achieved (its succeeded rps), so a slow machine changes both sides alike.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBenchJson } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

describe('bench against leaky.mjs (256 KiB kept per echo call)', () => {
  it('reports an RSS slope within ±20 % of the leak rate, and a memory.growth budget fails (exit 1)', async () => {
    const leakKb = 256;
    const leakLog = tmpFile('leak.log');
    const { run, result } = await runBenchJson(
      [fixturePath('leaky.mjs'), '--call', 'echo={"message":"x"}', '--rps', '50', '--duration', '4s', '--warmup', '1s', '--budget', 'memory.growth<10MiB'],
      { env: { LEAK_KB: String(leakKb), LEAK_LOG: leakLog } },
    );
    expect(run.code, run.stderr).toBe(1);
    // The server's own record: one line per leaking call, `<pid> <bytes kept so far>`.
    const lines = readFileSync(leakLog, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    const leakPerCall = lines[0]![1]!;
    expect(leakPerCall).toBe(leakKb * 1024);
    // Every measured call leaked (warm-up calls leaked too, before the window).
    expect(lines.length).toBeGreaterThanOrEqual(result.requests.succeeded);
    const leakPerSec = leakPerCall * result.throughput.succeededRps;
    const slope = result.resources!.rssSlopeBytesPerSec!;
    expect(slope, JSON.stringify(result.resources)).toBeGreaterThan(leakPerSec * 0.8);
    expect(slope, JSON.stringify(result.resources)).toBeLessThan(leakPerSec * 1.2);
    const leakInWindow = leakPerCall * result.requests.succeeded;
    expect(result.resources!.rssGrowthBytes).toBeGreaterThan(leakInWindow * 0.8);
    expect(result.resources!.rssGrowthBytes).toBeLessThan(leakInWindow * 1.2);
    const budget = result.budgets.find((b) => b.metric === 'memory.growth');
    expect(budget?.pass, JSON.stringify(result.budgets)).toBe(false);
  });
});
