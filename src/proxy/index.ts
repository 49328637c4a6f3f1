/**
 * `mcp-opt proxy`: a pool of warm instances of an unchanged stdio server behind one front (stdio
 * or Streamable HTTP), balanced, supervised and observable. Runs until the client closes stdin
 * (stdio front) or a signal: then it drains (stops taking requests, lets those in flight finish
 * within --drain-timeout) and stops every instance with the stdio shutdown ladder.
 */
import { prepareCache } from './cacheStart.js';
import { TargetError, UsageError, describeExit } from '../errors.js';
import type { ProxyOptions } from '../options/proxyOptions.js';
import { describeSpec } from '../target/launchSpec.js';
import { DEFAULT_STOP_WAITS } from '../target/serverProcess.js';
import { TOOL_VERSION } from '../version.js';
import type { Instance } from './instance.js';
import { PromMetrics } from './metrics.js';
import { startHttpFront } from './httpFront.js';
import { closeServer, serveObservability, startObservabilityServer, type Observed } from './observability.js';
import { LiveView } from './liveView.js';
import { teeMetrics } from './metricsTee.js';
import { InstanceStartError, Pool } from './pool.js';
import type { ProxyLog } from './proxyLog.js';
import { Reaper } from './reaper.js';
import { Router } from './router.js';
import { startStdioFront } from './stdioFront.js';

/** Where the proxy meets the world. */
export interface ProxyIo {
  /** The stdio front's input (the client's requests). */
  stdin: NodeJS.ReadableStream;
  /** The stdio front's output (answers only). */
  stdout: NodeJS.WritableStream;
  /** Each event worth telling (start, instance crashes, drain): proxyLog.ts. */
  log: ProxyLog;
}

/** Why the proxy stopped. */
export type ProxyEnd = 'client-closed' | 'signal';

/** A front, as runProxy drives it. */
interface Front {
  /** Resolves when the front's client went away (stdio); never for the HTTP front. */
  ended: Promise<void>;
  /** Take nothing new (HTTP: stop accepting connections and sessions). */
  stopAccepting(): void;
  /** Close the front after the drain. */
  close(): Promise<void> | void;
}

/** Run the proxy until the client leaves or `signal` aborts; resolves once everything is stopped. */
export async function runProxy(opts: ProxyOptions, io: ProxyIo, signal: AbortSignal): Promise<ProxyEnd> {
  const reaper = Reaper.start(opts.spec.kind === 'stdio');
  try {
    return await serve(opts, io, signal, reaper);
  } finally {
    // Every path out of serve() stopped the pool first: nothing is left for the reaper to do.
    reaper.end();
  }
}

