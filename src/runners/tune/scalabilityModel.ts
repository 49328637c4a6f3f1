/**
 * The scalability model a tune result carries, in numbers and in words: the Universal Scalability
 * Law fitted to throughput against the knob axis (measure/usl.ts) when there are enough points and
 * it predicts, else a Little's-law reading of the best point.
 */
import { fitUsl, type UslFit } from '../../measure/usl.js';
import type { ScalabilityModel } from '../../result/tuneResult.js';

/**
 * Below this R² the fit predicts nothing (no peak, no trend): more than a fifth of the variance
 * of throughput across N is left unexplained, which with 3-5 points (a typical sweep) and 3
 * parameters means the curve does not have the law's shape (e.g. a collapse after the best
 * point), so any extrapolation would be the law's, not the server's. 0.8 is also where the
 * reading's "fairly well" ends.
 */
export const MIN_PREDICTIVE_R2 = 0.8;

/** Two significant digits, plainly ("0.061", "230"). */
const sig = (v: number): string => (v === 0 ? '0' : String(Number(v.toPrecision(2))));
const rps = (v: number): string => `~${Math.round(v).toLocaleString('en-US')} req/s`;

/** A peak further out than this × the largest N measured is a guess, not a finding. */
const PEAK_REACH = 2;

/**
 * The scalability model of throughput against `axisLabel` (e.g. 'pool × concurrency', 'WORKERS'):
 * a USL fit when there are ≥ 3 distinct N, else a Little's-law reading of the best point; null
 * without samples. `latencyUs` is the mean or p50 latency of successes at that point.
 */
export function buildModel(samples: ReadonlyArray<{ n: number; x: number; latencyUs: number }>, axisLabel: string): ScalabilityModel | null {
  if (samples.length === 0) return null;
  const fit = fitUsl(samples);
  const best = samples.reduce((a, s) => (s.x > a.x ? s : a));
  if (fit && fit.r2 < MIN_PREDICTIVE_R2) {
    return { kind: 'usl', ...fit, peakN: null, peakThroughput: null, predictive: false, reading: poorReading(fit, axisLabel, best) };
  }
  if (fit) return { kind: 'usl', ...fit, predictive: true, reading: uslReading(fit, axisLabel, Math.max(...samples.map((s) => s.n)), best) };
  const distinct = new Set(samples.filter((s) => s.n > 0).map((s) => s.n)).size;
  // Little's law: in-flight requests L = X·R; compared with N it says whether N was kept busy.
  const inFlight = best.x * (best.latencyUs / 1e6);
  const busy = best.n > 0 && inFlight < 0.8 * best.n ? `, fewer than the ${best.n} allowed: the load did not keep every slot busy` : '';
  return {
    kind: 'littles-law',
    lambda: best.n > 0 ? best.x / best.n : null,
    sigma: null,
    kappa: null,
    r2: null,
    peakN: null,
    peakThroughput: null,
    points: samples.length,
    reading:
      `${distinct} distinct ${axisLabel} value${distinct === 1 ? '' : 's'} measured, too few (3 needed) to fit the Universal Scalability Law. ` +
      `At ${axisLabel} ${best.n} the server delivered ${rps(best.x)} at ${sig(best.latencyUs / 1000)} ms, so by Little's law (N = X·R) about ${sig(inFlight)} requests were in flight${busy}.`,
  };
}

/** A predicted peak this much above the best measured throughput is the law's shape, not the server's. */
const OVERSHOOT = 1.1;

/** A fit below MIN_PREDICTIVE_R2: say so and predict nothing (no σ, κ, peak or trend quoted). */
function poorReading(fit: UslFit, axis: string, best: { n: number; x: number }): string {
  return `Throughput does not follow the Universal Scalability Law against ${axis} (best fit R² ${fit.r2.toFixed(2)}, below ${MIN_PREDICTIVE_R2}), so no peak or trend is predicted; `
    + `the best measured was ${rps(best.x)} at ${axis} ${best.n}. Repeat the points or measure more values of ${axis} for a model.`;
}

function uslReading(fit: UslFit, axis: string, maxN: number, best: { n: number; x: number }): string {
  const how = fit.r2 >= 0.95 ? 'well' : 'fairly well';
  const head = `Throughput fits the Universal Scalability Law ${how} (R² ${fit.r2.toFixed(2)}) against ${axis}: contention σ ${sig(fit.sigma)}, coherency κ ${sig(fit.kappa)}; `;
  let shape: string;
  if (fit.peakN !== null && fit.peakN <= PEAK_REACH * maxN) {
    shape = `it peaks near ${axis} ${Math.max(1, Math.round(fit.peakN))} at ${rps(fit.peakThroughput!)}, beyond which crosstalk makes more ${axis} slower.`;
  } else if (fit.sigma > 0) {
    shape = `no peak within reach: throughput levels off at ${rps(fit.lambda / fit.sigma)} (λ/σ).`;
  } else {
    shape = `no peak within reach: throughput grows about linearly, ${rps(fit.lambda)} per unit of ${axis}.`;
  }
  // A hard limit (a fixed worker pool, a connection cap) turns the curve flat at once, which the
  // USL's smooth bend cannot follow: it then predicts more than was ever measured. Say so.
  const peakInReach = fit.peakThroughput !== null && fit.peakN !== null && fit.peakN <= PEAK_REACH * maxN;
  const ceiling = peakInReach ? fit.peakThroughput! : fit.sigma > 0 && fit.kappa === 0 ? fit.lambda / fit.sigma : null;
  const over = ceiling !== null && ceiling > OVERSHOOT * best.x
    ? ` That is above the best measured (${rps(best.x)} at ${axis} ${best.n}): throughput flattens more sharply than the law bends, as behind a hard limit such as a fixed worker pool.`
    : '';
  return head + shape + over;
}
