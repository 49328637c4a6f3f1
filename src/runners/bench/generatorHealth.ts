/**
 * The load generator watching itself: its CPU and its event-loop delay. A generator that is out of
 * CPU or whose loop is late sends late and reads late, so the latencies it reports are its own.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { GeneratorHealth } from '../../result/benchResult.js';

/** mcp-opt CPU (percent of one core) above which it is called the bottleneck. */
export const GENERATOR_CPU_LIMIT_PCT = 90;
/** Runs shorter than this are not judged on CPU, ms. */
export const GENERATOR_MIN_JUDGED_MS = 1000;
/** Event-loop delay p99 above which it is called the bottleneck, ms. */
export const GENERATOR_LOOP_DELAY_LIMIT_MS = 20;
/** Open-loop scheduler wake-up lateness p99 above which it is called the bottleneck, ms. */
export const GENERATOR_LATENESS_LIMIT_MS = 5;

/**
 * Sampling period of the event-loop monitor, ms (its values are intervals: the delay is the
 * excess). Each sample is a timer that wakes an idle loop, tens of µs of CPU on a VM: at 10 ms it
 * was a hundred wake-ups a second, a fifth of what a run at 200 req/s cost. 50 ms still resolves
 * delays well under the 20 ms limit.
 */
const LOOP_RESOLUTION_MS = 50;

/** Watches mcp-opt's own CPU and event-loop delay over a run, then judges whether the generator was the bottleneck. */
export class GeneratorMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private cpu0 = process.cpuUsage();
  private t0 = performance.now();

  /** Start watching. */
  start(): this {
    this.cpu0 = process.cpuUsage();
    this.t0 = performance.now();
    this.loop.enable();
    return this;
  }

  /** Stop and judge; `latenessP99Ms` is how late the open-loop scheduler woke (null in a closed loop). */
  finish(latenessP99Ms: number | null): GeneratorHealth {
    this.loop.disable();
    const cpu = process.cpuUsage(this.cpu0);
    const wallMs = performance.now() - this.t0;
    const cpuPct = wallMs > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10 : 0;
    // Rounded after the subtraction: 0.11 − 10 + 10 would otherwise print as 0.10999999999999943 ms.
    const ms = (ns: number): number => Math.max(0, Math.round(ns / 1e4 - LOOP_RESOLUTION_MS * 100) / 100);
    const eventLoopDelayMs = { p50: ms(this.loop.percentile(50)), p99: ms(this.loop.percentile(99)), max: ms(this.loop.max) };
    const reasons: string[] = [];
    // Over a very short run, start-up work (the alarm thread, JIT) dominates the CPU figure.
    if (cpuPct >= GENERATOR_CPU_LIMIT_PCT && wallMs >= GENERATOR_MIN_JUDGED_MS) reasons.push(`mcp-opt used ${cpuPct}% of a core`);
    if (eventLoopDelayMs.p99 > GENERATOR_LOOP_DELAY_LIMIT_MS) reasons.push(`its event loop ran ${eventLoopDelayMs.p99} ms late (p99)`);
    if (latenessP99Ms !== null && latenessP99Ms > GENERATOR_LATENESS_LIMIT_MS) reasons.push(`its scheduler woke ${latenessP99Ms.toFixed(1)} ms late (p99)`);
    return {
      cpuPct,
      eventLoopDelayMs,
      bottleneck: reasons.length > 0,
      reason: reasons.length ? `${reasons.join('; ')}: the generator, not the server, may be the limit, so these figures partly measure mcp-opt` : null,
    };
  }
}
