/**
 * A budget as evaluated at the end of a run (a CI gate like k6 thresholds or Lighthouse CI budgets).
 */

export interface BudgetResult {
  /** The budget as written, e.g. 'coldStart.p50<400ms'. */
  expression: string;
  /** Canonical metric id, e.g. 'coldStart.ready.p50'. */
  metric: string;
  /** Comparison. */
  op: '<' | '<=' | '>' | '>=';
  /** Threshold in the metric's base unit. */
  threshold: number;
  /** Base unit: 'ms', 'us', 'bytes', 'count' or 'pct'. */
  unit: string;
  /** Measured value in the base unit, or null when it could not be measured. */
  actual: number | null;
  /** Passed? A budget whose metric was not measured never passes. */
  pass: boolean;
  /** Where it came from: the product's default target, a --budget flag, or a config file. */
  source: 'default' | 'flag' | 'config';
  /** Why it has no value, when actual is null; or why a value was not trusted (too few samples). */
  note?: string;
  /** Set when a percentile came from fewer samples than it needs (then the budget fails): the samples it had (absent otherwise). */
  samples?: number;
  /** The samples that percentile needs, ⌈1 / (1 − q)⌉: p90 10, p95 20, p99 100 (absent otherwise). */
  minSamples?: number;
}
