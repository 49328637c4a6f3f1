/**
 * Steady latency on one warm session: ping (legacy era only; 2026-07-28 removed it), tools/list,
 * and each callable tool; first one request at a time, then with a few in flight. The server's
 * process-tree RSS and CPU time are read before and after, for memory growth and CPU per request.
 */
import type { LatencySection, OperationLatency } from '../../result/analyzeResult.js';
import { sampleKnown, sampleTree } from '../../target/procfs.js';
import { METHODS } from '../../target/protocol.js';
import type { Target } from '../../target/target.js';
import type { AnalyzeContext } from './context.js';
import type { PlannedCall } from './plannedCall.js';
import { sampleKinds, successOnly, type RequestKind } from './sampleLoop.js';

/** Total time the latency phase aims at, ms; split over operations and the two passes. */
const PHASE_TARGET_MS = 6000;
/** Bounds of the time cap per operation per pass, ms. */
const MIN_CAP_MS = 150;
const MAX_CAP_MS = 1000;

/** Tree readings around the phase. */
export interface LatencyResources {
  before: { rssBytes: number; cpuUs: number } | null;
  after: { rssBytes: number; cpuUs: number } | null;
  requests: number;
  processCount: number | null;
}

/** Measure steady latency; fills ctx.result.latency and returns resource readings. */
export async function measureLatency(ctx: AnalyzeContext, target: Target, plans: PlannedCall[]): Promise<LatencyResources> {
  const ops: Array<{ op: string; kind: RequestKind; args: string | null }> = [];
  if (ctx.era === 'legacy') ops.push({ op: 'ping', kind: { method: METHODS.ping, paramsJson: undefined }, args: null });
  ops.push({ op: 'tools/list', kind: { method: METHODS.toolsList, paramsJson: '{}' }, args: null });
  for (const p of plans) {
    ops.push({
      op: `tools/call:${p.name}`,
      kind: { method: METHODS.toolsCall, paramsJson: JSON.stringify({ name: p.name, arguments: p.args }), name: p.name },
      args: p.argsSource,
    });
  }
  const capMs = Math.min(MAX_CAP_MS, Math.max(MIN_CAP_MS, PHASE_TARGET_MS / (ops.length * 2)));
  const pid = target.process?.pid;
  const tree = pid === undefined ? null : sampleTree(pid);
  const pids = tree?.pids ?? [];
  const before = tree ? { rssBytes: tree.rssBytes, cpuUs: tree.cpuUs } : null;

  const results: OperationLatency[] = [];
  let requests = 0;
  let errors = 0;
  for (const [i, o] of ops.entries()) {
    ctx.throwIfAborted();
    ctx.emit({ type: 'progress', phase: 'latency', done: i, total: ops.length });
    const common = { perKind: ctx.opts.latencySamples, capMs, signal: ctx.signal, classify: successOnly };
    const [seq] = await sampleKinds(target.session, [o.kind], { ...common, inflight: 1 });
    const [conc] = await sampleKinds(target.session, [o.kind], { ...common, inflight: ctx.opts.concurrency });
    const errs: Record<string, number> = {};
    for (const e of [seq!.errors, conc!.errors]) for (const [k, v] of Object.entries(e)) errs[k] = (errs[k] ?? 0) + v;
    for (const [k, v] of Object.entries(errs)) {
      if (k.startsWith('jsonrpc:')) ctx.unexpectedErrors[k.slice(8)] = (ctx.unexpectedErrors[k.slice(8)] ?? 0) + v;
    }
    const sent = seq!.requests + conc!.requests;
    requests += sent;
    errors += Object.values(errs).reduce((a, b) => a + b, 0);
    results.push({
      op: o.op,
      sequential: seq!.recorder.toDistribution(),
      concurrent: conc!.recorder.toDistribution(),
      requests: sent,
      errors: errs,
      args: o.args,
    });
    ctx.result.latency = section(results, ctx.opts.concurrency, requests, errors);
    ctx.checkpoint();
  }
  // Re-read the same pids (cheaper than a scan, and the tree of a warm server does not change).
  const afterSample = pids.length ? sampleKnown(pids) : null;
  return {
    before,
    after: afterSample ? { rssBytes: afterSample.rssBytes, cpuUs: afterSample.cpuUs } : null,
    requests,
    processCount: tree ? tree.pids.length : null,
  };
}

function section(operations: OperationLatency[], concurrency: number, requests: number, errors: number): LatencySection {
  return { operations, concurrency, errorRatePct: requests ? Math.round((errors / requests) * 100_000) / 1000 : 0 };
}
