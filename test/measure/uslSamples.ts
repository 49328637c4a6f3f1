/** Throughput samples that follow the Universal Scalability Law exactly or with a fixed noise pattern. */
import { uslThroughput } from '../../src/measure/usl.js';

/** Deterministic ±2% noise: a fixed pattern, so the test never flakes. */
export const NOISE = [0.02, -0.015, 0.01, -0.02, 0.005, 0.018, -0.01, -0.005, 0.012, -0.018];
/** The N of each sample: a typical doubling sweep with some points between. */
export const NS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];

/** Throughput at each of NS under the USL with λ, σ, κ, with the NOISE pattern applied unless `noisy` is false. */
export function synth(lambda: number, sigma: number, kappa: number, noisy = true): Array<{ n: number; x: number }> {
  return NS.map((n, i) => ({ n, x: uslThroughput({ lambda, sigma, kappa }, n) * (1 + (noisy ? NOISE[i]! : 0)) }));
}
