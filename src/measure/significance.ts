/**
 * The statistical tests `report --compare` judges a metric with: a percentile-bootstrap interval
 * of a quantile ratio (Efron & Tibshirani, An Introduction to the Bootstrap, ch. 13), the
 * Mann-Whitney U test with its rank-biserial effect size, and a two-proportion z-test for error
 * rates. Histograms and raw samples share one code path: samples become bins.
 *
 * Caveat the verdict rule answers for: requests of one run are not independent (a GC pause slows
 * neighbours), so with 10⁵ requests p-values are optimistic; a minimum practical change guards it.
 */
import { seededRandom } from './stats.js';
import { type Bins, binsQuantile, resampleQuantile, sampleBins } from './histogramSample.js';

/** Options of a bootstrap. */
export interface BootstrapOptions {
  /** Resamples drawn (default 400: the 2.5 and 97.5 % points then rest on 10 resamples each). */
  resamples?: number;
  /** Largest resample size (default 20 000). */
  maxSize?: number;
  /** PRNG seed (mulberry32), so the same data always gives the same interval. */
  seed?: number;
}

/** A ratio current/baseline with its 95 % percentile-bootstrap interval. */
export interface RatioEstimate {
  /** quantile_q(b) / quantile_q(a) on the full data. */
  ratio: number;
  /** 2.5 and 97.5 % points of the resampled ratios. */
  ci: [number, number];
}

/** Result of a Mann-Whitney U test. */
export interface MannWhitney {
  /** Pairs (x from a, y from b) with y > x, ties counted half. */
  u: number;
  /** Standardised U (normal approximation, tie-corrected). */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Rank-biserial correlation 2U/(n₁n₂) − 1 in [−1, 1]: positive when b (current) tends larger. */
  effectSize: number;
}

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 400;
/** Default cap on a resample's size. */
export const DEFAULT_MAX_SIZE = 20_000;

/**
 * Ratio of quantile q of b to that of a, with a 95 % percentile-bootstrap interval. Each side is
 * resampled independently with size min(n, maxSize): capping the size makes each resampled
 * quantile vary as if fewer samples had been taken, which widens the interval (conservative: it
 * can only hide a change, never invent one). NaN ratio and interval when either side is empty.
 */
export function bootstrapRatio(a: Bins, b: Bins, q: number, opts: BootstrapOptions = {}): RatioEstimate {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const ratio = safeRatio(binsQuantile(b, q), binsQuantile(a, q));
  if (a.total === 0 || b.total === 0) return { ratio, ci: [NaN, NaN] };
  const rand = seededRandom(opts.seed ?? 1);
  const ma = Math.min(a.total, maxSize);
  const mb = Math.min(b.total, maxSize);
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) ratios[i] = safeRatio(resampleQuantile(b, q, mb, rand), resampleQuantile(a, q, ma, rand));
  ratios.sort();
  return { ratio, ci: [ratios[Math.floor(resamples * 0.025)]!, ratios[Math.ceil(resamples * 0.975) - 1]!] };
}

/** bootstrapRatio over raw samples (per-run cold starts, per-second throughput). */
export function bootstrapSamplesRatio(a: readonly number[], b: readonly number[], q: number, opts: BootstrapOptions = {}): RatioEstimate {
  return bootstrapRatio(sampleBins(a), sampleBins(b), q, opts);
}

/** x / y, with 0/0 = 1 (no change) so a sorted array of ratios never holds NaN. */
function safeRatio(x: number, y: number): number {
  if (x === 0 && y === 0) return 1;
  return x / y;
}

/**
 * Mann-Whitney U of b against a, exactly from binned data: one merge walk over the sorted union
 * of values, each b bin scoring the a samples below it plus half of those tied with it. The p-value
 * is the normal approximation with the tie correction of the variance (Lehmann, Nonparametrics,
 * 1975, §1.4), no continuity correction; with fewer than ~10 per side it is only approximate.
 */
export function mannWhitneyBins(a: Bins, b: Bins): MannWhitney {
  const n1 = a.total;
  const n2 = b.total;
  if (n1 === 0 || n2 === 0) return { u: NaN, z: NaN, pValue: NaN, effectSize: NaN };
  let u = 0;
  let below = 0; // a samples strictly below the current value
  let tieTerm = 0; // Σ (t³ − t) over groups of tied values
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? a.values[i]! : Infinity;
    const vb = j < b.values.length ? b.values[j]! : Infinity;
    const v = Math.min(va, vb);
    const ca = va === v ? a.counts[i++]! : 0;
    const cb = vb === v ? b.counts[j++]! : 0;
    u += cb * (below + ca / 2);
    below += ca;
    const t = ca + cb;
    tieTerm += t * t * t - t;
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (u - mean) / Math.sqrt(variance) : 0;
  return { u, z, pValue: variance > 0 ? erfc(Math.abs(z) / Math.SQRT2) : 1, effectSize: (2 * u) / (n1 * n2) - 1 };
}

/** Mann-Whitney U over raw samples (same orientation: positive effect when b is larger). */
export function mannWhitneySamples(a: readonly number[], b: readonly number[]): MannWhitney {
  return mannWhitneyBins(sampleBins(a), sampleBins(b));
}

/** Result of a two-proportion z-test. */
export interface TwoProportion {
  /** Proportion of a's trials that failed (failures / trials; NaN when a had no trials). */
  pa: number;
  /** Proportion of b's trials that failed (failures / trials; NaN when b had no trials). */
  pb: number;
  /** Standardised difference pb − pa under the pooled proportion. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Two-proportion z-test with the pooled variance (Agresti, Categorical Data Analysis, §3.1):
 * are b's failures per trial a different rate from a's? p-value 1 when both rates are 0 or 1.
 */
export function twoProportionTest(failedA: number, trialsA: number, failedB: number, trialsB: number): TwoProportion {
  const pa = trialsA > 0 ? failedA / trialsA : NaN;
  const pb = trialsB > 0 ? failedB / trialsB : NaN;
  if (trialsA === 0 || trialsB === 0) return { pa, pb, z: NaN, pValue: NaN };
  const pooled = (failedA + failedB) / (trialsA + trialsB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  const z = se > 0 ? (pb - pa) / se : 0;
  return { pa, pb, z, pValue: se > 0 ? erfc(Math.abs(z) / Math.SQRT2) : 1 };
}

/**
 * Complementary error function, relative error < 1.2e-7 everywhere (Chebyshev fit, Press et al.,
 * Numerical Recipes 2nd ed., §6.2 `erfcc`): ample for a 0.01 threshold, and it keeps tiny p-values
 * positive where 1 − erf would round to 0.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
