/**
 * Terminal report of a tune result: a pure function of the result. Every figure printed is read
 * from it; nothing is recomputed. Sections: header, points, chart, model, recommendation,
 * patches, the recommended point's CPU profile (--profile), the SLO budget, then warnings and the
 * incomplete notice.
 */
import type { ChalkInstance } from 'chalk';
import type { PointSummary, TunePoint, TuneResult } from '../result/tuneResult.js';
import { renderAsciiChart } from './asciiChart.js';
import { renderBudgets } from './budgetTable.js';
import { fmtBytes, fmtNum, fmtPct, fmtUs, painter, safe, table } from './format.js';
import { renderProfileTable } from './profileTable.js';

/** Options of the tune report. */
export interface TuneTableOptions {
  /** ANSI colour. */
  color: boolean;
  /** Path of the saved result, for the `--resume` hint (shown as '<result file>' when absent). */
  resultFile?: string | null;
}

/** Skipped-space lines printed at most (the JSON has them all). */
const MAX_SKIPPED_LINES = 5;
/** Characters of a failed point's error shown in the table. */
const MAX_ERROR_CHARS = 40;
/** Characters of a knob value shown. */
const MAX_VALUE_CHARS = 30;

/** Render the whole tune report. */
export function renderTuneTable(result: TuneResult, opts: TuneTableOptions): string {
  const c = painter(opts.color);
  const r = result;
  const out = [header(r, c)];
  if (r.points.length === 0) out.push('No points measured.');
  else {
    out.push(pointsTable(r, c));
    const chart = chartSection(r, c);
    if (chart) out.push(chart);
  }
  out.push(model(r, c));
  out.push(recommendation(r, c));
  if (r.recommendation) out.push(patches(r, c));
  if (r.profile) out.push(renderProfileTable(r.profile, c, { findings: true, scope: 'the recommended point, measured again with the profiler on' }));
  if (r.budgets.length) out.push(renderBudgets(r.budgets, c, 'exit code 1 when the recommended point misses the SLO'));
  if (r.warnings.length) out.push(`${c.bold('Warnings')}\n${r.warnings.map((w) => `  ${c.yellow('!')} ${safe(w, 500)}`).join('\n')}`);
  if (r.incomplete) {
    const file = opts.resultFile ? safe(opts.resultFile, 300) : '<result file>';
    out.push(c.red(`INCOMPLETE: ${safe(r.incompleteReason ?? 'the run stopped early', 300)} — finish it with mcp-opt tune --resume ${file}`));
  }
  return `${out.join('\n\n')}\n`;
}

/** A knob value as shown: strings as they are (stripped), anything else as JSON. */
export function fmtKnobValue(v: unknown): string {
  if (v === undefined) return '–';
  return safe(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v), MAX_VALUE_CHARS);
}

/** Settings in words: 'pool 2, concurrency 4, env WORKERS=4' (knob order of `knobIds`). */
export function describeSettings(settings: Record<string, unknown>, knobIds: readonly string[]): string {
  const ids = [...knobIds.filter((id) => id in settings), ...Object.keys(settings).filter((id) => !knobIds.includes(id))];
  return ids.map((id) => {
    const value = fmtKnobValue(settings[id]);
    const colon = id.indexOf(':');
    // Built-in knobs read as 'pool 2'; env/arg/file knobs as 'env WORKERS=4'.
    return colon < 0 ? `${safe(id, 60)} ${value}` : `${safe(id.slice(0, colon), 10)} ${safe(id.slice(colon + 1), 60)}=${value}`;
  }).join(', ') || '(defaults)';
}

