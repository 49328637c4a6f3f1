/**
 * report's gate on saved results: budgets resolve against the metrics of the kinds present, fail
 * on unmeasured or exceeded values, and a budget no present kind knows is a usage error.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseBudget } from '../../src/budgets/spec.js';
import { gateResults } from '../../src/budgets/gateResults.js';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { benchResult, lognormalUs } from '../helpers/benchResults.js';

const budget = (e: string) => parseBudget(e, 'flag', '--budget');

describe('gateResults', () => {
  const run = benchResult({ latencyUs: lognormalUs(5000, 3) });

  it('evaluates each budget on a saved bench run: pass, fail, and the measured figure', () => {
    const [gated] = gateResults([budget('p95<1s'), budget('p99<100us'), budget('errors<1%')], [run]);
    expect(gated!.map((b) => [b.expression, b.pass])).toEqual([['p95<1s', true], ['p99<100us', false], ['errors<1%', true]]);
    expect(gated![0]!.actual).toBeCloseTo(run.latency!.p95 / 1000, 3);
  });

  it('nothing to gate gives an empty list per result', () => {
    expect(gateResults([], [run, run])).toEqual([[], []]);
  });

  it('a metric no result kind has is a usage error naming it', () => {
    expect(() => gateResults([budget('warpFactor<9')], [run])).toThrow(UsageError);
    expect(() => gateResults([budget('warpFactor<9')], [run])).toThrow(/warpFactor/);
  });

  it('tune results alone cannot be gated by budgets (their SLO is in them)', () => {
    const tune = { kind: 'tune' } as TuneResult;
    expect(() => gateResults([budget('p95<1s')], [tune])).toThrow(/tune results/);
    expect(gateResults([budget('p95<1s')], [run, tune])[1]).toEqual([]);
  });
});
