/**
 * The analyze part of the HTML report: cold starts as a strip plot (every run, with p50 and p95
 * markers), steady latency per operation, the tool list's size and token cost, lookup, resources,
 * findings and budgets.
 */
import type { Distribution } from '../../measure/histogram.js';
import type { AnalyzeResult, ColdStartSection, ToolsSection } from '../../result/analyzeResult.js';
import type { ShownBudget } from '../reportInput.js';
import { fmtBytes, fmtMs, fmtUs } from '../format.js';
import { budgetsBlock, countsTable, figures, findingsBlock, htmlTable, para, section, type Cell } from './blocks.js';
import { percentileBars, stripChart, type StripRow } from './charts.js';
import { profileSection } from './profile.js';
import { fmtAxisNumber, linearAxis } from './svg.js';

/** The analyze sections of a result. */
export function renderAnalyze(r: AnalyzeResult, budgets: readonly ShownBudget[]): string {
  return [coldStartSection(r.coldStart), latencySection(r), toolsSection(r.tools), lookupSection(r),
    resourcesSection(r), profileSection(r.profile), findingsBlock(r.findings), budgetsBlock(budgets)].join('');
}

/** Markers at a distribution's p50 and p95 (µs → ms). */
function markers(d: Distribution | null, what: string): StripRow['markers'] {
  if (!d) return [];
  return [
    { value: d.p50 / 1000, name: 'p50', cls: 'p50', tip: `${what} p50: ${fmtUs(d.p50)}` },
    { value: d.p95 / 1000, name: 'p95', cls: 'p95', tip: `${what} p95: ${fmtUs(d.p95)}` },
  ];
}

function coldStartSection(cs: ColdStartSection | null): string {
  if (!cs) return '';
  const rowOf = (label: string, pick: (s: ColdStartSection['samples'][number]) => number | null, d: Distribution | null): StripRow | null => {
    const dots = cs.samples.flatMap((s) => {
      const v = pick(s);
      return v === null ? [] : [{ value: v, tip: `run ${s.run}: ${label} ${fmtMs(v)}${s.outlier ? ' (outlier)' : ''}`, outlier: s.outlier }];
    });
    return dots.length ? { label, dots, markers: markers(d, label) } : null;
  };
  const rows = [
    rowOf('handshake', (s) => s.handshakeMs, cs.stages.handshake),
    rowOf('ready', (s) => s.readyMs, cs.stages.ready),
    rowOf('first call', (s) => s.firstCallMs, cs.stages.firstCall),
  ].filter((r): r is StripRow => r !== null);
  const values = rows.flatMap((r) => [...r.dots.map((d) => d.value), ...r.markers.map((m) => m.value)]);
  const chart = rows.length
    ? stripChart({ chart: 'cold-start', title: 'Cold start per run', x: linearAxis(`ms since ${cs.mode === 'process' ? 'spawn' : 'connect'}`, values, fmtAxisNumber), rows,
      caption: `${cs.samples.length} measured ${cs.mode === 'process' ? 'fresh processes' : 'fresh sessions'}: one dot per run, p50 and p95 marked.` })
    : '';
  const dist = (name: string, d: Distribution | null): Cell[] => [name, d?.n ?? null, fmtUs(d?.p50), fmtUs(d?.p95), fmtUs(d?.max)];
  const table = htmlTable(['stage', 'runs', 'p50', 'p95', 'max'], [
    dist('first byte', cs.stages.firstByte), dist('handshake', cs.stages.handshake), dist('ready', cs.stages.ready),
    dist(`first call${cs.firstCallTool ? ` (${cs.firstCallTool})` : ''}`, cs.stages.firstCall),
  ], 'stages');
  const runner = cs.runner
    ? para(`Started through ${cs.runner.runner}: ${fmtMs(cs.runner.overheadMs)} slower at p50 than launching directly (${cs.runner.directDisplay}).`)
    : '';
  const rss = cs.peakRss ? para(`Peak RSS during start: p50 ${fmtBytes(cs.peakRss.p50)}, max ${fmtBytes(cs.peakRss.max)}.`) : '';
  return section('Cold start', chart + table + runner + rss);
}

