/**
 * The Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)), with σ the
 * contention (serialised) fraction and κ the coherency (crosstalk) cost that makes throughput
 * fall beyond a peak. No npm library fits USL, so the fit is written here: for fixed (σ, κ) the
 * best λ has a closed form, leaving a 2-D search (coarse log grid, then Nelder–Mead).
 */
import type { ScalabilityModel } from '../../result/tuneResult.js';

/** A fitted USL. */
export interface UslFit {
  /** Throughput of one unit of N, req/s. */
  lambda: number;
  /** Contention, 0..1. */
  sigma: number;
  /** Coherency, ≥ 0. */
  kappa: number;
  /** 1 − SS_res/SS_tot on throughput. */
  r2: number;
  /** N of peak throughput, sqrt((1−σ)/κ); null when κ = 0. */
  peakN: number | null;
  /** Throughput at peakN; null when κ = 0. */
  peakThroughput: number | null;
  /** Samples used. */
  points: number;
}

type Sample = { n: number; x: number };

/** USL throughput at N. */
export function uslThroughput(fit: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>, n: number): number {
  return (fit.lambda * n) / (1 + fit.sigma * (n - 1) + fit.kappa * n * (n - 1));
}

/**
 * Least squares on relative error (weights 1/x²), so N=1 at 50 req/s counts as much as N=64 at
 * 2,000. For fixed (σ, κ), with g = N/D and r = g/x, λ = Σr/Σr² and the loss is m − (Σr)²/Σr².
 */
function solve(samples: readonly Sample[], sigma: number, kappa: number): { lambda: number; loss: number } {
  let sr = 0;
  let srr = 0;
  for (const { n, x } of samples) {
    const r = n / (1 + sigma * (n - 1) + kappa * n * (n - 1)) / x;
    sr += r;
    srr += r * r;
  }
  const lambda = sr / srr;
  let loss = 0;
  for (const { n, x } of samples) loss += (1 - (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1)) / x) ** 2;
  return { lambda, loss };
}

const clampSigma = (s: number): number => Math.min(1, Math.max(0, s));
const clampKappa = (k: number): number => Math.max(0, k);

