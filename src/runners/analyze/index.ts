/**
 * analyze: start an MCP server the way a client would and measure it. Reads as its pipeline:
 * era probe → cold starts → one warm session (tool list, steady latency and resources, lookup) →
 * hygiene, budgets, findings. Emits events; returns the result even when a phase failed (marked
 * incomplete) together with the failure, so the caller saves what was measured and picks the exit code.
 */
import { McpOptError, TargetError, oneLine } from '../../errors.js';
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import type { AnalyzeResult, LatencySection } from '../../result/analyzeResult.js';
import type { EraProbe } from '../../target/handshake.js';
import { sampleForest } from '../../target/procfs.js';
import { serverProcess } from '../../target/serverPid.js';
import { transportUsed } from '../../target/transport.js';
import { QUICK_STOP_WAITS } from '../../target/serverProcess.js';
import { detectEra, withExit, withWireCause } from '../../target/target.js';
import type { Emit } from '../events.js';
import { Phases } from '../phases.js';
import { checkBudgetTools, evaluateBudgets } from '../../budgets/analyzeBudgets.js';
import { pickFirstCall, planCalls, samplePlans } from './callPlan.js';
import { measureColdStart } from './coldStart.js';
import { AnalyzeContext } from './context.js';
import { computeFindings } from './findings.js';
import { measureLatency } from './latencyPhase.js';
import { measureLookup } from './lookupPhase.js';
import { lookupCostUs } from '../../budgets/analyzeMetrics.js';
import { serverSection } from '../../result/build.js';
import { emptyResult, hygieneSection } from './sections.js';
import type { PlannedCall } from './plannedCall.js';
import { profileServer } from './profilePhase.js';
import { profileSummary } from '../../profile/profiledRun.js';
import { checkNamedCalls, measureTools } from './toolsPhase.js';

/** What analyze returns: the result (complete or not) and the failure that stopped it, if any. */
export interface AnalyzeOutcome {
  /** The result, marked incomplete when the run failed. */
  result: AnalyzeResult;
  /** What stopped the run or failed the target, or null. */
  failure: McpOptError | null;
}