function latencySection(r: AnalyzeResult): string {
  const l = r.latency;
  if (!l) return '';
  const chart = percentileBars({ chart: 'steady-latency', title: 'Steady latency per operation', caption: 'One request at a time on a warm session: p50, p95 and p99.',
    ops: l.operations.map((o) => ({ op: o.op, dist: o.sequential ?? o.concurrent })) });
  const rows = l.operations.map((o) => [o.op, o.requests, fmtUs(o.sequential?.p50), fmtUs(o.sequential?.p95), fmtUs(o.concurrent?.p50), fmtUs(o.concurrent?.p95),
    Object.values(o.errors).reduce((a, b) => a + b, 0), o.note ?? o.args ?? '']);
  const errors: Record<string, number> = {};
  for (const o of l.operations) for (const [k, n] of Object.entries(o.errors)) errors[k] = (errors[k] ?? 0) + n;
  return section('Steady latency', chart +
    htmlTable(['operation', 'requests', 'p50', 'p95', `p50 ×${l.concurrency}`, `p95 ×${l.concurrency}`, 'errors', 'note'], rows, 'operations') +
    para(`Error rate over the latency phase: ${Number(l.errorRatePct.toFixed(3))} %.`)) + countsTable('Errors by class', errors);
}

function toolsSection(t: ToolsSection | null): string {
  if (!t) return '';
  const head = figures([
    ['tools', t.count], ['pages', t.pages], ['list size', fmtBytes(t.bytes)], ['tokens', `${t.tokens.toLocaleString('en-US')} (${t.tokenizer.encoding})`],
    ['bytes per tool', `mean ${fmtBytes(Math.round(t.bytesPerTool.mean))}, max ${fmtBytes(t.bytesPerTool.max)}`],
    ['list latency p50', fmtUs(t.listLatency?.p50)],
  ]);
  const largest = t.largest.length
    ? htmlTable(['largest tools', 'bytes', 'tokens', 'schema', 'description'], t.largest.map((x) => [x.name, x.bytes, x.tokens, x.schemaBytes, x.descriptionBytes]), 'tools')
    : '';
  const skipped = t.skipped.length ? htmlTable(['not called', 'why'], t.skipped.map((s) => [s.name, s.reason]), 'skipped') : '';
  return section('Tools and tokens', head + para(t.tokenizer.note, 'note') + largest + skipped);
}

function lookupSection(r: AnalyzeResult): string {
  const l = r.lookup;
  if (!l) return '';
  const verdict = l.linear === null ? 'not testable' : l.linear ? 'grows with list position (linear scan)' : 'independent of list position';
  return section('Tool lookup', figures([
    ['registry cost', l.registryUs
      ? `${fmtUs(l.registryUs.value)} (95 % CI ${fmtUs(l.registryUs.low)} – ${fmtUs(l.registryUs.high)})${l.lowSample ? ', few samples: rough' : ''}`
      : `not measured: ${l.notMeasured ?? 'no probe answers'}`],
    ['full scan, from list positions', l.scanEstimateUs == null ? null
      : `${fmtUs(l.scanEstimateUs)} (slope × tool count)${l.baselineScans ? '; the baseline is not lookup-free' : ''}`],
    ['lookup', verdict],
    ['slope', l.slopeUsPerPosition === null ? null : `${l.slopeUsPerPosition.toFixed(3)} µs per position`],
  ]) + para(l.method, 'note'));
}

function resourcesSection(r: AnalyzeResult): string {
  const x = r.resources;
  const h = r.hygiene;
  const pairs: Array<[string, Cell]> = [];
  if (x) pairs.push(['idle RSS', fmtBytes(x.idleRssBytes)], ['RSS growth', fmtBytes(x.rssGrowthBytes)], ['CPU per request', fmtUs(x.cpuUsPerRequest)], ['stderr', `${x.stderrLines} lines, ${fmtBytes(x.stderrBytes)}`]);
  if (h) pairs.push(['non-JSON stdout lines', h.nonJsonLines], ['late responses', h.lateResponses], ['signalled stops', h.signalledStops]);
  return pairs.length ? section('Resources and hygiene', figures(pairs)) : '';
}
