/**
 * The comparison of two results (`mcp-opt report current.json --compare baseline.json`): per metric
 * baseline, current, delta, ratio and a verdict decided by a statistical test, not a bare
 * threshold. A versioned contract like the results, printed by `--format json` in the report
 * envelope (reportDocument.ts).
 */
import type { SCHEMA_VERSION } from './header.js';

/** A metric's verdict. */
export type Verdict = 'improved' | 'regressed' | 'unchanged';

/** One compared metric. */
export interface MetricComparison {
  /** Metric id, e.g. 'latency.p95', 'service.p50', 'tools/call:search.p95', 'coldStart.ready.p50', 'throughput.succeededRps'. */
  metric: string;
  /** Unit of baseline, current and delta: 'us', 'bytes', 'rps', 'pct' or 'count'. */
  unit: 'us' | 'bytes' | 'rps' | 'pct' | 'count';
  /** Which direction is better. */
  better: 'lower' | 'higher';
  /** The baseline's value, in `unit` (null when it did not record it). */
  baseline: number | null;
  /** The current run's value, in `unit` (null when it did not record it). */
  current: number | null;
  /** current − baseline, in `unit` (null when either is missing). */
  delta: number | null;
  /** current / baseline (null when either is missing or the baseline is 0). */
  ratio: number | null;
  /** 95 % confidence interval of the ratio, or null when no test could be made. */
  ci: [number, number] | null;
  /** How significance was judged: bootstrap over the recorded HDR histograms, over raw samples, Mann-Whitney U, a two-proportion z-test (error rates), or none. */
  test: 'bootstrap-hdr' | 'bootstrap-samples' | 'mann-whitney' | 'two-proportion' | 'none';
  /** Two-sided p-value: of the two-proportion test (error rates), or of Mann-Whitney U over the whole distributions (bootstrap metrics: shown for reference, the verdict of a percentile rests on its own interval); null when none. */
  pValue: number | null;
  /** Effect size: rank-biserial correlation in [−1, 1] (positive: current larger), or null. */
  effectSize: number | null;
  /** Significant (a percentile: its own 95 % interval excludes 1; an error rate: p < 0.01) and at least the minimum practical change in the better (improved) or worse (regressed) direction; else unchanged. */
  verdict: Verdict;
  /** A regression both significant and larger than --fail-on-regression: it fails the gate. */
  failing: boolean;
  /** Why a metric has no verdict, or what limited the test (e.g. "5 samples: too few for a test"). */
  note: string | null;
}

/** One way two compared runs were measured differently, each side's setting in words. */
export interface RunDifference {
  /** What differs: 'load model', 'rate', 'concurrency', 'instances', 'workload', 'objective' or 'target'. */
  what: string;
  /** The baseline's setting, e.g. 'open loop at 100 req/s (uniform arrivals)'. */
  baseline: string;
  /** The current run's setting. */
  current: string;
}

/** The file a side of the comparison came from. */
export interface ComparedRun {
  /** Path as given (or the merged files, comma-separated). */
  file: string;
  /** The result's kind (both sides share it). */
  kind: 'analyze' | 'bench' | 'tune';
  /** ISO 8601 time the run started. */
  createdAt: string;
  /** The target's display string (argv or redacted URL). */
  target: string;
}

/** The comparison. */
export interface ComparisonReport {
  /** Version of this format (the results' SCHEMA_VERSION). */
  schemaVersion: typeof SCHEMA_VERSION;
  /** Always 'comparison'. */
  kind: 'comparison';
  /** The run compared against (--compare). */
  baseline: ComparedRun;
  /** The run judged. */
  current: ComparedRun;
  /** --fail-on-regression threshold, percent (null when not given: the comparison never fails). */
  failOnRegressionPct: number | null;
  /** Smallest change counted as improved or regressed, percent (smaller significant changes are unchanged). */
  minEffectPct: number;
  /** How the two runs were measured differently (load model, rate, workload, target…): non-empty only under --force, which let verdicts through anyway. */
  differences: RunDifference[];
  /** Each compared metric with its verdict. */
  metrics: MetricComparison[];
  /** Counts of verdicts. */
  counts: Record<Verdict, number>;
  /** True when a metric is failing. */
  failed: boolean;
}
