import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput } from '../../../src/measure/usl.js';
import { buildModel } from '../../../src/runners/tune/scalabilityModel.js';
import { synth } from '../../measure/uslSamples.js';

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

  it('predicts nothing when the fit is poor: no peak, no trend', () => {
    const zigzag = [1, 2, 3, 4, 5, 6].map((n) => ({ n, x: n % 2 ? 100 : 300, latencyUs: 1000 }));
    const m = buildModel(zigzag, 'pool')!;
    expect(m.r2!).toBeLessThan(0.8);
    expect(m).toMatchObject({ kind: 'usl', predictive: false, peakN: null, peakThroughput: null });
    expect(m.reading).toMatch(/^Throughput does not follow the Universal Scalability Law against pool \(best fit R² 0\.\d\d, below 0\.8\), so no peak or trend is predicted; the best measured was ~300 req\/s at pool 2\./);
    expect(m.reading).not.toMatch(/peaks|levels off|grows|keeps rising/);
  });

  it('on real points (418, 520, 822, 360 req/s at N 2, 4, 8, 16) gives no σ 1 / κ 0 fit and no prediction', () => {
    // Measured by a user on a real server (issue 9): the old fit printed "σ 1, κ 0, R² −0.22, keeps rising".
    const real = [[2, 418], [4, 520], [8, 822], [16, 360]].map(([n, x]) => ({ n: n!, x: x!, latencyUs: 5_000 }));
    const fit = fitUsl(real)!;
    expect(fit.sigma).toBeLessThan(0.99);
    // The best bounded fit explains more than the constant mean (R² > 0), still too little to predict.
    expect(fit.r2).toBeGreaterThan(0);
    const m = buildModel(real, 'pool × concurrency')!;
    expect(m).toMatchObject({ predictive: false, peakN: null, peakThroughput: null });
    expect(m.reading).toContain('the best measured was ~822 req/s at pool × concurrency 8');
    expect(m.reading).not.toMatch(/peaks|levels off|grows|keeps rising/);
  });

  it('keeps the lowest SSE over several starts: never worse than any grid point', () => {
    const real = [[2, 418], [4, 520], [8, 822], [16, 360]].map(([n, x]) => ({ n: n!, x: x! }));
    const fit = fitUsl(real)!;
    const sse = (f: { lambda: number; sigma: number; kappa: number }) => real.reduce((a, s) => a + (s.x - uslThroughput(f, s.n)) ** 2, 0);
    // The closed-form λ for (σ, κ) on a coarse grid, among fits of the same family the F test allowed (κ = 0 here).
    for (const sigma of [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]) {
      const g = real.map((s) => s.n / (1 + sigma * (s.n - 1)));
      const lambda = real.reduce((a, s, i) => a + g[i]! * s.x, 0) / g.reduce((a, v) => a + v * v, 0);
      expect(sse(fit)).toBeLessThanOrEqual(sse({ lambda, sigma, kappa: 0 }) + 1e-6);
    }
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
    // The smooth law bends late and overshoots: it levels off near 470 req/s (λ/σ; κ does not
    // earn its keep on 5 points), 372 ever measured.
    expect(model.lambda! / model.sigma!).toBeGreaterThan(1.1 * 372);
    expect(model.reading).toMatch(/above the best measured \(~372 req\/s at concurrency 4\).*hard limit/);
  });

  it('a curve the law follows does not get the hard-limit remark', () => {
    const samples = [1, 2, 4, 8].map((n) => ({ n, x: (100 * n) / (1 + n * (n - 1) / 16), latencyUs: 10_000 }));
    expect(buildModel(samples, 'WORKERS')!.reading).not.toMatch(/above the best measured/);
  });
});
