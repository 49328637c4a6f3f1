/**
 * Small statistics used to judge measurements: robust centre and spread, outliers by modified
 * Z-score (as hyperfine does), bootstrap confidence intervals, least-squares slope.
 */

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * Outlier threshold on the modified Z-score |x − median| / MAD: 1.4826 turns the MAD into a
 * standard-deviation estimate, times 10 standard deviations. Same rule as hyperfine
 * (src/outlier_detection.rs, after Iglewicz & Hoaglin).
 */
export const OUTLIER_THRESHOLD = 1.4826 * 10;

/** Modified Z-scores; when MAD is 0, any value off the median scores Infinity. */
export function modifiedZScores(values: readonly number[]): number[] {
  const m = median(values);
  const d = mad(values);
  return values.map((v) => (v === m ? 0 : d === 0 ? Infinity : (v - m) / d));
}

/** Indices of outliers (either direction). Needs at least 3 values. */
export function outlierIndices(values: readonly number[]): number[] {
  if (values.length < 3) return [];
  return modifiedZScores(values)
    .map((z, i) => (Math.abs(z) > OUTLIER_THRESHOLD ? i : -1))
    .filter((i) => i >= 0);
}

/** Deterministic PRNG (mulberry32), so bootstrap intervals repeat exactly for the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point estimate with a confidence interval. */
export interface Estimate {
  /** The point estimate, in the unit of the samples. */
  value: number;
  /** Lower bound of the interval. */
  low: number;
  /** Upper bound of the interval. */
  high: number;
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number;
}

/**
 * Difference of medians (b − a) with a percentile-bootstrap 95 % interval. Used where a cost is the
 * difference between two request kinds measured interleaved (e.g. unknown-tool call − baseline).
 */
export function medianDifference(a: readonly number[], b: readonly number[], resamples = 400): Estimate {
  const value = median(b) - median(a);
  if (a.length < 2 || b.length < 2) return { value, low: value, high: value, level: 0.95 };
  const rand = seededRandom(a.length * 7919 + b.length);
  const bufA = new Float64Array(a.length);
  const bufB = new Float64Array(b.length);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) diffs[r] = resampleMedian(b, bufB, rand) - resampleMedian(a, bufA, rand);
  diffs.sort();
  return { value, low: diffs[Math.floor(resamples * 0.025)]!, high: diffs[Math.ceil(resamples * 0.975) - 1]!, level: 0.95 };
}

function resampleMedian(values: readonly number[], buf: Float64Array, rand: () => number): number {
  const n = values.length;
  for (let i = 0; i < n; i++) buf[i] = values[Math.floor(rand() * n)]!;
  buf.sort();
  const mid = n >> 1;
  return n % 2 ? buf[mid]! : (buf[mid - 1]! + buf[mid]!) / 2;
}

/** Ordinary least-squares fit y = intercept + slope·x, with r². */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

/** Spearman rank correlation (ties get average ranks). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const fit = linearFit(rx, ry);
  return Math.sign(fit.slope) * Math.sqrt(fit.r2);
}
