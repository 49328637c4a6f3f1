/**
 * Terminal report of an analyze result: a pure function of the result (autocannon's printResult
 * pattern). Every figure printed is read from the result; nothing is recomputed.
 */
import type { ChalkInstance } from 'chalk';
import type { AnalyzeResult, OperationLatency } from '../result/analyzeResult.js';
import type { Severity } from '../result/finding.js';
import { renderBudgets } from './budgetTable.js';
import { DIST_HEAD, distCells, fmtBytes, fmtMs, fmtNum, fmtPct, fmtSignedBytes, fmtUs, painter, safe, table } from './format.js';
import { renderProfileTable } from './profileTable.js';
import { serverProcessText, transportText } from './serverLines.js';

/** Options of the terminal report. */
export interface TableReportOptions {
  /** ANSI colour. */
  color: boolean;
}

/** Render the whole analyze report. */
export function renderAnalyzeTable(r: AnalyzeResult, o: TableReportOptions): string {
  const c = painter(o.color);
  const out: string[] = [];
  out.push(header(r, c));
  if (r.coldStart) out.push(coldStart(r, c));
  if (r.tools) out.push(tools(r, c));
  if (r.lookup) out.push(lookup(r, c));
  if (r.latency) out.push(latency(r, c));
  if (r.resources) out.push(resources(r, c));
  if (r.hygiene) out.push(hygiene(r, c));
  if (r.profile) out.push(renderProfileTable(r.profile, c));
  const measuredAnything = r.coldStart !== null || r.tools !== null;
  if (measuredAnything) {
    out.push(findings(r, c));
    if (r.budgets.length) out.push(renderBudgets(r.budgets, c, 'exit code 1 only for failed budgets you set with --budget or a config file'));
  }
  if (r.warnings.length) out.push(`${c.bold('Warnings')}\n${r.warnings.map((w) => `  ${c.yellow('!')} ${safe(w, 400)}`).join('\n')}`);
  if (r.incomplete) {
    const phase = (r.incompleteReason ?? '').split(':')[0];
    out.push(c.red(measuredAnything
      ? `Incomplete: the run stopped during ${phase}; the figures above cover what was measured (the error follows).`
      : `Nothing was measured: the run stopped during ${phase} (the error follows).`));
  }
  return `${out.join('\n\n')}\n`;
}

function header(r: AnalyzeResult, c: ChalkInstance): string {
  const lines = [`${c.bold('mcp-opt analyze')} ${safe(r.target.display, 300)}`, `  resolved from ${safe(r.target.origin, 200)}`];
  if (r.target.envNames.length) lines.push(`  configured env: ${r.target.envNames.map((n) => safe(n)).join(', ')} (values not shown)`);
  if (r.target.headerNames?.length) lines.push(`  configured headers: ${r.target.headerNames.map((n) => safe(n)).join(', ')} (values not shown)`);
  const s = r.server;
  if (s) {
    const who = [safe(s.name), s.version ? safe(s.version) : '', s.title ? `(${safe(s.title)})` : ''].filter(Boolean).join(' ');
    const wire = transportText(s.transport);
    lines.push(`  server ${who} · ${s.era} era · protocol ${safe(s.protocolVersion)}${wire ? ` · ${wire}` : ''}` +
      (s.eraProbe ? ` · era probe ${fmtMs(s.eraProbe.durationMs)}, not counted in cold start (${safe(s.eraProbe.evidence)})` : ''));
  }
  return lines.join('\n');
}

