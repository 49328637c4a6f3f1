/**
 * The terminal report (`--format table`, and what analyze, bench and tune print): a result just
 * measured as its kind's table; what `report` read as each result under its file name with the
 * gate's budgets, then the comparison.
 */
import type { AnyResult } from '../result/anyResult.js';
import { renderAnalyzeTable } from './analyzeTable.js';
import { renderBenchTable } from './benchTable.js';
import { renderBudgets } from './budgetTable.js';
import { renderCompareTable } from './compareTable.js';
import { painter } from './format.js';
import type { ReporterInput } from './reportInput.js';
import { renderTuneTable } from './tuneTable.js';

/** Render `input` as terminal tables, with ANSI colour when `opts.color`. */
export function renderTable(input: ReporterInput, opts: { color: boolean }): string {
  if ('measured' in input) return resultTable(input.measured, opts.color, input.savedTo);
  const { color } = opts;
  const c = painter(color);
  const parts: string[] = [];
  input.results.forEach(({ file, result }, k) => {
    // With a comparison, results are [current, baseline]: the baseline is summarised by the comparison.
    if (input.comparison && k > 0) return;
    parts.push(c.dim(`── ${file}`));
    parts.push(resultTable(result, color, file));
    const gate = input.gateBudgets[k] ?? [];
    if (gate.length) parts.push(renderBudgets(gate, c, 'report\'s gate: exit code 1 when one fails'));
  });
  if (input.comparison) parts.push(renderCompareTable(input.comparison, { color }));
  return `${parts.join('\n')}\n`;
}

/** One result's own table; `file` is where it is saved (tune's --resume hint names it). */
function resultTable(result: AnyResult, color: boolean, file: string | null): string {
  if (result.kind === 'analyze') return renderAnalyzeTable(result, { color });
  if (result.kind === 'bench') return renderBenchTable(result, { color });
  return renderTuneTable(result, { color, resultFile: file });
}
