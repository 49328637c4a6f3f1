import { describe, expect, it } from 'vitest';
import { Recorder, distributionOf } from '../../src/measure/histogram.js';
import { seededRandom } from '../../src/measure/stats.js';
import { binsQuantile, histogramBins, resampleQuantile, sampleBins } from '../../src/measure/histogramSample.js';
import { bootstrapRatio, bootstrapSamplesRatio, mannWhitneyBins, mannWhitneySamples, twoProportionTest } from '../../src/measure/significance.js';
import { lognormalUs } from '../helpers/benchResults.js';

/** U of b against a by brute force: every pair, ties half. */
function bruteU(a: number[], b: number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += y > x ? 1 : y === x ? 0.5 : 0;
  return u;
}

function ints(n: number, seed: number, max: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => 1 + Math.floor(rand() * max));
}

describe('histogramBins', () => {
  it('reports the same quantiles as the Recorder that wrote the histogram', () => {
    const d = distributionOf(lognormalUs(20_000, 3), 'us')!;
    const bins = histogramBins(d.hdr);
    expect(bins.total).toBe(20_000);
    expect(binsQuantile(bins, 0.5)).toBe(d.p50);
    expect(binsQuantile(bins, 0.95)).toBe(d.p95);
    expect(binsQuantile(bins, 0.99)).toBe(d.p99);
  });
});

describe('resampleQuantile', () => {
  it('draws resampled medians distributed as materialised resamples are', () => {
    const data = ints(500, 11, 1_000);
    const bins = sampleBins(data);
    const rand = seededRandom(5);
    const fast: number[] = [];
    const slow: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      fast.push(resampleQuantile(bins, 0.5, data.length, rand));
      const re = Array.from({ length: data.length }, () => data[Math.floor(rand() * data.length)]!).sort((x, y) => x - y);
      slow.push(re[Math.ceil(0.5 * re.length) - 1]!);
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
    expect(Math.abs(mean(fast) - mean(slow))).toBeLessThan(0.1 * sd(slow));
    expect(sd(fast) / sd(slow)).toBeGreaterThan(0.9);
    expect(sd(fast) / sd(slow)).toBeLessThan(1.1);
  });
});

describe('mannWhitneyBins', () => {
  it('gives the brute-force U, from histogram bins and from raw samples, ties included', () => {
    const a = ints(40, 1, 30);
    const b = ints(55, 2, 35);
    const bins = (v: number[]) => {
      const r = new Recorder('us');
      for (const x of v) r.record(x);
      return histogramBins(r.toDistribution()!.hdr);
    };
    const fromBins = mannWhitneyBins(bins(a), bins(b));
    const fromSamples = mannWhitneySamples(a, b);
    expect(Math.abs(fromBins.u - bruteU(a, b))).toBeLessThan(1e-6);
    expect(Math.abs(fromSamples.u - bruteU(a, b))).toBeLessThan(1e-6);
    expect(fromBins.pValue).toBeCloseTo(fromSamples.pValue, 12);
    expect(fromBins.effectSize).toBeCloseTo((2 * bruteU(a, b)) / (40 * 55) - 1, 12);
  });

  it('matches the textbook normal approximation on a separated pair, oriented towards b', () => {
    // U = 25, z = 12.5 / √(25·11/12) = 2.611, two-sided p = 0.00902 (scipy mannwhitneyu, asymptotic, no continuity correction).
    const mw = mannWhitneySamples([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(mw.u).toBe(25);
    expect(mw.z).toBeCloseTo(2.611, 3);
    expect(mw.pValue).toBeCloseTo(0.00902, 4);
    expect(mw.effectSize).toBe(1);
    expect(mannWhitneySamples([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).effectSize).toBe(-1);
  });

  it('finds no difference when every value ties', () => {
    const mw = mannWhitneySamples([3, 3, 3], [3, 3]);
    expect(mw.pValue).toBe(1);
    expect(mw.effectSize).toBe(0);
  });
});

describe('bootstrapRatio', () => {
  it('covers the true ratio of a known 1.2× shift, and repeats exactly with the same seed', () => {
    const a = histogramBins(distributionOf(lognormalUs(20_000, 21), 'us')!.hdr);
    const b = histogramBins(distributionOf(lognormalUs(20_000, 22, 2_000, 0.6, 1.2), 'us')!.hdr);
    for (const q of [0.5, 0.95]) {
      const r = bootstrapRatio(a, b, q, { seed: 9 });
      expect(r.ci[0]).toBeLessThan(1.2);
      expect(r.ci[1]).toBeGreaterThan(1.2);
      expect(r.ci[0]).toBeGreaterThan(1); // and the shift is detected
      expect(bootstrapRatio(a, b, q, { seed: 9 })).toEqual(r);
    }
  });

  it('widens the interval when the resample size is capped (conservative)', () => {
    const a = histogramBins(distributionOf(lognormalUs(20_000, 31), 'us')!.hdr);
    const b = histogramBins(distributionOf(lognormalUs(20_000, 32), 'us')!.hdr);
    const full = bootstrapRatio(a, b, 0.5, { seed: 1 });
    const capped = bootstrapRatio(a, b, 0.5, { seed: 1, maxSize: 2_000 });
    expect(capped.ci[1] - capped.ci[0]).toBeGreaterThan(full.ci[1] - full.ci[0]);
  });

  it('works on small raw samples (per-run cold starts)', () => {
    const a = [100, 104, 98, 101, 103, 99, 102, 100, 97, 105];
    const b = a.map((x) => x * 1.5);
    const r = bootstrapSamplesRatio(a, b, 0.5, { seed: 3 });
    expect(r.ratio).toBe(1.5);
    expect(r.ci[0]).toBeGreaterThan(1.3);
  });
});

describe('twoProportionTest', () => {
  it('gives the pooled z of 10/1000 against 30/1000', () => {
    const t = twoProportionTest(10, 1_000, 30, 1_000);
    expect(t.z).toBeCloseTo(3.194, 3);
    expect(t.pValue).toBeCloseTo(0.0014, 4);
  });

  it('sees nothing to test when neither side failed', () => {
    expect(twoProportionTest(0, 1_000, 0, 1_000).pValue).toBe(1);
  });
});