function header(r: TuneResult, c: ChalkInstance): string {
  const o = r.objective;
  const s = r.space;
  const k = r.config;
  const lines = [`${c.bold('mcp-opt tune')} ${safe(r.target.display, 300)} (${r.target.kind}, ${safe(r.target.origin, 120)})`];
  if (r.server) lines.push(`  server ${safe(r.server.name)} ${safe(r.server.version)} · ${r.server.era} era · protocol ${safe(r.server.protocolVersion)}`);
  lines.push(`  objective: ${o.kind}${o.atRps !== null ? ` at ${fmtNum(o.atRps)} req/s` : ''}, SLO ${safe(o.slo, 60)}, errors ≤ ${fmtPct(o.maxErrorPct)}`);
  const knobs = s.knobs.map((kn) => `${safe(kn.id, 80)} (${kn.values.length} value${kn.values.length === 1 ? '' : 's'})`).join(' × ') || '(no knobs)';
  lines.push(`  space: ${knobs} = ${s.gridSize} point${s.gridSize === 1 ? '' : 's'}, ${s.strategy} search, ${r.points.length} measured`);
  for (const line of s.skipped.slice(0, MAX_SKIPPED_LINES)) lines.push(`    skipped: ${safe(line, 200)}`);
  if (s.skipped.length > MAX_SKIPPED_LINES) lines.push(`    … ${s.skipped.length - MAX_SKIPPED_LINES} more`);
  if (k.viaProxy) {
    const cap = k.viaProxy.maxInflightPerInstance > 0 ? `at most ${k.viaProxy.maxInflightPerInstance} in flight per instance` : 'no per-instance cap';
    lines.push(`  through mcp-opt proxy: pool and balance are the proxy's; affinity ${safe(k.viaProxy.affinity, 20)}, ${cap}`);
  }
  lines.push(`  each point: ${fmtNum(k.pointDurationMs / 1000)} s after ${fmtNum(k.pointWarmupMs / 1000)} s warm-up, up to ${k.maxRepeats} runs; workload: ${k.workload.map((w) => safe(w, 60)).join(', ') || '–'} (seed ${k.seed})`);
  return lines.join('\n');
}

function pointsTable(r: TuneResult, c: ChalkInstance): string {
  const knobIds = r.space.knobs.map((kn) => kn.id);
  const recommended = r.recommendation?.pointIndex ?? null;
  const rows = sortedPoints(r).map((p) => {
    const s = p.summary;
    const cells = [
      ...knobIds.map((id) => fmtKnobValue(p.settings[id])),
      fmtRps(s?.succeededRps), fmtUs(s?.p50Us), fmtUs(s?.p95Us), fmtUs(s?.p99Us),
      s ? `${Number(s.errorRatePct.toFixed(2))}%` : '–', fmtBytes(s?.rssPeakBytes), String(p.runs.length), status(p, c),
    ];
    const mine = p.index === recommended;
    cells[0] = `${mine ? '★' : ' '} ${cells[0] ?? ''}`;
    return mine ? cells.map((cell) => c.bold.green(cell)) : cells;
  });
  const head = [...knobIds.map((id) => safe(id, 40)), 'req/s', 'p50', 'p95', 'p99', 'errors', 'RSS peak', 'runs', 'status'];
  return `${c.bold('Points')} (★ recommended)\n${table(head, rows, c)}`;
}

function status(p: TunePoint, c: ChalkInstance): string {
  if (p.status === 'failed') return c.red(`failed: ${safe((p.error ?? 'unknown error').split(/\r?\n/)[0], MAX_ERROR_CHARS)}`);
  if (!p.summary) return 'no data';
  return p.summary.meetsSlo ? 'ok' : c.yellow('fails SLO');
}

function chartSection(r: TuneResult, c: ChalkInstance): string | null {
  const knobs = r.space.knobs;
  if (knobs.length === 0) return null;
  // The swept knob is the one with the most values (the first such, on a tie).
  const swept = knobs.reduce((best, kn) => (kn.values.length > best.values.length ? kn : best));
  const rec = r.recommendation;
  const several = knobs.length > 1;
  if (several && !rec) return null;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const slice = r.points.filter((p) => !several || knobs.every((kn) => kn.id === swept.id || same(p.settings[kn.id], rec!.settings[kn.id])));
  const columns: TunePoint[] = [];
  for (const v of swept.values) {
    const p = slice.find((q) => same(q.settings[swept.id], v));
    if (p) columns.push(p);
  }
  if (columns.length < 2) return null;
  const { stat, pick } = sloPick(r.objective.sloStat);
  const highlight = rec ? columns.findIndex((p) => p.index === rec.pointIndex) : -1;
  const chart = renderAsciiChart(
    columns.map((p) => fmtKnobValue(p.settings[swept.id])),
    [
      { label: 'req/s', values: columns.map((p) => p.summary?.succeededRps ?? null) },
      { label: `${stat} ms`, values: columns.map((p) => (p.summary ? pick(p.summary) / 1000 : null)) },
    ],
    { color: c.level > 0, highlight: highlight >= 0 ? highlight : undefined, highlightLabel: rec?.meetsSlo === false ? 'closest' : 'recommended' },
  );
  const lines = [c.bold(`Throughput and ${stat} by ${safe(swept.id, 80)}`), chart];
  if (several) lines.push('  (other knobs at the recommended values)');
  return lines.join('\n');
}

