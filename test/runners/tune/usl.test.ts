import { describe, expect, it } from 'vitest';
import { buildModel, fitUsl, uslThroughput } from '../../../src/runners/tune/usl.js';

/** Deterministic ±2% noise: a fixed pattern, so the test never flakes. */
const NOISE = [0.02, -0.015, 0.01, -0.02, 0.005, 0.018, -0.01, -0.005, 0.012, -0.018];
const NS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];

function synth(lambda: number, sigma: number, kappa: number, noisy = true): Array<{ n: number; x: number }> {
  return NS.map((n, i) => ({ n, x: uslThroughput({ lambda, sigma, kappa }, n) * (1 + (noisy ? NOISE[i]! : 0)) }));
}

const near = (actual: number, expected: number, rel: number): void => {
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(rel);
};

describe('fitUsl', () => {
  it('recovers λ=100, σ=0.05, κ=0.01 from ±2% noisy data, and the peak', () => {
    const fit = fitUsl(synth(100, 0.05, 0.01))!;
    near(fit.lambda, 100, 0.2);
    near(fit.sigma, 0.05, 0.2);
    near(fit.kappa, 0.01, 0.2);
    const truePeak = Math.sqrt(0.95 / 0.01);
    near(fit.peakN!, truePeak, 0.1);
    near(fit.peakThroughput!, uslThroughput({ lambda: 100, sigma: 0.05, kappa: 0.01 }, truePeak), 0.1);
    expect(fit.r2).toBeGreaterThan(0.95);
    expect(fit.points).toBe(NS.length);
  });

  it('recovers exact parameters from clean data', () => {
    const fit = fitUsl(synth(250, 0.1, 0.002, false))!;
    near(fit.lambda, 250, 0.01);
    near(fit.sigma, 0.1, 0.02);
    near(fit.kappa, 0.002, 0.02);
    expect(fit.r2).toBeGreaterThan(0.9999);
  });

  it('gives no peak for κ = 0 data (clean or noisy)', () => {
    for (const noisy of [false, true]) {
      const fit = fitUsl(synth(100, 0.05, 0, noisy))!;
      expect(fit.kappa).toBe(0);
      expect(fit.peakN).toBeNull();
      expect(fit.peakThroughput).toBeNull();
      near(fit.sigma, 0.05, 0.25);
    }
  });

  it('needs 3 distinct N > 0, uses repeated N, and ignores N ≤ 0', () => {
    expect(fitUsl([])).toBeNull();
    expect(fitUsl([{ n: 1, x: 100 }, { n: 2, x: 190 }, { n: 2, x: 195 }, { n: 0, x: 5 }])).toBeNull();
    const fit = fitUsl([{ n: 1, x: 100 }, { n: 1, x: 102 }, { n: 2, x: 190 }, { n: 4, x: 340 }])!;
    expect(fit.points).toBe(4);
  });

  it('keeps σ within [0, 1] and κ ≥ 0 even for superlinear data', () => {
    const fit = fitUsl([{ n: 1, x: 10 }, { n: 2, x: 25 }, { n: 4, x: 60 }, { n: 8, x: 150 }])!;
    expect(fit.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.sigma).toBeLessThanOrEqual(1);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
  });
});

describe('buildModel', () => {
  it('reads a USL fit with a peak in words', () => {
    const samples = synth(100, 0.05, 0.01).map((s) => ({ ...s, latencyUs: 1000 }));
    const m = buildModel(samples, 'WORKERS')!;
    expect(m.kind).toBe('usl');
    expect(m.reading).toMatch(/^Throughput fits the Universal Scalability Law well \(R² [01]\.\d\d\) against WORKERS: contention σ 0\.0\d*, coherency κ 0\.0\d*; it peaks near WORKERS 10 at ~\d+ req\/s, beyond which crosstalk makes more WORKERS slower\.$/);
  });

  it('says there is no peak within reach when κ = 0', () => {
    const m = buildModel(synth(100, 0.05, 0, false).map((s) => ({ ...s, latencyUs: 1000 })), 'concurrency')!;
    expect(m.peakN).toBeNull();
    expect(m.reading).toMatch(/no peak within reach: throughput levels off at ~2,000 req\/s \(λ\/σ\)/);
  });

  it('warns when the fit is poor', () => {
    const zigzag = [1, 2, 3, 4, 5, 6].map((n) => ({ n, x: n % 2 ? 100 : 300, latencyUs: 1000 }));
    const m = buildModel(zigzag, 'pool')!;
    expect(m.r2!).toBeLessThan(0.8);
    expect(m.reading).toMatch(/poorly.*treat the prediction as rough/);
  });

  it("falls back to Little's law with fewer than 3 distinct N", () => {
    const m = buildModel([{ n: 4, x: 200, latencyUs: 20_000 }, { n: 8, x: 300, latencyUs: 10_000 }], 'concurrency')!;
    expect(m).toMatchObject({ kind: 'littles-law', lambda: 37.5, sigma: null, kappa: null, r2: null, peakN: null, peakThroughput: null, points: 2 });
    // 300 req/s × 10 ms = 3 in flight, fewer than the 8 allowed.
    expect(m.reading).toMatch(/2 distinct concurrency values measured, too few/);
    expect(m.reading).toMatch(/about 3 requests were in flight, fewer than the 8 allowed/);
  });

  it('returns null without samples', () => {
    expect(buildModel([], 'pool')).toBeNull();
  });
});

describe('buildModel on a hard limit', () => {
  it('a step-shaped curve (a fixed pool of 4 workers) is read as a hard limit when the fit overshoots the best measured', () => {
    const samples = [1, 2, 4, 8, 16].map((n) => ({ n, x: Math.min(n, 4) * 93, latencyUs: 11_000 * Math.max(1, n / 4) }));
    const model = buildModel(samples, 'concurrency')!;
    expect(model.kind).toBe('usl');
    // The smooth law bends late and overshoots: ~416 req/s predicted near N 9, 372 ever measured.
    expect(model.peakThroughput!).toBeGreaterThan(1.1 * 372);
    expect(model.reading).toMatch(/above the best measured \(~372 req\/s at concurrency 4\).*hard limit/);
  });

  it('a curve the law follows does not get the hard-limit remark', () => {
    const samples = [1, 2, 4, 8].map((n) => ({ n, x: (100 * n) / (1 + n * (n - 1) / 16), latencyUs: 10_000 }));
    expect(buildModel(samples, 'WORKERS')!.reading).not.toMatch(/above the best measured/);
  });
});
