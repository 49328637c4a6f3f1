/**
 * report's budget gate: the budgets of --budget, --budget-file and the config, evaluated on saved
 * results without re-running anything (Lighthouse CI's `assert` on stored runs). Each budget is
 * tied to the metrics of the result kinds present: a budget no present kind knows is a usage error
 * (exit 2), as a budget on an unknown metric is in bench, since a gate that ignores it passes.
 */
import { UsageError } from '../errors.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { BenchResult } from '../result/benchResult.js';
import type { BudgetResult } from '../result/budgetResult.js';
import type { AnyResult } from '../result/anyResult.js';
import { resolveMetric } from './analyzeMetrics.js';
import { resolveBenchMetric } from './benchMetrics.js';
import { evaluateBudgetSet, resolveBudgetSet, type MetricResolver } from './gate.js';
import type { BudgetSpec } from './spec.js';

/** Budget metrics per result kind (tune results are gated through the SLO they carry). */
const RESOLVERS: { analyze: MetricResolver<AnalyzeResult>; bench: MetricResolver<BenchResult> } = {
  analyze: resolveMetric,
  bench: resolveBenchMetric,
};

/** Evaluate `budgets` on each result (index-aligned); kinds that do not know a budget's metric skip it. */
export function gateResults(budgets: readonly BudgetSpec[], results: readonly AnyResult[]): BudgetResult[][] {
  if (!budgets.length) return results.map(() => []);
  const kinds = [...new Set(results.map((r) => r.kind))].filter((k): k is 'analyze' | 'bench' => k === 'analyze' || k === 'bench');
  if (!kinds.length) throw new UsageError('Budgets gate analyze and bench results; these are tune results, whose SLO is judged in the result itself. Drop --budget, or name analyze or bench results.');
  const known = new Map<'analyze' | 'bench', BudgetSpec[]>(kinds.map((k) => [k, []]));
  for (const b of budgets) {
    const errors: string[] = [];
    for (const k of kinds) {
      try {
        RESOLVERS[k](b.metric, `budget "${b.expression}"`);
        known.get(k)!.push(b);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        errors.push(err.message);
      }
    }
    if (errors.length === kinds.length) {
      throw errors.length === 1
        ? new UsageError(errors[0]!)
        : new UsageError(`Budget "${b.expression}" names a metric no result here has (${kinds.join(', ')}). ${errors[0]}`);
    }
  }
  return results.map((r) => {
    if (r.kind === 'analyze') return evaluateBudgetSet(resolveBudgetSet(known.get('analyze')!, [], RESOLVERS.analyze), r);
    if (r.kind === 'bench') return evaluateBudgetSet(resolveBudgetSet(known.get('bench')!, [], RESOLVERS.bench), r);
    return [];
  });
}
