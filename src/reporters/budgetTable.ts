/**
 * The budget table every command prints: budget, measured value, pass/fail, and where it came from.
 */
import type { ChalkInstance } from 'chalk';
import type { BudgetResult } from '../result/budgetResult.js';
import { fmtBytes, fmtMs, fmtNum, fmtPct, safe, table } from './format.js';

/** Render budgets; `note` says what decides the exit code. */
export function renderBudgets(budgets: readonly BudgetResult[], c: ChalkInstance, note: string): string {
  const fmt = (v: number | null, unit: string): string => {
    if (v === null) return '–';
    if (unit === 'ms') return fmtMs(v);
    if (unit === 'bytes') return fmtBytes(v);
    if (unit === 'pct') return fmtPct(v);
    return fmtNum(v);
  };
  const rows = budgets.map((b) => [
    safe(b.expression, 80), fmt(b.actual, b.unit),
    // An unmeasured default target gates nothing: say so instead of FAIL.
    b.pass ? c.green('pass') : b.actual === null && b.source === 'default' ? 'not measured' : c.red('FAIL'),
    b.source + (b.note && !(b.actual === null && b.source === 'default') ? ` (${b.note})` : ''),
  ]);
  return `${c.bold('Budgets')} (${note})\n${table(['budget', 'measured', 'result', 'source'], rows, c)}`;
}
