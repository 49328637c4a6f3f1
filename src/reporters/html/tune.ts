/**
 * The tune part of the HTML report: the tune curve (throughput and the SLO percentile against the
 * swept knob, through the recommended point's other settings), the fitted USL curve, every point
 * in a table, the recommendation with its reasons, the patches, and the recommended point's CPU
 * profile with its findings (--profile).
 */
import type { TunePoint, TuneResult } from '../../result/tuneResult.js';
import { uslThroughput } from '../../measure/usl.js';
import type { ShownBudget } from '../reportInput.js';
import { fmtBytes, fmtUs } from '../format.js';
import { badge, budgetsBlock, findingsBlock, htmlTable, markup, para, section, type Cell } from './blocks.js';
import { xyChart, type XYPoint, type XYSeries } from './charts.js';
import { escapeHtml as esc } from './escape.js';
import { profileSection } from './profile.js';
import { fmtAxisNumber, linearAxis, type Axis } from './svg.js';

/** The tune sections of a result. */
export function renderTune(r: TuneResult, budgets: readonly ShownBudget[]): string {
  return [curveSection(r), pointsSection(r), recommendationSection(r),
    profileSection(r.profile, 'The recommended point, measured again with the profiler on.'), profileFindings(r), budgetsBlock(budgets, 'SLO')].join('');
}

/** The findings of the recommended point's profile (a tune result has none of its own); '' without any. */
function profileFindings(r: TuneResult): string {
  const f = r.profile?.findings ?? [];
  return f.length ? findingsBlock(f) : '';
}

type Settings = TunePoint['settings'];
type Knob = TuneResult['space']['knobs'][number];

/** Settings in words: "pool 2, concurrency 4, env WORKERS=4". */
function describe(s: Settings): string {
  return Object.entries(s).map(([id, v]) => {
    const colon = id.indexOf(':');
    return colon < 0 ? `${id} ${String(v)}` : `${id.slice(0, colon)} ${id.slice(colon + 1)}=${String(v)}`;
  }).join(', ');
}

/** A knob value as a number when it is one (env and arg values travel as strings: '4'). */
function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** Settings the curve holds fixed: the recommendation's, else the fastest ok point's. */
function fixedSettings(r: TuneResult): Settings | null {
  if (r.recommendation) return r.recommendation.settings;
  const ok = r.points.filter((p) => p.summary);
  const best = ok.reduce<TunePoint | null>((a, p) => (a && a.summary!.succeededRps >= p.summary!.succeededRps ? a : p), null);
  return best?.settings ?? r.points[0]?.settings ?? null;
}

/**
 * N of the USL model at a value of the swept knob, or null when the model's axis is not the
 * swept knob. Mirrors modelAxis (runners/tune/recommend.ts): N = product of the swept client
 * knobs (pool, concurrency), else the swept server knob itself.
 */
function nOf(r: TuneResult, swept: Knob, fixed: Settings): ((v: number) => number) | null {
  const client = r.space.knobs.filter((k) => (k.id === 'pool' || k.id === 'concurrency') && k.values.length > 1 && k.values.every((v) => num(v) !== null));
  if (client.some((k) => k.id === swept.id)) {
    const others = client.filter((k) => k.id !== swept.id).reduce((a, k) => a * (num(fixed[k.id]) ?? 1), 1);
    return (v) => v * others;
  }
  return client.length === 0 && swept.kind !== 'builtin' ? (v) => v : null;
}

