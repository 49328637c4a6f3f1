/**
 * GitHub-flavoured Markdown report, for a pull-request comment or $GITHUB_STEP_SUMMARY: the verdict
 * in the title, then per result a compact summary, its budgets, its CPU profile's top lines
 * (--profile) and findings, the comparison, and the run metadata folded away. A pure function of
 * the input; every server- or user-provided string goes through mdText, so a tool named
 * `<img onerror=…>` or `a|b` renders as text and never breaks a table.
 */
import type { Distribution } from '../measure/histogram.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { BenchResult } from '../result/benchResult.js';
import type { ComparisonReport, MetricComparison, Verdict } from '../result/comparison.js';
import type { Finding, Severity } from '../result/finding.js';
import type { TuneResult } from '../result/tuneResult.js';
import { differencesWarning, fmtMetricValue, verdictMethod } from './compareTable.js';
import { fmtBytes, fmtNum, fmtPct, fmtUs } from './format.js';
import { mdTable, mdText } from './markdownText.js';
import { profileMarkdown } from './profileMarkdown.js';
import {
  asReportInput, budgetStatus, failedBudgetCount, fmtBudgetValue, plural, shownResults,
  type BudgetStatus, type ReportInput, type ReporterInput, type ShownResult,
} from './reportInput.js';
import { describeSettings } from './tuneTable.js';

export { mdText } from './markdownText.js';

/** Render the report as GitHub-flavoured Markdown (ends with a newline). */
export function renderMarkdown(given: ReporterInput): string {
  const input = asReportInput(given);
  const shown = shownResults(input);
  const blocks = [title(input, shown)];
  if (input.comparison) blocks.push(comparison(input.comparison));
  for (const r of shown) blocks.push(resultSection(r));
  blocks.push(metadata(input, shown));
  return `${blocks.join('\n\n')}\n`;
}

const VERDICT: Record<Verdict, string> = { regressed: '🔴 regressed', improved: '🟢 improved', unchanged: '⚪ unchanged' };
const SEVERITY: Record<Severity, string> = { critical: '🔴 critical', warning: '🟠 warning', info: '🔵 info' };
const BUDGET: Record<BudgetStatus, string> = { pass: '✅ pass', fail: '❌ fail', missed: '⚠️ missed (default target, not gated)', unmeasured: '➖ not measured' };

function title(input: ReportInput, shown: ShownResult[]): string {
  const kinds = [...new Set(shown.map((r) => r.result.kind))];
  const what = kinds.length === 1 ? `mcp-opt ${kinds[0]}` : 'mcp-opt report';
  const failedBudgets = failedBudgetCount(shown);
  const incomplete = shown.some((r) => r.result.incomplete);
  const c = input.comparison;
  let icon = failedBudgets ? '❌' : '✅';
  const parts: string[] = [];
  if (c) {
    const failing = c.metrics.filter((m) => m.failing).length;
    const gate = c.failOnRegressionPct;
    if (failing) {
      icon = '❌';
      parts.push(`${plural(failing, 'regression')} beyond ${fmtNum(gate ?? 0)} %`);
    } else if (c.counts.regressed) {
      if (icon === '✅') icon = '⚠️';
      parts.push(`${plural(c.counts.regressed, 'regression')}, ${gate === null ? 'no --fail-on-regression gate' : `within the ${fmtNum(gate)} % gate`}`);
    } else parts.push('No regression');
    if (failedBudgets) parts.push(plural(failedBudgets, 'failed budget'));
  } else {
    const budgets = shown.reduce((n, r) => n + r.budgets.length, 0);
    const missed = shown.reduce((n, r) => n + r.budgets.filter((b) => budgetStatus(b) === 'missed').length, 0);
    parts.push(failedBudgets ? plural(failedBudgets, 'failed budget') : budgets ? 'budgets met' : 'no budgets set');
    if (missed) parts.push(`${plural(missed, 'default target')} missed`);
    const findings = shown.reduce((n, r) => n + (r.result.kind === 'analyze' ? r.result.findings.length : 0), 0);
    if (kinds.includes('analyze')) parts.push(plural(findings, 'finding'));
  }
  if (incomplete) {
    if (icon === '✅') icon = '⚠️';
    parts.push('incomplete run');
  }
  return c ? `## ${icon} ${parts.join(', ')} — ${what} compare` : `## ${icon} ${what}: ${parts.join(', ')}`;
}

