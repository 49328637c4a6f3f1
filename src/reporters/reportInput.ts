/**
 * What reporters render (a result just measured, or what `mcp-opt report` read: results, a merge,
 * a comparison), and the few readings of it the document reporters (markdown, junit, html) share, so
 * the pull-request summary and the CI test report never disagree on a verdict.
 */
import type { AnyResult } from '../result/anyResult.js';
import type { BenchResult } from '../result/benchResult.js';
import type { BudgetResult } from '../result/budgetResult.js';
import type { ComparisonReport } from '../result/comparison.js';
import { fmtBytes, fmtMs, fmtNum, fmtPct } from './format.js';

export type { AnyResult } from '../result/anyResult.js';

/** A result and the file it was read from (a merged result has the files joined). */
export interface ResultFile {
  /** The file it came from (merged files joined by commas). */
  file: string;
  /** The result as read. */
  result: AnyResult;
}

/** Results as `report` read them, with no comparison. */
export interface ResultsInput {
  /** The results shown, each with the file it came from. */
  results: ResultFile[];
  /** No comparison. */
  comparison: null;
  /** Budgets evaluated by report's gate on each result (index-aligned with results), in addition to those saved in the result. */
  gateBudgets: BudgetResult[][];
  /** Not a merge. */
  merged?: undefined;
}

/** Bench results added up into one by `report --merge`. */
export interface MergeInput {
  /** The merged result alone, with the files joined by commas. */
  results: [{
    /** The merged files, joined by commas. */
    file: string;
    /** The merged bench result. */
    result: BenchResult;
  }];
  /** No comparison. */
  comparison: null;
  /** Budgets evaluated by report's gate on the merged result. */
  gateBudgets: BudgetResult[][];
  /** The files that were merged, in the order read. */
  merged: {
    /** Their absolute paths. */
    files: string[];
  };
}

/** A current result compared with a baseline (`report --compare`). */
export interface ComparisonInput {
  /** [current, baseline]: only the current is shown, the baseline is summarised by the comparison. */
  results: ResultFile[];
  /** The comparison (its metrics carry the verdicts). */
  comparison: ComparisonReport;
  /** Budgets evaluated by report's gate on the current result (index 0). */
  gateBudgets: BudgetResult[][];
  /** The files merged into the current result, when --merge was given too. */
  merged?: {
    /** Their absolute paths, in the order read. */
    files: string[];
  };
}

/** The input of report's renderers: results, a merge, or a comparison. */
export type ReportInput = ResultsInput | MergeInput | ComparisonInput;

/** One result as the command that measured it prints it (analyze, bench, tune): its own report, no file header. */
export interface MeasuredInput {
  /** The result just measured. */
  measured: AnyResult;
  /** Where it was saved, or null with --no-save. */
  savedTo: string | null;
}

/** What any reporter renders: a result just measured, or what `report` read (results, a merge, a comparison). */
export type ReporterInput = MeasuredInput | ReportInput;

/** The input as `report` would give it: a measured result becomes one result read from where it was saved. */
export function asReportInput(input: ReporterInput): ReportInput {
  if (!('measured' in input)) return input;
  return { results: [{ file: input.savedTo ?? '(not saved)', result: input.measured }], comparison: null, gateBudgets: [[]] };
}

/** A budget as shown: where it was evaluated ('run' = saved in the result, 'report' = report's gate). */
export interface ShownBudget {
  /** The budget as evaluated. */
  budget: BudgetResult;
  /** 'run' = saved in the result by the command that measured it; 'report' = evaluated by report's gate. */
  from: 'run' | 'report';
}

/** How a budget reads: met, failed (gates the exit code), missed (a default target: advice only), or not measured. */
export type BudgetStatus = 'pass' | 'fail' | 'missed' | 'unmeasured';

/** One result as shown, with its budgets (saved ones first, then the gate's). */
export interface ShownResult {
  /** The file it came from (merged files joined). */
  file: string;
  /** The result as read. */
  result: AnyResult;
  /** Its budgets: saved ones first, then the gate's. */
  budgets: ShownBudget[];
}

/** The results to show: with a comparison, results are [current, baseline] and only the current is shown. */
export function shownResults(input: ReportInput): ShownResult[] {
  const list = input.comparison ? input.results.slice(0, 1) : input.results;
  return list.map(({ file, result }, k) => ({
    file,
    result,
    budgets: [
      ...result.budgets.map((budget): ShownBudget => ({ budget, from: 'run' })),
      ...(input.gateBudgets[k] ?? []).map((budget): ShownBudget => ({ budget, from: 'report' })),
    ],
  }));
}

/**
 * A budget's status. The product's default targets are advice: missing one never fails a run (the
 * commands exit 1 only for budgets the user set), so it reads 'missed', not 'fail'; report's gate
 * budgets are always the user's.
 */
export function budgetStatus(s: ShownBudget): BudgetStatus {
  const b = s.budget;
  if (b.pass) return 'pass';
  const advice = s.from === 'run' && b.source === 'default';
  if (b.actual === null) return advice ? 'unmeasured' : 'fail';
  return advice ? 'missed' : 'fail';
}

/** A budget figure in its base unit, for people: 412 ms, 1.5 MiB, 2%, 40. */
export function fmtBudgetValue(v: number | null, unit: string): string {
  if (v === null) return '–';
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'us') return fmtMs(v / 1000);
  if (unit === 'bytes') return fmtBytes(v);
  if (unit === 'pct') return fmtPct(v);
  return fmtNum(v);
}

/** Measured against threshold in words: 'measured 61.2 ms, budget < 50.0 ms' (or why nothing was measured). */
export function describeBudget(b: BudgetResult): string {
  const limit = `budget ${b.op} ${fmtBudgetValue(b.threshold, b.unit)}`;
  if (b.actual === null) return `not measured${b.note ? ` (${b.note})` : ''}, ${limit}`;
  return `measured ${fmtBudgetValue(b.actual, b.unit)}${b.minSamples !== undefined && b.note ? ` (${b.note})` : ''}, ${limit}`;
}

/** Failing budgets over the shown results. */
export function failedBudgetCount(results: readonly ShownResult[]): number {
  return results.reduce((n, r) => n + r.budgets.filter((b) => budgetStatus(b) === 'fail').length, 0);
}

/** Plural helper: '1 regression', '2 regressions'. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
