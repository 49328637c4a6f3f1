import { describe, expect, it } from 'vitest';
import {
  HIGHEST_BYTES,
  HIGHEST_LATENCY_US,
  Recorder,
  decodeHistogram,
  distributionOf,
} from '../../src/measure/histogram.js';
import { seededRandom } from '../../src/measure/stats.js';

/** 10 000 integer samples, uniform in [1 000, 1 000 000) µs, always the same. */
function uniformSamples(n = 10_000, seed = 7): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => 1000 + Math.floor(rand() * 999_000));
}

/** The HDR definition of a percentile: the smallest sample with at least p % of samples at or below it. */
function exactPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const PERCENTILES = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9]] as const;

describe('Recorder', () => {
  const samples = uniformSamples();
  const sorted = [...samples].sort((a, b) => a - b);
  const dist = distributionOf(samples, 'us')!;

  it('reports percentiles within 0.1 % of the exact values (3 significant digits)', () => {
    for (const [key, p] of PERCENTILES) {
      const exact = exactPercentile(sorted, p);
      expect(Math.abs(dist[key] - exact) / exact, `${key}: ${dist[key]} vs ${exact}`).toBeLessThanOrEqual(0.001);
    }
  });

  it('keeps min, max, mean and sample standard deviation exact', () => {
    const n = samples.length;
    const mean = samples.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(dist.n).toBe(n);
    expect(dist.unit).toBe('us');
    expect(dist.min).toBe(sorted[0]);
    expect(dist.max).toBe(sorted.at(-1));
    expect(dist.mean).toBeCloseTo(mean, 2);
    expect(dist.stddev).toBeCloseTo(sd, 2);
  });

  it('keeps fractional min/max/mean (rounded to 0.001) although the histogram holds integers', () => {
    const d = distributionOf([1.25, 2.5, 3.75], 'us')!;
    expect(d.min).toBe(1.25);
    expect(d.max).toBe(3.75);
    expect(d.mean).toBe(2.5);
    expect(d.stddev).toBe(1.25);
  });

  it('round-trips through encode/decode with the same count and percentiles', () => {
    const h = decodeHistogram(dist.hdr);
    expect(h.totalCount).toBe(samples.length);
    for (const [key, p] of PERCENTILES) expect(h.getValueAtPercentile(p)).toBe(dist[key]);
  });

  it('merging two decoded halves equals the whole', () => {
    const first = distributionOf(samples.slice(0, 5000), 'us')!;
    const second = distributionOf(samples.slice(5000), 'us')!;
    const merged = decodeHistogram(first.hdr);
    merged.add(decodeHistogram(second.hdr));
    const whole = decodeHistogram(dist.hdr);
    expect(merged.totalCount).toBe(whole.totalCount);
    for (const [, p] of PERCENTILES) expect(merged.getValueAtPercentile(p)).toBe(whole.getValueAtPercentile(p));
    expect(merged.maxValue).toBe(whole.maxValue);
    expect(merged.minNonZeroValue).toBe(whole.minNonZeroValue);
  });

  it('clamps values above the range into the histogram but keeps the exact max', () => {
    const r = new Recorder('us');
    r.record(1000);
    r.record(HIGHEST_LATENCY_US * 2);
    const d = r.toDistribution()!;
    expect(d.max).toBe(HIGHEST_LATENCY_US * 2);
    const h = decodeHistogram(d.hdr);
    expect(h.totalCount).toBe(2);
    expect(Math.abs(h.maxValue - HIGHEST_LATENCY_US) / HIGHEST_LATENCY_US).toBeLessThanOrEqual(0.001);
    expect(d.p999).toBeLessThanOrEqual(HIGHEST_LATENCY_US * 1.001);
  });

  it('clamps byte values at 1 TiB and values below 1 up to the lowest bucket', () => {
    const r = new Recorder('bytes');
    r.record(0);
    r.record(HIGHEST_BYTES * 4);
    const d = r.toDistribution()!;
    expect(d.unit).toBe('bytes');
    expect(d.min).toBe(0);
    expect(d.max).toBe(HIGHEST_BYTES * 4);
    const h = decodeHistogram(d.hdr);
    expect(h.totalCount).toBe(2);
    expect(h.minNonZeroValue).toBe(1);
  });

  it('records milliseconds as microseconds', () => {
    const r = new Recorder('us');
    r.recordMs(2.5);
    expect(r.n).toBe(1);
    expect(r.toDistribution()!.max).toBe(2500);
    expect(Math.abs(r.percentile(50) - 2500) / 2500).toBeLessThanOrEqual(0.001);
  });

  it('an empty recorder gives null and percentile 0', () => {
    const r = new Recorder('us');
    expect(r.n).toBe(0);
    expect(r.toDistribution()).toBeNull();
    expect(r.percentile(99)).toBe(0);
    expect(distributionOf([], 'bytes')).toBeNull();
  });

  it('a single sample has stddev 0', () => {
    expect(distributionOf([42], 'us')!.stddev).toBe(0);
  });
});
