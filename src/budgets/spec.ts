/**
 * Budget expressions: `<metric><op><number><unit>`, e.g. `coldStart.p50<400ms`, `errors<1%`,
 * `tools.bytes<=64KB`. Parsed before anything runs; a malformed, negative or duplicated budget is
 * a usage error (exit 2), because a gate that silently ignores a budget passes what it should fail
 * (k6 #1526: thresholds on unknown metrics passed silently before v0.38).
 */
import { UsageError } from '../errors.js';

/** What a metric measures, which decides the units it accepts. */
export type MetricKind = 'time' | 'size' | 'count' | 'pct';

/** Base unit per kind: figures are compared in these. */
export const BASE_UNIT: Record<MetricKind, string> = { time: 'ms', size: 'bytes', count: 'count', pct: 'pct' };

/** A parsed budget, not yet tied to a command's metrics. */
export interface BudgetSpec {
  /** As the user wrote it (trimmed). */
  expression: string;
  /** Metric as written, before the command canonicalises it. */
  metric: string;
  /** Comparison the figure must pass. */
  op: '<' | '<=' | '>' | '>=';
  /** The number as written. */
  value: number;
  /** The unit as written ('' when none). */
  unit: string;
  /** Where it came from. */
  source: 'default' | 'flag' | 'config';
}

const UNITS: Record<string, { kind: MetricKind; factor: number }> = {
  us: { kind: 'time', factor: 0.001 },
  'µs': { kind: 'time', factor: 0.001 },
  ms: { kind: 'time', factor: 1 },
  s: { kind: 'time', factor: 1000 },
  '%': { kind: 'pct', factor: 1 },
  b: { kind: 'size', factor: 1 },
  kb: { kind: 'size', factor: 1000 },
  mb: { kind: 'size', factor: 1e6 },
  gb: { kind: 'size', factor: 1e9 },
  kib: { kind: 'size', factor: 1024 },
  mib: { kind: 'size', factor: 1024 ** 2 },
  gib: { kind: 'size', factor: 1024 ** 3 },
};

const EXPRESSION = /^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-zA-Zµ%]*)\s*$/;

/** Parse one budget expression. `where` names its origin in errors (e.g. "--budget"). */
export function parseBudget(expression: string, source: BudgetSpec['source'], where: string): BudgetSpec {
  const m = EXPRESSION.exec(expression);
  if (!m) {
    throw new UsageError(
      `${where} "${expression}" is not a budget. Write <metric><op><number><unit> with op one of < <= > >=, ` +
        `for example --budget 'coldStart.p50<400ms' or --budget 'errors<1%'. Quote it so the shell does not read < as a redirect.`,
    );
  }
  const value = Number(m[3]);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`${where} "${expression}": the threshold must be a non-negative number.`);
  }
  const unit = m[4]!;
  if (unit && !(unit.toLowerCase() in UNITS) && !(unit in UNITS)) {
    throw new UsageError(
      `${where} "${expression}": unknown unit "${unit}". Use us, ms or s for times; B, KB, MB, KiB, MiB for sizes; % for rates; nothing for counts.`,
    );
  }
  return { expression: expression.trim(), metric: m[1]!, op: m[2] as BudgetSpec['op'], value, unit, source };
}

/**
 * One entry of a config's object form, `{ "coldStart.p50": "<400ms" }`: the condition is a string
 * that starts with the comparison. Anything else (a bare number, "400ms") is an error that echoes
 * the entry as written, `"latency.p95": 100`, not glued into "latency.p95100".
 */
export function parseBudgetEntry(metric: string, condition: unknown, source: BudgetSpec['source'], where: string): BudgetSpec {
  if (typeof condition === 'string' && /^\s*[<>]/.test(condition)) return parseBudget(`${metric}${condition}`, source, where);
  const shown = typeof condition === 'string' ? condition.trim() : String(condition);
  throw new UsageError(
    `${where} "${metric}": ${JSON.stringify(condition)} has no comparison. In the object form the condition is a string that starts with ` +
      `< <= > or >= and gives the unit, e.g. "${metric}": "<${shown}ms" (for a time); or list the budget as "${metric}<${shown}ms".`,
  );
}

/**
 * A file's "budgets": a list of expressions, or an object of metric → "<threshold". `where` names
 * the file in errors about the list's shape, `at` names it in errors about one budget.
 */
export function parseBudgetList(raw: unknown, where: string, at: string = where): BudgetSpec[] {
  if (Array.isArray(raw)) {
    return raw.map((e) => {
      if (typeof e !== 'string') throw new UsageError(`${where}: "budgets" entries must be strings like "p95<100ms".`);
      return parseBudget(e, 'config', at);
    });
  }
  if (raw && typeof raw === 'object') return Object.entries(raw).map(([m, c]) => parseBudgetEntry(m, c, 'config', at));
  throw new UsageError(`${where}: "budgets" must be an array of expressions or an object of metric: "<threshold".`);
}

/**
 * The threshold in the base unit of `kind`. A bare number means the base unit (ms, bytes, count,
 * percent). A unit of another kind is a usage error naming both.
 */
export function thresholdIn(spec: BudgetSpec, kind: MetricKind, where: string): number {
  if (!spec.unit) return spec.value;
  const u = UNITS[spec.unit] ?? UNITS[spec.unit.toLowerCase()]!;
  if (u.kind !== kind) {
    throw new UsageError(
      `${where} "${spec.expression}": ${spec.metric} is a ${kindName(kind)} (in ${BASE_UNIT[kind]}), but "${spec.unit}" is a unit of ${kindName(u.kind)}.`,
    );
  }
  return spec.value * u.factor;
}

function kindName(kind: MetricKind): string {
  return { time: 'time', size: 'size', count: 'count', pct: 'percentage' }[kind];
}

/** Compare a value with a threshold. */
export function passes(actual: number, op: BudgetSpec['op'], threshold: number): boolean {
  switch (op) {
    case '<': return actual < threshold;
    case '<=': return actual <= threshold;
    case '>': return actual > threshold;
    case '>=': return actual >= threshold;
  }
}
