import { describe, expect, it } from 'vitest';
import { gridSize, parseKnob, type Knob } from '../../../src/options/knobs.js';
import { createPlanner, gridIndexOf, gridPoint, type MeasuredPoint, type Planner, type Settings } from '../../../src/runners/tune/space.js';

const knobs = (...texts: string[]): Knob[] => texts.map((t) => parseKnob(t, '--knob'));

describe('grid', () => {
  const ks = knobs('pool=1,2', 'concurrency=1,2,4', 'balance=round-robin,latency-ewma');

  it('has the product of the value counts as its size (1 with no knobs)', () => {
    expect(gridSize(ks)).toBe(12);
    expect(gridSize([])).toBe(1);
    expect(gridPoint([], 0)).toEqual({});
  });

  it('orders points in mixed radix with the last knob varying fastest', () => {
    expect(gridPoint(ks, 0)).toEqual({ pool: 1, concurrency: 1, balance: 'round-robin' });
    expect(gridPoint(ks, 1)).toEqual({ pool: 1, concurrency: 1, balance: 'latency-ewma' });
    expect(gridPoint(ks, 2)).toEqual({ pool: 1, concurrency: 2, balance: 'round-robin' });
    expect(gridPoint(ks, 6)).toEqual({ pool: 2, concurrency: 1, balance: 'round-robin' });
    expect(gridPoint(ks, 11)).toEqual({ pool: 2, concurrency: 4, balance: 'latency-ewma' });
  });

  it('round-trips every index, and returns -1 for settings outside the grid', () => {
    for (let i = 0; i < gridSize(ks); i++) expect(gridIndexOf(ks, gridPoint(ks, i))).toBe(i);
    expect(gridIndexOf(ks, { pool: 3, concurrency: 1, balance: 'round-robin' })).toBe(-1);
    expect(gridIndexOf(ks, { pool: 1, concurrency: 1 })).toBe(-1);
    expect(gridIndexOf(ks, { pool: 1, concurrency: 1, balance: 'round-robin', extra: 1 })).toBe(-1);
    expect(gridIndexOf(ks, { pool: '1', concurrency: 1, balance: 'round-robin' })).toBe(-1);
  });

  it('rejects an index outside the grid', () => {
    expect(() => gridPoint(ks, 12)).toThrow(RangeError);
    expect(() => gridPoint(ks, -1)).toThrow(RangeError);
  });
});

/** A fake server: throughput = min(N, 8) × 100 with N = pool × concurrency; latency rises beyond 8 (SLO 50 ms: N ≤ 40). */
function fakeMeasure(s: Settings, index: number): MeasuredPoint {
  const n = ((s.pool as number | undefined) ?? 1) * ((s.concurrency as number | undefined) ?? 1);
  const throughput = Math.min(n, 8) * 100 * (s.balance === 'latency-ewma' ? 1.01 : 1);
  const statUs = n <= 8 ? 10_000 : 10_000 * (n / 8);
  return { index, ok: true, throughput, statUs, meetsSlo: statUs <= 50_000 };
}

/** Drive a planner to the end as the runner does; returns the points in the order measured. */
function drive(planner: Planner, ks: readonly Knob[], measure = fakeMeasure, resumeFrom: MeasuredPoint[] = []): MeasuredPoint[] {
  const measured = [...resumeFrom];
  for (let guard = 0; guard < 1000; guard++) {
    const next = planner.next(measured);
    if (next.length === 0) return measured;
    for (const i of next) {
      expect(measured.some((m) => m.index === i)).toBe(false);
      measured.push(measure(gridPoint(ks, i), i));
    }
  }
  throw new Error('planner never finished');
}

