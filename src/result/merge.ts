/**
 * `report --merge`: load one machine cannot generate comes from N workers each running
 * `bench --out`; this folds their results into one, as autocannon's aggregateResult folds its
 * workers' histograms. Distributions merge exactly by adding the HDR histograms (the reason they
 * travel encoded); counts add; rates add over the common window.
 */
import * as hdr from 'hdr-histogram-js';
import { UsageError } from '../errors.js';
import { type Distribution, HIGHEST_BYTES, HIGHEST_LATENCY_US, LOWEST_VALUE, SIGNIFICANT_DIGITS, decodeHistogram } from '../measure/histogram.js';
import type { BenchResources, BenchResult, OperationFigures, PoolSection, TimelineEntry } from './benchResult.js';

/** Merge bench results of the same workload and target, run at the same time on several machines; throws UsageError otherwise. */
export function mergeBenchResults(results: BenchResult[], files: string[]): BenchResult {
  const first = results[0];
  if (!first) throw new UsageError('report --merge needs at least one bench result file.');
  const label = (i: number) => files[i] ?? `result #${i + 1}`;
  results.forEach((r, i) => {
    if ((r.kind as string) !== 'bench') throw new UsageError(`${label(i)} is a ${r.kind} result; --merge combines bench results only.`);
  });
  const workload = (r: BenchResult) => JSON.stringify(r.workload.operations.map((o) => [o.op, o.weight]));
  results.forEach((r, i) => {
    if (workload(r) !== workload(first)) throw new UsageError(`${label(i)} ran a different workload than ${label(0)}; merge only runs of the same --workload.`);
    if (r.target.display !== first.target.display) {
      throw new UsageError(`${label(i)} measured ${r.target.display}, not ${first.target.display} as ${label(0)} did; merge only runs against the same target.`);
    }
  });

  const warnings = results.flatMap((r, i) => r.warnings.map((w) => `${label(i)}: ${w}`));
  // Rates add only over time all workers were running: the common window is the shortest one.
  const measuredSeconds = Math.min(...results.map((r) => r.throughput.measuredSeconds));
  const starts = results.map((r) => Date.parse(r.createdAt));
  if (Math.max(...starts) - Math.min(...starts) > measuredSeconds * 1000) {
    warnings.push(`The merged runs started up to ${((Math.max(...starts) - Math.min(...starts)) / 1000).toFixed(1)} s apart, longer than the ${measuredSeconds} s measured: their windows may not overlap, so the added rates may overstate the load the server saw. Start the workers together.`);
  }
  const sum = (pick: (r: BenchResult) => number) => results.reduce((s, r) => s + pick(r), 0);
  const requests = {
    scheduled: sum((r) => r.requests.scheduled), sent: sum((r) => r.requests.sent), succeeded: sum((r) => r.requests.succeeded),
    failed: sum((r) => r.requests.failed), dropped: sum((r) => r.requests.dropped), lateSends: sum((r) => r.requests.lateSends),
    abandoned: sum((r) => r.requests.abandoned), errors: addCounts(results.map((r) => r.requests.errors)), errorRatePct: 0,
  };
  requests.errorRatePct = errorRate(requests.failed, requests.succeeded);
  // Responses matching no request: summed where every run counted them (older results did not).
  const strays = results.map((r) => r.requests.strayResponses);
  const strayResponses = strays.every((x) => x !== undefined)
    ? { unknownId: sum((r) => r.requests.strayResponses!.unknownId), duplicate: sum((r) => r.requests.strayResponses!.duplicate), late: sum((r) => r.requests.strayResponses!.late) }
    : undefined;
  const targets = results.map((r) => r.throughput.targetRps);
  const targetRps = targets.every((t) => t === null) ? null : targets.reduce<number>((s, t) => s + (t ?? 0), 0);
  const sentRps = sum((r) => r.throughput.sentRps);
  const sustained = results.map((r) => r.throughput.sustained);
  const merge = (field: string, pick: (r: BenchResult) => Distribution | null) => mergeDistributions(results.map(pick), field, files);

  return {
    ...first,
    createdAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...results.map((r) => r.durationMs)),
    incomplete: results.some((r) => r.incomplete),
    incompleteReason: results.flatMap((r, i) => (r.incompleteReason ? [`${label(i)}: ${r.incompleteReason}`] : [])).join('; ') || null,
    warnings,
    config: { ...first.config, instances: sum((r) => r.config.instances) },
    requests: strayResponses ? { ...requests, strayResponses } : requests,
    throughput: {
      measuredSeconds, targetRps, sentRps, succeededRps: sum((r) => r.throughput.succeededRps),
      rateErrorPct: targetRps ? round2(((sentRps - targetRps) / targetRps) * 100) : null,
      sustained: sustained.every((s) => s === null) ? null : !sustained.includes(false),
    },
    latency: merge('latency', (r) => r.latency),
    serviceTime: merge('serviceTime', (r) => r.serviceTime),
    failedLatency: merge('failedLatency', (r) => r.failedLatency),
    sendLateness: merge('sendLateness', (r) => r.sendLateness),
    byOperation: mergeOperations(results, files),
    timeline: mergeTimelines(results.map((r) => r.timeline)),
    pool: mergePools(results.map((r) => r.pool)),
    resources: mergeResources(results.map((r) => r.resources)),
    generator: {
      cpuPct: Math.max(...results.map((r) => r.generator.cpuPct)),
      eventLoopDelayMs: {
        p50: Math.max(...results.map((r) => r.generator.eventLoopDelayMs.p50)),
        p99: Math.max(...results.map((r) => r.generator.eventLoopDelayMs.p99)),
        max: Math.max(...results.map((r) => r.generator.eventLoopDelayMs.max)),
      },
      bottleneck: results.some((r) => r.generator.bottleneck),
      reason: results.flatMap((r, i) => (r.generator.reason ? [`${label(i)}: ${r.generator.reason}`] : [])).join('; ') || null,
    },
    // Budgets are judged on the merged figures by report's gate, not inherited from one worker.
    budgets: [],
    merged: { files: [...files], count: results.length },
  };
}