function comparison(c: ComparisonReport): string {
  const head = `Current **${mdText(c.current.file, 120)}** compared with baseline **${mdText(c.baseline.file, 120)}**: `
    + `${c.counts.regressed} regressed, ${c.counts.improved} improved, ${c.counts.unchanged} unchanged.`;
  const rows = c.metrics.map((m) => {
    const cells = [mdText(m.metric, 80), fmtMetricValue(m.baseline, m.unit), fmtMetricValue(m.current, m.unit), delta(m), ratio(m),
      `${VERDICT[m.verdict]}${m.failing ? ' (fails)' : ''}${m.note ? ` · ${mdText(m.note, 240)}` : ''}`];
    return m.failing ? cells.map((x) => `**${x}**`) : cells;
  });
  const gate = c.failOnRegressionPct === null ? 'No --fail-on-regression was given: the comparison does not fail.' : `A regression beyond ${fmtNum(c.failOnRegressionPct)} % fails.`;
  const note = `<sub>Method: ${verdictMethod(c.minEffectPct)} ${gate}</sub>`;
  const differences = differencesWarning(c);
  return [head, '', ...(differences ? [`> ⚠️ ${mdText(differences, 1000)}`, ''] : []), mdTable(['metric', 'baseline', 'current', 'Δ', 'ratio (95 % CI)', 'verdict'], ['l', 'r', 'r', 'r', 'r', 'l'], rows), '', note].join('\n');
}

function delta(m: MetricComparison): string {
  if (m.delta === null) return '–';
  const abs = `${m.delta >= 0 ? '+' : '−'}${fmtMetricValue(Math.abs(m.delta), m.unit)}`;
  return m.ratio === null ? abs : `${abs} (${signedPct((m.ratio - 1) * 100)})`;
}

function ratio(m: MetricComparison): string {
  if (m.ratio === null) return '–';
  return `${m.ratio.toFixed(2)}${m.ci ? ` (${m.ci[0].toFixed(2)}–${m.ci[1].toFixed(2)})` : ''}`;
}

function signedPct(pct: number): string {
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`;
}

function resultSection(r: ShownResult): string {
  const res = r.result;
  const blocks = [`### ${res.kind} · ${mdText(res.target.display, 160)}`];
  if (res.incomplete) blocks.push(`> ⚠️ **Incomplete:** ${mdText(res.incompleteReason ?? 'the run stopped early', 300)}. The figures cover what was measured.`);
  if (res.kind === 'bench') blocks.push(benchSummary(res));
  else if (res.kind === 'analyze') blocks.push(analyzeSummary(res));
  else blocks.push(tuneSummary(res));
  if (r.budgets.length) {
    const rows = r.budgets.map((s) => {
      const b = s.budget;
      const status = budgetStatus(s);
      return [mdText(b.expression, 80), fmtBudgetValue(b.actual, b.unit), (status === 'unmeasured' || b.minSamples !== undefined) && b.note ? `${BUDGET[status]} (${mdText(b.note, 120)})` : BUDGET[status],
        s.from === 'run' ? b.source : `${b.source}, report gate`];
    });
    blocks.push(`**Budgets**\n\n${mdTable(['budget', 'measured', 'result', 'source'], ['l', 'r', 'l', 'l'], rows)}`);
  }
  if (res.profile) blocks.push(profileMarkdown(res.profile, res.kind === 'tune' ? 'the recommended point, measured again with the profiler on' : undefined));
  // An analyze result's findings include its profile's; bench and tune have only the profile's.
  const found = res.kind === 'analyze' ? res.findings : res.profile?.findings ?? [];
  if (found.length) blocks.push(findings(found));
  return blocks.join('\n\n');
}

function benchSummary(r: BenchResult): string {
  const q = r.requests;
  const t = r.throughput;
  const trio = (d: Distribution | null): string => (d ? `${fmtUs(d.p50)} / ${fmtUs(d.p95)} / ${fmtUs(d.p99)}` : '–');
  const classes = Object.entries(q.errors).map(([k, n]) => `${mdText(k, 40)} ×${n}`).join(', ');
  const errors = `${fmtPct(q.errorRatePct)} (${q.failed}${classes ? `: ${classes}` : ''})`;
  const rate = t.targetRps === null
    ? `closed loop, ${r.config.concurrency ?? '–'} in flight`
    : `${t.sustained ? '✅' : '❌'} ${fmtNum(t.targetRps)}/s ${t.sustained ? 'sustained' : 'not sustained'}${q.dropped ? `, ${q.dropped} dropped` : ''}`;
  const row = [`${rps(t.succeededRps)} req/s`, trio(r.latency), trio(r.serviceTime), errors, rate];
  return mdTable(['throughput', 'latency p50 / p95 / p99', 'service time p50 / p95 / p99', 'errors', 'rate'], ['r', 'r', 'r', 'r', 'l'], [row]);
}

