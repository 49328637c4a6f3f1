/**
 * The Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)), with σ the
 * contention (serialised) fraction and κ the coherency (crosstalk) cost that makes throughput
 * fall beyond a peak. No npm library fits USL, so the fit is written here: bounded non-linear
 * least squares on throughput (the sum of squared errors R² is judged on), λ > 0, σ in [0, 1],
 * κ ≥ 0. For fixed (σ, κ) the best λ has a closed form (variable projection), leaving a 2-D
 * search: a log grid over (σ, κ), then Nelder–Mead from the best few grid cells in a transformed
 * space where the bounds cannot be left (σ = sin²u, κ = v²); the lowest SSE wins. One start was
 * not enough: on real points (418, 520, 822, 360 req/s at N 2, 4, 8, 16) a single descent ended
 * on the bound σ = 1, κ = 0 with R² −0.22.
 */

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
 * Least squares on throughput. For fixed (σ, κ), with g = N/D, the model is λg, so the best
 * λ = Σg·x / Σg² and the SSE is Σx² − (Σg·x)²/Σg² (λ > 0 since g, x > 0).
 */
function solve(samples: readonly Sample[], sigma: number, kappa: number): { lambda: number; loss: number } {
  let gx = 0;
  let gg = 0;
  for (const { n, x } of samples) {
    const g = n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    gx += g * x;
    gg += g * g;
  }
  const lambda = gx / gg;
  let loss = 0;
  for (const { n, x } of samples) loss += (x - (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1))) ** 2;
  return { lambda, loss };
}

/** Nelder–Mead (standard coefficients) on a 2-D function; enough for a smooth loss. */
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

/** Grid cells Nelder–Mead starts from (the best ones by SSE, one per σ row, so the starts differ). */
const STARTS = 6;

/** Best (σ, κ) over a log grid (with 0 itself, since σ = 0 or κ = 0 are common answers), then refined from several starts. */
function search(samples: readonly Sample[], withKappa: boolean): { sigma: number; kappa: number; lambda: number; loss: number } {
  const logGrid = (lo: number, hi: number, steps: number): number[] => [0, ...Array.from({ length: steps + 1 }, (_, i) => lo * (hi / lo) ** (i / steps))];
  const sigmas = logGrid(1e-4, 1, 40);
  const kappas = withKappa ? logGrid(1e-7, 10, 56) : [0];
  const cells: Array<{ sigma: number; kappa: number; lambda: number; loss: number }> = [];
  for (const sigma of sigmas) {
    let row = { sigma, kappa: 0, ...solve(samples, sigma, 0) };
    for (const kappa of kappas) {
      const s = solve(samples, sigma, kappa);
      if (s.loss < row.loss) row = { sigma, kappa, ...s };
    }
    cells.push(row);
  }
  cells.sort((a, b) => a.loss - b.loss);
  let best = cells[0]!;
  // σ = sin²u and κ = v² keep every step inside the bounds without flat clamped regions.
  // Values below these are the descent's rounding of a bound (σ = 0, κ = 0), not a measurement: snap them to it.
  const snap = (x: number, eps: number): number => (x < eps ? 0 : x);
  const at = ([u, v]: [number, number]) => ({ sigma: snap(Math.sin(u) ** 2, 1e-9), kappa: withKappa ? snap(v * v, 1e-12) : 0 });
  const loss = (p: [number, number]): number => {
    const { sigma, kappa } = at(p);
    return solve(samples, sigma, kappa).loss;
  };
  for (const start of cells.slice(0, STARTS)) {
    const u = Math.asin(Math.sqrt(start.sigma));
    const v = Math.sqrt(start.kappa);
    const p = nelderMead(loss, [u, v], [0.1 + 0.2 * u, withKappa ? Math.max(v * 0.3, 1e-3) : 0]);
    const { sigma, kappa } = at(p);
    const refined = { sigma, kappa, ...solve(samples, sigma, kappa) };
    if (refined.loss < best.loss) best = refined;
  }
  return best;
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
  const scale = used.reduce((a, s) => a + s.x * s.x, 0);
  const keep = full.kappa > 0 && gain > 1e-12 * scale && (dof <= 0 || gain / (full.loss / dof) > F_KEEP_KAPPA);
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
