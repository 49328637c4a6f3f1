import { describe, expect, it } from 'vitest';
import { Schedule } from '../../../src/runners/bench/schedule.js';

/** The first `n` intended times of a schedule. */
function times(s: Schedule, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(s.peek());
    s.advance();
  }
  return out;
}

const gaps = (ts: readonly number[]): number[] => ts.slice(1).map((t, i) => t - ts[i]!);

describe('Schedule: uniform arrivals', () => {
  it('puts request i at exactly t0 + i/R, without accumulating rounding', () => {
    const t0 = 12_345.678;
    const s = new Schedule(t0, 300, 'uniform', 1);
    const ts = times(s, 100_001);
    for (const i of [0, 1, 2, 3, 299, 300, 12_345, 100_000]) expect(ts[i]).toBe(t0 + i * (1000 / 300));
    expect(ts[300]! - t0).toBeCloseTo(1000, 9);
    expect(ts[100_000]! - t0).toBeCloseTo(100_000 * (1000 / 300), 6);
    expect(s.index).toBe(100_001);
  });

  it('starts at t0 and does not depend on the seed', () => {
    expect(new Schedule(5, 1000, 'uniform', 1).peek()).toBe(5);
    expect(times(new Schedule(5, 1000, 'uniform', 1), 50)).toEqual(times(new Schedule(5, 1000, 'uniform', 99), 50));
  });
});

describe('Schedule: poisson arrivals', () => {
  const R = 250;
  const meanMs = 1000 / R;
  const N = 100_000;

  it('starts at t0', () => {
    expect(new Schedule(42, R, 'poisson', 7).peek()).toBe(42);
  });

  it('has a mean gap of 1/R within 2 % over 100k arrivals', () => {
    const g = gaps(times(new Schedule(0, R, 'poisson', 1), N + 1));
    expect(g.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    expect(Math.abs(mean - meanMs) / meanMs).toBeLessThan(0.02);
  });

  it('has exponential gaps: P(gap < mean) ≈ 1 − 1/e, P(gap < 2·mean) ≈ 1 − 1/e², CV ≈ 1', () => {
    const g = gaps(times(new Schedule(0, R, 'poisson', 3), N + 1));
    const below = (x: number): number => g.filter((v) => v < x).length / g.length;
    expect(Math.abs(below(meanMs) - (1 - Math.exp(-1))) / (1 - Math.exp(-1))).toBeLessThan(0.02);
    expect(Math.abs(below(2 * meanMs) - (1 - Math.exp(-2))) / (1 - Math.exp(-2))).toBeLessThan(0.02);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / (g.length - 1));
    // Uniform gaps would give CV 0; exponential gives 1.
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('repeats exactly for the same seed and differs for another', () => {
    const a = times(new Schedule(100, R, 'poisson', 7), 1000);
    const b = times(new Schedule(100, R, 'poisson', 7), 1000);
    const c = times(new Schedule(100, R, 'poisson', 8), 1000);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(c[0]).toBe(a[0]); // both start at t0
    expect(c[1]).not.toBe(a[1]);
  });

  it('is increasing and keeps the long-run rate (request N near t0 + N/R)', () => {
    const ts = times(new Schedule(0, R, 'poisson', 11), N + 1);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
    expect(Math.abs(ts[N]! - N * meanMs) / (N * meanMs)).toBeLessThan(0.02);
  });
});

describe('Schedule.peekFollowing', () => {
  it.each(['uniform', 'poisson'] as const)('%s: is always the time peek() gives after the next advance()', (arrival) => {
    const s = new Schedule(50, 1000, arrival, 3);
    for (let i = 0; i < 500; i++) {
      const following = s.peekFollowing();
      expect(following).toBeGreaterThanOrEqual(s.peek());
      s.advance();
      expect(s.peek()).toBe(following);
    }
  });
});
