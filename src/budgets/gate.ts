/**
 * The budget gate shared by every command (a CI gate like k6 thresholds or Lighthouse CI budgets):
 * budgets resolved against a command's metrics before anything runs, merged over the command's
 * default targets, evaluated against the finished result. Each command supplies its metrics.
 */
import { UsageError } from '../errors.js';
import type { BudgetResult } from '../result/budgetResult.js';
import { BASE_UNIT, parseBudget, parseBudgetList, passes, thresholdIn, type BudgetSpec, type MetricKind } from './spec.js';

/** A metric resolved from its written name. */
export interface MetricRef<R> {
  /** Canonical id, e.g. 'coldStart.ready.p50'. */
  id: string;
  /** What the metric measures (time, size, count, pct): fixes its base unit and which budget units fit. */
  kind: MetricKind;
  /** Tool the metric is about, checked against the server's tools. */
  tool?: string;
  /** Read the value in the base unit; null when not measured. */
  read(result: R): number | null;
  /** For a statistic of a distribution: how many samples it was read from (null when not measured). */
  samples?(result: R): number | null;
}

/**
 * Samples a percentile needs before it is read from the data rather than from its most extreme
 * sample: at least one sample beyond it, ⌈1 / (1 − q)⌉ (p50 2, p90 10, p95 20, p99 100, p999 1000).
 * With fewer, "p99" is simply the maximum of a handful, a figure a gate cannot trust. Null for
 * statistics without such a floor (min, max, mean).
 */
export function minSamplesFor(stat: string): number | null {
  const m = /^p(\d+)$/.exec(stat);
  if (!m) return null;
  const scale = 10 ** m[1]!.length;
  return Math.ceil(scale / (scale - Number(m[1])));
}

/** Resolves a written metric name, or throws a UsageError that lists the valid ones. */
export type MetricResolver<R> = (name: string, where: string) => MetricRef<R>;

/** A budget tied to a metric, threshold in the metric's base unit. */
export interface ResolvedBudget<R> {
  /** The budget as parsed from a flag or config. */
  spec: BudgetSpec;
  /** The metric its name resolved to. */
  metric: MetricRef<R>;
  /** The bound converted to the metric's base unit (ms, bytes, count or pct). */
  threshold: number;
}

/**
 * Resolve user budgets (flags and config) and merge them over `defaults`. Fails on unknown
 * metrics, unit mismatches and duplicates (the same metric bounded twice in the same direction).
 */
export function resolveBudgetSet<R>(user: readonly BudgetSpec[], defaults: readonly string[], resolve: MetricResolver<R>): ResolvedBudget<R>[] {
  const resolveOne = (spec: BudgetSpec): ResolvedBudget<R> => {
    const w = where(spec);
    const metric = resolve(spec.metric, `${w} "${spec.expression}"`);
    return { spec, metric, threshold: thresholdIn(spec, metric.kind, w) };
  };
  const resolved = user.map(resolveOne);
  const seen = new Map<string, ResolvedBudget<R>>();
  for (const b of resolved) {
    const key = budgetKey(b);
    const prior = seen.get(key);
    if (prior) {
      throw new UsageError(
        `Budget "${b.spec.expression}" (${where(b.spec)}) bounds ${b.metric.id} again after "${prior.spec.expression}" (${where(prior.spec)}). ` +
          `Keep one of them: a duplicated budget hides which one the gate used.`,
      );
    }
    seen.set(key, b);
  }
  const kept = defaults.map((e) => resolveOne(parseBudget(e, 'default', 'default budget'))).filter((d) => !seen.has(budgetKey(d)));
  return [...kept, ...resolved];
}

/** Same metric and direction: the identity under which budgets replace or duplicate each other. */
export function budgetKey<R>(b: { metric: MetricRef<R>; spec: BudgetSpec }): string {
  return `${b.metric.id}${b.spec.op.startsWith('<') ? '<' : '>'}`;
}

function where(spec: BudgetSpec): string {
  return spec.source === 'flag' ? '--budget' : spec.source === 'config' ? 'config budget' : 'default budget';
}

/** Fail (exit 2) when a budget names a tool the server does not list (or the workload does not call). */
export function checkBudgetTools<R>(
  budgets: readonly ResolvedBudget<R>[],
  toolNames: ReadonlySet<string>,
  wording = { missing: 'the server does not list', known: 'Its tools' },
): void {
  for (const b of budgets) {
    if (b.metric.tool !== undefined && !toolNames.has(b.metric.tool)) {
      const known = [...toolNames].slice(0, 20).join(', ');
      throw new UsageError(`Budget "${b.spec.expression}" names tool "${b.metric.tool}", which ${wording.missing}. ${wording.known}: ${known || '(none)'}.`);
    }
  }
}

/** Evaluate every budget against a result. Unmeasured metrics fail (a gate never passes on nothing). */
export function evaluateBudgetSet<R>(budgets: readonly ResolvedBudget<R>[], result: R): BudgetResult[] {
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
    const stat = b.metric.id.split('.').at(-1)!;
    const needed = minSamplesFor(stat);
    const n = actual === null || needed === null ? null : b.metric.samples?.(result) ?? null;
    if (n !== null && needed !== null && n < needed) {
      // Fails, user budget or not: a CI gate never passes on a figure it cannot trust (README, Budgets).
      out.pass = false;
      out.samples = n;
      out.minSamples = needed;
      out.note = `${stat} of only ${n} sample${n === 1 ? '' : 's'}: a ${stat} needs at least ${needed}, so it cannot be trusted`;
    }
    return out;
  });
}

/** The upper threshold in force for a metric (user's if given, else default), in its base unit. */
export function upperThresholdOf<R>(budgets: readonly ResolvedBudget<R>[], metricId: string): number | undefined {
  return budgets.filter((b) => b.metric.id === metricId && b.spec.op.startsWith('<')).at(-1)?.threshold;
}

/**
 * Budgets from a config file (array of expressions, or an object of metric → "<400ms") and from
 * --budget. A flag replaces a config budget on the same metric and direction; duplicates within one
 * source are reported by resolveBudgetSet.
 */
export function mergeBudgetSources<R>(
  flags: readonly string[] | undefined,
  config: { path: string; data: Record<string, unknown> } | null,
  resolve: MetricResolver<R>,
): BudgetSpec[] {
  const fromFlags = (flags ?? []).map((e) => parseBudget(e, 'flag', '--budget'));
  const raw = config?.data['budgets'];
  const where = `config ${config?.path} budget`;
  const fromConfig = raw === undefined ? [] : parseBudgetList(raw, `config ${config!.path}`, where);
  const key = (b: BudgetSpec): string => budgetKey({ spec: b, metric: resolve(b.metric, b.source === 'flag' ? '--budget' : where) });
  const flagKeys = new Set(fromFlags.map(key));
  return [...fromConfig.filter((b) => !flagKeys.has(key(b))), ...fromFlags];
}
