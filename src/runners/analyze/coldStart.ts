/**
 * Cold start over fresh processes: spawn → first stdout byte → handshake answered → first
 * tools/list answered ("ready") → first safe tool call answered, with the peak RSS of the whole
 * process tree. The era is already known (probed on a throwaway process), so the probe is never in
 * these figures. Through a package runner (npx, uvx…), the direct launch is timed too.
 *
 * Nothing of mcp-opt's runs between spawn and the last timed answer but the session itself: a
 * /proc scan every 20 ms there (~1.4 ms each on a 2-core machine) made starts read 15-25 % slower
 * than an independent client's (`npm run bench:coldstart`). Peak RSS is the kernel's per-process
 * high-water mark, read once after the timed stages (procfs peakTreeRss).
 */
import { TargetError } from '../../errors.js';
import { distributionOf } from '../../measure/histogram.js';
import { median, modifiedZScores, outlierIndices, OUTLIER_THRESHOLD } from '../../measure/stats.js';
import type { ColdStartRun, ColdStartSection } from '../../result/analyzeResult.js';
import { describeSpec, type LaunchSpec } from '../../target/launchSpec.js';
import { METHODS, type Tool } from '../../target/protocol.js';
import { findDirectLaunch } from '../../target/resolve/directLaunch.js';
import { peakTreeRss } from '../../target/procfs.js';
import type { Hygiene } from '../../target/hygiene.js';
import { abortable, withWireCause } from '../../target/target.js';
import { listingFailure } from '../../target/toolList.js';
import type { AnalyzeContext } from './context.js';
import type { PlannedCall } from './plannedCall.js';

/** One start as measured, before numbering and outlier flags. */
type RawRun = Omit<ColdStartRun, 'run' | 'outlier'>;

/**
 * Run warm-up and measured starts, filling ctx.result.coldStart after each measured run.
 * `pickCall` chooses the first-call tool from the first page of tools (null: no call);
 * `checkFirstList` validates names against it when that page is the whole list.
 */
export async function measureColdStart(
  ctx: AnalyzeContext,
  pickCall: (tools: Tool[]) => PlannedCall | null,
  checkFirstList: (tools: Tool[], complete: boolean) => void,
): Promise<void> {
  const { opts } = ctx;
  const total = opts.warmupRuns + opts.runs;
  let direct: LaunchSpec | null = null;
  const runs: RawRun[] = [];
  let call: PlannedCall | null = null;
  for (let i = 0; i < total; i++) {
    ctx.throwIfAborted();
    ctx.emit({ type: 'progress', phase: 'cold-start', done: i, total });
    const first = i === 0;
    const run = await oneStart(ctx, opts.spec, (tools, complete) => {
      if (first) {
        // Names of --call and budgets are checked as soon as the whole list is known, before any call.
        checkFirstList(tools, complete);
        call = pickCall(tools);
      }
      return call;
    }, (rootPid) => {
      // The live tree is read once the start's timed stages are over.
      if (first && opts.spec.kind === 'stdio' && opts.spec.runner && rootPid !== null) {
        const launch = findDirectLaunch(rootPid, opts.spec.launch);
        if (launch) direct = { ...opts.spec, launch, runner: undefined, origin: `direct launch behind ${opts.spec.runner}` };
      }
    });
    if (i >= opts.warmupRuns) {
      runs.push(run);
      ctx.result.coldStart = buildSection(ctx, runs, call);
      ctx.checkpoint();
    }
  }
  if (direct) await measureDirect(ctx, direct, call);
  warnAboutRuns(ctx, runs);
}

/**
 * One start. `afterList` sees the first tools page and returns the call to make; `afterTimed` sees
 * the root pid once the timed stages are over, while the server still runs.
 */
async function oneStart(
  ctx: AnalyzeContext,
  spec: LaunchSpec,
  afterList: (tools: Tool[], complete: boolean) => PlannedCall | null,
  afterTimed?: (rootPid: number | null) => void,
): Promise<RawRun> {
  const t = await ctx.open({}, spec);
  let run: RawRun;
  try {
    const list = await abortable(t.session.request(METHODS.toolsList, {}), ctx.signal);
    failIfLost(list.outcome, 'tools/list', t.session.hygiene);
    // A failed listing is not "ready": no time is taken from an error (listingFailure).
    const failure = listingFailure(list, t.info.capabilities);
    if (failure) throw failure;
    ctx.noteUnexpected(list);
    const page = list.outcome === 'result' ? (list.result as { tools?: unknown; nextCursor?: unknown }) : { tools: [] };
    const tools = Array.isArray(page.tools) ? (page.tools as Tool[]) : [];
    const readyMs = list.doneAt - t.timings.startedAt;
    const complete = list.outcome === 'result' && (page.nextCursor === undefined || page.nextCursor === null || page.nextCursor === '');
    const call = afterList(tools, complete);
    let firstCallMs: number | null = null;
    if (call) {
      const reply = await abortable(t.session.request(METHODS.toolsCall, { name: call.name, arguments: call.args }), ctx.signal);
      failIfLost(reply.outcome, `tools/call ${call.name}`, t.session.hygiene);
      ctx.noteUnexpected(reply);
      firstCallMs = reply.doneAt - t.timings.startedAt;
    }
    // The timed stages are over: read the tree's peak now, not while the server starts.
    const peakRssBytes = t.process ? peakTreeRss(t.process.pid) : null;
    afterTimed?.(t.process?.pid ?? null);
    run = {
      firstByteMs: t.timings.firstByteMs,
      handshakeMs: t.timings.handshakeMs,
      readyMs,
      firstCallMs,
      peakRssBytes,
      eofToExitMs: null,
      escalation: 'none',
    };
  } catch (err) {
    await ctx.close(t);
    throw withWireCause(err, t.session);
  }
  // Teardown is timed (stdin EOF → exit) but is not part of the start.
  const stop = await ctx.close(t);
  run.eofToExitMs = stop?.eofToExitMs ?? null;
  run.escalation = stop?.escalation ?? 'none';
  return run;
}

