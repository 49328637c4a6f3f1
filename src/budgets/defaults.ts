/**
 * The product's targets as budgets, per command. They are shown with every run and drive analyze's
 * findings; only the user's budgets (--budget, config) decide exit code 1. A user budget on the same
 * metric and direction replaces the default (budgets/gate.ts, resolveBudgetSet).
 */

/** analyze's targets: cold start < 400 ms, tool lookup < 5 ms, p95 < 100 ms, error rate < 1 %. */
export const DEFAULT_BUDGETS: readonly string[] = ['coldStart.ready.p50<400ms', 'lookup<5ms', 'latency.p95<100ms', 'errors<1%'];

/** bench's targets, shown as default budgets (only the user's decide the exit code). */
export const BENCH_DEFAULT_BUDGETS: readonly string[] = ['p95<100ms', 'errors<1%'];
