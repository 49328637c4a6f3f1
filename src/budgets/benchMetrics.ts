/**
 * The metrics a bench budget can name, and how to read each from a result. Latencies are the
 * corrected ones (from the intended send time) unless `service.` says otherwise; times are compared
 * in ms, rates in percent or requests/s. Listed in README ("bench budgets").
 */
import { UsageError } from '../errors.js';
import type { Distribution } from '../measure/histogram.js';
import type { BenchResult } from '../result/benchResult.js';
import type { MetricRef } from './gate.js';

const STATS = ['min', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
type Stat = (typeof STATS)[number];
const isStat = (s: string | undefined): s is Stat => STATS.includes(s as Stat);
const ms = (d: Distribution | null | undefined, s: Stat): number | null => (d ? d[s] / 1000 : null);

/** Every metric pattern, for error messages and README. */
export const BENCH_METRIC_HELP = [
  '<stat> or latency.<stat> (corrected latency, all operations)', 'service.<stat> (service time)',
  '<ping|tools/list|discover|tools/call:NAME>.<stat>', 'sendLateness.<stat>', 'errors (%)', 'rps (successes/s)',
  'dropped', 'late', 'timeouts', 'memory.growth',
].join(', ');

/** Resolve a written metric name; unknown names are usage errors listing the valid ones. */
export function resolveBenchMetric(name: string, where: string): MetricRef<BenchResult> {
  const parts = name.split('.');
  const last = parts.at(-1);
  const simple: Record<string, MetricRef<BenchResult>> = {
    errors: { id: 'errors', kind: 'pct', read: (r) => (r.requests.succeeded + r.requests.failed ? r.requests.errorRatePct : null) },
    rps: { id: 'rps', kind: 'count', read: (r) => (r.requests.succeeded ? r.throughput.succeededRps : null) },
    dropped: { id: 'dropped', kind: 'count', read: (r) => r.requests.dropped },
    late: { id: 'late', kind: 'count', read: (r) => r.requests.lateSends },
    timeouts: { id: 'timeouts', kind: 'count', read: (r) => r.requests.errors['timeout'] ?? 0 },
    'memory.growth': { id: 'memory.growth', kind: 'size', read: (r) => r.resources?.rssGrowthBytes ?? null },
  };
  const direct = simple[name];
  if (direct) return direct;
  if (parts.length === 1 && isStat(last)) return dist(`latency.${last}`, (r) => r.latency, last);
  if (isStat(last) && parts.length >= 2) {
    const head = name.slice(0, name.length - last.length - 1);
    if (head === 'latency') return dist(name, (r) => r.latency, last);
    if (head === 'service') return dist(name, (r) => r.serviceTime, last);
    if (head === 'sendLateness') return dist(name, (r) => r.sendLateness, last);
    // An operation label may contain dots (tool names allow them): everything before '.<stat>'.
    if (head === 'ping' || head === 'tools/list' || head === 'discover' || (head.startsWith('tools/call:') && head.length > 'tools/call:'.length)) {
      const ref = dist(name, (r) => r.byOperation.find((o) => o.op === head)?.latency ?? null, last);
      if (head.startsWith('tools/call:')) ref.tool = head.slice('tools/call:'.length);
      return ref;
    }
  }
  throw new UsageError(`${where}: unknown metric "${name}". bench knows: ${BENCH_METRIC_HELP}; <stat> is one of ${STATS.join(', ')}.`);
}

function dist(id: string, pick: (r: BenchResult) => Distribution | null, s: Stat): MetricRef<BenchResult> {
  return { id, kind: 'time', read: (r) => ms(pick(r), s), samples: (r) => pick(r)?.n ?? null };
}