function failIfLost(outcome: string, what: string, hygiene: Hygiene): void {
  // A reply discarded for its size explains the silence better than slowness does.
  const discarded = hygiene.discardNote();
  if (outcome === 'closed') throw new TargetError(`The server closed the connection during a cold start, before answering ${what}.${discarded}`);
  if (outcome === 'timeout') {
    throw new TargetError(`The server did not answer ${what} during a cold start within the timeout.${discarded || ' Raise --timeout if it is just slow.'}`);
  }
}

/** Time direct launches of the server behind the runner, to report what the runner costs. */
async function measureDirect(ctx: AnalyzeContext, direct: LaunchSpec, call: PlannedCall | null): Promise<void> {
  const readies: number[] = [];
  const total = ctx.opts.warmupRuns + ctx.opts.runs;
  for (let i = 0; i < total; i++) {
    ctx.throwIfAborted();
    ctx.emit({ type: 'progress', phase: 'cold-start', done: i, total });
    const run = await oneStart(ctx, direct, () => call);
    if (i >= ctx.opts.warmupRuns) readies.push(run.readyMs);
  }
  const section = ctx.result.coldStart!;
  const viaRunner = section.samples.map((s) => s.readyMs);
  section.runner = {
    runner: ctx.opts.spec.kind === 'stdio' ? ctx.opts.spec.runner ?? 'runner' : 'runner',
    directDisplay: describeSpec(direct),
    directReady: distributionOf(readies.map((ms) => ms * 1000), 'us')!,
    overheadMs: round(median(viaRunner) - median(readies)),
  };
  ctx.checkpoint();
}

function buildSection(ctx: AnalyzeContext, runs: RawRun[], call: PlannedCall | null): ColdStartSection {
  const us = (pick: (r: RawRun) => number | null) => {
    const values = runs.map(pick);
    return values.every((v) => v !== null) ? distributionOf((values as number[]).map((ms) => ms * 1000), 'us') : null;
  };
  const outliers = new Set(outlierIndices(runs.map((r) => r.readyMs)));
  const rss = runs.map((r) => r.peakRssBytes).filter((v): v is number => v !== null);
  return {
    mode: ctx.opts.spec.kind === 'stdio' ? 'process' : 'session',
    stages: { firstByte: us((r) => r.firstByteMs), handshake: us((r) => r.handshakeMs)!, ready: us((r) => r.readyMs)!, firstCall: us((r) => r.firstCallMs) },
    firstCallTool: call?.name ?? null,
    peakRss: rss.length ? distributionOf(rss, 'bytes') : null,
    samples: runs.map((r, i) => ({ run: i + 1, ...roundRun(r), outlier: outliers.has(i) })),
    runner: null,
  };
}

function warnAboutRuns(ctx: AnalyzeContext, runs: RawRun[]): void {
  const ready = runs.map((r) => r.readyMs);
  const outliers = outlierIndices(ready);
  if (outliers.length > 0) {
    ctx.emit({
      type: 'warning',
      message: `Statistical outliers in cold start (run ${outliers.map((i) => i + 1).join(', ')}: ${outliers.map((i) => `${round(ready[i]!)} ms`).join(', ')} ` +
        `vs median ${round(median(ready))} ms). Other programs may have competed for the CPU; re-run on a quiet machine or with more --runs.`,
    });
  }
  const z = modifiedZScores(ready);
  if (ready.length >= 3 && z[0]! > OUTLIER_THRESHOLD) {
    ctx.emit({
      type: 'warning',
      message: `The first measured cold start was much slower than the rest (${round(ready[0]!)} ms vs median ${round(median(ready))} ms): ` +
        `caches were probably cold. Use more --warmup runs.`,
    });
  }
}

function roundRun(r: RawRun): RawRun {
  return {
    ...r,
    firstByteMs: r.firstByteMs === null ? null : round(r.firstByteMs),
    handshakeMs: round(r.handshakeMs),
    readyMs: round(r.readyMs),
    firstCallMs: r.firstCallMs === null ? null : round(r.firstCallMs),
    eofToExitMs: r.eofToExitMs === null ? null : round(r.eofToExitMs),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
