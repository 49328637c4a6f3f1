/**
 * One tune point as a bench run: the settings → the bench options that measure them (the server
 * relaunched with its env/arg knob values, the client's pool, concurrency, balance and write
 * batching; with --via-proxy the pool is `mcp-opt proxy`'s), and the bench result → the figures a
 * point keeps.
 */
import { BENCH_DEFAULTS, type Balance, type BenchOptions } from '../../options/benchOptions.js';
import type { TuneOptions } from '../../options/tuneOptions.js';
import type { BenchResult } from '../../result/benchResult.js';
import type { PointRun } from '../../result/tuneResult.js';
import type { LaunchSpec, StdioSpec } from '../../target/launchSpec.js';
import type { Knob } from '../../options/knobs.js';
import { proxyFlags, type ProxySettings } from '../../patch/proxyWrap.js';
import { selfArgv } from '../../selfCommand.js';
import { applyArgKnob } from './argKnob.js';
import type { Settings } from './space.js';

/** Messages coalesced per write when only batchDelay is tuned: the delay alone decides the flush. */
const BATCH_UNBOUNDED = 1024;

/** The client-side settings of a point: the knobs' values, else the base settings. */
export function clientSettings(opts: TuneOptions, settings: Settings): { pool: number; concurrency: number; balance: Balance; batch: number | null; batchDelayMs: number | null } {
  const num = (id: string): number | null => (typeof settings[id] === 'number' ? (settings[id] as number) : null);
  return {
    pool: num('pool') ?? opts.base.pool,
    concurrency: num('concurrency') ?? opts.base.concurrency,
    balance: (settings['balance'] as Balance | undefined) ?? opts.base.balance,
    batch: num('batch'),
    batchDelayMs: num('batchDelay'),
  };
}

/** The proxy settings of a point of tune --via-proxy (knobs, else the tune's base settings), or null without it. */
export function pointProxySettings(opts: TuneOptions, settings: Settings): ProxySettings | null {
  if (!opts.viaProxy) return null;
  const c = clientSettings(opts, settings);
  const cap = settings['maxInflightPerInstance'];
  return {
    pool: c.pool,
    affinity: String(settings['affinity'] ?? opts.viaProxy.affinity),
    balance: c.balance,
    maxInflightPerInstance: typeof cap === 'number' ? cap : opts.viaProxy.maxInflightPerInstance,
  };
}

/**
 * The server launched through `mcp-opt proxy` (this mcp-opt, as a child process: the engine users
 * run, with its stdio front), which starts and pools the instances; the environment and working
 * directory are the server's, which the proxy passes on to them.
 */
export function throughProxy(spec: StdioSpec, proxy: ProxySettings, startTimeoutMs: number): StdioSpec {
  const [command, ...prefix] = selfArgv();
  // Each instance gets tune's start-up timeout (--timeout), as a server bench starts itself would.
  const args = [...prefix, 'proxy', ...proxyFlags(proxy), '--timeout', `${startTimeoutMs}ms`, '--', spec.launch.command, ...spec.launch.args];
  return { kind: 'stdio', launch: { ...spec.launch, command: command!, args }, origin: `${spec.origin}, through mcp-opt proxy`, configuredEnvNames: spec.configuredEnvNames };
}

/** The launch spec with the point's env and arg knob values (stdio only: checked when resolving). */
export function pointSpec(spec: LaunchSpec, knobs: readonly Knob[], settings: Settings): LaunchSpec {
  if (spec.kind !== 'stdio') return spec;
  const env = { ...spec.launch.env };
  let args = [...spec.launch.args];
  for (const k of knobs) {
    const v = settings[k.id];
    if (v === undefined) continue;
    if (k.kind === 'env') env[k.name] = String(v);
    else if (k.kind === 'arg') args = applyArgKnob(args, k.name, v);
  }
  return { ...spec, launch: { ...spec.launch, env, args } };
}

/**
 * Bench options measuring one point: a closed loop at pool × concurrency, or an open loop at
 * --at-rps. Under --max-calls the point is `requests` long, with no warm-up (its calls would count).
 */
export function pointBenchOptions(opts: TuneOptions, settings: Settings, requests: number | null = null): BenchOptions {
  const c = clientSettings(opts, settings);
  const inflight = c.pool * c.concurrency;
  const tunesConcurrency = opts.knobs.some((k) => k.id === 'concurrency');
  const spec = pointSpec(opts.spec, opts.knobs, settings);
  const proxy = pointProxySettings(opts, settings);
  return Object.freeze({
    // Through the proxy, bench drives one session (as one MCP client) with the same requests in flight.
    spec: proxy && spec.kind === 'stdio' ? throughProxy(spec, proxy, opts.timeoutMs) : spec,
    loop: opts.objective.atRps === null
      ? { kind: 'closed' as const, concurrency: inflight }
      : { kind: 'open' as const, rps: opts.objective.atRps, arrival: 'uniform' as const, maxInflight: tunesConcurrency ? inflight : null },
    durationMs: requests === null ? opts.pointDurationMs : null,
    requests,
    warmupMs: requests === null ? opts.pointWarmupMs : 0,
    timeoutMs: opts.timeoutMs,
    instances: proxy ? 1 : c.pool,
    balance: c.balance,
    httpClient: 'mcp-opt' as const,
    pipelining: 1,
    writeBatching: c.batch === null && c.batchDelayMs === null ? undefined : { max: c.batch ?? BATCH_UNBOUNDED, delayMs: c.batchDelayMs ?? 0 },
    bailout: null,
    // A point where nothing succeeds stops early and fails, as a bench run does.
    giveUpMs: BENCH_DEFAULTS.giveUpMs,
    keepGoing: false,
    seed: opts.seed,
    // tune has no --pid: a URL target's resources come from the owner of its port.
    pid: null,
    era: opts.era,
    workload: opts.workload,
    budgets: [],
    client: opts.client,
    output: { ...opts.output, save: false, json: false, spinners: false },
    // Points are measured without the profiler; tune --profile measures the recommended point again with it.
    profile: null,
  });
}

/** The figures a point keeps from one bench run. */
export function pointRunOf(result: BenchResult): PointRun {
  return {
    // The timeline's seconds include the warm-up; requests.sent covers only the measured window.
    requestsSent: Math.max(result.requests.sent, result.timeline.reduce((n, s) => n + s.sent, 0)),
    succeededRps: result.throughput.succeededRps,
    errorRatePct: result.requests.errorRatePct,
    latency: result.latency,
    rssPeakBytes: result.resources?.rssPeakBytes ?? null,
    durationMs: result.durationMs,
  };
}