/** The summary figure charted for the SLO stat. */
function sloPick(stat: TuneResult['objective']['sloStat']): { stat: string; pick: (s: PointSummary) => number } {
  return { stat, pick: (s) => s[`${stat}Us`] };
}

function model(r: TuneResult, c: ChalkInstance): string {
  const m = r.model;
  if (!m) return `${c.bold('Model')}: not fitted (too few points)`;
  const lines = [`${c.bold('Model')} (${m.kind === 'usl' ? 'Universal Scalability Law' : "Little's law"}, ${m.points} point${m.points === 1 ? '' : 's'}): ${safe(m.reading, 500)}`];
  if (m.kind === 'usl' && m.predictive === false) {
    lines.push(`  R² ${fmtR2(m.r2)}: too poor a fit to predict, so no σ, κ or peak is quoted`);
  } else if (m.kind === 'usl') {
    const peak = m.peakN !== null
      ? `predicted peak N ${fmtFigure(m.peakN)} at ${fmtRps(m.peakThroughput)} req/s`
      // κ = 0 with contention levels off at λ/σ; only σ = 0 too grows without bound.
      : m.sigma !== null && m.sigma > 0 && m.lambda !== null ? `no predicted peak (κ = 0): levels off towards ${fmtRps(m.lambda / m.sigma)} req/s`
      : 'no predicted peak (κ = 0, σ = 0): grows linearly';
    lines.push(`  σ (contention) ${fmtFigure(m.sigma)}, κ (coherency) ${fmtFigure(m.kappa)}, R² ${fmtR2(m.r2)}, ${peak}`);
  }
  return lines.join('\n');
}

function recommendation(r: TuneResult, c: ChalkInstance): string {
  const rec = r.recommendation;
  if (!rec) {
    const why = r.points.length === 0 ? 'nothing was measured'
      : r.points.every((p) => p.status === 'failed') ? 'every point failed'
      : r.incomplete ? 'the tune stopped before choosing' : 'none chosen';
    return `${c.bold('No recommendation')}: ${why}.`;
  }
  const knobIds = r.space.knobs.map((kn) => kn.id);
  const point = r.points.find((p) => p.index === rec.pointIndex);
  const figures = point?.summary ? ` (${fmtRps(point.summary.succeededRps)} req/s, ${sloFigure(r, point.summary)})` : '';
  const words = describeSettings(rec.settings, knobIds);
  const o = r.objective;
  const first = rec.meetsSlo
    ? `${c.bold.green('Recommended:')} ${words}${figures}`
    : `${c.bold.yellow(`No point met ${o.sloStat} < ${fmtNum(o.sloThresholdMs)} ms with errors ≤ ${fmtPct(o.maxErrorPct)}`)}; closest: ${words}${figures}`;
  const runnerUp = rec.runnerUpIndex !== null ? r.points.find((p) => p.index === rec.runnerUpIndex) : undefined;
  const lines = [first, ...rec.explanation.map((e) => `  • ${safe(e, 500)}`)];
  if (runnerUp) lines.push(`  runner-up: ${describeSettings(runnerUp.settings, knobIds)}`);
  return lines.join('\n');
}

function patches(r: TuneResult, c: ChalkInstance): string {
  const files = r.patch?.files ?? [];
  if (files.length === 0) return `${c.bold('Patches')}: none`;
  const lines = files.map((f) => {
    const saved = [f.jsonPatchFile, f.mergePatchFile].filter((p): p is string => p !== null).map((p) => safe(p, 300));
    return `  ${safe(f.target, 120)}: ${saved.length ? saved.join(', ') : 'not saved (--no-save)'}`;
  });
  return `${c.bold('Patches')}\n${lines.join('\n')}`;
}

function sortedPoints(r: TuneResult): TunePoint[] {
  return [...r.points].sort((a, b) => a.index - b.index);
}

function sloFigure(r: TuneResult, s: PointSummary): string {
  const { stat, pick } = sloPick(r.objective.sloStat);
  return `${stat} ${fmtUs(pick(s))}`;
}

function fmtRps(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** R² to 3 decimals, with a true minus sign (it can be negative: a fit worse than the mean). */
function fmtR2(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(3)}`;
}

/** A fitted coefficient: 3 significant figures, no exponent for the usual ranges. */
function fmtFigure(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(3)));
}