describe('planner', () => {
  it('measures a grid within budget whole, in order, then stops', () => {
    const ks = knobs('pool=1,2', 'concurrency=1,2');
    const p = createPlanner(ks, 4);
    expect(p.strategy).toBe('grid');
    expect(p.next([])).toEqual([0, 1, 2, 3]);
    expect(p.next([0, 1, 2, 3].map((i) => fakeMeasure(gridPoint(ks, i), i)))).toEqual([]);
    expect(p.skipped()).toEqual([]);
  });

  it('measures the single baseline point when there are no knobs', () => {
    expect(createPlanner([], 5).next([])).toEqual([0]);
    expect(createPlanner([], 0).next([])).toEqual([]);
  });

  it('leaves out grid points measured before (resume)', () => {
    const ks = knobs('concurrency=1,2,4');
    expect(createPlanner(ks, 10).next([fakeMeasure({ concurrency: 1 }, 0)])).toEqual([1, 2]);
  });

  it('guides a large grid to the saturation knee within budget and says what it skipped', () => {
    const ks = knobs('pool=1,2,4', 'concurrency=1..128', 'balance=round-robin,least-inflight,latency-ewma');
    expect(gridSize(ks)).toBe(72);
    const p = createPlanner(ks, 20);
    expect(p.strategy).toBe('guided');
    const measured = drive(p, ks);
    expect(measured.length).toBeLessThanOrEqual(20);
    // The ramp runs on concurrency first, one point at a time, from the baseline.
    expect(measured.slice(0, 4).map((m) => gridPoint(ks, m.index).concurrency)).toEqual([1, 2, 4, 8]);
    // It stops two flat steps past the knee: 256-ish concurrencies are never tried at pool 1.
    expect(measured.some((m) => gridPoint(ks, m.index).concurrency === 128)).toBe(false);
    const best = measured.filter((m) => m.meetsSlo).sort((a, b) => b.throughput - a.throughput)[0]!;
    const s = gridPoint(ks, best.index);
    expect((s.pool as number) * (s.concurrency as number)).toBe(8);
    const skipped = p.skipped();
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.join('\n')).toMatch(/concurrency 64, 128 with pool 1, balance round-robin: the ramp stopped at concurrency 32 because throughput had stopped rising/);
    expect(skipped.join('\n')).toMatch(/grid has 72 points/);
  });

  it('never exceeds a tight budget and says the budget stopped it', () => {
    const ks = knobs('pool=1,2,4', 'concurrency=1..128', 'balance=round-robin,least-inflight,latency-ewma');
    const p = createPlanner(ks, 5);
    const measured = drive(p, ks);
    expect(measured).toHaveLength(5);
    expect(p.skipped().join('\n')).toMatch(/budget of 5 points/);
  });

  it('names the ramp values a budget stop left unmeasured', () => {
    // Throughput that keeps rising: only the budget stops the ramp (as a noisy machine can make it).
    const ks = knobs('concurrency=1,2,4,8,16,32,64');
    const rising = (s: Settings, i: number): MeasuredPoint => ({ index: i, ok: true, throughput: (s.concurrency as number) * 100, statUs: 1000, meetsSlo: true });
    const p = createPlanner(ks, 5);
    drive(p, ks, rising);
    expect(p.skipped().join('\n')).toMatch(/ramp of concurrency stopped at the budget of 5 points \(--max-points\): concurrency 32, 64 not measured/);
  });

  it('stops the ramp at a failed point and at the first SLO break after a pass', () => {
    const ks = knobs('concurrency=1..64', 'env:W=1,2');
    const failing = (s: Settings, i: number): MeasuredPoint => ({ ...fakeMeasure(s, i), ok: (s.concurrency as number) < 4 });
    const p1 = createPlanner(ks, 8);
    const m1 = drive(p1, ks, failing);
    expect(m1.slice(0, 3).map((m) => gridPoint(ks, m.index).concurrency)).toEqual([1, 2, 4]);
    expect(p1.skipped().join('\n')).toMatch(/stopped at concurrency 4 because the point failed/);

    const slow = (s: Settings, i: number): MeasuredPoint => ({ ...fakeMeasure(s, i), meetsSlo: (s.concurrency as number) < 4 });
    const p2 = createPlanner(ks, 8);
    drive(p2, ks, slow);
    expect(p2.skipped().join('\n')).toMatch(/stopped at concurrency 4 because it broke the SLO/);
  });

  it('is deterministic and continues a resumed search exactly', () => {
    const ks = knobs('pool=1,2,4', 'concurrency=1..128', 'balance=round-robin,least-inflight,latency-ewma');
    const full = drive(createPlanner(ks, 20), ks);
    expect(drive(createPlanner(ks, 20), ks)).toEqual(full);
    const resumed = drive(createPlanner(ks, 20), ks, fakeMeasure, full.slice(0, 7));
    expect(resumed.map((m) => m.index)).toEqual(full.map((m) => m.index));
  });

  it('ramps the numeric knob with most values when there is no pool or concurrency', () => {
    const ks = knobs('env:MODE=a,b', 'env:W=16,1,2,4,8');
    const order: number[] = [];
    const measure = (s: Settings, i: number): MeasuredPoint => {
      order.push(s['env:W'] as number);
      return { index: i, ok: true, throughput: (s['env:W'] as number) * 10, statUs: 1000, meetsSlo: true };
    };
    drive(createPlanner(ks, 6), ks, measure);
    expect(order.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
  });
});