/**
 * One distribution from several: histograms added (exact at the histogram's 0.1 % resolution);
 * min, max, mean and stddev combined exactly from each part's exact figures (Chan, Golub & LeVeque
 * 1979 pairwise update), which beats the histogram's bucketed mean. Null parts are skipped.
 */
export function mergeDistributions(parts: Array<Distribution | null>, field = 'distribution', files: string[] = []): Distribution | null {
  const present = parts.flatMap((d, i) => (d && d.n > 0 ? [{ d, i }] : []));
  const head = present[0]?.d;
  if (!head) return null;
  const h = hdr.build({
    lowestDiscernibleValue: LOWEST_VALUE,
    highestTrackableValue: head.unit === 'us' ? HIGHEST_LATENCY_US : HIGHEST_BYTES,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  });
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const { d, i } of present) {
    if (d.hdr === '') throw new UsageError(`${files[i] ?? `result #${i + 1}`}: ${field} has no encoded histogram, so it cannot be merged; re-run bench with this mcp-opt version.`);
    h.add(decodeHistogram(d.hdr));
    const total = n + d.n;
    const delta = d.mean - mean;
    m2 += d.stddev * d.stddev * (d.n - 1) + (delta * delta * n * d.n) / total;
    mean += (delta * d.n) / total;
    n = total;
  }
  return {
    unit: head.unit, n,
    min: Math.min(...present.map((p) => p.d.min)),
    p50: h.getValueAtPercentile(50), p90: h.getValueAtPercentile(90), p95: h.getValueAtPercentile(95),
    p99: h.getValueAtPercentile(99), p999: h.getValueAtPercentile(99.9),
    max: Math.max(...present.map((p) => p.d.max)),
    mean: round(mean), stddev: round(n > 1 ? Math.sqrt(m2 / (n - 1)) : 0),
    hdr: hdr.encodeIntoCompressedBase64(h),
  };
}

function mergeOperations(results: BenchResult[], files: string[]): OperationFigures[] {
  const ops = [...new Set(results.flatMap((r) => r.byOperation.map((o) => o.op)))];
  return ops.map((op) => {
    const parts = results.map((r) => r.byOperation.find((o) => o.op === op) ?? null);
    const sum = (pick: (o: OperationFigures) => number) => parts.reduce((s, o) => s + (o ? pick(o) : 0), 0);
    return {
      op, requests: sum((o) => o.requests), succeeded: sum((o) => o.succeeded), failed: sum((o) => o.failed),
      errors: addCounts(parts.map((o) => o?.errors ?? {})),
      latency: mergeDistributions(parts.map((o) => o?.latency ?? null), `${op} latency`, files),
      serviceTime: mergeDistributions(parts.map((o) => o?.serviceTime ?? null), `${op} serviceTime`, files),
    };
  });
}

