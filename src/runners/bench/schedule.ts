/**
 * Intended send times of an open loop: request i at t0 + i/R (uniform), or with exponential gaps of
 * mean 1/R from a seeded generator (poisson), independent of responses. Latency is measured from
 * these times (wrk2's correction for coordinated omission).
 */
import { seededRandom } from '../../measure/stats.js';
import type { Arrival } from '../../options/benchOptions.js';

/** The intended send times of one open loop, taken one request at a time (peek, advance). */
export class Schedule {
  /** Index of the next request to send. */
  index = 0;
  private due: number;
  private readonly intervalMs: number;
  private readonly rand: () => number;

  constructor(
    /** performance.now() of request 0. */
    readonly t0: number,
    /** Requests per second. */
    readonly rps: number,
    readonly arrival: Arrival,
    seed: number,
  ) {
    this.intervalMs = 1000 / rps;
    this.rand = seededRandom(seed ^ 0x5bd1e995);
    this.due = t0;
  }

  /** Intended time of the next request. */
  peek(): number {
    return this.due;
  }

  /** Move to the following request. */
  advance(): void {
    this.index++;
    if (this.arrival === 'uniform') {
      this.due = this.t0 + this.index * this.intervalMs;
    } else {
      // Inverse-CDF exponential gap; 1 - u avoids log(0).
      this.due += -Math.log(1 - this.rand()) * this.intervalMs;
    }
  }
}
