/**
 * bench: load an MCP server at a fixed rate (open loop) or concurrency (closed loop). Reads as its
 * pipeline: era probe → open the instances (--pool / --connections) → tie the workload to the tool
 * list → run the engine (sampling the servers and watching the generator) → result, budgets.
 * Returns the result even when the run failed (marked incomplete) together with the failure.
 */
import { McpOptError, TargetError, oneLine } from '../../errors.js';
import type { BenchOptions } from '../../options/benchOptions.js';
import type { BenchResult, StrayResponses } from '../../result/benchResult.js';
import type { Hygiene } from '../../target/hygiene.js';
import { newHeader, serverSection, targetSection } from '../../result/build.js';
import type { EraProbe } from '../../target/handshake.js';
import { QUICK_STOP_WAITS } from '../../target/serverProcess.js';
import { discardSentence } from '../../target/hygiene.js';
import { serverProcess } from '../../target/serverPid.js';
import { detectEra, openTarget, type Target } from '../../target/target.js';
import { walkTools } from '../../target/toolList.js';
import { transportUsed } from '../../target/transport.js';
import { Mix } from '../../workload/mix.js';
import { resolveWorkload, type Operation } from '../../workload/operations.js';
import { checkBudgetTools, evaluateBudgetSet } from '../../budgets/gate.js';
import type { Emit } from '../events.js';
import { Phases } from '../phases.js';
import { runEngine } from './engine.js';
import { runAutocannonOnTarget } from './http/autocannonTarget.js';
import type { OpStats, TimelineSecond } from './recording.js';
import { GeneratorMonitor } from './generatorHealth.js';
import { Lane } from './lanes.js';
import { ResourceSampler } from './resourceSampler.js';
import { profileSummary } from '../../profile/profiledRun.js';
import { startProfiling, type BenchProfiling } from './profiling.js';
import { buildFigures, giveUpMessage, noSuccessMessage, warningsOf } from './resultBuild.js';

/** What bench returns: the result (complete or not) and the failure that stopped it, if any. */
export interface BenchOutcome {
  /** The result, always (marked incomplete when a failure cut the run short). */
  result: BenchResult;
  /** What stopped the run or failed it (a lost target, Ctrl-C, --bailout, no success), or null. */
  failure: McpOptError | null;
}