/** runProxy's body: start the pool and the front, serve until the client leaves or a signal, drain, stop. */
async function serve(opts: ProxyOptions, io: ProxyIo, signal: AbortSignal, reaper: Reaper): Promise<ProxyEnd> {
  let pool: Pool | null = null;
  // The window costs a histogram count or two per request: kept only when something reads it.
  const live = opts.listen || opts.metrics || opts.alerts.length > 0 ? new LiveView(opts.windowS, opts.alerts, io.log, opts.alertDegrades) : null;
  const metrics = new PromMetrics(() => pool, () => live?.alerts.all ?? []);
  const router: Router = new Router(opts.pool, {
    affinity: opts.affinity, balance: opts.balance, maxInflightPerInstance: opts.maxInflightPerInstance,
    queueMax: opts.queue, queueTimeoutMs: opts.queueTimeoutMs, requestTimeoutMs: opts.requestTimeoutMs, recycleAfter: opts.recycleAfter,
    cache: opts.cache, tools: opts.tools,
  }, live ? teeMetrics(metrics, live.window) : metrics, (instance: Instance, why: string) => pool?.retire(instance, why));
  pool = new Pool(opts.spec, {
    size: opts.pool, startTimeoutMs: opts.startTimeoutMs, healthIntervalMs: opts.healthIntervalMs, healthTimeoutMs: opts.healthTimeoutMs,
    recycleAfter: opts.recycleAfter, maxRssBytes: opts.maxRssBytes, stopWaits: DEFAULT_STOP_WAITS, clientVersion: TOOL_VERSION, era: opts.era,
  }, {
    response: (i, m, raw) => router.response(i, m, raw),
    serverMessage: (i, m, raw) => router.serverMessage(i, m, raw),
    closed: (i, info) => {
      router.instanceClosed(i, info.reason);
      pool!.onClosed(i, info);
    },
    ready: (i) => router.instanceReady(i),
    log: io.log,
  }, reaper);
  const started = performance.now();
  try {
    await pool.start();
  } catch (err) {
    await pool.close();
    const exit = err instanceof InstanceStartError ? err.exit : undefined;
    throw new TargetError(`${describeSpec(opts.spec)} could not be started as a pool instance: ${(err as Error).message}.${exit ? ` ${describeExit(exit)}` : ''}`, exit, { cause: err });
  }
  const warm = pool.slots[0]?.warm;
  const readyMs = Math.round(performance.now() - started);
  io.log(`${opts.pool} instance${opts.pool > 1 ? 's' : ''} ready in ${readyMs} ms (${warm?.era ?? '?'} era; ${opts.spec.kind === 'http' ? `sessions with ${describeSpec(opts.spec)}` : `pids ${pool.pids().join(', ')}`}); affinity ${opts.affinity}, balance ${opts.balance}`, {
    event: 'pool_ready', instances: opts.pool, readyMs, era: warm?.era ?? null, pids: pool.pids(), affinity: opts.affinity, balance: opts.balance,
  });
  const loaded = await prepareCache(opts, pool, router).catch(async (err: unknown) => {
    await pool!.close();
    throw err;
  });
  if (loaded > 0) io.log(`${loaded} cached answer${loaded === 1 ? '' : 's'} loaded from ${opts.cache.dir}`, { event: 'cache_loaded', entries: loaded, dir: opts.cache.dir });
  // live is kept whenever something is served (--listen, --metrics), so observed is then set.
  const observed: Observed | null = live ? { metrics, pool, live } : null;
  const observability = opts.metrics && observed ? await startObservabilityServer(opts.metrics, observed) : null;
  if (observability) {
    io.log(`metrics at ${observability.url}/metrics (also /healthz, /readyz)`, { event: 'metrics_serving', url: `${observability.url}/metrics` });
    io.log(`dashboard at ${observability.url}/dashboard`, { event: 'dashboard_serving', url: `${observability.url}/dashboard` });
  }
  live?.start();

  let front: Front;
  if (opts.listen) {
    const http = await startHttpFront(router, {
      at: opts.listen, allowOrigins: opts.allowOrigins, log: io.log, compressMinBytes: opts.compressMinBytes,
      other: (req, res) => observed !== null && serveObservability(req, res, observed),
    }).catch(async (err: unknown) => {
      live?.stop();
      await pool!.close();
      throw new UsageError(`--listen ${opts.listen!.host}:${opts.listen!.port}: the proxy could not listen there (${(err as Error).message}). Pick another port (0 lets the OS choose one).`, { cause: err });
    });
    front = { ended: new Promise<void>(() => {}), stopAccepting: () => http.stopAccepting(), close: () => http.close() };
    io.log(`serving Streamable HTTP at ${http.url}`, { event: 'serving', front: 'http', url: http.url });
    const dashboard = new URL('/dashboard', http.url).href;
    io.log(`dashboard at ${dashboard} (also /metrics, /healthz, /readyz)`, { event: 'dashboard_serving', url: dashboard });
  } else {
    const stdio = startStdioFront(router, io.stdin, io.stdout);
    front = { ended: stdio.ended, stopAccepting: () => {}, close: () => stdio.close() };
    io.log('serving on stdio', { event: 'serving', front: 'stdio' });
    // One client over stdio, pinned (session or client affinity), is served by one instance: say so.
    if (opts.pool > 1 && opts.affinity !== 'none') {
      io.log(`! with one client (the stdio front) and --affinity ${opts.affinity}, one instance serves every request; the others are spares for restarts. For a server that keeps no state between requests, --affinity none spreads them over all ${opts.pool}.`, { event: 'affinity_pins_stdio', level: 'warn', affinity: opts.affinity, instances: opts.pool });
    }
  }
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const end: ProxyEnd = await Promise.race([front.ended.then(() => 'client-closed' as const), aborted.then(() => 'signal' as const)]);
  io.log(end === 'signal' ? 'stopping: finishing the requests in flight' : 'the client closed stdin: finishing the requests in flight', { event: 'draining', why: end });
  front.stopAccepting();
  await router.drain(opts.drainTimeoutMs);
  live?.stop();
  await front.close();
  await Promise.all([pool.close(), observability ? closeServer(observability.server) : null, router.shared.cache.settled()]);
  io.log('stopped', { event: 'stopped' });
  return end;
}
