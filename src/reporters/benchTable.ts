/**
 * Terminal report of a bench result: a pure function of the result. Every figure printed is read
 * from it; nothing is recomputed.
 */
import type { ChalkInstance } from 'chalk';
import type { Distribution } from '../measure/histogram.js';
import type { BenchResult } from '../result/benchResult.js';
import { ARGUMENT_REJECTED } from '../result/errorSample.js';
import { renderBudgets } from './budgetTable.js';
import { fmtBytes, fmtMs, fmtNum, fmtPct, fmtSignedBytes, fmtUs, painter, safe, table } from './format.js';
import { renderProfileTable } from './profileTable.js';
import { serverProcessText, transportText } from './serverLines.js';
import type { TableReportOptions } from './analyzeTable.js';

/** Timeline rows printed at most (the JSON has every second). */
const MAX_TIMELINE_ROWS = 30;
const LAT_HEAD = ['n', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean', 'stddev'];

/** Render the bench report. */
export function renderBenchTable(r: BenchResult, o: TableReportOptions): string {
  const c = painter(o.color);
  const out = [header(r, c), rates(r, c), latency(r, c)];
  const errs = Object.entries(r.requests.errors);
  if (errs.length) out.push(errors(r, c));
  if (r.pool.instances.length > 1 || r.target.kind === 'http') out.push(pool(r, c));
  out.push(machine(r, c));
  if (r.timeline.length) out.push(timeline(r, c));
  if (r.profile) out.push(renderProfileTable(r.profile, c, { findings: true }));
  if (r.budgets.length) out.push(renderBudgets(r.budgets, c, 'exit code 1 only for failed budgets you set with --budget or a config file'));
  if (r.warnings.length) out.push(`${c.bold('Warnings')}\n${r.warnings.map((w) => `  ${c.yellow('!')} ${safe(w, 500)}`).join('\n')}`);
  if (r.incomplete) out.push(c.red(`Incomplete: the run stopped early (${safe(r.incompleteReason, 300)}); the figures cover what was measured.`));
  return `${out.join('\n\n')}\n`;
}

function header(r: BenchResult, c: ChalkInstance): string {
  const k = r.config;
  const how = k.mode === 'open'
    ? `open loop at ${fmtNum(k.rps)} req/s (${k.arrival})${k.maxInflight !== null ? `, at most ${k.maxInflight} in flight` : ''}`
    : `closed loop, ${k.concurrency} in flight`;
  const length = k.durationMs !== null ? `${fmtNum(k.durationMs / 1000)} s` : `${k.requests} requests`;
  const lines = [
    `${c.bold('mcp-opt bench')} ${safe(r.target.display, 300)}`,
    `  ${how}, ${length} after ${fmtNum(k.warmupMs / 1000)} s warm-up; ${k.instances} ${r.target.kind === 'stdio' ? 'instance' : 'session'}${k.instances > 1 ? `s, ${k.balance}` : ''}`,
    `  workload: ${r.workload.operations.map((op) => `${safe(op.op, 60)}${r.workload.operations.length > 1 ? ` ×${fmtNum(op.weight, 3)}` : ''}`).join(', ') || '–'} (seed ${r.workload.seed})`,
  ];
  const wire = transportText(r.server?.transport);
  if (r.server) lines.push(`  server ${safe(r.server.name)} ${safe(r.server.version)} · ${r.server.era} era · protocol ${safe(r.server.protocolVersion)}${wire ? ` · ${wire}` : ''}`);
  return lines.join('\n');
}

function rates(r: BenchResult, c: ChalkInstance): string {
  const q = r.requests;
  const t = r.throughput;
  const lines = [c.bold('Requests'),
    `  sent ${q.sent}, succeeded ${q.succeeded}, failed ${q.failed} (${fmtPct(q.errorRatePct)})` +
      (r.config.mode === 'open' ? `, dropped ${q.dropped}, late sends ${q.lateSends}` : '') +
      (q.abandoned ? `, abandoned ${q.abandoned}` : '') + ` over ${fmtNum(t.measuredSeconds)} s`];
  const stray = q.strayResponses;
  if (stray && stray.unknownId + stray.duplicate + stray.late > 0) {
    lines.push(`  ${c.yellow('responses matching no request')}: unknown id ${stray.unknownId}, duplicate ${stray.duplicate}, after their timeout ${stray.late} (warm-up included)`);
  }
  if (t.targetRps !== null) {
    const verdict = t.sustained ? c.green('sustained') : c.red('NOT sustained');
    lines.push(`  rate: target ${fmtNum(t.targetRps)}/s, sent ${fmtNum(t.sentRps)}/s (${fmtPct(t.rateErrorPct ?? 0)}), succeeded ${fmtNum(t.succeededRps)}/s: ${verdict}`);
  } else {
    lines.push(`  throughput: ${fmtNum(t.succeededRps)} successes/s (sent ${fmtNum(t.sentRps)}/s)`);
  }
  return lines.join('\n');
}

function latency(r: BenchResult, c: ChalkInstance): string {
  const row = (label: string, d: Distribution | null): string[] =>
    [label, ...(d ? [String(d.n), fmtUs(d.p50), fmtUs(d.p90), fmtUs(d.p95), fmtUs(d.p99), fmtUs(d.p999), fmtUs(d.max), fmtUs(d.mean), fmtUs(d.stddev)] : LAT_HEAD.map(() => '–'))];
  const rows = [
    row(r.config.mode === 'open' ? 'latency (from intended send)' : 'latency', r.latency),
    row('service time (from actual send)', r.serviceTime),
  ];
  if (r.byOperation.length > 1) for (const op of r.byOperation) rows.push(row(`  ${safe(op.op, 50)}`, op.latency));
  if (r.sendLateness) rows.push(row('send lateness (scheduler)', r.sendLateness));
  if (r.requests.failed > 0 && r.failedLatency) rows.push(row(c.red('failed requests (time to failure)'), r.failedLatency));
  const note = r.config.mode === 'open'
    ? '  Latency counts from when each request was due (coordinated-omission corrected, as wrk2); service time from when it was sent.'
    : '  In a closed loop a request is sent when the previous one returns, so latency equals service time.';
  return `${c.bold('Latency')} (successes only${r.requests.failed > 0 ? '; failures on their own row' : ''})\n${table(['', ...LAT_HEAD], rows, c)}\n${note}`;
}

function errors(r: BenchResult, c: ChalkInstance): string {
  const lines = Object.entries(r.requests.errors).map(([k, n]) => {
    const s = r.requests.errorSamples?.[k];
    const what = s ? `: first ${safe(s.op, 60)} ${s.message === null ? '(no message)' : `"${safe(s.message, 300)}"`}${s.args ? ` with arguments ${safe(JSON.stringify(s.args), 200)}` : ''}` : '';
    return `  ${safe(k, 40)} ×${n}${what}`;
  });
  const rejected = r.requests.errors[ARGUMENT_REJECTED] ? `; ${ARGUMENT_REJECTED}: the server refused the arguments sent (not counted in the error rate)` : '';
  return `${c.bold('Errors')} (not in the success latencies${rejected})\n${lines.join('\n')}`;
}

/**
 * An HTTP session's connections: how many were opened, and requests per connection on average.
 * When autocannon generated the load, mcp-opt's own session only set up (initialize, then the
 * load went over autocannon's connections): the cell says so, with autocannon's own figures.
 */
export function connectionsCell(p: BenchResult['pool']['instances'][number], ac: BenchResult['pool']['autocannon']): string {
  if (ac) {
    const sent = ac.perConnection.reduce((n, x) => n + x.sent, 0);
    return `${ac.connections} by autocannon (${fmtNum(sent / Math.max(1, ac.connections), 0)} req per connection on average)`;
  }
  if (!p.connections) return '–';
  return `${p.connections.opened} (${fmtNum(p.connections.requests / Math.max(1, p.connections.opened), 0)} req per connection on average)`;
}

function pool(r: BenchResult, c: ChalkInstance): string {
  const http = r.target.kind === 'http';
  const rows = r.pool.instances.map((p) => [
    `#${p.index + 1}${p.pid ? ` (pid ${p.pid})` : ''}`, String(p.sent), String(p.succeeded), String(p.failed),
    fmtUs(p.serviceTime?.p50), fmtUs(p.serviceTime?.p99),
    ...(http ? [connectionsCell(p, r.pool.autocannon), String(p.sessionReinits ?? '–')] : []),
    p.alive ? 'alive' : c.red('died'),
  ]);
  const head = ['instance', 'sent', 'ok', 'failed', 'p50', 'p99', ...(http ? ['connections', 're-inits'] : []), 'state'];
  const ac = r.pool.autocannon;
  const note = ac ? `\n  load generated by autocannon: ${ac.connections} connections, pipelining ${ac.pipelining}, on one MCP session` : '';
  return `${c.bold(http ? 'Sessions' : 'Instances')} (${safe(r.pool.balance)})\n${table(head, rows, c)}${note}`;
}

function machine(r: BenchResult, c: ChalkInstance): string {
  const s = r.resources;
  const g = r.generator;
  const proc = serverProcessText(r.serverProcess);
  const server = s
    // End-to-end change and least-squares trend can differ in sign (a step up, then a slow fall): both are shown, labelled.
    ? `  server${proc ? ` (${safe(proc, 400)})` : ''}: RSS ${fmtBytes(s.rssStartBytes)} → ${fmtBytes(s.rssEndBytes)} over the measured window (${fmtSignedBytes(s.rssGrowthBytes)}; least-squares trend ${s.rssSlopeBytesPerSec === null ? '–' : `${fmtSignedBytes(s.rssSlopeBytesPerSec)}/s`}), peak ${fmtBytes(s.rssPeakBytes)}; CPU mean ${fmtPct(s.cpuPctMean, 1)} max ${fmtPct(s.cpuPctMax, 1)} of a core, ${s.processCount} process(es)`
    : `  server: ${proc ? safe(proc, 400) : 'not sampled (remote target, or no /proc)'}`;
  const gen = `  mcp-opt: CPU ${fmtPct(g.cpuPct, 1)} of a core, event-loop delay p99 ${fmtMs(g.eventLoopDelayMs.p99)}` + (g.bottleneck ? c.red(' — the generator may be the bottleneck') : '');
  return `${c.bold('Resources')}\n${server}\n${gen}`;
}

function timeline(r: BenchResult, c: ChalkInstance): string {
  const shown = r.timeline.slice(0, MAX_TIMELINE_ROWS);
  const rows = shown.map((s) => [
    `${s.second + 1}${s.warmup ? ' (warm-up)' : ''}`, String(s.sent), String(s.completed), String(s.errors), String(s.inflight),
    fmtUs(s.p50Us), fmtUs(s.p99Us), s.rssBytes === null ? '–' : fmtBytes(s.rssBytes), s.cpuPct === null ? '–' : `${s.cpuPct.toFixed(0)}%`,
  ]);
  const more = r.timeline.length > shown.length ? `\n  … ${r.timeline.length - shown.length} more seconds in the result file` : '';
  return `${c.bold('Timeline')} (per second)\n${table(['s', 'sent', 'answered', 'errors', 'in flight', 'p50', 'p99', 'server RSS', 'server CPU'], rows, c)}${more}`;
}
