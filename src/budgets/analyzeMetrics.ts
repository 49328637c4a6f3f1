/**
 * The metrics an analyze budget can name, and how to read each from a result. Times are compared
 * in ms, sizes in bytes, rates in percent. Listed in README ("Budgets").
 */
import { UsageError } from '../errors.js';
import type { Distribution } from '../measure/histogram.js';
import type { AnalyzeResult, LookupSection } from '../result/analyzeResult.js';
import type { MetricRef as GateMetricRef } from './gate.js';

/** A metric resolved from its written name (analyze's results). */
export type MetricRef = GateMetricRef<AnalyzeResult>;

const STATS = ['min', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
type Stat = (typeof STATS)[number];
const STAGES = ['firstByte', 'handshake', 'ready', 'firstCall'] as const;

/** Every metric name pattern, for error messages and README. */
export const METRIC_HELP = [
  'coldStart.<stat> (= coldStart.ready.<stat>)', 'coldStart.<firstByte|handshake|ready|firstCall>.<stat>',
  'coldStart.peakRss[.<stat>]', 'runner.overhead', 'tools.count', 'tools.pages', 'tools.bytes', 'tools.tokens',
  'tools.list.<stat>', 'lookup', 'lookup.unknown.<stat>', 'latency.<stat> (worst operation)',
  'latency.<ping|tools/list|tools/call:NAME>.<stat>', 'errors', 'memory.idle', 'memory.growth', 'cpu.perRequest',
  'stdout.noise', 'violations', 'exit.eof.<stat>',
].join(', ');

const usToMs = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v / 1000);
const stat = (d: Distribution | null | undefined, s: Stat): number | null => usToMs(d ? d[s] : null);
const isStat = (s: string | undefined): s is Stat => STATS.includes(s as Stat);