/**
 * Seconds aligned by index (each worker counts from its own first send). Counts add; per-second
 * percentiles come from reservoirs, not histograms, so they cannot be merged: each is the max of
 * the workers' (an upper bound: a mixture's quantile never exceeds its parts' largest).
 */
function mergeTimelines(timelines: TimelineEntry[][]): TimelineEntry[] {
  const length = Math.max(0, ...timelines.map((t) => t.length));
  const out: TimelineEntry[] = [];
  for (let s = 0; s < length; s++) {
    const parts = timelines.flatMap((t) => t.slice(s, s + 1));
    const add = (pick: (e: TimelineEntry) => number | null) => parts.reduce<number | null>((acc, e) => (pick(e) === null ? acc : (acc ?? 0) + pick(e)!), null);
    const top = (pick: (e: TimelineEntry) => number | null) => parts.reduce<number | null>((acc, e) => (pick(e) === null ? acc : Math.max(acc ?? -Infinity, pick(e)!)), null);
    out.push({
      second: s,
      // Warm-up if any worker was still warming: such a second is excluded from throughput tests.
      warmup: parts.some((e) => e.warmup),
      sent: add((e) => e.sent)!, completed: add((e) => e.completed)!, errors: add((e) => e.errors)!, inflight: add((e) => e.inflight)!,
      p50Us: top((e) => e.p50Us), p99Us: top((e) => e.p99Us),
      // Each worker sampled its own server tree: the sum is the memory and CPU of all of them.
      rssBytes: add((e) => e.rssBytes), cpuPct: add((e) => e.cpuPct),
    });
  }
  return out;
}

function mergePools(pools: PoolSection[]): PoolSection {
  const ac = pools.flatMap((p) => (p.autocannon ? [p.autocannon] : []));
  let conn = 0;
  return {
    balance: pools[0]!.balance,
    instances: pools.flatMap((p) => p.instances).map((inst, index) => ({ ...inst, index })),
    autocannon: ac.length === 0 ? null : {
      connections: ac.reduce((s, a) => s + a.connections, 0),
      pipelining: ac[0]!.pipelining,
      perConnection: ac.flatMap((a) => a.perConnection).map((c) => ({ ...c, index: conn++ })),
      statusCounts: addCounts(ac.map((a) => a.statusCounts)),
    },
  };
}

/**
 * Memory is per server tree (max over workers), so a merged run's `memory.rssPeakBytes` compares
 * with a single run's; CPU mean is averaged for the same reason; process counts add.
 */
function mergeResources(parts: Array<BenchResources | null>): BenchResources | null {
  const rs = parts.flatMap((r) => (r ? [r] : []));
  if (rs.length === 0) return null;
  const max = (pick: (r: BenchResources) => number) => Math.max(...rs.map(pick));
  const slopes = rs.flatMap((r) => (r.rssSlopeBytesPerSec === null ? [] : [r.rssSlopeBytesPerSec]));
  return {
    sampleIntervalMs: rs[0]!.sampleIntervalMs,
    rssStartBytes: max((r) => r.rssStartBytes), rssEndBytes: max((r) => r.rssEndBytes), rssPeakBytes: max((r) => r.rssPeakBytes),
    rssGrowthBytes: max((r) => r.rssGrowthBytes), rssSlopeBytesPerSec: slopes.length ? Math.max(...slopes) : null,
    cpuPctMean: rs.reduce((s, r) => s + r.cpuPctMean, 0) / rs.length, cpuPctMax: max((r) => r.cpuPctMax),
    processCount: rs.reduce((s, r) => s + r.processCount, 0),
  };
}

function addCounts(records: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rec of records) for (const [k, v] of Object.entries(rec)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function errorRate(failed: number, succeeded: number): number {
  return failed + succeeded === 0 ? 0 : round2((failed / (failed + succeeded)) * 100);
}

/** Percentages to 0.01, as the bench result writes them (runners/bench/resultBuild.ts). */
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
