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
  /** Intended time of the request after the next (drawn one ahead, so the sequence is unchanged). */
  private following: number;
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
    this.following = this.after(t0, 1);
  }

  /** Intended time of the next request. */
  peek(): number {
    return this.due;
  }

  /** Intended time of the request after the next one (the open loop's alarm goes on to it by itself). */
  peekFollowing(): number {
    return this.following;
  }

  /** Move to the following request. */
  advance(): void {
    this.index++;
    this.due = this.following;
    this.following = this.after(this.due, this.index + 1);
  }

  /** Intended time of request `i`, which follows one intended at `prev`. */
  private after(prev: number, i: number): number {
    // Uniform times are computed from t0, not summed, so they do not drift.
    if (this.arrival === 'uniform') return this.t0 + i * this.intervalMs;
    // Inverse-CDF exponential gap; 1 - u avoids log(0).
    return prev + -Math.log(1 - this.rand()) * this.intervalMs;
  }
}
