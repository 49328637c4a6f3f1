/**
 * One renderer per --format, each a pure function of the report's input (the results as read,
 * the comparison, the gate's budgets): the same input always gives the same text.
 */
import type { ReportFormat } from '../options/resolveReport.js';
import { renderAnalyzeTable } from '../reporters/analyzeTable.js';
import { renderBenchTable } from '../reporters/benchTable.js';
import { renderBudgets } from '../reporters/budgetTable.js';
import { renderCompareTable } from '../reporters/compareTable.js';
import { painter } from '../reporters/format.js';
import { renderHtml } from '../reporters/html/index.js';
import { renderJunit } from '../reporters/junit.js';
import { renderMarkdown } from '../reporters/markdown.js';
import type { ReportInput } from '../reporters/reportInput.js';
import { renderTuneTable } from '../reporters/tuneTable.js';
import { serializeResult } from '../result/write.js';

/** Render `input` in `format`. */
export function renderReport(format: ReportFormat, input: ReportInput, opts: { color: boolean }): string {
  switch (format) {
    case 'table': return renderTables(input, opts.color);
    case 'markdown': return renderMarkdown(input);
    case 'html': return renderHtml(input);
    case 'junit': return renderJunit(input);
    case 'json': return serializeResult(input.comparison ?? (input.results.length === 1 ? input.results[0]!.result : input.results.map((r) => r.result)));
  }
}

/** The terminal reports of each result, the gate's budgets under each, then the comparison. */
function renderTables(input: ReportInput, color: boolean): string {
  const c = painter(color);
  const parts: string[] = [];
  input.results.forEach(({ file, result }, k) => {
    // With a comparison, results are [current, baseline]: the baseline is summarised by the comparison.
    if (input.comparison && k > 0) return;
    parts.push(c.dim(`── ${file}`));
    if (result.kind === 'analyze') parts.push(renderAnalyzeTable(result, { color }));
    else if (result.kind === 'bench') parts.push(renderBenchTable(result, { color }));
    else parts.push(renderTuneTable(result, { color, resultFile: file }));
    const gate = input.gateBudgets[k] ?? [];
    if (gate.length) parts.push(renderBudgets(gate, c, 'report\'s gate: exit code 1 when one fails'));
  });
  if (input.comparison) parts.push(renderCompareTable(input.comparison, { color }));
  return `${parts.join('\n')}\n`;
}
