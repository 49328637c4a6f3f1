/**
 * Builders for analyze's result: the empty result, and protocol hygiene summed over connections.
 */
import { distributionOf } from '../../measure/histogram.js';
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import type { AnalyzeResult, HygieneSection } from '../../result/analyzeResult.js';
import { newHeader, targetSection } from '../../result/build.js';
import type { AnalyzeContext } from './context.js';

/** A result with nothing measured yet. */
export function emptyResult(opts: AnalyzeOptions, createdAt: Date): AnalyzeResult {
  return {
    ...newHeader('analyze', createdAt),
    config: {
      runs: opts.runs, warmupRuns: opts.warmupRuns, timeoutMs: opts.timeoutMs, calls: !opts.noCalls, probes: !opts.noCalls && !opts.noProbes,
      namedCalls: opts.calls.map((c) => c.name), concurrency: opts.concurrency, era: opts.era,
    },
    target: targetSection(opts.spec),
    server: null,
    coldStart: null,
    tools: null,
    lookup: null,
    latency: null,
    resources: null,
    hygiene: null,
    findings: [],
    budgets: [],
  };
}


/** Sum what every connection saw on the wire. */
export function hygieneSection(ctx: AnalyzeContext): HygieneSection {
  const violations: Record<string, number> = {};
  const excerpts: Record<string, string[]> = {};
  const serverRequests: Record<string, number> = {};
  let lateResponses = 0;
  for (const h of ctx.hygiene) {
    for (const [k, n] of Object.entries(h.counts)) violations[k] = (violations[k] ?? 0) + (n ?? 0);
    for (const [k, list] of Object.entries(h.excerpts)) {
      const into = (excerpts[k] ??= []);
      for (const e of list ?? []) if (into.length < 5 && !into.includes(e)) into.push(e);
    }
    for (const [k, n] of Object.entries(h.serverRequests)) serverRequests[k] = (serverRequests[k] ?? 0) + n;
    lateResponses += h.lateResponses;
  }
  const runs = ctx.result.coldStart?.samples ?? [];
  const eof = runs.map((r) => r.eofToExitMs).filter((v): v is number => v !== null);
  return {
    nonJsonLines: violations['non-json-stdout'] ?? 0,
    violations,
    excerpts,
    unexpectedErrors: { ...ctx.unexpectedErrors },
    serverRequests,
    lateResponses,
    eofToExit: eof.length ? distributionOf(eof.map((ms) => ms * 1000), 'us') : null,
    signalledStops: runs.filter((r) => r.escalation !== 'none').length,
  };
}
