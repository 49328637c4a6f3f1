/**
 * BenchResult fixtures for the comparison and merge tests: latencies drawn from a seeded
 * lognormal (a fair model of service latency), recorded with the real Recorder so the encoded
 * histograms are the ones bench writes.
 */
import { Recorder } from '../../src/measure/histogram.js';
import { seededRandom } from '../../src/measure/stats.js';
import { normalVariate } from '../../src/measure/histogramSample.js';
import type { BenchResult, TimelineEntry } from '../../src/result/benchResult.js';
import { newHeader } from '../../src/result/build.js';

/** n lognormal samples, µs: median `medianUs`, shape sigma, times `scale`. */
export function lognormalUs(n: number, seed: number, medianUs = 2_000, sigma = 0.6, scale = 1): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(medianUs * scale * Math.exp(sigma * normalVariate(rand))));
}

/** What varies between fixtures. */
export interface BenchFixture {
  /** Corrected latencies of the successes, µs. */
  latencyUs: number[];
  /** Seed of the per-second throughput noise. */
  seed?: number;
  /** Successes per second (mean of the timeline). */
  rps?: number;
  failed?: number;
  measuredSeconds?: number;
  createdAt?: Date;
  operations?: string[];
  display?: string;
  rssPeakBytes?: number;
  /** The open loop's target rate, req/s (default 1,000). */
  targetRps?: number;
}

/** A finished open-loop bench result around the given latencies (one operation, stdio, 2 s of warm-up). */
export function benchResult(f: BenchFixture): BenchResult {
  const rand = seededRandom(f.seed ?? 7);
  const rps = f.rps ?? 1_000;
  const seconds = f.measuredSeconds ?? 20;
  const failed = f.failed ?? 0;
  const succeeded = f.latencyUs.length;
  const latency = record(f.latencyUs, 1);
  // Service time: the send leaves a little after its intended time, so it is a bit shorter.
  const serviceTime = record(f.latencyUs, 0.9);
  const ops = f.operations ?? ['tools/call:search'];
  const timeline: TimelineEntry[] = [];
  for (let s = 0; s < seconds + 3; s++) {
    const partial = s === seconds + 2 ? 0.3 : 1; // the run stops mid-second
    const completed = Math.max(0, Math.round((rps + 15 * normalVariate(rand)) * partial));
    timeline.push({ second: s, warmup: s < 2, sent: completed, completed, errors: 0, inflight: 3, p50Us: 2_000, p99Us: 9_000, rssBytes: 60_000_000, cpuPct: 40 });
  }
  return {
    ...newHeader('bench', f.createdAt ?? new Date(0)),
    incomplete: false, incompleteReason: null, durationMs: (seconds + 3) * 1000,
    config: { mode: 'open', rps: f.targetRps ?? 1_000, arrival: 'uniform', maxInflight: null, concurrency: null, durationMs: seconds * 1000, requests: null, warmupMs: 2_000,
      timeoutMs: 30_000, instances: 1, balance: 'round-robin', httpClient: 'mcp-opt', pipelining: 1, bailout: null, keepGoing: false, seed: 1, era: 'auto' },
    target: { kind: 'stdio', display: f.display ?? 'node server.js', origin: 'package.json "main"', runner: null, envNames: [] },
    server: { era: 'legacy', protocolVersion: '2025-06-18', name: 'search-server', version: '1.4.0', title: null, capabilities: ['tools'], instructionsChars: 0, eraProbe: null },
    workload: { seed: 1, operations: ops.map((op) => ({ op, weight: 1, argsSource: 'synthesised from inputSchema' })) },
    requests: { scheduled: succeeded + failed, sent: succeeded + failed, succeeded, failed, dropped: 0, lateSends: 0, abandoned: 0,
      errors: failed ? { timeout: failed } : {}, errorRatePct: (100 * failed) / (succeeded + failed) },
    throughput: { measuredSeconds: seconds, targetRps: rps, sentRps: (succeeded + failed) / seconds, succeededRps: succeeded / seconds, rateErrorPct: 0, sustained: true },
    latency, serviceTime, failedLatency: null, sendLateness: record([5, 12, 40], 1),
    byOperation: ops.map((op, i) => ({ op, requests: i === 0 ? succeeded + failed : 0, succeeded: i === 0 ? succeeded : 0, failed: i === 0 ? failed : 0,
      errors: {}, latency: i === 0 ? latency : null, serviceTime: i === 0 ? serviceTime : null })),
    timeline,
    pool: { balance: 'round-robin', autocannon: null,
      instances: [{ index: 0, pid: 4242, sent: succeeded + failed, succeeded, failed, serviceTime, alive: true, connections: null, sessionReinits: null }] },
    resources: { sampleIntervalMs: 250, rssStartBytes: 50_000_000, rssEndBytes: 58_000_000, rssPeakBytes: f.rssPeakBytes ?? 61_000_000,
      rssGrowthBytes: 8_000_000, rssSlopeBytesPerSec: 1_000, cpuPctMean: 40, cpuPctMax: 85, processCount: 1 },
    generator: { cpuPct: 30, eventLoopDelayMs: { p50: 0.2, p99: 1.1, max: 3 }, bottleneck: false, reason: null },
    budgets: [],
  };
}

function record(valuesUs: number[], scale: number) {
  const r = new Recorder('us');
  for (const v of valuesUs) r.record(v * scale);
  return r.toDistribution();
}