function analyzeSummary(r: AnalyzeResult): string {
  const rows: string[][] = [];
  const cs = r.coldStart;
  if (cs) rows.push(['cold start, ready', `p50 ${fmtUs(cs.stages.ready.p50)} · p95 ${fmtUs(cs.stages.ready.p95)} (${cs.stages.ready.n} fresh ${cs.mode === 'process' ? 'processes' : 'sessions'})`]);
  const t = r.tools;
  if (t) rows.push(['tools', `${t.count} tools · ${fmtBytes(t.bytes)} · ~${t.tokens} tokens`]);
  for (const o of r.latency?.operations ?? []) {
    const errs = Object.values(o.errors).reduce((a, b) => a + b, 0);
    rows.push([`steady p95 · ${mdText(o.op, 60)}`, `${fmtUs(o.sequential?.p95)}${errs ? ` (${plural(errs, 'error')})` : ''}`]);
  }
  const by = (s: Severity): number => r.findings.filter((f) => f.severity === s).length;
  rows.push(['findings', (['critical', 'warning', 'info'] as const).map((s) => `${by(s)} ${s}`).join(' · ')]);
  return mdTable(['figure', 'value'], ['l', 'l'], rows);
}

function findings(list: readonly Finding[]): string {
  const items = list.map((f) => `- ${SEVERITY[f.severity]} **${mdText(f.title, 160)}** (${mdText(f.id, 60)}): ${mdText(f.evidence, 300)} *Fix:* ${mdText(f.recommendation, 300)}`);
  return `**Findings**\n\n${items.join('\n')}`;
}

function tuneSummary(r: TuneResult): string {
  const knobIds = r.space.knobs.map((k) => k.id);
  const rec = r.recommendation;
  const o = r.objective;
  const point = rec ? r.points.find((p) => p.index === rec.pointIndex) : undefined;
  const figures = point?.summary ? ` (${rps(point.summary.succeededRps)} req/s, ${o.sloStat} ${fmtUs(point.summary[`${o.sloStat}Us`])})` : '';
  const settings = (s: Record<string, unknown>): string => mdText(describeSettings(s, knobIds), 160);
  const line = !rec ? `**No recommendation:** ${r.points.length ? 'no point was chosen' : 'nothing was measured'}.`
    : rec.meetsSlo ? `**Recommended:** ${settings(rec.settings)}${figures}, meeting the SLO ${mdText(o.slo, 40)}.`
    : `**No point met the SLO ${mdText(o.slo, 40)}**; closest: ${settings(rec.settings)}${figures}.`;
  const extra = o.sloStat === 'p95' ? [] : [o.sloStat];
  const rows = [...r.points].sort((a, b) => a.index - b.index).map((p) => {
    const s = p.summary;
    const status = p.status === 'failed' ? `❌ failed: ${mdText((p.error ?? 'unknown error').split(/\r?\n/)[0], 60)}`
      : !s ? '➖ no data' : s.meetsSlo ? '✅ meets SLO' : '⚠️ misses SLO';
    const cells = [settings(p.settings), s ? rps(s.succeededRps) : '–', fmtUs(s?.p95Us), ...extra.map(() => fmtUs(s ? s[`${o.sloStat}Us`] : null)), status];
    return p.index === rec?.pointIndex ? ['★', ...cells.map((x) => `**${x}**`)] : ['', ...cells];
  });
  const table = rows.length ? mdTable(['', 'settings', 'req/s', 'p95', ...extra, 'status'], ['l', 'l', 'r', 'r', ...extra.map(() => 'r' as const), 'l'], rows) : 'No points measured.';
  return `${line}\n\n${table}`;
}

function metadata(input: ReportInput, shown: ShownResult[]): string {
  const items = shown.map(({ file, result: r }) => {
    const h = r.host;
    const line = `- **${mdText(file, 160)}**: ${r.kind} by ${mdText(r.tool.name, 40)} ${mdText(r.tool.version, 40)}, created ${mdText(r.createdAt, 40)}, `
      + `${(r.durationMs / 1000).toFixed(1)} s · ${mdText(`${h.platform} ${h.arch}, ${h.cpus} × ${h.cpuModel}, Node ${h.node}`, 160)} · `
      + `target ${mdText(r.target.display, 200)} (${r.target.kind}, ${mdText(r.target.origin, 80)})`
      + (r.server ? ` · server ${mdText(r.server.name, 60)} ${mdText(r.server.version, 40)}, protocol ${mdText(r.server.protocolVersion, 20)}` : '');
    return [line, ...r.warnings.map((w) => `  - ⚠️ ${mdText(w, 300)}`)].join('\n');
  });
  const b = input.comparison?.baseline;
  if (b) items.push(`- baseline **${mdText(b.file, 160)}**: ${b.kind}, created ${mdText(b.createdAt, 40)}, target ${mdText(b.target, 200)}`);
  return `<details><summary>Run metadata</summary>\n\n${items.join('\n')}\n\n</details>`;
}

function rps(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
