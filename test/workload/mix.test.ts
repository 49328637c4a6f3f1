import { describe, expect, it } from 'vitest';
import { Mix } from '../../src/workload/mix.js';
import type { Operation } from '../../src/workload/operations.js';

function op(label: string, weight: number): Operation {
  return { op: label, method: 'ping', weight, params: () => undefined, argsSource: 'none' };
}

/** Share of each label over `n` picks. */
function shares(mix: Mix, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const label = mix.next().op;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, v]) => [k, v / n]));
}

describe('Mix', () => {
  it('picks operations in proportion to their weights (100k picks, within 1 percentage point)', () => {
    const ops = [op('a', 1), op('b', 3), op('c', 6), op('d', 0.5)];
    const got = shares(new Mix(ops, 7), 100_000);
    const total = 10.5;
    for (const o of ops) expect(Math.abs(got.get(o.op)! - o.weight / total)).toBeLessThan(0.01);
  });

  it('respects weights over hundreds of operations (auto on a big server)', () => {
    const ops = Array.from({ length: 300 }, (_, i) => op(`t${i}`, i < 150 ? 1 : 3));
    const got = shares(new Mix(ops, 3), 200_000);
    const low = ops.slice(0, 150).reduce((s, o) => s + (got.get(o.op) ?? 0), 0);
    expect(Math.abs(low - 0.25)).toBeLessThan(0.01);
    expect(got.size).toBe(300);
  });

  it('always returns the only operation', () => {
    const only = op('x', 0.1);
    const mix = new Mix([only], 1);
    for (let i = 0; i < 100; i++) expect(mix.next()).toBe(only);
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    const ops = [op('a', 1), op('b', 1), op('c', 2)];
    const run = (seed: number): string => {
      const mix = new Mix(ops, seed);
      return Array.from({ length: 200 }, () => mix.next().op).join('');
    };
    expect(run(11)).toBe(run(11));
    expect(run(11)).not.toBe(run(12));
  });

  it('keeps the operations in the order given', () => {
    const ops = [op('a', 1), op('b', 2)];
    expect(new Mix(ops, 1).operations.map((o) => o.op)).toEqual(['a', 'b']);
  });

  it('refuses no operations and weights that are not positive and finite', () => {
    expect(() => new Mix([], 1)).toThrow(/at least one operation/);
    for (const w of [0, -1, NaN, Infinity]) expect(() => new Mix([op('a', 1), op('b', w)], 1)).toThrow(/weights must be positive/);
  });
});
