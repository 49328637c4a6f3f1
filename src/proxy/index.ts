/**
 * `mcp-opt proxy`: a pool of warm instances of an unchanged stdio server behind one front (stdio
 * or Streamable HTTP), balanced, supervised and observable. Runs until the client closes stdin
 * (stdio front) or a signal: then it drains (stops taking requests, lets those in flight finish
 * within --drain-timeout) and stops every instance with the stdio shutdown ladder.
 */
import { TargetError, describeExit } from '../errors.js';
import type { ProxyOptions } from '../options/proxyOptions.js';
import { describeSpec } from '../target/launchSpec.js';
import { DEFAULT_STOP_WAITS } from '../target/serverProcess.js';
import { TOOL_VERSION } from '../version.js';
import type { Instance } from './instance.js';
import { PromMetrics } from './metrics.js';
import { closeServer, startObservabilityServer } from './observability.js';
import { Pool } from './pool.js';
import { Router } from './router.js';
import { startStdioFront } from './stdioFront.js';

/** Where the proxy meets the world. */
export interface ProxyIo {
  /** The stdio front's input (the client's requests). */
  stdin: NodeJS.ReadableStream;
  /** The stdio front's output (answers only). */
  stdout: NodeJS.WritableStream;
  /** One line per event worth telling (start, instance crashes, drain). */
  log: (line: string) => void;
}

/** Why the proxy stopped. */
export type ProxyEnd = 'client-closed' | 'signal';

/** Run the proxy until the client leaves or `signal` aborts; resolves once everything is stopped. */
export async function runProxy(opts: ProxyOptions, io: ProxyIo, signal: AbortSignal): Promise<ProxyEnd> {
  let pool: Pool | null = null;
  const metrics = new PromMetrics(() => pool);
  const router: Router = new Router(opts.pool, {
    affinity: opts.affinity, balance: opts.balance, maxInflightPerInstance: opts.maxInflightPerInstance,
    queueMax: opts.queue, queueTimeoutMs: opts.queueTimeoutMs, requestTimeoutMs: opts.requestTimeoutMs, recycleAfter: opts.recycleAfter,
  }, metrics, (instance: Instance, why: string) => pool?.retire(instance, why));
  pool = new Pool(opts.spec, {
    size: opts.pool, startTimeoutMs: opts.startTimeoutMs, healthIntervalMs: opts.healthIntervalMs, healthTimeoutMs: opts.healthTimeoutMs,
    recycleAfter: opts.recycleAfter, maxRssBytes: opts.maxRssBytes, stopWaits: DEFAULT_STOP_WAITS, clientVersion: TOOL_VERSION,
  }, {
    response: (i, m, raw) => router.response(i, m, raw),
    serverMessage: (i, m, raw) => router.serverMessage(i, m, raw),
    closed: (i, info) => {
      router.instanceClosed(i, info.reason);
      pool!.onClosed(i, info);
    },
    ready: (i) => router.instanceReady(i),
    log: io.log,
  });
  const started = performance.now();
  try {
    await pool.start();
  } catch (err) {
    const dead = pool.slots.find((i) => i !== null && !i.transport.proc.running) ?? null;
    await pool.close();
    const exit = dead?.transport.proc.describeExit();
    throw new TargetError(`${describeSpec(opts.spec)} could not be started as a pool instance: ${(err as Error).message}.${exit ? ` ${describeExit(exit)}` : ''}`, exit, { cause: err });
  }
  const warm = pool.slots[0]?.warm;
  io.log(`${opts.pool} instance${opts.pool > 1 ? 's' : ''} ready in ${(performance.now() - started).toFixed(0)} ms (${warm?.era ?? '?'} era; pids ${pool.pids().join(', ')}); affinity ${opts.affinity}, balance ${opts.balance}`);
  const observability = opts.metrics ? await startObservabilityServer(opts.metrics, metrics, pool) : null;
  if (observability) io.log(`metrics at ${observability.url}/metrics (also /healthz, /readyz)`);

  const front = startStdioFront(router, io.stdin, io.stdout);
  io.log('serving on stdio');
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const end: ProxyEnd = await Promise.race([front.ended.then(() => 'client-closed' as const), aborted.then(() => 'signal' as const)]);
  io.log(end === 'signal' ? 'stopping: finishing the requests in flight' : 'the client closed stdin: finishing the requests in flight');
  await router.drain(opts.drainTimeoutMs);
  front.close();
  await Promise.all([pool.close(), observability ? closeServer(observability.server) : null]);
  io.log('stopped');
  return end;
}
