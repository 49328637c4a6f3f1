import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput } from '../../src/measure/usl.js';
import { NOISE, NS, synth } from './uslSamples.js';

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

  it('recovers a peak inside a doubling sweep (N 1..32) from ±2% noise: σ and κ within 25 %, the peak within 10 %', () => {
    const ns = [1, 2, 4, 8, 16, 32];
    const truth = { lambda: 300, sigma: 0.08, kappa: 0.003 };
    const fit = fitUsl(ns.map((n, i) => ({ n, x: uslThroughput(truth, n) * (1 + NOISE[i]!) })))!;
    near(fit.lambda, 300, 0.1);
    near(fit.sigma, 0.08, 0.25);
    near(fit.kappa, 0.003, 0.25);
    near(fit.peakN!, Math.sqrt(0.92 / 0.003), 0.1);
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