/** Resolve a written metric name; unknown names are usage errors that list the valid ones. */
export function resolveMetric(name: string, where: string): MetricRef {
  const parts = name.split('.');
  const [head] = parts;
  const last = parts.at(-1);
  const simple: Record<string, MetricRef> = {
    'runner.overhead': { id: 'runner.overhead', kind: 'time', read: (r) => r.coldStart?.runner?.overheadMs ?? null },
    'tools.count': { id: 'tools.count', kind: 'count', read: (r) => r.tools?.count ?? null },
    'tools.pages': { id: 'tools.pages', kind: 'count', read: (r) => r.tools?.pages ?? null },
    'tools.bytes': { id: 'tools.bytes', kind: 'size', read: (r) => r.tools?.bytes ?? null },
    'tools.tokens': { id: 'tools.tokens', kind: 'count', read: (r) => r.tools?.tokens ?? null },
    lookup: { id: 'lookup', kind: 'time', read: (r) => usToMs(r.lookup ? lookupCostUs(r.lookup) : null) },
    errors: { id: 'errors', kind: 'pct', read: (r) => r.latency?.errorRatePct ?? null },
    'memory.idle': { id: 'memory.idle', kind: 'size', read: (r) => r.resources?.idleRssBytes ?? null },
    'memory.growth': { id: 'memory.growth', kind: 'size', read: (r) => r.resources?.rssGrowthBytes ?? null },
    'cpu.perRequest': { id: 'cpu.perRequest', kind: 'time', read: (r) => usToMs(r.resources?.cpuUsPerRequest) },
    'stdout.noise': { id: 'stdout.noise', kind: 'count', read: (r) => r.hygiene?.nonJsonLines ?? null },
    violations: {
      id: 'violations', kind: 'count',
      read: (r) => (r.hygiene ? Object.values(r.hygiene.violations).reduce((a, b) => a + b, 0) : null),
    },
    'coldStart.peakRss': { id: 'coldStart.peakRss.max', kind: 'size', read: (r) => r.coldStart?.peakRss?.max ?? null },
  };
  const direct = simple[name];
  if (direct) return direct;

  if (head === 'coldStart') {
    if (parts.length === 2 && isStat(last)) return coldStage('ready', last);
    if (parts.length === 3 && STAGES.includes(parts[1] as (typeof STAGES)[number]) && isStat(last)) {
      return coldStage(parts[1] as (typeof STAGES)[number], last);
    }
    if (parts.length === 3 && parts[1] === 'peakRss' && isStat(last)) {
      return { id: name, kind: 'size', read: (r) => r.coldStart?.peakRss?.[last] ?? null, samples: (r) => r.coldStart?.peakRss?.n ?? null };
    }
  }
  if (name.startsWith('tools.list.') && parts.length === 3 && isStat(last)) {
    return { id: name, kind: 'time', read: (r) => stat(r.tools?.listLatency, last), samples: (r) => r.tools?.listLatency?.n ?? null };
  }
  if (name.startsWith('lookup.unknown.') && parts.length === 3 && isStat(last)) {
    return { id: name, kind: 'time', read: (r) => stat(r.lookup?.unknown?.latency, last), samples: (r) => r.lookup?.unknown?.latency?.n ?? null };
  }
  if (name.startsWith('exit.eof.') && parts.length === 3 && isStat(last)) {
    return { id: name, kind: 'time', read: (r) => stat(r.hygiene?.eofToExit, last), samples: (r) => r.hygiene?.eofToExit?.n ?? null };
  }
  if (head === 'latency' && isStat(last)) {
    if (parts.length === 2) {
      return {
        id: name, kind: 'time',
        read: (r) => {
          const values = (r.latency?.operations ?? []).map((o) => stat(o.sequential, last)).filter((v): v is number => v !== null);
          return values.length ? Math.max(...values) : null;
        },
        // The samples of the operation the value came from (the worst).
        samples: (r) => worstOf(r.latency?.operations ?? [], last)?.sequential?.n ?? null,
      };
    }
    // The operation may contain dots (tool names allow them): everything between 'latency.' and '.<stat>'.
    const op = name.slice('latency.'.length, name.length - last.length - 1);
    if (op === 'ping' || op === 'tools/list' || op.startsWith('tools/call:')) {
      const ref: MetricRef = {
        id: name, kind: 'time',
        read: (r) => stat(r.latency?.operations.find((o) => o.op === op)?.sequential, last),
        samples: (r) => r.latency?.operations.find((o) => o.op === op)?.sequential?.n ?? null,
      };
      if (op.startsWith('tools/call:')) ref.tool = op.slice('tools/call:'.length);
      return ref;
    }
  }
  throw new UsageError(`${where}: unknown metric "${name}". analyze knows: ${METRIC_HELP}; <stat> is one of ${STATS.join(', ')}.`);
}

/**
 * The registry cost a budget and the findings judge, µs: the slope estimate when the baseline scans
 * too (the miss difference hides the cost); 0 when the miss difference is indistinguishable from
 * zero (its 95 % interval includes 0: no budget fails and no finding fires on noise); null when
 * neither was measured.
 */
export function lookupCostUs(l: LookupSection): number | null {
  if (l.baselineScans && l.scanEstimateUs != null) return l.scanEstimateUs;
  if (!l.registryUs) return l.linear === true ? (l.scanEstimateUs ?? null) : null;
  return l.registryUs.low <= 0 ? 0 : l.registryUs.value;
}

function coldStage(stage: (typeof STAGES)[number], s: Stat): MetricRef {
  return { id: `coldStart.${stage}.${s}`, kind: 'time', read: (r) => stat(r.coldStart?.stages[stage], s), samples: (r) => r.coldStart?.stages[stage]?.n ?? null };
}

/** The operation with the highest `s` (what latency.<stat> reads). */
function worstOf<O extends { sequential: Distribution | null }>(ops: readonly O[], s: Stat): O | undefined {
  let worst: O | undefined;
  for (const o of ops) if (o.sequential && (!worst || o.sequential[s] > worst.sequential![s])) worst = o;
  return worst;
}
