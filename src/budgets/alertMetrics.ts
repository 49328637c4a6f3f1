/**
 * The metrics a proxy alert (`mcp-opt proxy --alert 'p95<100ms'`) can name, read from the proxy's
 * sliding window: latency statistics (queue wait + service time) in ms, and errors in percent.
 * Written in the bench budgets' syntax (spec.ts) so one grammar serves the CI gate and the live
 * proxy. Listed in README ("Dashboard and alerts").
 */
import { UsageError } from '../errors.js';
import { minSamplesFor, type MetricRef } from './gate.js';
import { parseBudget, thresholdIn, type BudgetSpec } from './spec.js';

/** Latency statistics of a window, ms. */
export interface WindowLatencyMs {
  /** Samples (requests answered by an instance in the window). */
  n: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** 99.9th percentile. */
  p999: number;
  /** Largest sample. */
  max: number;
  /** Arithmetic mean. */
  mean: number;
}

/** What an alert reads: the figures of the proxy's sliding window. */
export interface AlertFigures {
  /** Latency of the requests an instance answered in the window; null when none was. */
  latencyMs: WindowLatencyMs | null;
  /** Requests finished in the window: answered by an instance, by the proxy (errors, cache hits), or coalesced. */
  finished: number;
  /** Of those, errors: isError results, JSON-RPC errors, and the proxy's own failures except cancellations. */
  errors: number;
}

/**
 * Samples a window needs before an alert may fire: 20, one error in twenty being 5 %, and p95's own
 * floor (gate.ts minSamplesFor); percentiles beyond p95 need their floor (p99 100, p999 1000).
 */
export const MIN_ALERT_SAMPLES = 20;

/** A metric an alert names, with the samples it needs before it is trusted. */
export interface AlertMetricRef extends MetricRef<AlertFigures> {
  /** Samples the window must hold before the alert can fire. */
  minSamples: number;
}

/** An alert parsed and tied to its metric. */
export interface ResolvedAlert {
  /** The expression as parsed (its text is the alert's name in logs, /metrics and the dashboard). */
  spec: BudgetSpec;
  /** The metric it reads. */
  metric: AlertMetricRef;
  /** The bound in the metric's base unit (ms or percent). */
  threshold: number;
}

const STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
type Stat = (typeof STATS)[number];

/** Every metric an alert can name, for error messages and README. */
export const ALERT_METRIC_HELP = `<stat> or latency.<stat> (queue wait + service time, ms), <stat> one of ${STATS.join(', ')}; errors (%)`;

/** Resolve a written metric name; an unknown one is a usage error listing the valid ones. */
export function resolveAlertMetric(name: string, where: string): AlertMetricRef {
  if (name === 'errors') {
    return { id: 'errors', kind: 'pct', minSamples: MIN_ALERT_SAMPLES, read: (f) => (f.finished > 0 ? (100 * f.errors) / f.finished : null), samples: (f) => f.finished };
  }
  const stat = name.startsWith('latency.') ? name.slice('latency.'.length) : name;
  if ((STATS as readonly string[]).includes(stat)) {
    const s = stat as Stat;
    return {
      id: `latency.${s}`, kind: 'time', minSamples: Math.max(MIN_ALERT_SAMPLES, minSamplesFor(s) ?? 0),
      read: (f) => f.latencyMs?.[s] ?? null, samples: (f) => f.latencyMs?.n ?? 0,
    };
  }
  throw new UsageError(`${where}: unknown metric "${name}". An alert knows: ${ALERT_METRIC_HELP}.`);
}

/** Parse one alert (`p95<100ms`, `errors<1%`); `where` names the flag or config key in errors. */
export function parseAlert(expression: string, where: string): ResolvedAlert {
  let spec: BudgetSpec;
  try {
    spec = parseBudget(expression, 'flag', where);
  } catch (err) {
    // parseBudget's example is a bench budget; an alert's is more use here.
    if (!(err instanceof UsageError) || !err.message.includes('is not a budget')) throw err;
    throw new UsageError(`${where} "${expression}" is not an alert. Write <metric><op><number><unit>, e.g. --alert 'p95<100ms' or --alert 'errors<1%'; quote it so the shell does not read < as a redirect.`, { cause: err });
  }
  const metric = resolveAlertMetric(spec.metric, `${where} "${spec.expression}"`);
  return { spec, metric, threshold: thresholdIn(spec, metric.kind, where) };
}
