/**
 * JUnit XML report, for CI systems (Jenkins, GitLab, GitHub test reporters): one <testsuite> per
 * result with a <testcase> per budget and one for the run itself, and with a comparison a suite
 * "mcp-opt compare" with a <testcase> per metric. Written to the strictest common schema, Apache
 * Ant's (windyroad JUnit.xsd, vendored in test/reporters/junit.xsd): <properties>, <system-out> and
 * <system-err> present in every suite, package/id/hostname set, a zone-less timestamp, at most one
 * <failure> or <error> per test case and no per-case output (notes go to the suite's <system-out>).
 * Jenkins' laxer junit-10.xsd accepts the same documents. A pure function of the input.
 */
import type { ComparisonReport, MetricComparison } from '../result/comparison.js';
import { stripControl } from '../util/controlChars.js';
import { differencesWarning, fmtMetricValue, verdictMethod } from './compareTable.js';
import { asReportInput, budgetStatus, describeBudget, shownResults, type ReporterInput, type ShownResult } from './reportInput.js';
import { fmtNum } from './format.js';

/** Render the report as a JUnit XML document (ends with a newline). */
export function renderJunit(given: ReporterInput): string {
  const input = asReportInput(given);
  const suites = shownResults(input).map((r, id) => resultSuite(r, id));
  if (input.comparison) suites.push(compareSuite(input.comparison, suites.length));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.map(suiteXml).join('')}</testsuites>\n`;
}

/** Characters XML 1.0 forbids (§2.2 Char): C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF. */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe as XML character data or an attribute value: ANSI escapes and illegal characters dropped, & < > " ' escaped. */
export function xmlText(text: string): string {
  return stripControl(text).replace(ILLEGAL_XML, '').replace(/[&<>"']/g, (ch) => ENTITY[ch] ?? ch);
}

/** An attribute value: xmlText on one line (parsers turn newlines in attributes into spaces anyway), cut to `max`. */
function attr(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return xmlText(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

/** A test case: passed, failed (an assertion: a budget, a regression) or errored (the run itself). */
interface Case {
  classname: string;
  name: string;
  problem: { kind: 'failure' | 'error'; type: string; message: string; detail: string } | null;
}

/** A test suite before serialisation. */
interface Suite {
  name: string;
  pkg: string;
  id: number;
  createdAt: string;
  timeSeconds: number;
  properties: Array<[string, string]>;
  cases: Case[];
  /** Lines of the suite's <system-out>: notes on cases that passed with something to say. */
  out: string[];
}

function resultSuite(r: ShownResult, id: number): Suite {
  const res = r.result;
  const h = res.host;
  const out: string[] = [];
  const cases: Case[] = [{
    classname: 'mcp-opt.run', name: 'run completed',
    problem: res.incomplete
      ? { kind: 'error', type: 'incomplete', message: `the run stopped early: ${res.incompleteReason ?? 'no reason recorded'}`, detail: `The ${res.kind} run did not finish; the result covers what was measured before it stopped.` }
      : null,
  }];
  for (const s of r.budgets) {
    const b = s.budget;
    const status = budgetStatus(s);
    const words = describeBudget(b);
    const from = s.from === 'run' ? `set by ${b.source}, evaluated by the run` : `set by ${b.source}, evaluated by report's gate`;
    if (status === 'missed' || status === 'unmeasured') out.push(`budget ${b.expression}: ${words}; a default target, so advice only (not gated).`);
    cases.push({
      classname: 'mcp-opt.budgets', name: b.expression,
      problem: status === 'fail' ? { kind: 'failure', type: 'budget', message: `${b.expression}: ${words}`, detail: `metric ${b.metric}: ${words} (${from}).` } : null,
    });
  }
  if (res.kind === 'analyze') for (const f of res.findings) out.push(`finding [${f.severity}] ${f.title} (${f.id}): ${f.evidence} Fix: ${f.recommendation}`);
  for (const w of res.warnings) out.push(`warning: ${w}`);
  return {
    name: `mcp-opt ${res.kind} ${res.target.display}`, pkg: `mcp-opt.${res.kind}`, id, createdAt: res.createdAt, timeSeconds: res.durationMs / 1000,
    properties: [
      ['file', r.file], ['kind', res.kind], ['tool', `${res.tool.name} ${res.tool.version}`], ['createdAt', res.createdAt],
      ['host', `${h.platform} ${h.arch}, ${h.cpus} × ${h.cpuModel}, Node ${h.node}`],
      ['target', res.target.display], ['target.kind', res.target.kind],
      ...(res.server ? [['server', `${res.server.name ?? '?'} ${res.server.version ?? ''}`.trim()] as [string, string]] : []),
    ],
    cases, out,
  };
}

