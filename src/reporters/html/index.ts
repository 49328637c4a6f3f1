/**
 * The HTML report of `mcp-opt report --format html`: one self-contained file that opens from disk
 * with no network. Charts are inline SVG drawn here (see svg.ts for why not a library); the page
 * runs no script at all, which its CSP enforces; the input is embedded as inert JSON for tools.
 */
import type { AnyResult, ReporterInput, ShownResult } from '../reportInput.js';
import { asReportInput, shownResults } from '../reportInput.js';
import { fmtMs } from '../format.js';
import { renderAnalyze } from './analyze.js';
import { renderBench } from './bench.js';
import { badge, figures, warningsBlock, type Cell } from './blocks.js';
import { renderComparison } from './comparison.js';
import { escapeHtml as esc, jsonForScript } from './escape.js';
import { REPORT_STYLE, STYLE_HASH_SOURCE } from './style.js';
import { renderTune } from './tune.js';

export { escapeHtml } from './escape.js';

/** id of the <script type="application/json"> holding the report's input. */
export const DATA_ELEMENT_ID = 'mcp-opt-data';

/**
 * The page's policy: nothing may load or run (default-src 'none', script-src 'none'), only the
 * one style sheet by hash; images only as data: URIs; no <base> or form can redirect anything.
 */
export const CSP = `default-src 'none'; style-src ${STYLE_HASH_SOURCE}; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'`;

/** Render the whole report. */
export function renderHtml(given: ReporterInput): string {
  const input = asReportInput(given);
  const shown = shownResults(input);
  const first = shown[0]?.result;
  const title = first ? `mcp-opt ${first.kind} — ${first.target.display}` : 'mcp-opt report';
  const comparison = input.comparison ? renderComparison(input.comparison, input.results[0]?.result, input.results[1]?.result) : '';
  const body = shown.map((s, i) => resultSection(s, i)).join('');
  const version = first ? `${first.tool.name} ${first.tool.version}` : 'mcp-opt';
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="generator" content="${esc(version)}">` +
    `<title>${esc(title)}</title><style>${REPORT_STYLE}</style></head><body>` +
    `<header><h1>${esc(title)}</h1></header>` +
    comparison + body +
    `<footer class="note"><p>Written by ${esc(version)}. The input of this report is embedded as JSON in the element #${DATA_ELEMENT_ID}.</p></footer>` +
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript({ results: input.results, comparison: input.comparison, gateBudgets: input.gateBudgets })}</script>` +
    '</body></html>\n';
}

const KIND_TITLE: Record<AnyResult['kind'], string> = { analyze: 'Analysis', bench: 'Benchmark', tune: 'Tune' };

/** One result: its header (what, when, where, against what), warnings, then its kind's sections. */
function resultSection(s: ShownResult, i: number): string {
  const r = s.result;
  const srv = r.server;
  const pairs: Array<[string, Cell]> = [
    ['file', s.file],
    ['target', `${r.target.display} (${r.target.kind})`],
    ['server', srv ? [srv.title ?? srv.name ?? 'unnamed', srv.version].filter(Boolean).join(' ') : 'not reached'],
    ['protocol', srv ? `${srv.protocolVersion} (${srv.era})` : null],
    ['created', r.createdAt],
    ['duration', fmtMs(r.durationMs)],
    ['host', `${r.host.platform}/${r.host.arch}, ${r.host.cpus} × ${r.host.cpuModel}, Node ${r.host.node}`],
    ['tool', `${r.tool.name} ${r.tool.version}`],
  ];
  if (srv?.title && srv.name) pairs.splice(3, 0, ['server name', srv.name]);
  const incomplete = r.incomplete
    ? `<div class="banner">${badge('incomplete', 'incomplete').html} ${esc(r.incompleteReason ?? 'the run stopped early')}: the figures cover what was measured.</div>`
    : '';
  const body = r.kind === 'bench' ? renderBench(r, s.budgets)
    : r.kind === 'analyze' ? renderAnalyze(r, s.budgets)
    : renderTune(r, s.budgets);
  return `<section class="result" data-kind="${esc(r.kind)}" id="result-${i}"><h2>${esc(KIND_TITLE[r.kind])}: ${esc(r.target.display)}</h2>` +
    incomplete + figures(pairs) + warningsBlock(r.warnings) + body + '</section>';
}
