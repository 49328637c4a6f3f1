import { describe, expect, it } from 'vitest';
import {
  OUTLIER_THRESHOLD,
  linearFit,
  mad,
  median,
  medianDifference,
  modifiedZScores,
  outlierIndices,
  seededRandom,
  spearman,
} from '../../src/measure/stats.js';

/** Deterministic normal samples (Box–Muller over the module's own PRNG). */
function normal(n: number, mean: number, sd: number, seed: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - rand();
    const v = rand();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

describe('median and mad', () => {
  it('median of odd and even lists, unsorted input left untouched, NaN when empty', () => {
    const input = [5, 1, 3];
    expect(median(input)).toBe(3);
    expect(input).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('mad is the median absolute deviation from the median', () => {
    // median 3; |deviations| = 2,1,0,1,6 → sorted 0,1,1,2,6 → 1
    expect(mad([1, 2, 3, 4, 9])).toBe(1);
    expect(mad([5, 5, 5])).toBe(0);
  });
});

describe('modifiedZScores and outlierIndices (hyperfine rule: |x − median| / MAD > 1.4826 × 10)', () => {
  // median 10 and MAD 1 whatever the extreme value X is, so z(X) = X − 10.
  const base = [8, 9, 9, 10, 10, 10, 11, 11, 12];

  it('uses the threshold 1.4826 × 10', () => {
    expect(OUTLIER_THRESHOLD).toBeCloseTo(14.826, 10);
  });

  it('scores (x − median) / MAD with sign', () => {
    expect(modifiedZScores([...base, 30])).toEqual([-2, -1, -1, 0, 0, 0, 1, 1, 2, 20]);
  });

  it('finds a clear outlier in either direction', () => {
    expect(outlierIndices([...base, 100])).toEqual([9]);
    expect(outlierIndices([-80, ...base])).toEqual([0]);
  });

  it('flags a value just above the threshold but not one just below', () => {
    expect(outlierIndices([...base, 10 + 15])).toEqual([9]);
    expect(outlierIndices([...base, 10 + 14])).toEqual([]);
  });

  it('does not flag normal noise', () => {
    const samples = normal(2000, 100, 5, 42);
    expect(outlierIndices(samples)).toEqual([]);
  });

  it('with MAD = 0 every value off the median is an outlier (score Infinity), values on it are not', () => {
    const values = [5, 5, 5, 5, 6];
    expect(mad(values)).toBe(0);
    expect(modifiedZScores(values)).toEqual([0, 0, 0, 0, Infinity]);
    expect(outlierIndices(values)).toEqual([4]);
    expect(outlierIndices([3, 3, 3, 3])).toEqual([]);
  });

  it('needs at least 3 values', () => {
    expect(outlierIndices([1, 1000])).toEqual([]);
  });
});

describe('medianDifference (percentile bootstrap)', () => {
  it('is deterministic for the same input', () => {
    const a = normal(200, 100, 10, 1);
    const b = normal(200, 120, 10, 2);
    expect(medianDifference(a, b)).toEqual(medianDifference([...a], [...b]));
  });

  it('contains the true shift and excludes 0 when the shift is large', () => {
    const a = normal(300, 100, 10, 3);
    const b = normal(300, 100, 10, 4).map((x) => x + 50);
    const est = medianDifference(a, b);
    expect(est.level).toBe(0.95);
    expect(est.value).toBeCloseTo(median(b) - median(a), 10);
    expect(est.low).toBeLessThan(50);
    expect(est.high).toBeGreaterThan(50);
    expect(est.low).toBeGreaterThan(0);
    expect(est.low).toBeLessThanOrEqual(est.value);
    expect(est.high).toBeGreaterThanOrEqual(est.value);
  });

  it('includes 0 for samples from the same distribution', () => {
    const a = normal(300, 100, 10, 5);
    const b = normal(300, 100, 10, 6);
    const est = medianDifference(a, b);
    expect(est.low).toBeLessThan(0);
    expect(est.high).toBeGreaterThan(0);
  });

  it('gives a zero-width interval when a side has fewer than 2 values', () => {
    expect(medianDifference([1], [4, 6])).toEqual({ value: 4, low: 4, high: 4, level: 0.95 });
  });
});

describe('linearFit', () => {
  it('recovers an exact line with r² = 1', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const fit = linearFit(xs, xs.map((x) => 3 * x + 2));
    expect(fit.slope).toBeCloseTo(3, 12);
    expect(fit.intercept).toBeCloseTo(2, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('recovers a falling line', () => {
    const xs = [10, 20, 30];
    const fit = linearFit(xs, xs.map((x) => -0.5 * x + 7));
    expect(fit.slope).toBeCloseTo(-0.5, 12);
    expect(fit.intercept).toBeCloseTo(7, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('returns slope 0 and r² 0 when x does not vary', () => {
    expect(linearFit([2, 2, 2], [1, 5, 9])).toEqual({ slope: 0, intercept: 5, r2: 0 });
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation and −1 for a decreasing one', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    expect(spearman(xs, xs.map((x) => x ** 3))).toBeCloseTo(1, 12);
    expect(spearman(xs, xs.map((x) => Math.exp(-x)))).toBeCloseTo(-1, 12);
  });

  it('gives ties their average rank', () => {
    // Ranks of y: 5→1, 6→2, 7,7→3.5, 8→5; Pearson of ranks = 8/√95 (scipy.stats.spearmanr agrees).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 2, 3], [10, 20, 20, 30])).toBeCloseTo(1, 12);
  });

  it('is 0 when one side is constant', () => {
    expect(spearman([1, 2, 3], [4, 4, 4])).toBe(0);
  });
});