function compareSuite(c: ComparisonReport, id: number): Suite {
  const gate = c.failOnRegressionPct;
  const out: string[] = [];
  const cases = c.metrics.map((m): Case => {
    const change = describeChange(m);
    if (m.verdict !== 'unchanged' && !m.failing) {
      const why = m.verdict === 'improved' ? '' : gate === null ? ' (no --fail-on-regression gate: passes)' : ` (within the ${fmtNum(gate)} % gate: passes)`;
      out.push(`${m.metric} ${m.verdict}: ${change}${why}`);
    }
    if (m.note) out.push(`${m.metric}: ${m.note}`);
    return {
      classname: 'mcp-opt.compare', name: m.metric,
      problem: m.failing ? { kind: 'failure', type: 'regression', message: `${m.metric} regressed beyond ${fmtNum(gate ?? 0)} %: ${change}`, detail: `${m.metric} regressed: ${change}; test ${m.test}, p ${m.pValue === null ? '–' : m.pValue < 0.001 ? '< 0.001' : fmtNum(m.pValue, 3)}.` } : null,
    };
  });
  out.push(`Method: ${verdictMethod(c.minEffectPct)}`);
  const differences = differencesWarning(c);
  if (differences) out.push(differences);
  return {
    name: 'mcp-opt compare', pkg: 'mcp-opt.compare', id, createdAt: c.current.createdAt, timeSeconds: 0,
    properties: [['baseline', c.baseline.file], ['baseline.createdAt', c.baseline.createdAt], ['current', c.current.file],
      ['current.createdAt', c.current.createdAt], ['target', c.current.target], ['minEffectPct', fmtNum(c.minEffectPct)],
      ['failOnRegressionPct', gate === null ? 'none' : fmtNum(gate)]],
    cases, out,
  };
}

/** A metric's change in words: '9.80 ms → 12.4 ms (+26.5 %, ratio 1.27, 95 % CI 1.18–1.36)'. */
function describeChange(m: MetricComparison): string {
  const figures = `${fmtMetricValue(m.baseline, m.unit)} → ${fmtMetricValue(m.current, m.unit)}`;
  if (m.ratio === null) return figures;
  const pct = (m.ratio - 1) * 100;
  const ci = m.ci ? `, 95 % CI ${m.ci[0].toFixed(2)}–${m.ci[1].toFixed(2)}` : '';
  return `${figures} (${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %, ratio ${m.ratio.toFixed(2)}${ci})`;
}

function suiteXml(s: Suite): string {
  const failures = s.cases.filter((k) => k.problem?.kind === 'failure').length;
  const errors = s.cases.filter((k) => k.problem?.kind === 'error').length;
  const head = `  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="${errors}" time="${seconds(s.timeSeconds)}"`
    + ` timestamp="${timestamp(s.createdAt)}" hostname="localhost" package="${attr(s.pkg)}" id="${s.id}">\n`;
  const props = s.properties.map(([n, v]) => `      <property name="${attr(n)}" value="${attr(v)}"/>\n`).join('');
  const cases = s.cases.map((k) => {
    const open = `    <testcase classname="${attr(k.classname)}" name="${attr(k.name)}" time="0"`;
    if (!k.problem) return `${open}/>\n`;
    const p = k.problem;
    return `${open}>\n      <${p.kind} message="${attr(p.message)}" type="${attr(p.type)}">${xmlText(p.detail)}</${p.kind}>\n    </testcase>\n`;
  }).join('');
  const out = s.out.length ? `<system-out>${xmlText(s.out.join('\n'))}</system-out>` : '<system-out/>';
  return `${head}    <properties>\n${props}    </properties>\n${cases}    ${out}\n    <system-err/>\n  </testsuite>\n`;
}

/** Seconds as xs:decimal, to the millisecond. */
function seconds(s: number): string {
  return Number.isFinite(s) && s > 0 ? s.toFixed(3) : '0';
}

/**
 * ISO 8601 without zone or fraction, in UTC (Ant's schema allows no zone: readers take it as
 * local time, so UTC is the one reading every machine shares). The epoch when createdAt is unreadable.
 */
function timestamp(iso: string): string {
  const t = Date.parse(iso);
  return new Date(Number.isFinite(t) ? t : 0).toISOString().slice(0, 19);
}
