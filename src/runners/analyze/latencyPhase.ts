/**
 * Steady latency on one warm session: ping (legacy era only; 2026-07-28 removed it), tools/list,
 * and each callable tool; first one request at a time, then with a few in flight. The server's
 * process-tree RSS is read after every operation (memory growth per request) and its CPU time
 * before and after (CPU per request).
 *
 * A tool mcp-opt chose by itself (not named with --call) that does not answer one call within
 * SLOW_CALL_MS is long-running by design (e.g. a "long operation" demo tool): it is cancelled and
 * reported as too slow to sample, not counted as an error, so one slow tool cannot stall analyze.
 * When the server rejects its synthesised arguments, a few others are tried first (firstCall.ts);
 * rejections are counted apart ('argument-rejected'), not in the error rate.
 */
import { Recorder } from '../../measure/histogram.js';
import { linearFit } from '../../measure/stats.js';
import { ARGUMENT_REJECTED } from '../../result/errorSample.js';
import type { LatencySection, OperationLatency } from '../../result/analyzeResult.js';
import { sampleForest, sampleKnown } from '../../target/procfs.js';
import { METHODS } from '../../target/protocol.js';
import type { Reply } from '../../target/session.js';
import type { Target } from '../../target/target.js';
import type { AnalyzeContext } from './context.js';
import { classifyReply, ErrorLog } from '../replyClass.js';
import { firstCall } from './firstCall.js';
import type { PlannedCall } from './plannedCall.js';
import { isLowSample, LOW_SAMPLE_N, sampleKinds, type RequestKind } from './sampleLoop.js';

/** Total time the latency phase aims at, ms; split over operations and the two passes. */
const PHASE_TARGET_MS = 4000;
/** Bounds of the time cap per operation per pass, ms. */
const MIN_CAP_MS = 150;
const MAX_CAP_MS = 1000;
/** Longest a self-chosen tool may take on its first call before it is cancelled and skipped, ms. */
export const SLOW_CALL_MS = 1000;

/** Tree readings around the phase. */
export interface LatencyResources {
  /** The tree before the phase; null when it is not sampled (no /proc, no pid). */
  before: {
    /** RSS of the tree, bytes. */
    rssBytes: number;
    /** CPU time of the tree so far (user + system), µs. */
    cpuUs: number;
  } | null;
  /** The same processes after the phase; null when not sampled. */
  after: {
    /** RSS of the tree, bytes. */
    rssBytes: number;
    /** CPU time of the tree so far (user + system), µs. */
    cpuUs: number;
  } | null;
  /** Least-squares slope of tree RSS against requests sent, bytes per request. */
  rssBytesPerRequest: number | null;
  /** Requests sent in the phase. */
  requests: number;
  /** Processes in the tree before the phase; null when not sampled. */
  processCount: number | null;
  /** Plans whose synthesised arguments were replaced by ones the server accepted (for the lookup phase). */
  improved: PlannedCall[];
}

interface Op {
  op: string;
  kind: RequestKind;
  args: string | null;
  /** Named by the user: measured with the full --timeout. */
  named: boolean;
  /** The planned call (tool calls only). */
  plan?: PlannedCall;
}

/**
 * Measure steady latency; fills ctx.result.latency and returns resource readings of the process
 * trees rooted at `roots` (the server's; none when they cannot be measured).
 */
export async function measureLatency(ctx: AnalyzeContext, target: Target, plans: PlannedCall[], roots: readonly number[]): Promise<LatencyResources> {
  const ops: Op[] = [];
  if (ctx.era === 'legacy') ops.push({ op: 'ping', kind: { method: METHODS.ping, paramsJson: undefined }, args: null, named: true });
  ops.push({ op: 'tools/list', kind: { method: METHODS.toolsList, paramsJson: '{}' }, args: null, named: true });
  for (const p of plans) {
    ops.push({
      op: `tools/call:${p.name}`,
      kind: { method: METHODS.toolsCall, paramsJson: JSON.stringify({ name: p.name, arguments: p.args }), name: p.name },
      args: p.argsSource,
      named: p.argsSource === 'given with --call',
      plan: p,
    });
  }
  const capMs = Math.min(MAX_CAP_MS, Math.max(MIN_CAP_MS, PHASE_TARGET_MS / (ops.length * 2)));
  const tree = roots.length ? sampleForest(roots) : null;
  const pids = tree?.pids ?? [];
  const before = tree ? { rssBytes: tree.rssBytes, cpuUs: tree.cpuUs } : null;
  const rssSeries: Array<[number, number]> = before ? [[0, before.rssBytes]] : [];

  const results: OperationLatency[] = [];
  const improved: PlannedCall[] = [];
  const totals = { requests: 0, errors: 0, rejected: 0 };
  for (const [i, o] of ops.entries()) {
    ctx.throwIfAborted();
    ctx.emit({ type: 'progress', phase: 'latency', done: i, total: ops.length });
    const measured = await measureOp(ctx, target, o, capMs);
    results.push(measured.result);
    if (measured.plan) improved.push(measured.plan);
    totals.requests += measured.result.requests;
    totals.errors += measured.errors;
    totals.rejected += measured.result.errors[ARGUMENT_REJECTED] ?? 0;
    ctx.result.latency = section(results, ctx.opts.concurrency, totals);
    ctx.checkpoint();
    const now = pids.length ? sampleKnown(pids) : null;
    if (now) rssSeries.push([totals.requests, now.rssBytes]);
  }
  const afterSample = pids.length ? sampleKnown(pids) : null;
  return {
    before,
    after: afterSample ? { rssBytes: afterSample.rssBytes, cpuUs: afterSample.cpuUs } : null,
    rssBytesPerRequest: rssSeries.length >= 3 ? Math.round(linearFit(rssSeries.map((p) => p[0]), rssSeries.map((p) => p[1])).slope) : null,
    requests: totals.requests,
    processCount: tree ? tree.pids.length : null,
    improved,
  };
}