function curveSection(r: TuneResult): string {
  const swept = r.space.knobs.reduce<Knob | null>((a, k) => (a && a.values.length >= k.values.length ? a : k), null);
  const fixed = fixedSettings(r);
  if (!swept || !fixed) return '';
  const others = Object.entries(fixed).filter(([id]) => id !== swept.id);
  const slice = r.points.filter((p) => others.every(([id, v]) => p.settings[id] === v));
  if (!slice.length) return '';
  const numeric = swept.values.every((v) => num(v) !== null);
  // Non-numeric values (modes, names) are placed evenly, in the order the knob lists them.
  const xOf = (v: unknown): number => (numeric ? num(v)! : Math.max(0, swept.values.findIndex((k) => k === v)));
  const xs = swept.values.map(xOf);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  // Doubling sweeps (1, 2, 4, 8…) read best on a log axis, with a tick at every value.
  const log = numeric && lo > 0 && hi / lo >= 8;
  const x: Axis = numeric && !log
    ? linearAxis(swept.id, xs, fmtAxisNumber, false)
    : { label: swept.id, min: log ? lo / 1.25 : -0.5, max: log ? hi * 1.25 : xs.length - 0.5, log, ticks: swept.values.map((v) => ({ value: xOf(v), label: String(v) })) };
  const stat = r.objective.sloStat;
  const winner = r.recommendation?.pointIndex;
  const ok = slice.filter((p) => p.summary);
  const tput: XYPoint[] = slice.map((p): XYPoint => {
    const v = p.settings[swept.id];
    if (!p.summary) return { x: xOf(v), y: null, shape: 'cross', tip: `${describe(p.settings)}: failed — ${p.error ?? 'no measurement'}` };
    const tip = `${describe(p.settings)}: ${p.summary.succeededRps.toFixed(1)} req/s${p.index === winner ? ' (recommended)' : ''}`;
    return { x: xOf(v), y: p.summary.succeededRps, tip, shape: p.index === winner ? 'winner' : 'dot' };
  }).sort((a, b) => a.x - b.x);
  const slo: XYPoint[] = ok.map((p) => ({ x: xOf(p.settings[swept.id]), y: p.summary![`${stat}Us`] / 1000, tip: `${describe(p.settings)}: ${stat} ${fmtUs(p.summary![`${stat}Us`])}` }))
    .sort((a, b) => a.x - b.x);
  const series: XYSeries[] = [{ name: 'throughput', cls: 's0', points: tput }, { name: `${stat} latency`, cls: 's2', axis: 'y2', dashed: true, points: slo }];
  const ys = tput.map((p) => p.y ?? 0);
  const m = r.model;
  const n = fixed ? nOf(r, swept, fixed) : null;
  // A fit too poor to predict draws no curve (the reading says why).
  if (m?.kind === 'usl' && m.predictive !== false && m.lambda !== null && m.sigma !== null && m.kappa !== null && numeric && n) {
    const fit = { lambda: m.lambda, sigma: m.sigma, kappa: m.kappa };
    const steps = 60;
    const pts: XYPoint[] = [];
    for (let i = 0; i <= steps; i++) {
      const v = log ? x.min * (x.max / x.min) ** (i / steps) : x.min + ((x.max - x.min) * i) / steps;
      const nv = n(v);
      if (nv > 0) pts.push({ x: v, y: uslThroughput(fit, nv), tip: '' });
    }
    series.push({ name: 'USL fit', cls: 's3', dots: false, points: pts });
    ys.push(...pts.map((p) => p.y ?? 0));
  }
  const held = others.length ? ` Other knobs held at ${describe(Object.fromEntries(others))}.` : '';
  const chart = xyChart({
    chart: 'tune-curve', title: `Throughput and ${stat} against ${swept.id}`,
    caption: `Throughput (left axis) and ${stat} latency (right axis) at each value of ${swept.id}.${held}`,
    x, y: linearAxis('throughput (req/s)', ys, fmtAxisNumber),
    y2: linearAxis(`${stat} latency (ms)`, [...slo.map((p) => p.y ?? 0), r.objective.sloThresholdMs], fmtAxisNumber), series,
    rules: [{ axis: 'y2', value: r.objective.sloThresholdMs, label: `SLO ${r.objective.slo}` }],
    legendExtra: [{ name: 'recommended', cls: 'winner', shape: 'winner' }, ...(slice.some((p) => !p.summary) ? [{ name: 'failed', cls: 'failed', shape: 'cross' as const }] : [])],
  });
  const model = m ? para(m.reading, 'note') : '';
  return section('Tune curve', chart + model);
}

function pointsSection(r: TuneResult): string {
  if (!r.points.length) return section('Points', para('No points measured.'));
  const stat = r.objective.sloStat;
  const rows = r.points.map((p): Cell[] => {
    const s = p.summary;
    const mark = p.index === r.recommendation?.pointIndex ? badge('recommended', 'pass') : p.index === r.recommendation?.runnerUpIndex ? badge('runner-up', 'info') : '';
    const slo = p.status === 'failed' ? badge('failed', 'fail') : s?.meetsSlo ? badge('meets SLO', 'pass') : badge('misses SLO', 'warning');
    return [p.index, describe(p.settings), mark, slo, s ? Number(s.succeededRps.toFixed(1)) : null, fmtUs(s?.p50Us), fmtUs(s?.[`${stat}Us`]), fmtUs(s?.p99Us),
      s ? `${Number(s.errorRatePct.toFixed(3))} %` : null, fmtBytes(s?.rssPeakBytes), p.runs.length, p.error ?? ''];
  });
  const skipped = r.space.skipped.length ? `<ul class="skipped">${r.space.skipped.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>` : '';
  return section('Points', para(`${r.points.length} of ${r.space.gridSize} points measured (${r.space.strategy} search).`) +
    htmlTable(['#', 'settings', '', 'SLO', 'req/s', 'p50', stat, 'p99', 'errors', 'peak RSS', 'runs', 'error'], rows, 'points') + skipped);
}

function recommendationSection(r: TuneResult): string {
  const rec = r.recommendation;
  if (!rec) return section('Recommendation', para('No recommendation: no point finished.'));
  const head = `<p><strong>${esc(describe(rec.settings))}</strong> ${(rec.meetsSlo ? badge(`meets ${r.objective.slo}`, 'pass') : badge(`closest; misses ${r.objective.slo}`, 'fail')).html}</p>`;
  const why = `<ul class="explanation">${rec.explanation.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`;
  const patches = r.patch?.files.length
    ? htmlTable(['patch target', 'merge patch', 'written to'], r.patch.files.map((f) => [f.target, markup(`<pre>${esc(JSON.stringify(f.mergePatch, null, 2))}</pre>`), f.mergePatchFile ?? 'not saved']), 'patches')
    : '';
  return section('Recommendation', head + why + patches);
}
