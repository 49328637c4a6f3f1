/**
 * The comparison part of the HTML report: baseline and current percentile spectra overlaid (bench
 * results), and every compared metric with its verdict, ratio and confidence interval.
 */
import type { AnyResult } from '../reportInput.js';
import type { ComparisonReport, MetricComparison } from '../../result/comparison.js';
import { differencesWarning, P_COLUMN, verdictMethod } from '../compareTable.js';
import { fmtBytes, fmtNum, fmtUs } from '../format.js';
import { badge, figures, htmlTable, para, section, type Cell } from './blocks.js';
import { spectrumChart } from './spectrum.js';

/** The comparison section; `current` and `baseline` are the compared results when given. */
export function renderComparison(cmp: ComparisonReport, current: AnyResult | undefined, baseline: AnyResult | undefined): string {
  const sides = figures([
    ['baseline', `${cmp.baseline.file} · ${cmp.baseline.kind} · ${cmp.baseline.createdAt} · ${cmp.baseline.target}`],
    ['current', `${cmp.current.file} · ${cmp.current.kind} · ${cmp.current.createdAt} · ${cmp.current.target}`],
    ['verdicts', `${cmp.counts.regressed} regressed, ${cmp.counts.improved} improved, ${cmp.counts.unchanged} unchanged`],
    ['gate', cmp.failOnRegressionPct === null ? 'not set (never fails)' : cmp.failed ? badge(`failed: a regression over ${fmtNum(cmp.failOnRegressionPct)} %`, 'fail') : badge(`passed (fails over ${fmtNum(cmp.failOnRegressionPct)} %)`, 'pass')],
  ]);
  let chart = '';
  if (current?.kind === 'bench' && baseline?.kind === 'bench') {
    chart = spectrumChart('comparison-spectrum', 'Latency percentile spectrum: baseline and current',
      'Corrected latency of successes, baseline (dashed) and current, overlaid.',
      [{ name: 'current', cls: 's0', dist: current.latency }, { name: 'baseline', cls: 's1', dist: baseline.latency, dashed: true }]);
  }
  const rows = cmp.metrics.map((m): Cell[] => [m.metric, value(m, m.baseline), value(m, m.current), delta(m), ratio(m.ratio), ci(m.ci),
    m.pValue === null ? null : m.pValue < 0.001 ? '< 0.001' : m.pValue.toFixed(3), badge(m.verdict, m.verdict),
    m.failing ? badge('fails gate', 'fail') : '', m.note ?? '']);
  const table = htmlTable(['metric', 'baseline', 'current', 'Δ', 'ratio', '95 % CI of ratio', 'p', 'verdict', '', 'note'], rows, 'comparison');
  const effect = para(`Verdicts: ${verdictMethod(cmp.minEffectPct)} ${P_COLUMN} Changes smaller than ${fmtNum(cmp.minEffectPct)} % count as unchanged even when significant.`, 'note');
  const differences = differencesWarning(cmp);
  return section('Comparison', sides + (differences ? badge('measured differently', 'warning') + para(differences) : '') + chart + table + effect, 'comparison');
}

function value(m: MetricComparison, v: number | null): string {
  if (v === null) return '–';
  switch (m.unit) {
    case 'us': return fmtUs(v);
    case 'bytes': return fmtBytes(v);
    case 'rps': return `${Number(v.toFixed(1))} req/s`;
    case 'pct': return `${Number(v.toFixed(3))} %`;
    default: return String(Number(v.toFixed(3)));
  }
}

function delta(m: MetricComparison): string {
  if (m.delta === null) return '–';
  const sign = m.delta > 0 ? '+' : m.delta < 0 ? '−' : '±';
  return `${sign}${value(m, Math.abs(m.delta))}`;
}

const ratio = (r: number | null): string => (r === null ? '–' : `×${r.toFixed(3)}`);
const ci = (c: [number, number] | null): string => (c === null ? '–' : `${c[0].toFixed(3)} – ${c[1].toFixed(3)}`);