/** Run analyze. Never throws for failures of the target: they come back in `failure`. */
export async function runAnalyze(opts: AnalyzeOptions, emit: Emit<AnalyzeResult>, signal: AbortSignal, resultPath: string | null = null): Promise<AnalyzeOutcome> {
  const started = performance.now();
  const result = emptyResult(opts, new Date());
  const ctx = new AnalyzeContext(opts, (e) => {
    if (e.type === 'warning') result.warnings.push(e.message);
    emit(e);
  }, signal, result);
  let failure: McpOptError | null = null;
  const phases = new Phases(emit, result, 'probe');
  const step = phases.step.bind(phases);

  let probe: EraProbe | null = null;
  /** The tool calls the latency phase made, with the arguments the server accepted (--profile repeats them). */
  let profilePlans: PlannedCall[] = [];
  try {
    if (opts.era === 'auto') {
      probe = await step('probe', 'Detecting protocol era', () => detectEra(opts.spec, ctx.openOptions()), (p) => `${p.era} era (${p.evidence})`);
      ctx.era = probe.era;
    } else {
      ctx.era = opts.era;
    }
    await step('cold-start', `Cold start: ${opts.warmupRuns} warm-up + ${opts.runs} runs`,
      () => measureColdStart(ctx, (tools) => pickFirstCall(tools, opts), (tools, complete) => {
        if (!complete) return;
        checkNamedCalls(opts.calls.map((c) => c.name), tools);
        checkBudgetTools(opts.budgets, new Set(tools.map((t) => t.name)));
      }),
      () => `ready p50 ${((result.coldStart?.stages.ready.p50 ?? 0) / 1000).toFixed(1)} ms`);
    if (ctx.handshake) result.server = serverSection(ctx.handshake, probe);

    // Nothing is measured from this session's teardown (cold starts measure stdin EOF → exit), so
    // a server still busy with a cancelled long-running call is not waited on for long.
    const target = await ctx.open({ stopWaits: QUICK_STOP_WAITS });
    try {
      result.server = serverSection(target.info, probe, transportUsed(target.session.transport));
      // The warm session's server: the process launched for it, or for a URL the one on its port (or --pid).
      const proc = serverProcess(opts.spec, target.process ? [target.process.pid] : [], opts.pid);
      result.serverProcess = proc;
      if (proc.unavailableReason !== null) ctx.emit({ type: 'warning', message: `Server resources not measured: ${proc.unavailableReason}.` });
      const roots = proc.unavailableReason === null ? proc.pids : [];
      const walk = await step('tools', 'Tool list', async () => {
        const w = await measureTools(ctx, target.session);
        checkBudgetTools(opts.budgets, new Set(w.tools.map((t) => t.name)));
        return w;
      }, (w) => `${w.tools.length} tools, ${w.pages} page(s)`);
      const idle = roots.length ? sampleForest(roots) : null;
      const unplanned: Array<{ name: string; reason: string }> = [];
      const plans = planCalls(walk.tools, opts, unplanned);
      if (unplanned.length > 0) skipUnplanned(ctx, unplanned);
      const { sampled, notSampled } = samplePlans(plans);
      if (notSampled > 0) {
        ctx.emit({ type: 'warning', message: `${notSampled} more callable tools were not sampled for steady latency (${sampled.length} were, spread over the list); name a tool with --call to sample it.` });
      }
      const res = await step('latency', 'Steady latency', () => measureLatency(ctx, target, sampled, roots),
        () => `${result.latency?.operations.length ?? 0} operations`);
      // Tools the latency phase did not sample (too slow, arguments rejected) are left out of the position test.
      const slow = new Set(result.latency?.operations.filter((o) => o.note !== null).map((o) => o.op.slice('tools/call:'.length)));
      // Arguments the server accepted on a retry replace the synthesised ones it rejected.
      const improved = new Map(res.improved.map((p) => [p.name, p]));
      const lookupPlans = plans.map((p) => improved.get(p.name) ?? p).filter((p) => !slow.has(p.name));
      profilePlans = sampled.map((p) => improved.get(p.name) ?? p).filter((p) => !slow.has(p.name));
      await step('lookup', 'Tool lookup', () => measureLookup(ctx, target.session, walk, lookupPlans),
        () => lookupSummary(result.lookup));
      // Every reply of the session has been read by now: how they came over HTTP is known.
      result.server.transport = transportUsed(target.session.transport);
      result.resources = {
        idleRssBytes: idle?.rssBytes ?? null,
        afterRssBytes: res.after?.rssBytes ?? null,
        rssGrowthBytes: idle && res.after ? res.after.rssBytes - idle.rssBytes : null,
        rssBytesPerRequest: res.rssBytesPerRequest,
        requestsBetween: res.requests,
        cpuUsPerRequest: res.before && res.after && res.requests ? Math.round(((res.after.cpuUs - res.before.cpuUs) / res.requests) * 1000) / 1000 : null,
        processCount: idle?.pids.length ?? null,
        stderrBytes: 0,
        stderrLines: 0,
      };
    } catch (err) {
      // A server that died mid-run: say how (exit code, signal, stderr tail), not just "closed".
      const e = target.process && !target.process.running ? withExit(err, target.process, true, 'during the run') : withWireCause(err, target.session);
      // Saved with its reason before the server is stopped: a stop can take seconds, and a second
      // Ctrl-C during it exits at once (test/cli/interrupt.e2e.test.ts).
      if (e instanceof McpOptError) {
        result.incompleteReason = `${phases.current}: ${oneLine(e.message)}`;
        ctx.checkpoint();
      }
      throw e;
    } finally {
      await ctx.close(target);
    }
    if (opts.profile && opts.spec.kind === 'stdio') {
      const spec = opts.spec;
      try {
        result.profile = await step('profile', 'CPU profile (one more start, then each operation in turn)', () => profileServer(ctx, spec, profilePlans, resultPath), profileSummary);
      } catch (err) {
        // The figures above were measured without the profiler and stand; a server that fails in
        // its profiled start costs the profile, not the run. Ctrl-C and mcp-opt's own bugs go on up.
        if (signal.aborted || !(err instanceof McpOptError)) throw err;
        emit({ type: 'phase-end', phase: 'profile', summary: oneLine(err.message), ok: false });
        ctx.emit({ type: 'warning', message: `No profile: the profiled run failed (${oneLine(err.message)}). Every other figure was measured without the profiler and stands.` });
      }
    }
    result.incomplete = false;
    result.incompleteReason = null;
  } catch (err) {
    failure = err instanceof McpOptError ? err : new TargetError(`Unexpected failure during ${phases.current}: ${(err as Error)?.stack ?? String(err)}`);
    result.incomplete = true;
    // One line: the stderr tail that follows in the message belongs to the terminal, not the reason.
    const summary = oneLine(failure.message);
    result.incompleteReason = `${phases.current}: ${summary}`;
    if (!result.server && ctx.handshake) result.server = serverSection(ctx.handshake, probe);
    emit({ type: 'phase-end', phase: phases.current, summary, ok: false });
  }
  if (result.resources) {
    result.resources.stderrBytes = ctx.stderrBytes;
    result.resources.stderrLines = ctx.stderrLines;
  }
  // Every latency-phase request failed (tools/list included): the target failed, budgets or not (exit 3).
  if (failure === null && result.latency && noLatencySuccess(result.latency)) {
    const errs = new Map<string, number>();
    for (const o of result.latency.operations) for (const [k, n] of Object.entries(o.errors)) errs.set(k, (errs.get(k) ?? 0) + n);
    failure = new TargetError(`No request of the latency phase succeeded (${[...errs].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none answered'}); ` +
      'the server answers the handshake but fails every request: look at its log and the errors in the report (the result is saved).');
  }
  result.hygiene = result.coldStart || ctx.hygiene.length ? hygieneSection(ctx) : null;
  result.budgets = evaluateBudgets(opts.budgets, result);
  result.findings = computeFindings(result, opts.budgets);
  result.durationMs = Math.round(performance.now() - started);
  return { result, failure };
}

