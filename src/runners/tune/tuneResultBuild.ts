/**
 * Building the tune result: the empty result a run starts from, and a point's summary (the median
 * over its runs of the figures that rank points).
 */
import { median } from '../../measure/stats.js';
import { gridSize } from '../../options/knobs.js';
import type { TuneOptions } from '../../options/tuneOptions.js';
import { newHeader, targetSection } from '../../result/build.js';
import type { PointSummary, TuneObjective, TunePoint, TuneResult } from '../../result/tuneResult.js';

/** The result before any point is measured. */
export function emptyTuneResult(opts: TuneOptions): TuneResult {
  return {
    ...newHeader('tune', new Date()),
    config: {
      pointDurationMs: opts.pointDurationMs, pointWarmupMs: opts.pointWarmupMs, maxPoints: opts.maxPoints, maxRepeats: opts.maxRepeats, maxCalls: opts.maxCalls,
      timeoutMs: opts.timeoutMs, seed: opts.seed, era: opts.era, workload: opts.workload.entries.map((e) => e.origin),
      base: { ...opts.base }, noisePct: opts.noisePct,
      ...(opts.viaProxy ? { viaProxy: { ...opts.viaProxy } } : {}),
    },
    target: targetSection(opts.spec),
    server: null,
    space: {
      knobs: opts.knobs.map((k) => ({ id: k.id, kind: k.kind, name: k.name, path: opts.filePaths[k.id] ?? null, values: [...k.values] })),
      gridSize: gridSize(opts.knobs),
      strategy: 'grid',
      skipped: [],
    },
    objective: { ...opts.objective },
    points: [],
    model: null,
    recommendation: null,
    patch: null,
    budgets: [],
  };
}

/** A point's summary over its runs, or null when it has none. */
export function summaryOf(point: TunePoint, objective: TuneObjective): PointSummary | null {
  if (!point.runs.length) return null;
  const lat = (k: TuneObjective['sloStat']): number =>
    median(point.runs.map((r) => (r.latency && r.latency.n > 0 ? r.latency[k] : Infinity)));
  const rss = point.runs.map((r) => r.rssPeakBytes).filter((x): x is number => x !== null);
  const errorRatePct = median(point.runs.map((r) => r.errorRatePct));
  const stat = lat(objective.sloStat);
  return {
    succeededRps: median(point.runs.map((r) => r.succeededRps)),
    p50Us: lat('p50'),
    p90Us: lat('p90'),
    p95Us: lat('p95'),
    p99Us: lat('p99'),
    errorRatePct,
    rssPeakBytes: rss.length ? Math.max(...rss) : null,
    meetsSlo: point.status === 'ok' && stat <= objective.sloThresholdMs * 1000 && errorRatePct <= objective.maxErrorPct,
  };
}