function coldStart(r: AnalyzeResult, c: ChalkInstance): string {
  const cs = r.coldStart!;
  const origin = cs.mode === 'process' ? 'spawn' : 'connect';
  const rows: string[][] = [];
  if (cs.stages.firstByte) rows.push([`${origin} → first stdout byte`, ...distCells(cs.stages.firstByte)]);
  rows.push([`${origin} → handshake answered`, ...distCells(cs.stages.handshake)]);
  rows.push([`${origin} → tools/list answered (ready)`, ...distCells(cs.stages.ready)]);
  if (cs.stages.firstCall) rows.push([`${origin} → first call (${safe(cs.firstCallTool, 40)})`, ...distCells(cs.stages.firstCall)]);
  if (cs.peakRss) rows.push(['peak RSS, whole process tree', ...distCells(cs.peakRss, 'bytes')]);
  const title = `${c.bold('Cold start')} (${cs.samples.length} ${cs.mode === 'process' ? 'fresh processes' : 'fresh sessions'} after ${r.config.warmupRuns} warm-up)`;
  const lines = [title, table(['stage', ...DIST_HEAD], rows, c)];
  const outliers = cs.samples.filter((s) => s.outlier).map((s) => s.run);
  // run numbers, not a count: 'run #10' of the measured runs.
  if (outliers.length) lines.push(c.yellow(`  outliers (MAD): ${outliers.length} of ${cs.samples.length} runs (${outliers.map((n) => `run #${n}`).join(', ')}), kept in the figures`));
  if (cs.runner) {
    lines.push(`  ${safe(cs.runner.runner)} costs ${c.bold(fmtMs(cs.runner.overheadMs))} per start: ready p50 direct ${fmtUs(cs.runner.directReady.p50)} (${safe(cs.runner.directDisplay, 200)})`);
  }
  return lines.join('\n');
}

function tools(r: AnalyzeResult, c: ChalkInstance): string {
  const t = r.tools!;
  const lines = [
    c.bold('Tool list'),
    `  ${t.count} tools in ${t.pages} page(s), ${fmtBytes(t.bytes)} (mean ${Math.round(t.bytesPerTool.mean)} B/tool, max ${fmtNum(t.bytesPerTool.max, 0)} B), ` +
      `~${fmtNum(t.tokens, 0)} tokens by ${t.tokenizer.library} ${t.tokenizer.version} (${t.tokenizer.encoding}; estimate: ${t.tokenizer.note})`,
  ];
  if (t.listLatency) lines.push(`  full tools/list walk: p50 ${fmtUs(t.listLatency.p50)}, p95 ${fmtUs(t.listLatency.p95)} (n=${t.listLatency.n})`);
  if (t.largest.length) {
    lines.push(table(['largest tools', 'bytes', 'tokens', 'schema B', 'description B'],
      t.largest.map((l) => [safe(l.name, 50), String(l.bytes), String(l.tokens), String(l.schemaBytes), String(l.descriptionBytes)]), c));
  }
  const shown = t.callable.slice(0, 12).map((n) => safe(n, 40)).join(', ');
  lines.push(`  callable (safe or named): ${t.callable.length ? shown + (t.callable.length > 12 ? `, … ${t.callable.length - 12} more` : '') : 'none'}`);
  if (t.skipped.length) {
    const reasons = new Map<string, number>();
    for (const s of t.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    lines.push(`  not called (${t.skipped.length}): ${[...reasons].map(([why, n]) => `${n} ${safe(why, 160)}`).join('; ')}. Name a tool with --call to call it anyway.`);
  }
  return lines.join('\n');
}

function lookup(r: AnalyzeResult, c: ChalkInstance): string {
  const l = r.lookup!;
  const lines = [c.bold('Tool lookup')];
  if (l.registryUs && l.baseline && l.unknown) {
    lines.push(`  registry cost ${c.bold(registryText(l.registryUs))} ` +
      `(95 % CI ${fmtSignedUs(l.registryUs.low)} – ${fmtSignedUs(l.registryUs.high)}); ` +
      `unknown name p50 ${fmtUs(l.unknown.latency.p50)} (n=${l.unknown.latency.n}), baseline p50 ${fmtUs(l.baseline.latency.p50)} (n=${l.baseline.latency.n})` +
      (l.lowSample ? c.yellow(' · few samples: rough') : ''));
  } else {
    lines.push(`  registry cost ${c.yellow('not measured')}: ${safe(l.notMeasured ?? 'no probe answers', 400)}`);
  }
  if (l.scanEstimateUs != null && (l.baselineScans || !l.registryUs)) {
    lines.push(`  estimated from list positions: a full scan of ${r.tools?.count ?? '?'} tools ≈ ${c.bold(fmtUs(l.scanEstimateUs))} (slope × tool count)` +
      (l.baselineScans ? '; the baseline is not lookup-free (the server scans its list for it too), so the difference above hides the cost' : ''));
  }
  lines.push(`  method: ${safe(l.method, 600)}`);
  if (l.positions && l.positions.length === 0) {
    lines.push('  position test: no tool at the chosen positions answered often enough to compare');
  } else if (l.positions) {
    lines.push(table(['list position', 'tool', 'n', 'p50', 'p95'], l.positions.map((p) => [String(p.index), safe(p.name, 40), String(p.latency.n), fmtUs(p.latency.p50), fmtUs(p.latency.p95)]), c));
    const verdict = l.linear === true ? c.red('grows with list position (O(n) registry)') : l.linear === false ? c.green('no growth with list position') : 'not judged';
    lines.push(`  slope ${fmtNum(l.slopeUsPerPosition, 3)} µs/position, Spearman ${fmtNum(l.positionCorrelation, 3)}: ${verdict}`);
  } else if (r.config.calls !== false) {
    lines.push('  position test: not run (needs 3 callable tools at different list positions)');
  }
  return lines.join('\n');
}

function registryText(e: { value: number; low: number; high: number }): string {
  if (e.high < 0) return `≈ 0 (a miss answered ${fmtUs(-e.value)} faster than the baseline: no measurable registry cost)`;
  if (e.low <= 0) return `≈ 0 (median difference ${fmtSignedUs(e.value)}, not distinguishable from zero)`;
  return fmtUs(e.value);
}

function fmtSignedUs(us: number): string {
  return us < 0 ? `−${fmtUs(-us)}` : fmtUs(us);
}

function latency(r: AnalyzeResult, c: ChalkInstance): string {
  const l = r.latency!;
  // Failed calls' latency sits next to the successes' only when something failed (older results have none).
  const anyFailed = l.operations.some((o) => o.failedLatency);
  const rows = l.operations.map((o) => [
    safe(o.op, 50),
    String(o.sequential?.n ?? 0), fmtUs(o.sequential?.p50), fmtUs(o.sequential?.p95), fmtUs(o.sequential?.p99), fmtUs(o.sequential?.max),
    fmtUs(o.concurrent?.p50), fmtUs(o.concurrent?.p95),
    ...(anyFailed ? [o.failedLatency ? `${fmtUs(o.failedLatency.p50)} (n=${o.failedLatency.n})` : '–'] : []),
    Object.entries(o.errors).map(([k, n]) => `${k}×${n}`).join(' ') || '0',
  ]);
  const notes = l.operations.filter((o) => o.note).map((o) => `  ${safe(o.op, 60)}: ${safe(o.note, 300)}`);
  const rejected = l.argumentRejected ? `; ${l.argumentRejected} call(s) with rejected arguments not counted` : '';
  return [
    `${c.bold('Steady latency')} (warm session; one at a time, then ${l.concurrency} in flight; error rate ${fmtPct(l.errorRatePct)}${rejected})`,
    table(['operation', 'n', 'p50', 'p95', 'p99', 'max', `p50 @${l.concurrency}`, `p95 @${l.concurrency}`, ...(anyFailed ? ['failed p50'] : []), 'errors'], rows, c),
    ...notes,
    ...l.operations.flatMap((o) => failureLines(o)),
  ].join('\n');
}

/** The first error of each class (server text, synthesised arguments), the retries, and error-like successes of one operation. */
function failureLines(o: OperationLatency): string[] {
  const op = safe(o.op, 60);
  const lines = Object.entries(o.errorSamples ?? {}).map(([k, s]) =>
    `  ${op}: first ${safe(k, 40)}: ${s.message === null ? '(no message)' : `"${safe(s.message, 300)}"`}${s.args ? ` with arguments ${safe(JSON.stringify(s.args), 200)}` : ''}`);
  for (const t of o.retries ?? []) {
    lines.push(`  ${op}: retried with ${safe(JSON.stringify(t.args), 200)} (${safe(t.why, 120)}): ${t.class === null ? 'accepted' : safe(t.class, 40)}`);
  }
  if (o.errorLike) lines.push(`  ${op}: ${o.errorLike.count} successful result(s) read like errors (heuristic), e.g. "${safe(o.errorLike.sample.message, 200)}"`);
  return lines;
}

function resources(r: AnalyzeResult, c: ChalkInstance): string {
  const s = r.resources!;
  const proc = serverProcessText(r.serverProcess);
  return [
    c.bold('Resources') + (proc ? ` (server ${safe(proc, 400)})` : ''),
    // End-to-end growth and the least-squares trend can differ in sign (a step up, then a slow fall): both are shown, labelled.
    `  RSS after start ${fmtBytes(s.idleRssBytes)}, after ${s.requestsBetween} requests ${fmtBytes(s.afterRssBytes)} (${fmtSignedBytes(s.rssGrowthBytes)}${growthPerRequest(s)}; ` +
      `least-squares trend during the requests ${s.rssBytesPerRequest === null ? '–' : `${fmtSignedBytes(s.rssBytesPerRequest)}/request`}); server CPU ${s.cpuUsPerRequest === null ? '–' : fmtUs(s.cpuUsPerRequest)} per request; ${s.processCount ?? '–'} process(es); stderr ${fmtBytes(s.stderrBytes)} in ${s.stderrLines} lines`,
  ].join('\n');
}

/** End-to-end growth per request (', +4.1 KiB/request end to end'), or nothing when unknown. */
function growthPerRequest(s: NonNullable<AnalyzeResult['resources']>): string {
  if (s.rssGrowthBytes === null || s.requestsBetween <= 0) return '';
  return `, ${fmtSignedBytes(s.rssGrowthBytes / s.requestsBetween)}/request end to end`;
}

function hygiene(r: AnalyzeResult, c: ChalkInstance): string {
  const h = r.hygiene!;
  const v = Object.entries(h.violations).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const errs = Object.entries(h.unexpectedErrors).map(([k, n]) => `${k}×${n}`).join(', ') || 'none';
  const reqs = Object.entries(h.serverRequests).map(([k, n]) => `${safe(k, 40)}×${n}`).join(', ');
  return [
    c.bold('Protocol hygiene'),
    `  non-JSON stdout lines ${h.nonJsonLines}; violations: ${v}; unexpected JSON-RPC errors: ${errs}; late responses ${h.lateResponses}` +
      (reqs ? `; server→client requests: ${reqs}` : ''),
    `  stdin closed → exit: ${h.eofToExit ? `p50 ${fmtUs(h.eofToExit.p50)}, max ${fmtUs(h.eofToExit.max)}` : '–'}; stops that needed a signal: ${h.signalledStops}`,
  ].join('\n');
}

const SEVERITY_COLOUR: Record<Severity, (c: ChalkInstance, s: string) => string> = {
  critical: (c, s) => c.red.bold(s), warning: (c, s) => c.yellow.bold(s), info: (c, s) => c.cyan(s),
};

function findings(r: AnalyzeResult, c: ChalkInstance): string {
  if (!r.findings.length) return `${c.bold('Findings')}\n  ${c.green('none: every measured figure is within target')}`;
  const items = r.findings.map((f) => [
    `  ${SEVERITY_COLOUR[f.severity](c, f.severity.toUpperCase())} ${c.bold(safe(f.title, 200))} [${f.id}]`,
    `    evidence: ${safe(f.evidence, 800)}`,
    `    fix: ${safe(f.recommendation, 800)}`,
  ].join('\n'));
  return `${c.bold('Findings')}\n${items.join('\n')}`;
}
