/**
 * analyze's budgets: the product's default targets (cold start < 400 ms, tool lookup < 5 ms,
 * p95 < 100 ms, error rate < 1 %) plus the user's, which override a default on the same metric.
 * Defaults drive findings; only the user's budgets decide exit code 1.
 */
import { UsageError } from '../../errors.js';
import { BASE_UNIT, parseBudget, passes, thresholdIn, type BudgetSpec } from '../../options/budgetSpec.js';
import type { AnalyzeResult } from '../../result/analyzeResult.js';
import type { BudgetResult } from '../../result/budgetResult.js';
import { resolveMetric, type MetricRef } from './metrics.js';

/** The product's targets, as budgets. */
export const DEFAULT_BUDGETS: readonly string[] = ['coldStart.ready.p50<400ms', 'lookup<5ms', 'latency.p95<100ms', 'errors<1%'];

/** A budget tied to a metric, threshold in the metric's base unit. */
export interface ResolvedBudget {
  spec: BudgetSpec;
  metric: MetricRef;
  threshold: number;
}

/**
 * Resolve user budgets (flags and config) and merge them over the defaults. Fails on unknown
 * metrics, unit mismatches and duplicates (the same metric bounded twice in the same direction).
 */
export function resolveBudgets(user: readonly BudgetSpec[]): ResolvedBudget[] {
  const resolved = user.map((spec) => resolveOne(spec));
  const seen = new Map<string, ResolvedBudget>();
  for (const b of resolved) {
    const key = `${b.metric.id}${direction(b.spec.op)}`;
    const prior = seen.get(key);
    if (prior) {
      throw new UsageError(
        `Budget "${b.spec.expression}" (${where(b.spec)}) bounds ${b.metric.id} again after "${prior.spec.expression}" (${where(prior.spec)}). ` +
          `Keep one of them: a duplicated budget hides which one the gate used.`,
      );
    }
    seen.set(key, b);
  }
  const defaults = DEFAULT_BUDGETS.map((e) => resolveOne(parseBudget(e, 'default', 'default budget')))
    .filter((d) => !seen.has(`${d.metric.id}${direction(d.spec.op)}`));
  return [...defaults, ...resolved];
}

function resolveOne(spec: BudgetSpec): ResolvedBudget {
  const w = where(spec);
  const metric = resolveMetric(spec.metric, `${w} "${spec.expression}"`);
  return { spec, metric, threshold: thresholdIn(spec, metric.kind, w) };
}

function where(spec: BudgetSpec): string {
  return spec.source === 'flag' ? '--budget' : spec.source === 'config' ? 'config budget' : 'default budget';
}

function direction(op: BudgetSpec['op']): string {
  return op.startsWith('<') ? '<' : '>';
}

/** Fail (exit 2) when a budget names a tool the server does not list. Called right after tools/list. */
export function checkBudgetTools(budgets: readonly ResolvedBudget[], toolNames: ReadonlySet<string>): void {
  for (const b of budgets) {
    if (b.metric.tool !== undefined && !toolNames.has(b.metric.tool)) {
      const known = [...toolNames].slice(0, 20).join(', ');
      throw new UsageError(
        `Budget "${b.spec.expression}" names tool "${b.metric.tool}", which the server does not list. Its tools: ${known || '(none)'}.`,
      );
    }
  }
}

/** Evaluate every budget against a result. Unmeasured metrics fail (a gate never passes on nothing). */
export function evaluateBudgets(budgets: readonly ResolvedBudget[], result: AnalyzeResult): BudgetResult[] {
  return budgets.map((b) => {
    const actual = b.metric.read(result);
    const out: BudgetResult = {
      expression: b.spec.expression,
      metric: b.metric.id,
      op: b.spec.op,
      threshold: b.threshold,
      unit: BASE_UNIT[b.metric.kind],
      actual,
      pass: actual !== null && passes(actual, b.spec.op, b.threshold),
      source: b.spec.source,
    };
    if (actual === null) out.note = 'not measured in this run';
    return out;
  });
}

/** The threshold in force for a metric (user's if given, else default), in its base unit. */
export function thresholdOf(budgets: readonly ResolvedBudget[], metricId: string): number | undefined {
  const matches = budgets.filter((b) => b.metric.id === metricId && b.spec.op.startsWith('<'));
  return matches.at(-1)?.threshold;
}
