/**
 * The server's process trees (every instance of a pool together) sampled every 250 ms: RSS and CPU.
 * One /proc scan per sample for the whole pool, to leave the cores to the servers.
 */
import { linearFit } from '../../measure/stats.js';
import type { BenchResources } from '../../result/benchResult.js';
import { sampleForest, sampleKnown, type TreeSample } from '../../target/procfs.js';

/** Sampling period, ms. */
export const RESOURCE_SAMPLE_MS = 250;
/**
 * A full /proc scan (to find new processes in the trees) every this many samples; in between only
 * the known pids are read. A scan costs ~2 ms of the generator's main thread here, a known-pid read
 * ~0.05 ms, and the scheduler's lateness is what pays for it.
 */
const FULL_SCAN_EVERY = 8;

/** One sample. */
export interface ResourceSample {
  /** performance.now() of the sample. */
  at: number;
  /** RSS summed over the trees, bytes. */
  rssBytes: number;
  /** CPU of the trees since the previous sample, percent of one core. */
  cpuPct: number;
  /** Processes found in the trees. */
  processes: number;
}

/** Samples the server's process trees every RESOURCE_SAMPLE_MS; summarises the measured window. */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastCpuUs = 0;
  private lastAt = 0;
  private known: number[] = [];
  private taken = 0;

  constructor(private readonly roots: readonly number[]) {}

  /** Start sampling (no-op without /proc or without stdio instances). */
  start(): this {
    if (this.roots.length === 0) return this;
    this.take();
    this.timer = setInterval(() => this.take(), RESOURCE_SAMPLE_MS);
    this.timer.unref();
    return this;
  }

  /** Stop, after one last sample. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.take();
  }

  /** The last sample taken at or before `at`, if any. */
  at(at: number): ResourceSample | null {
    let found: ResourceSample | null = null;
    for (const s of this.samples) {
      if (s.at > at) break;
      found = s;
    }
    return found;
  }

  /** Summary over samples taken from `from` on (the measured window); null without samples. */
  summary(from: number): BenchResources | null {
    const all = this.samples;
    const measured = all.filter((s) => s.at >= from);
    if (all.length === 0 || measured.length === 0) return null;
    const first = measured[0]!;
    const last = measured.at(-1)!;
    const cpu = measured.slice(1).map((s) => s.cpuPct);
    return {
      sampleIntervalMs: RESOURCE_SAMPLE_MS,
      rssStartBytes: first.rssBytes,
      rssEndBytes: last.rssBytes,
      rssPeakBytes: Math.max(...all.map((s) => s.rssBytes)),
      rssGrowthBytes: last.rssBytes - first.rssBytes,
      rssSlopeBytesPerSec: measured.length >= 3
        ? Math.round(linearFit(measured.map((s) => (s.at - first.at) / 1000), measured.map((s) => s.rssBytes)).slope)
        : null,
      cpuPctMean: cpu.length ? round(cpu.reduce((a, b) => a + b, 0) / cpu.length) : 0,
      cpuPctMax: cpu.length ? round(Math.max(...cpu)) : 0,
      processCount: Math.max(...all.map((s) => s.processes)),
    };
  }

  private read(): TreeSample | null {
    const full = this.taken++ % FULL_SCAN_EVERY === 0;
    const s = full || this.known.length === 0 ? sampleForest(this.roots) : sampleKnown(this.known);
    if (s && full) this.known = s.pids;
    return s;
  }

  private take(): void {
    const s = this.read();
    if (!s) return;
    const now = performance.now();
    const cpuPct = this.lastAt ? ((s.cpuUs - this.lastCpuUs) / 1000 / (now - this.lastAt)) * 100 : 0;
    this.lastAt = now;
    this.lastCpuUs = s.cpuUs;
    this.samples.push({ at: now, rssBytes: s.rssBytes, cpuPct: Math.max(0, cpuPct), processes: s.pids.length });
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