interface OpOutcome {
  result: OperationLatency;
  /** Server failures (argument rejections not included). */
  errors: number;
  /** The plan with the arguments the server accepted after a retry, or undefined. */
  plan?: PlannedCall;
}

async function measureOp(ctx: AnalyzeContext, target: Target, o: Op, capMs: number): Promise<OpOutcome> {
  const synthesised = o.plan !== undefined && !o.named;
  const result: OperationLatency = {
    op: o.op, sequential: null, concurrent: null, requests: 0, errors: {}, args: o.args, note: null,
    arguments: synthesised ? o.plan!.args : null, errorSamples: {}, errorLike: null, failedLatency: null,
  };
  const log = new ErrorLog();
  const failed = new Recorder('us');
  const seen = (cls: string | null, reply: Reply, paramsJson: string | undefined): void => {
    log.note(cls, reply, o.op, paramsJson, synthesised);
    if (cls === null) return;
    result.errors[cls] = (result.errors[cls] ?? 0) + 1;
    failed.record((reply.doneAt - reply.sentAt) * 1000);
  };
  const finish = (plan?: PlannedCall): OpOutcome => {
    result.errorSamples = log.samples;
    result.errorLike = log.errorLike;
    result.failedLatency = failed.n ? failed.toDistribution() : null;
    for (const [k, v] of Object.entries(result.errors)) {
      if (k.startsWith('jsonrpc:')) ctx.unexpectedErrors[k.slice(8)] = (ctx.unexpectedErrors[k.slice(8)] ?? 0) + v;
    }
    const serverErrors = Object.entries(result.errors).filter(([k]) => k !== ARGUMENT_REJECTED).reduce((a, [, v]) => a + v, 0);
    return { result, errors: serverErrors, plan };
  };
  let kind = o.kind;
  let plan: PlannedCall | undefined;
  if (!o.named && o.plan) {
    const first = await firstCall(target, o.plan, o.kind, SLOW_CALL_MS, seen);
    result.requests += first.requests;
    if (first.retries.length) result.retries = first.retries;
    if (first.outcome === 'slow') {
      result.note = `no answer within ${SLOW_CALL_MS} ms on its first call, so it was cancelled and not sampled; name it with --call to measure it with the full --timeout`;
      ctx.emit({ type: 'warning', message: `${o.op} did not answer within ${SLOW_CALL_MS} ms; it was cancelled and not sampled (name it with --call to measure it).` });
      return finish();
    }
    if (first.outcome === 'rejected') {
      const tried = first.retries.length ? ` and ${first.retries.length} other argument set(s)` : '';
      result.note = `the server rejected the synthesised arguments${tried}, so it was not sampled; name it with --call ${o.plan.name}='{...}' and arguments it accepts to measure it`;
      return finish();
    }
    if (first.accepted) {
      kind = first.kind;
      plan = { ...o.plan, args: first.accepted.args, argsSource: `${o.plan.argsSource}; retried with ${first.accepted.why}` };
      result.args = plan.argsSource;
      result.arguments = first.accepted.args;
    }
  }
  const common = {
    perKind: ctx.opts.latencySamples, capMs, signal: ctx.signal,
    classify: (reply: Reply) => classifyReply(reply, kind.paramsJson),
    onReply: (_k: number, cls: string | null, reply: Reply) => seen(cls, reply, kind.paramsJson),
  };
  const [seq] = await sampleKinds(target.session, [kind], { ...common, inflight: 1 });
  const [conc] = await sampleKinds(target.session, [kind], { ...common, inflight: ctx.opts.concurrency });
  result.sequential = seq!.recorder.toDistribution();
  result.concurrent = conc!.recorder.toDistribution();
  result.requests += seq!.requests + conc!.requests;
  const counts = [seq!.samplesUs.length, conc!.samplesUs.length];
  if (counts.some((n) => isLowSample(n, ctx.opts.latencySamples))) {
    result.lowSample = true;
    ctx.emit({
      type: 'warning',
      message: `${o.op}: only ${counts[0]} sequential + ${counts[1]} concurrent samples (fewer than ${Math.min(LOW_SAMPLE_N, ctx.opts.latencySamples)}) within the ${Math.round(capMs)} ms per-pass cap ` +
        `(p50 ${((result.sequential ?? result.concurrent)!.p50 / 1000).toFixed(1)} ms per request): its percentiles are rough (lowSample in the JSON); measure it with \`mcp-opt bench\` for a longer run.`,
    });
  }
  return finish(plan);
}

function section(operations: OperationLatency[], concurrency: number, t: { requests: number; errors: number; rejected: number }): LatencySection {
  const judged = t.requests - t.rejected;
  return {
    operations, concurrency,
    errorRatePct: judged > 0 ? Math.round((t.errors / judged) * 100_000) / 1000 : 0,
    argumentRejected: t.rejected,
  };
}
