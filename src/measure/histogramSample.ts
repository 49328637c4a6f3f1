/**
 * Draw from a recorded distribution without the raw samples: a decoded HDR histogram becomes
 * sorted bins (value, count, cumulative count), and a bootstrap resample's quantile is drawn in
 * O(log bins) instead of materialising m values.
 *
 * Why that is exact: a resample of size m with replacement is F⁻¹(U₁)…F⁻¹(Uₘ) for iid uniforms,
 * and F⁻¹ is monotone, so its r-th smallest value is F⁻¹(U₍ᵣ₎), where the r-th uniform order
 * statistic U₍ᵣ₎ ~ Beta(r, m − r + 1) (David & Nagaraja, Order Statistics, §2.2). One Beta draw
 * (two Gamma draws, Marsaglia & Tsang 2000) and a binary search replace m draws and a sort.
 */
import * as hdr from 'hdr-histogram-js';
import { decodeHistogram } from './histogram.js';

/** A distribution as sorted distinct values with their counts (and running totals, for inverse-CDF lookups). */
export interface Bins {
  /** Distinct values, ascending (for HDR bins: the highest value equivalent to the bucket, as getValueAtPercentile reports). */
  values: Float64Array;
  /** Samples at each value. */
  counts: Float64Array;
  /** Running total of counts: cumulative[i] = counts[0] + … + counts[i]. */
  cumulative: Float64Array;
  /** Number of samples. */
  total: number;
}

/** Bins of an encoded HDR histogram (hdr-histogram-js compressed base64); empty bins for an empty string. */
export function histogramBins(encoded: string): Bins {
  if (encoded === '') return binsOf([], []);
  const h = decodeHistogram(encoded);
  if (!(h instanceof hdr.JsHistogram)) throw new Error('expected a JavaScript HDR histogram from decodeFromCompressedBase64');
  const values: number[] = [];
  const counts: number[] = [];
  // Walk the counts array once: ~23 k slots for one hour at 3 digits, far cheaper than the ~1 000
  // getValueAtPercentile calls a percentile grid would need, and it loses nothing.
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) {
      values.push(h.highestEquivalentValue(h.valueFromIndex(i)));
      counts.push(c);
    }
  }
  return binsOf(values, counts);
}

/** Bins of raw samples (per-run cold starts, per-second throughput): distinct values and their counts. */
export function sampleBins(samples: readonly number[]): Bins {
  const sorted = [...samples].sort((x, y) => x - y);
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  return binsOf(values, counts);
}

function binsOf(values: number[], counts: number[]): Bins {
  const cumulative = new Float64Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) cumulative[i] = total += counts[i]!;
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), cumulative, total };
}

/**
 * Rank of quantile q among n samples, nearest-rank (1-based), as HdrHistogram's getValueAtPercentile
 * counts it; the tiny relative slack stops q·n = 19000.000000000004 from skipping a rank.
 */
export function quantileRank(q: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(q * n * (1 - 1e-12))));
}

/** Value at quantile q (0–1) of the bins, nearest-rank; NaN when empty. */
export function binsQuantile(bins: Bins, q: number): number {
  if (bins.total === 0) return NaN;
  return valueAtCount(bins, quantileRank(q, bins.total));
}

/** Smallest value whose cumulative count reaches `count` (the empirical inverse CDF). */
function valueAtCount(bins: Bins, count: number): number {
  const cum = bins.cumulative;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! >= count) hi = mid;
    else lo = mid + 1;
  }
  return bins.values[lo]!;
}

/** Quantile q of a size-m resample with replacement from the bins, drawn exactly in O(log bins) (see the header); NaN when empty. */
export function resampleQuantile(bins: Bins, q: number, m: number, rand: () => number): number {
  if (bins.total === 0 || m < 1) return NaN;
  const r = quantileRank(q, m);
  const u = betaVariate(r, m - r + 1, rand);
  // F⁻¹(u): the first value whose cumulative share reaches u (u is in (0, 1), so the count is ≥ a sliver above 0).
  return valueAtCount(bins, Math.max(u * bins.total, Number.MIN_VALUE));
}

/** Beta(a, b) variate as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaVariate(a: number, b: number, rand: () => number): number {
  const x = gammaVariate(a, rand);
  const y = gammaVariate(b, rand);
  return x / (x + y);
}

/**
 * Gamma(shape, 1) variate by Marsaglia & Tsang, "A simple method for generating gamma variables"
 * (ACM TOMS 26(3), 2000); shapes below 1 use their boost Gamma(a+1)·U^(1/a). Rejection rate < 5 %.
 */
function gammaVariate(shape: number, rand: () => number): number {
  if (shape < 1) return gammaVariate(shape + 1, rand) * Math.pow(uniformOpen(rand), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalVariate(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(rand);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Standard normal variate (Box–Muller; the second value of the pair is dropped to keep the PRNG stream simple). */
export function normalVariate(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(uniformOpen(rand))) * Math.cos(2 * Math.PI * rand());
}

/** Uniform in (0, 1): mulberry32 can return exactly 0, whose logarithm would be −∞. */
function uniformOpen(rand: () => number): number {
  let u = rand();
  while (u === 0) u = rand();
  return u;
}
