/**
 * The bench part of the HTML report: key figures, the percentile spectrum of corrected latency
 * and service time, latency and throughput over time (warm-up shaded), latency per operation,
 * errors by class, the CPU profile and its findings (--profile), budgets. Every figure is read
 * from the result; nothing is re-measured.
 */
import type { BenchResult, TimelineEntry } from '../../result/benchResult.js';
import type { ShownBudget } from '../reportInput.js';
import { fmtUs } from '../format.js';
import { badge, budgetsBlock, countsTable, figures, findingsBlock, htmlTable, section, type Cell } from './blocks.js';
import { percentileBars, xyChart, type XYSpec } from './charts.js';
import { profileSection } from './profile.js';
import { spectrumChart } from './spectrum.js';
import { fmtAxisNumber, linearAxis } from './svg.js';

/** The bench sections of a result. */
export function renderBench(r: BenchResult, budgets: readonly ShownBudget[]): string {
  return [keyFigures(r), spectrumSection(r), timelineSection(r), operationsSection(r),
    countsTable('Errors by class', r.requests.errors), profileSection(r.profile), profileFindings(r), budgetsBlock(budgets)].join('');
}

/** The profile's findings: a bench result has no findings of its own, so they are shown here; '' without any. */
function profileFindings(r: BenchResult): string {
  const f = r.profile?.findings ?? [];
  return f.length ? findingsBlock(f) : '';
}

const rps = (v: number | null): string => (v === null ? '–' : `${Number(v.toFixed(1)).toLocaleString('en-US')} req/s`);

function keyFigures(r: BenchResult): string {
  const c = r.config;
  const load = c.mode === 'open' ? `open loop, ${rps(c.rps)} ${c.arrival ?? ''}`.trim() : `closed loop, ${c.concurrency ?? '–'} in flight`;
  const sustained: Cell = r.throughput.sustained === null ? 'n/a (closed loop)' : r.throughput.sustained ? badge('sustained', 'pass') : badge('not sustained', 'fail');
  const pairs: Array<[string, Cell]> = [
    ['load', load],
    ['instances', `${c.instances} (${c.balance})`],
    ['measured', `${r.throughput.measuredSeconds.toFixed(1)} s`],
    ['succeeded', rps(r.throughput.succeededRps)],
    ['target rate', sustained],
    ['requests', `${r.requests.sent} sent, ${r.requests.succeeded} ok, ${r.requests.failed} failed, ${r.requests.dropped} dropped`],
    ['error rate', `${Number(r.requests.errorRatePct.toFixed(3))} %`],
    ['latency p50 / p99', `${fmtUs(r.latency?.p50)} / ${fmtUs(r.latency?.p99)}`],
    ['service time p50 / p99', `${fmtUs(r.serviceTime?.p50)} / ${fmtUs(r.serviceTime?.p99)}`],
    ['generator', r.generator.bottleneck ? badge(`bottleneck: ${r.generator.reason ?? 'see warnings'}`, 'warning') : `${r.generator.cpuPct.toFixed(0)} % CPU, healthy`],
  ];
  return section('Load', figures(pairs));
}

function spectrumSection(r: BenchResult): string {
  const chart = spectrumChart('latency-spectrum', 'Latency percentile spectrum',
    'Corrected latency (from each request\'s intended send time, free of coordinated omission) and service time (from its actual send), successes only.',
    [{ name: 'corrected latency', cls: 's0', dist: r.latency }, { name: 'service time', cls: 's1', dist: r.serviceTime, dashed: true }]);
  return chart ? section('Latency spectrum', chart) : '';
}

/** Contiguous runs of warm-up seconds as [from, to) ranges. */
function warmupRanges(timeline: readonly TimelineEntry[]): Array<{ from: number; to: number; tip: string }> {
  const out: Array<{ from: number; to: number; tip: string }> = [];
  for (const t of timeline) {
    if (!t.warmup) continue;
    const last = out[out.length - 1];
    if (last && last.to === t.second) last.to = t.second + 1;
    else out.push({ from: t.second, to: t.second + 1, tip: '' });
  }
  for (const b of out) b.tip = `warm-up: seconds ${b.from}–${b.to} (excluded from the figures)`;
  return out;
}

function timelineSection(r: BenchResult): string {
  const tl = r.timeline;
  if (!tl.length) return '';
  const last = Math.max(...tl.map((t) => t.second)) + 1;
  const x = linearAxis('seconds since the first send', [0, last], fmtAxisNumber);
  const bands = { name: 'warm-up', ranges: warmupRanges(tl) };
  // Each second's figures are drawn at the middle of that second.
  const at = (t: TimelineEntry): number => t.second + 0.5;
  const ms = (us: number | null): number | null => (us === null ? null : us / 1000);
  const latency: XYSpec = {
    chart: 'latency-timeline', title: 'Latency over time', caption: 'Corrected latency of the successes answered in each second (p50 and p99).',
    x, y: linearAxis('latency (ms)', tl.flatMap((t) => [ms(t.p50Us) ?? 0, ms(t.p99Us) ?? 0]), fmtAxisNumber), bands,
    series: [
      { name: 'p50', cls: 's0', points: tl.map((t) => ({ x: at(t), y: ms(t.p50Us), tip: `second ${t.second}: p50 ${fmtUs(t.p50Us)}` })) },
      { name: 'p99', cls: 's2', points: tl.map((t) => ({ x: at(t), y: ms(t.p99Us), tip: `second ${t.second}: p99 ${fmtUs(t.p99Us)}` })) },
    ],
  };
  const throughput: XYSpec = {
    chart: 'throughput-timeline', title: 'Throughput over time', caption: 'Requests sent and answered (success or failure) in each second.',
    x, y: linearAxis('requests per second', tl.flatMap((t) => [t.sent, t.completed]), fmtAxisNumber), bands,
    series: [
      { name: 'sent', cls: 's1', dashed: true, points: tl.map((t) => ({ x: at(t), y: t.sent, tip: `second ${t.second}: ${t.sent} sent` })) },
      { name: 'answered', cls: 's0', points: tl.map((t) => ({ x: at(t), y: t.completed, tip: `second ${t.second}: ${t.completed} answered, ${t.errors} failed` })) },
    ],
  };
  return section('Over time', xyChart(latency) + xyChart(throughput));
}

function operationsSection(r: BenchResult): string {
  if (!r.byOperation.length) return '';
  const chart = percentileBars({ chart: 'operations', title: 'Latency per operation', caption: 'Corrected latency of successes per operation: p50, p95 and p99.',
    ops: r.byOperation.map((o) => ({ op: o.op, dist: o.latency ?? o.serviceTime })) });
  const rows = r.byOperation.map((o) => [o.op, o.requests, o.succeeded, o.failed, fmtUs(o.latency?.p50), fmtUs(o.latency?.p95), fmtUs(o.latency?.p99), fmtUs(o.serviceTime?.p50)]);
  return section('Per operation', chart + htmlTable(['operation', 'requests', 'ok', 'failed', 'p50', 'p95', 'p99', 'service p50'], rows, 'operations'));
}