/** Safe tools whose arguments could not be synthesised: not called, listed as skipped, and said. */
function skipUnplanned(ctx: AnalyzeContext, unplanned: ReadonlyArray<{ name: string; reason: string }>): void {
  const tools = ctx.result.tools;
  if (tools) {
    const names = new Set(unplanned.map((u) => u.name));
    tools.callable = tools.callable.filter((n) => !names.has(n));
    tools.skipped.push(...unplanned);
  }
  for (const u of unplanned) {
    ctx.emit({ type: 'warning', message: `Tool "${u.name}" skipped: ${u.reason}. Name it with --call ${u.name}='{...}' and arguments it accepts to measure it.` });
  }
}

/** One line for the lookup phase's end. */
function lookupSummary(l: AnalyzeResult['lookup']): string {
  if (!l) return 'skipped';
  const cost = lookupCostUs(l);
  if (cost === null) return 'registry cost not measured';
  const text = cost === 0 ? 'registry cost ≈ 0' : `registry cost ${(cost / 1000).toFixed(3)} ms${l.baselineScans || !l.registryUs ? ' (from the position slope)' : ''}`;
  return l.lowSample ? `${text} (few samples)` : text;
}

/** True when the latency phase sent requests and none of them succeeded (analyze then exits 3). */
export function noLatencySuccess(l: LatencySection): boolean {
  const sent = l.operations.reduce((a, o) => a + o.requests, 0);
  const ok = l.operations.reduce((a, o) => a + (o.sequential?.n ?? 0) + (o.concurrent?.n ?? 0), 0);
  return sent > 0 && ok === 0;
}