/** Run bench. Never throws for failures of the target: they come back in `failure`. */
export async function runBench(opts: BenchOptions, emit: Emit<BenchResult>, signal: AbortSignal, resultPath: string | null = null): Promise<BenchOutcome> {
  const started = performance.now();
  const result = emptyBenchResult(opts);
  const warn = (message: string): void => {
    result.warnings.push(message);
    emit({ type: 'warning', message });
  };
  const lanes: Lane[] = [];
  let failure: McpOptError | null = null;
  const phases = new Phases(emit, result, 'probe');
  const step = phases.step.bind(phases);
  let profiling: BenchProfiling | null = null;

  try {
    let probe: EraProbe | null = null;
    const era = opts.era === 'auto'
      ? (probe = await step('probe', 'Detecting protocol era', () => detectEra(opts.spec, openOptions(opts, signal)), (p) => `${p.era} era (${p.evidence})`)).era
      : opts.era;
    const noun = opts.spec.kind === 'stdio' ? 'server instance' : 'session';
    profiling = opts.profile && opts.spec.kind === 'stdio' ? await startProfiling(opts.spec, opts.profile) : null;
    const laneSpec = profiling?.spec ?? opts.spec;
    await step('open', `Starting ${opts.instances} ${noun}${opts.instances > 1 ? 's' : ''}`, async () => {
      for (let k = 0; k < opts.instances; k++) lanes.push(new Lane(k, await openTarget(laneSpec, { ...openOptions(opts, signal), era })));
    }, () => `${lanes.length} ready${launchedPids(lanes)}`);
    result.server = serverSection(lanes[0]!.target.info, probe, transportUsed(lanes[0]!.target.session.transport));
    const ops = await step('workload', 'Workload', () => workloadOps(opts, lanes[0]!.target, era, signal, warn), (o) => o.map((x) => x.op).join(', '));
    result.workload.operations = ops.map((o) => ({ op: o.op, weight: o.weight, argsSource: o.argsSource }));

    // The server's trees: every instance launched (stdio), or for a URL the owner of its port (or --pid).
    const proc = serverProcess(opts.spec, lanePids(lanes), opts.pid);
    result.serverProcess = proc;
    if (proc.unavailableReason !== null) warn(`Server resources not sampled: ${proc.unavailableReason}.`);
    const sampler = new ResourceSampler(proc.unavailableReason === null ? proc.pids : []).start();
    const generator = new GeneratorMonitor().start();
    const mix = new Mix(ops, opts.seed);
    const onSecond = (second: TimelineSecond, total: OpStats): void => emit({
      type: 'live', second,
      total: { sent: total.requests, succeeded: total.succeeded, failed: total.failed, p95Us: total.corrected.n ? total.corrected.percentile(95) : null },
    });
    const common = {
      nextOp: () => mix.next(), opLabels: ops.map((op) => op.op), warmupMs: opts.warmupMs, durationMs: opts.durationMs,
      requests: opts.requests, timeoutMs: opts.timeoutMs, bailout: opts.bailout, giveUpMs: opts.giveUpMs, signal, onSecond,
    };
    const strayBefore = strayCounts(lanes.map((l) => l.target.session.hygiene));
    const load = await step('load', loadLabel(opts), () => (opts.httpClient === 'autocannon' && opts.loop.kind === 'closed'
      ? runAutocannonOnTarget(lanes[0]!.target, opts.client, {
        ...common, connections: Math.ceil(opts.loop.concurrency / opts.pipelining), pipelining: opts.pipelining, lane: lanes[0]!,
      })
      : runEngine({ ...common, lanes, balance: opts.balance, loop: opts.loop, keepGoing: opts.keepGoing, seed: opts.seed, onMeasuredAnswer: profiling?.toolWindowsFor(ops) })),
    (o) => `${o.total.succeeded} answered, ${o.total.failed} failed${o.stopReason === 'done' ? '' : ` (stopped: ${o.stopReason})`}`);
    sampler.stop();
    if (profiling) {
      const p = profiling;
      profiling = null;
      result.profile = await step('profile', 'CPU profile', () => p.finish(load, opts.warmupMs, resultPath, opts.spec.kind === 'stdio' && opts.spec.runner ? lanePids(lanes) : []), profileSummary);
    }
    result.server.transport = transportUsed(lanes[0]!.target.session.transport);
    const health = generator.finish(opts.loop.kind === 'open' && load.wakeLateness.n ? load.wakeLateness.percentile(99) / 1000 : null);
    Object.assign(result, buildFigures(opts, load, lanes, sampler, health));
    result.requests.strayResponses = strayDelta(strayBefore, strayCounts([...lanes.map((l) => l.target.session.hygiene), ...(load.hygiene ? [load.hygiene] : [])]));
    for (const w of warningsOf(opts, result, load)) warn(w);
    const wires = lanes.map((l) => l.target.session.hygiene);
    const invalidUtf8 = wires.reduce((n, h) => n + (h.counts['invalid-utf8'] ?? 0), 0);
    if (invalidUtf8 > 0) {
      const ex = wires.find((h) => h.excerpts['invalid-utf8']?.length)?.excerpts['invalid-utf8']?.[0];
      warn(`The server wrote ${invalidUtf8} invalid UTF-8 sequence(s) on stdout${ex ? ` (e.g. "${ex}")` : ''}: MCP's stdio messages are UTF-8, and clients read those bytes as U+FFFD. Write stdout as UTF-8 (set the encoding or locale explicitly).`);
    }
    const discarded = discardSentence(wires);
    if (discarded) warn(`${discarded}; the requests they answered count as timeouts. Keep each message well under 10 MiB (the SDK client limit).`);
    failure = load.failure;
    if (load.stopReason === 'interrupted') failure = signal.reason instanceof McpOptError ? signal.reason : new TargetError('Interrupted.');
    if (load.stopReason === 'bailout') {
      failure = new TargetError(`Stopped after ${opts.bailout} failed requests (--bailout): ${Object.entries(load.allErrors).map(([k, n]) => `${k} ×${n}`).join(', ')}.`);
    }
    if (load.stopReason === 'no-success') failure = new TargetError(giveUpMessage(result, load.allErrors, opts.giveUpMs!));
    // A run that went its whole length without one success measured no latency: the target failed,
    // budgets or not (exit 3; a tune point so measured is a failed point). The result is complete
    // and saved; its warnings say so.
    if (failure === null && result.requests.succeeded === 0) failure = new TargetError(noSuccessMessage(result));
    result.incomplete = failure !== null && load.stopReason !== 'done';
    result.incompleteReason = failure ? `load: ${oneLine(failure.message)}` : null;
  } catch (err) {
    failure = err instanceof McpOptError ? err : new TargetError(`Unexpected failure during ${phases.current}: ${(err as Error)?.stack ?? String(err)}`);
    result.incomplete = true;
    result.incompleteReason = `${phases.current}: ${oneLine(failure.message)}`;
    emit({ type: 'phase-end', phase: phases.current, summary: oneLine(failure.message), ok: false });
  } finally {
    try {
      // Saved before the servers are stopped: a stop can take seconds (a server that ignores EOF
      // and SIGTERM), and a second Ctrl-C during it exits at once (test/cli/bench-interrupt.e2e.test.ts).
      result.budgets = evaluateBudgetSet(opts.budgets, result);
      result.durationMs = Math.round(performance.now() - started);
      emit({ type: 'checkpoint', result });
    } finally {
      profiling?.abandon();
      await Promise.all(lanes.map((l) => l.target.close()));
    }
  }
  result.budgets = evaluateBudgetSet(opts.budgets, result);
  result.durationMs = Math.round(performance.now() - started);
  return { result, failure };
}

