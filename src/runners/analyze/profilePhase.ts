/**
 * analyze --profile: after everything else is measured (so no figure carries the profiler's
 * cost), one more start of the server with the profiler loaded into its Node processes. Its
 * start-up (spawn → initialize answered) is folded by import; then each operation is sampled in
 * turn, one request at a time, so every sample of its window belongs to that operation
 * ("sequential sampling": per-tool profiles without overlapping windows). For a Python server,
 * `PYTHONPROFILEIMPORTTIME` (python -X importtime) times the imports instead.
 */
import type { ProfileSection } from '../../result/profileResult.js';
import type { StdioSpec } from '../../target/launchSpec.js';
import { METHODS } from '../../target/protocol.js';
import { QUICK_STOP_WAITS } from '../../target/serverProcess.js';
import { ProfileCollector, monoUs } from '../../profile/collector.js';
import { finishProfile, isPythonLaunch, profiledSpec } from '../../profile/profiledRun.js';
import type { ToolWindow } from '../../profile/profileSection.js';
import { pythonImports } from '../../profile/pythonImports.js';
import type { AnalyzeContext } from './context.js';
import type { PlannedCall } from './plannedCall.js';
import { sampleKinds, successOnly, type RequestKind } from './sampleLoop.js';

/** Longest the profiled sampling of one operation sends for, ms. */
const OP_CAP_MS = 1500;
/** The whole profiled sampling's target length, ms (spread over the operations). */
const PHASE_TARGET_MS = 6000;
/** Shortest per-operation window, ms. */
const OP_MIN_MS = 300;

/** Profile one start and a sequential pass over the operations; returns the section. */
export async function profileServer(ctx: AnalyzeContext, spec: StdioSpec, plans: readonly PlannedCall[], resultPath: string | null): Promise<ProfileSection> {
  const options = ctx.opts.profile!;
  const python = isPythonLaunch(spec);
  const collector = await ProfileCollector.start(options.intervalUs);
  const windows: Array<[number, number]> = [];
  const toolWindows: ToolWindow[] = [];
  const notes: string[] = [];
  let finished = false;
  let target: Awaited<ReturnType<AnalyzeContext['open']>> | null = null;
  try {
    target = await ctx.open({ stopWaits: QUICK_STOP_WAITS }, profiledSpec(spec, collector, python));
    const readyMs = target.timings?.handshakeMs ?? 0;
    const readyAtUs = monoUs((target.timings?.startedAt ?? performance.now()) + readyMs);
    const ops = operations(ctx, plans);
    const capMs = Math.min(OP_CAP_MS, Math.max(OP_MIN_MS, PHASE_TARGET_MS / ops.length));
    for (const [i, o] of ops.entries()) {
      ctx.throwIfAborted();
      ctx.emit({ type: 'progress', phase: 'profile', done: i, total: ops.length });
      const startUs = monoUs(performance.now());
      await sampleKinds(target.session, [o.kind], { perKind: ctx.opts.latencySamples, inflight: 1, capMs, signal: ctx.signal, classify: successOnly });
      const endUs = monoUs(performance.now());
      windows.push([startUs, endUs]);
      toolWindows.push({ op: o.op, startUs, endUs });
    }
    const head = target.process?.stderrHead;
    const otherStartup = python && head ? pythonImports(Buffer.concat(head).toString('utf8'), readyMs) : null;
    if (python && !otherStartup) notes.push('The server runs Python but wrote no `import time:` lines to stderr (PYTHONPROFILEIMPORTTIME had no effect): its start-up was not folded by import.');
    const coldStartReadyMs = ctx.result.coldStart ? ctx.result.coldStart.stages.ready.p50 / 1000 : undefined;
    finished = true;
    return await finishProfile(collector, {
      windows, toolWindows, startup: { readyAtUs, readyMs }, otherStartup, resultPath, notes, coldStartReadyMs,
      runnerPids: spec.runner && target.process ? [target.process.pid] : [],
    });
  } finally {
    // A pass cut short leaves no profile folder behind (finishProfile closes it otherwise).
    if (!finished) collector.close(true);
    if (target) await ctx.close(target);
  }
}

/** The operations of the latency phase, in its order: ping (legacy era), tools/list, each sampled tool. */
function operations(ctx: AnalyzeContext, plans: readonly PlannedCall[]): Array<{ op: string; kind: RequestKind }> {
  const ops: Array<{ op: string; kind: RequestKind }> = [];
  if (ctx.era === 'legacy') ops.push({ op: 'ping', kind: { method: METHODS.ping, paramsJson: undefined } });
  ops.push({ op: 'tools/list', kind: { method: METHODS.toolsList, paramsJson: '{}' } });
  for (const p of plans) {
    ops.push({ op: `tools/call:${p.name}`, kind: { method: METHODS.toolsCall, paramsJson: JSON.stringify({ name: p.name, arguments: p.args }), name: p.name } });
  }
  return ops;
}
