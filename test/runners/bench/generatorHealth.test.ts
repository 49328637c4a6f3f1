import { describe, expect, it } from 'vitest';
import type { GeneratorHealth } from '../../../src/result/benchResult.js';
import {
  GENERATOR_CPU_LIMIT_PCT,
  GENERATOR_LATENESS_LIMIT_MS,
  GENERATOR_LOOP_DELAY_LIMIT_MS,
  GENERATOR_MIN_JUDGED_MS,
  GeneratorMonitor,
} from '../../../src/runners/bench/generatorHealth.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Keep the main thread busy for `ms` (blocks the event loop and burns CPU). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/**
 * The verdict must agree with the figures it reports, whatever the machine's load did to them:
 * each reason appears exactly when its figure crosses its limit.
 */
/** `wallMs`: how long the monitor ran (CPU is judged only from GENERATOR_MIN_JUDGED_MS on; these runs are shorter). */
function expectConsistent(h: GeneratorHealth, latenessP99Ms: number | null, wallMs = 0): void {
  const cpu = h.cpuPct >= GENERATOR_CPU_LIMIT_PCT && wallMs >= GENERATOR_MIN_JUDGED_MS;
  const loop = h.eventLoopDelayMs.p99 > GENERATOR_LOOP_DELAY_LIMIT_MS;
  const sched = latenessP99Ms !== null && latenessP99Ms > GENERATOR_LATENESS_LIMIT_MS;
  expect(h.bottleneck).toBe(cpu || loop || sched);
  expect(h.reason === null).toBe(!h.bottleneck);
  expect(h.reason?.includes(`mcp-opt used ${h.cpuPct}% of a core`) ?? false).toBe(cpu);
  expect(h.reason?.includes(`its event loop ran ${h.eventLoopDelayMs.p99} ms late (p99)`) ?? false).toBe(loop);
  expect(h.reason?.includes('its scheduler woke') ?? false).toBe(sched);
  if (h.reason) expect(h.reason).toMatch(/: the generator, not the server, may be the limit, so these figures partly measure mcp-opt$/);
  expect(h.cpuPct).toBeGreaterThanOrEqual(0);
  for (const v of Object.values(h.eventLoopDelayMs)) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(String(v)).toMatch(/^\d+(\.\d{1,2})?$/); // no float tail in the reason or the result
  }
  expect(h.eventLoopDelayMs.p50).toBeLessThanOrEqual(h.eventLoopDelayMs.p99);
  expect(h.eventLoopDelayMs.p99).toBeLessThanOrEqual(h.eventLoopDelayMs.max);
}

describe('GeneratorMonitor', () => {
  it('names the scheduler when its wake-up lateness p99 is over the limit', async () => {
    const m = new GeneratorMonitor().start();
    await sleep(30);
    const late = GENERATOR_LATENESS_LIMIT_MS + 0.26;
    const h = m.finish(late);
    expect(h.bottleneck).toBe(true);
    expect(h.reason).toContain(`its scheduler woke ${late.toFixed(1)} ms late (p99)`);
    expect(h.reason).toContain('the generator, not the server, may be the limit');
    expectConsistent(h, late);
  });

  it.each([null, 0, 1.5, GENERATOR_LATENESS_LIMIT_MS])('does not blame the scheduler for a lateness of %s ms', async (late) => {
    const m = new GeneratorMonitor().start();
    await sleep(30);
    const h = m.finish(late);
    expect(h.reason?.includes('scheduler') ?? false).toBe(false);
    expectConsistent(h, late);
  });

  it('an idle generator is not the bottleneck', async () => {
    const m = new GeneratorMonitor().start();
    await sleep(120);
    const h = m.finish(null);
    // An idle wait costs ~0 % CPU and a loop that is never blocked; allow a loaded CI machine slack.
    expect(h.cpuPct).toBeLessThan(GENERATOR_CPU_LIMIT_PCT);
    expect(h.eventLoopDelayMs.p99).toBeLessThanOrEqual(GENERATOR_LOOP_DELAY_LIMIT_MS);
    expect(h).toMatchObject({ bottleneck: false, reason: null });
    expectConsistent(h, null);
  });

  it('a blocked event loop is reported as loop delay (and, on an unloaded core, CPU)', async () => {
    const m = new GeneratorMonitor().start();
    await sleep(120); // let the loop monitor (one sample every 50 ms) take a few regular samples
    spin(GENERATOR_LOOP_DELAY_LIMIT_MS + 60);
    await sleep(120); // the monitor's timer records the long interval once the loop turns
    const h = m.finish(null);
    // The blocked interval is measured in wall time, so it shows whatever the machine's load.
    expect(h.eventLoopDelayMs.max).toBeGreaterThan(GENERATOR_LOOP_DELAY_LIMIT_MS);
    expect(h.eventLoopDelayMs.p99).toBeGreaterThan(GENERATOR_LOOP_DELAY_LIMIT_MS);
    expect(h.bottleneck).toBe(true);
    expect(h.reason).toContain('its event loop ran');
    // CPU share depends on whether the OS let this thread run during the spin: check consistency only.
    expectConsistent(h, null);
  });

  it('reports CPU as a percent of one core with one decimal', async () => {
    const m = new GeneratorMonitor().start();
    spin(40);
    const h = m.finish(null);
    expect(Math.round(h.cpuPct * 10)).toBeCloseTo(h.cpuPct * 10, 6);
    expect(h.cpuPct).toBeGreaterThan(0);
    expectConsistent(h, null);
  });
});