/** Nelder–Mead (standard coefficients) on a 2-D function; enough for a smooth, bounded loss. */
function nelderMead(f: (p: [number, number]) => number, start: [number, number], step: [number, number]): [number, number] {
  let simplex: Array<{ p: [number, number]; v: number }> = [start, [start[0] + step[0], start[1]], [start[0], start[1] + step[1]]].map((p) => ({ p: p as [number, number], v: f(p as [number, number]) }));
  const mix = (a: [number, number], b: [number, number], t: number): [number, number] => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  for (let iter = 0; iter < 400; iter++) {
    simplex.sort((a, b) => a.v - b.v);
    const [best, mid, worst] = simplex as [(typeof simplex)[0], (typeof simplex)[0], (typeof simplex)[0]];
    if (Math.abs(worst.v - best.v) <= 1e-15 * (1 + Math.abs(best.v))) break;
    const centre = mix(best.p, mid.p, 0.5);
    const reflected = mix(centre, worst.p, -1);
    const vr = f(reflected);
    if (vr < best.v) {
      const expanded = mix(centre, worst.p, -2);
      const ve = f(expanded);
      simplex[2] = ve < vr ? { p: expanded, v: ve } : { p: reflected, v: vr };
    } else if (vr < mid.v) {
      simplex[2] = { p: reflected, v: vr };
    } else {
      const contracted = mix(centre, worst.p, 0.5);
      const vc = f(contracted);
      if (vc < worst.v) simplex[2] = { p: contracted, v: vc };
      else simplex = simplex.map((s, i) => (i === 0 ? s : { p: mix(best.p, s.p, 0.5), v: f(mix(best.p, s.p, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return simplex[0]!.p;
}

/** Best (σ, κ) over a log grid (with 0 itself, since σ = 0 or κ = 0 are common answers), then refined. */
function search(samples: readonly Sample[], withKappa: boolean): { sigma: number; kappa: number; lambda: number; loss: number } {
  const logGrid = (lo: number, hi: number, steps: number): number[] => [0, ...Array.from({ length: steps + 1 }, (_, i) => lo * (hi / lo) ** (i / steps))];
  const sigmas = logGrid(1e-4, 1, 40);
  const kappas = withKappa ? logGrid(1e-7, 10, 56) : [0];
  let best = { sigma: 0, kappa: 0, ...solve(samples, 0, 0) };
  for (const sigma of sigmas) {
    for (const kappa of kappas) {
      const s = solve(samples, sigma, kappa);
      if (s.loss < best.loss) best = { sigma, kappa, ...s };
    }
  }
  const loss = ([s, k]: [number, number]): number => solve(samples, clampSigma(s), withKappa ? clampKappa(k) : 0).loss;
  const [s, k] = nelderMead(loss, [best.sigma, best.kappa], [Math.max(best.sigma * 0.2, 1e-3), withKappa ? Math.max(best.kappa * 0.2, 1e-5) : 1]);
  const sigma = clampSigma(s);
  const kappa = withKappa ? clampKappa(k) : 0;
  const refined = solve(samples, sigma, kappa);
  return refined.loss <= best.loss ? { sigma, kappa, ...refined } : best;
}

/**
 * An extra parameter must earn its keep: κ stays only when it cuts the loss beyond what noise
 * explains (F test, 1 and m−3 degrees of freedom, F > 4 ≈ 95%). Otherwise a noisy but flat
 * curve would get a fictitious peak far beyond the measured range.
 */
const F_KEEP_KAPPA = 4;

/** Fit the USL; null with fewer than 3 distinct N > 0 (samples with x ≤ 0 carry no shape and are left out). */
export function fitUsl(samples: ReadonlyArray<{ n: number; x: number }>): UslFit | null {
  const used = samples.filter((s) => s.n > 0 && s.x > 0 && Number.isFinite(s.n) && Number.isFinite(s.x));
  if (new Set(used.map((s) => s.n)).size < 3) return null;
  const full = search(used, true);
  const flat = search(used, false);
  const dof = used.length - 3;
  const gain = flat.loss - full.loss;
  const keep = full.kappa > 0 && gain > 1e-12 * used.length && (dof <= 0 || gain / (full.loss / dof) > F_KEEP_KAPPA);
  const { lambda, sigma, kappa } = keep ? full : flat;
  const mean = used.reduce((a, s) => a + s.x, 0) / used.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const s of used) {
    ssRes += (s.x - uslThroughput({ lambda, sigma, kappa }, s.n)) ** 2;
    ssTot += (s.x - mean) ** 2;
  }
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes <= 1e-9 * mean * mean ? 1 : 0;
  const peakN = kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : null;
  const peakThroughput = peakN === null ? null : uslThroughput({ lambda, sigma, kappa }, peakN);
  return { lambda, sigma, kappa, r2, peakN, peakThroughput, points: used.length };
}

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
  if (fit) return { kind: 'usl', ...fit, reading: uslReading(fit, axisLabel, Math.max(...samples.map((s) => s.n)), best) };
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

function uslReading(fit: UslFit, axis: string, maxN: number, best: { n: number; x: number }): string {
  const how = fit.r2 >= 0.95 ? 'well' : fit.r2 >= 0.8 ? 'fairly well' : 'poorly';
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
  const over = fit.peakThroughput !== null && fit.peakN !== null && fit.peakN <= PEAK_REACH * maxN && fit.peakThroughput > OVERSHOOT * best.x
    ? ` That is above the best measured (${rps(best.x)} at ${axis} ${best.n}): throughput flattens more sharply than the law bends, as behind a hard limit such as a fixed worker pool.`
    : '';
  return head + shape + over + (how === 'poorly' ? ' The fit is poor; treat the prediction as rough.' : '');
}