/** Responses matching no request, summed over the wires (the session's checks, session.ts receive). */
function strayCounts(wires: readonly Hygiene[]): StrayResponses {
  const sum = (f: (h: Hygiene) => number): number => wires.reduce((n, h) => n + f(h), 0);
  return {
    unknownId: sum((h) => h.counts['unknown-id'] ?? 0),
    duplicate: sum((h) => h.counts['duplicate-response'] ?? 0),
    late: sum((h) => h.lateResponses),
  };
}

function strayDelta(before: StrayResponses, after: StrayResponses): StrayResponses {
  return { unknownId: after.unknownId - before.unknownId, duplicate: after.duplicate - before.duplicate, late: after.late - before.late };
}

function openOptions(opts: BenchOptions, signal: AbortSignal) {
  return {
    startTimeoutMs: opts.timeoutMs, requestTimeoutMs: opts.timeoutMs, client: opts.client, stopWaits: QUICK_STOP_WAITS, signal,
    writeBatching: opts.writeBatching,
  };
}

/** The operations of the workload, checked against the server's tools when the workload calls any. */
async function workloadOps(opts: BenchOptions, target: Target, era: 'legacy' | 'modern', signal: AbortSignal, warn: (message: string) => void): Promise<Operation[]> {
  const needsTools = opts.workload.entries.some((e) => e.kind !== 'method');
  const tools = needsTools ? (await walkTools(target.session, signal, target.info.capabilities)).tools : null;
  const ops = resolveWorkload(opts.workload, tools, era, warn);
  checkBudgetTools(opts.budgets, new Set(ops.flatMap((o) => (o.name ? [o.name] : []))), { missing: 'the workload does not call', known: 'Called tools' });
  return ops;
}

function loadLabel(opts: BenchOptions): string {
  const length = opts.durationMs !== null ? `${opts.durationMs / 1000} s` : `${opts.requests} requests`;
  const how = opts.loop.kind === 'open'
    ? `${opts.loop.rps} req/s (${opts.loop.arrival})`
    : `${opts.loop.concurrency} in flight${opts.httpClient === 'autocannon' ? ` through autocannon${opts.pipelining > 1 ? `, pipelining ${opts.pipelining}` : ''}` : ''}`;
  return `Load: ${how} for ${length} after ${opts.warmupMs / 1000} s warm-up`;
}

function emptyBenchResult(opts: BenchOptions): BenchResult {
  const open = opts.loop.kind === 'open' ? opts.loop : null;
  return {
    ...newHeader('bench', new Date()),
    config: {
      mode: opts.loop.kind, rps: open?.rps ?? null, arrival: open?.arrival ?? null, maxInflight: open?.maxInflight ?? null,
      concurrency: opts.loop.kind === 'closed' ? opts.loop.concurrency : null, durationMs: opts.durationMs, requests: opts.requests,
      warmupMs: opts.warmupMs, timeoutMs: opts.timeoutMs, instances: opts.instances, balance: opts.balance,
      httpClient: opts.httpClient, pipelining: opts.pipelining, bailout: opts.bailout, giveUpMs: opts.giveUpMs,
      keepGoing: opts.keepGoing, seed: opts.seed, era: opts.era,
    },
    target: targetSection(opts.spec),
    server: null,
    workload: { seed: opts.seed, operations: [] },
    requests: { scheduled: 0, sent: 0, succeeded: 0, failed: 0, dropped: 0, lateSends: 0, abandoned: 0, errors: {}, errorRatePct: 0 },
    throughput: { measuredSeconds: 0, targetRps: open?.rps ?? null, sentRps: 0, succeededRps: 0, rateErrorPct: null, sustained: null },
    latency: null,
    serviceTime: null,
    failedLatency: null,
    sendLateness: null,
    byOperation: [],
    timeline: [],
    pool: { balance: opts.balance, instances: [], autocannon: null },
    resources: null,
    generator: { cpuPct: 0, eventLoopDelayMs: { p50: 0, p99: 0, max: 0 }, bottleneck: false, reason: null },
    budgets: [],
  };
}

/**
 * The launched servers' pids for the progress line (each leads its own process group): if mcp-opt
 * is SIGKILLed, a server that ignores stdin EOF outlives it, and `kill -- -<pid>` stops its group.
 */
function launchedPids(lanes: readonly Lane[]): string {
  const pids = lanePids(lanes);
  return pids.length === 0 ? '' : `, pid${pids.length > 1 ? 's' : ''} ${pids.join(' ')}`;
}

/** The pids of the server processes the lanes launched (none for HTTP sessions). */
function lanePids(lanes: readonly Lane[]): number[] {
  return lanes.flatMap((l) => (l.target.process ? [l.target.process.pid] : []));
}
