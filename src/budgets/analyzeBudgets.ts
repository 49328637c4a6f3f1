/**
 * analyze's budgets: the product's default targets (cold start < 400 ms, tool lookup < 5 ms,
 * p95 < 100 ms, error rate < 1 %) plus the user's, which override a default on the same metric.
 * Defaults drive findings; only the user's budgets decide exit code 1.
 */
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { BudgetResult } from '../result/budgetResult.js';
import { resolveMetric } from './analyzeMetrics.js';
import { DEFAULT_BUDGETS } from './defaults.js';
import {
  checkBudgetTools as checkTools, evaluateBudgetSet, resolveBudgetSet, upperThresholdOf,
  type ResolvedBudget as GateBudget,
} from './gate.js';
import type { BudgetSpec } from './spec.js';

/** An analyze budget tied to its metric. */
export type ResolvedBudget = GateBudget<AnalyzeResult>;

/** Resolve user budgets and merge them over the defaults (see gate.ts, resolveBudgetSet). */
export function resolveBudgets(user: readonly BudgetSpec[]): ResolvedBudget[] {
  return resolveBudgetSet(user, DEFAULT_BUDGETS, resolveMetric);
}

/** Fail (exit 2) when a budget names a tool the server does not list. Called right after tools/list. */
export function checkBudgetTools(budgets: readonly ResolvedBudget[], toolNames: ReadonlySet<string>): void {
  checkTools(budgets, toolNames);
}

/** Evaluate every budget against a result. Unmeasured metrics fail (a gate never passes on nothing). */
export function evaluateBudgets(budgets: readonly ResolvedBudget[], result: AnalyzeResult): BudgetResult[] {
  return evaluateBudgetSet(budgets, result);
}

/** The threshold in force for a metric (user's if given, else default), in its base unit. */
export function thresholdOf(budgets: readonly ResolvedBudget[], metricId: string): number | undefined {
  return upperThresholdOf(budgets, metricId);
}
