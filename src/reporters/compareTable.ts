/**
 * The comparison in the terminal: per metric baseline, current, delta, ratio with its 95 %
 * confidence interval, and the verdict; failing regressions marked.
 */
import type { ComparisonReport, MetricComparison } from '../result/comparison.js';
import { fmtBytes, fmtNum, fmtUs, painter, safe, table } from './format.js';

/** A figure in the metric's unit. */
export function fmtMetricValue(v: number | null, unit: MetricComparison['unit']): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (unit === 'us') return fmtUs(v);
  if (unit === 'bytes') return fmtBytes(v);
  if (unit === 'rps') return `${v.toFixed(v < 100 ? 1 : 0)} req/s`;
  if (unit === 'pct') return `${v.toFixed(2)}%`;
  return String(Math.round(v * 100) / 100);
}

/** A p column's meaning, where one is shown. */
export const P_COLUMN = 'p is Mann-Whitney U over the whole distribution, shown for reference: it does not decide a percentile.';

/** How verdicts are decided, in one sentence every format prints (the rule is in src/compare/compareMetrics.ts). */
export function verdictMethod(minEffectPct: number): string {
  return `a percentile counts as changed when the 95 % bootstrap interval of its own ratio excludes 1 (an error rate: two-proportion p < 0.01) and the change is at least ${fmtNum(minEffectPct)} %.`;
}

/** The ways the two runs were measured differently (only under --force), in one sentence; null when they match. */
export function differencesWarning(c: ComparisonReport): string | null {
  const diffs = c.differences ?? [];
  if (!diffs.length) return null;
  return `Compared under --force although measured differently (${diffs.map((d) => `${d.what}: baseline ${d.baseline}, current ${d.current}`).join('; ')}): a change may be the setting's, not the server's.`;
}

/** Render a comparison for a terminal. */
export function renderCompareTable(c: ComparisonReport, opts: { color: boolean }): string {
  const p = painter(opts.color);
  const verdict = (m: MetricComparison): string => {
    const text = m.failing ? 'REGRESSED (fails)' : m.verdict;
    return m.verdict === 'regressed' ? p.red(text) : m.verdict === 'improved' ? p.green(text) : text;
  };
  const rows = c.metrics.map((m) => [
    safe(m.metric, 60), fmtMetricValue(m.baseline, m.unit), fmtMetricValue(m.current, m.unit),
    m.delta === null ? '–' : `${m.delta >= 0 ? '+' : '−'}${fmtMetricValue(Math.abs(m.delta), m.unit)}`,
    m.ratio === null ? '–' : `×${m.ratio.toFixed(3)}${m.ci ? ` [${m.ci[0].toFixed(3)}, ${m.ci[1].toFixed(3)}]` : ''}`,
    m.pValue === null ? '–' : m.pValue < 0.001 ? '<0.001' : m.pValue.toFixed(3),
    verdict(m),
  ]);
  const head = `${p.bold('Compare')} ${safe(c.current.file, 120)} (current) with ${safe(c.baseline.file, 120)} (baseline)`;
  const rule = `Verdicts: ${verdictMethod(c.minEffectPct)} ${P_COLUMN}`
    + (c.failOnRegressionPct === null ? ' No --fail-on-regression: the comparison does not set the exit code.' : ` A regression beyond ${fmtNum(c.failOnRegressionPct)}% fails.`);
  const differences = differencesWarning(c);
  const notes = c.metrics.filter((m) => m.note).map((m) => `  ${safe(m.metric, 60)}: ${safe(m.note, 200)}`);
  const summary = `${c.counts.regressed} regressed, ${c.counts.improved} improved, ${c.counts.unchanged} unchanged${c.failed ? p.red(' — FAILED') : ''}`;
  return [head, ...(differences ? [p.yellow(`! ${safe(differences, 1000)}`)] : []), table(['metric', 'baseline', 'current', 'Δ', 'ratio [95% CI]', 'p', 'verdict'], rows, p), rule, ...(notes.length ? ['Notes:', ...notes] : []), summary, ''].join('\n');
}
