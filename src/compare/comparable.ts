/**
 * Whether two results were measured the same way, so that `report --compare` may judge one
 * against the other. A closed loop's latency is service time at a fixed concurrency; an open
 * loop's is corrected for coordinated omission at a fixed rate: the same server gives different
 * figures under each, so a "regression" between them would be the load model's, not the server's.
 * The same holds for a different rate, concurrency, pool, workload or target.
 * Fields missing in an older result read as "not recorded" and are not counted as a difference.
 */
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { AnyResult } from '../result/anyResult.js';
import type { BenchConfigEcho, BenchResult } from '../result/benchResult.js';
import type { RunDifference } from '../result/comparison.js';
import type { TuneResult } from '../result/tuneResult.js';

/** How the two results' measurements differ (empty when they are comparable). Both results are of the same kind. */
export function runDifferences(baseline: AnyResult, current: AnyResult): RunDifference[] {
  const out: RunDifference[] = [];
  const add = (what: string, a: string | null, b: string | null): void => {
    if (a !== null && b !== null && a !== b) out.push({ what, baseline: a, current: b });
  };
  add('target', baseline.target?.display ?? null, current.target?.display ?? null);
  if (baseline.kind === 'bench' && current.kind === 'bench') benchDifferences(baseline, current, add);
  else if (baseline.kind === 'analyze' && current.kind === 'analyze') analyzeDifferences(baseline, current, add);
  else if (baseline.kind === 'tune' && current.kind === 'tune') tuneDifferences(baseline, current as TuneResult, add);
  return out;
}

/** The differences in one paragraph: "load model: baseline open loop at 100 req/s, current closed loop at concurrency 8; …". */
export function describeDifferences(diffs: readonly RunDifference[]): string {
  return diffs.map((d) => `${d.what}: baseline ${d.baseline}, current ${d.current}`).join('; ');
}

type Add = (what: string, a: string | null, b: string | null) => void;

/** The load model in words; with `setting`, the rate or concurrency too ("closed loop at concurrency 8"). */
function loadModel(c: BenchConfigEcho | undefined, setting: boolean): string | null {
  if (!c?.mode) return null;
  if (c.mode === 'closed') return `closed loop${setting && c.concurrency !== null ? ` at concurrency ${c.concurrency}` : ''}`;
  return `open loop${setting && c.rps !== null ? ` at ${rate(c.rps)}` : ''}${c.arrival ? ` (${c.arrival} arrivals)` : ''}`;
}

function benchDifferences(a: BenchResult, b: BenchResult, add: Add): void {
  const sameMode = a.config?.mode === b.config?.mode;
  add('load model', loadModel(a.config, !sameMode), loadModel(b.config, !sameMode));
  if (sameMode && a.config) {
    if (a.config.mode === 'open') add('rate', rate(a.config.rps), rate(b.config.rps));
    else add('concurrency', count(a.config.concurrency), count(b.config.concurrency));
  }
  add('instances', count(a.config?.instances), count(b.config?.instances));
  add('workload', benchWorkload(a), benchWorkload(b));
}

function analyzeDifferences(a: AnalyzeResult, b: AnalyzeResult, add: Add): void {
  // The compared latencies are the sequential pass's (one request at a time), so the concurrent
  // pass's setting does not matter; which tools were called does.
  const calls = (r: AnalyzeResult): string | null => {
    if (!r.config) return null;
    if (r.config.calls === false) return 'no tool calls (--no-calls)';
    return r.config.namedCalls?.length ? `calls ${[...r.config.namedCalls].sort().join(', ')}` : 'self-chosen calls';
  };
  add('workload', calls(a), calls(b));
}

function tuneDifferences(a: TuneResult, b: TuneResult, add: Add): void {
  const objective = (r: TuneResult): string | null => (r.objective ? `${r.objective.kind}${r.objective.atRps !== null ? ` at ${rate(r.objective.atRps)}` : ''}` : null);
  add('objective', objective(a), objective(b));
  const workload = (r: TuneResult): string | null => (r.config?.workload ? [...r.config.workload].sort().join(', ') || '(none)' : null);
  add('workload', workload(a), workload(b));
}

function benchWorkload(r: BenchResult): string | null {
  if (!r.workload?.operations) return null;
  const ops = [...r.workload.operations].sort((x, y) => (x.op < y.op ? -1 : x.op > y.op ? 1 : 0));
  const weighted = ops.some((o) => o.weight !== ops[0]!.weight);
  return ops.map((o) => (weighted ? `${o.op}×${o.weight}` : o.op)).join(', ') || '(none)';
}

function rate(v: number | null | undefined): string | null {
  return v === null || v === undefined ? null : `${Number(v.toPrecision(6))} req/s`;
}

function count(v: number | null | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}
