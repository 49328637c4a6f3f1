/**
 * The budget gate's rule for percentiles read from too few samples: a "p99" of 3 samples is their
 * maximum, so a budget on it fails with a note saying why, in every reporter.
 */
import { describe, expect, it } from 'vitest';
import { resolveBenchMetric } from '../../src/budgets/benchMetrics.js';
import { evaluateBudgetSet, minSamplesFor, resolveBudgetSet } from '../../src/budgets/gate.js';
import { parseBudget } from '../../src/budgets/spec.js';
import { renderBenchTable } from '../../src/reporters/benchTable.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { benchWithBudgets, single } from '../reporters/reportResults.js';

/** The fixture bench result with its corrected latency read from `n` samples. */
function benchOf(n: number): BenchResult {
  const r = benchWithBudgets();
  return { ...r, latency: { ...r.latency!, n } };
}

function gate(expressions: string[], r: BenchResult) {
  return evaluateBudgetSet(resolveBudgetSet(expressions.map((e) => parseBudget(e, 'flag', '--budget')), [], resolveBenchMetric), r);
}

describe('minSamplesFor', () => {
  it('is one sample beyond the percentile, ⌈1 / (1 − q)⌉', () => {
    expect(['p50', 'p90', 'p95', 'p99', 'p999'].map(minSamplesFor)).toEqual([2, 10, 20, 100, 1000]);
    expect(['min', 'max', 'mean'].map(minSamplesFor)).toEqual([null, null, null]);
  });
});

describe('a percentile budget on too few samples', () => {
  it('p99 of 3 samples fails however loose the threshold, with its samples and a note', () => {
    const [b] = gate(['p99<10s'], benchOf(3));
    expect(b).toMatchObject({ pass: false, samples: 3, minSamples: 100, actual: 118 });
    expect(b!.note).toBe('p99 of only 3 samples: a p99 needs at least 100, so it cannot be trusted');
  });

  it('exactly enough samples is judged on the value alone; p95 needs 20, p90 10', () => {
    expect(gate(['p99<10s'], benchOf(100))[0]).toMatchObject({ pass: true });
    expect(gate(['p99<10s'], benchOf(100))[0]).not.toHaveProperty('samples');
    expect(gate(['p95<10s', 'p90<10s'], benchOf(19)).map((b) => b.pass)).toEqual([false, true]);
    expect(gate(['p90<10s', 'max<10s', 'mean<10s'], benchOf(9)).map((b) => b.pass)).toEqual([false, true, true]);
  });

  it('every reporter says why: terminal table, Markdown and JUnit', () => {
    const r = { ...benchOf(3), budgets: gate(['p99<10s'], benchOf(3)) };
    const terminal = renderBenchTable(r, { color: false });
    expect(terminal).toMatch(/p99<10s.*FAIL.*flag \(p99 of only 3 samples: a p99 needs at least 100/s);
    expect(renderMarkdown(single('bench.json', r))).toMatch(/❌.*\(p99 of only 3 samples: a p99 needs at least 100, so it cannot be trusted\)/);
    const junit = renderJunit(single('bench.json', r));
    expect(junit).toMatch(/<failure[^>]*message="p99&lt;10s: measured 118\.0 ms \(p99 of only 3 samples: a p99 needs at least 100, so it cannot be trusted\), budget &lt; 10\.00 s"/);
  });
});
