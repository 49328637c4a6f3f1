/**
 * Test doubles for bench's pure logic and its in-process engine: fake Targets (only what a Lane
 * reads), an in-memory Transport that plays a server answering after a delay, and hand-built
 * options and results.
 */
import { distributionOf, type Distribution } from '../../../src/measure/histogram.js';
import type { BenchOptions, LoopMode } from '../../../src/options/benchOptions.js';
import type { BenchResult } from '../../../src/result/benchResult.js';
import { newHeader } from '../../../src/result/build.js';
import { Lane } from '../../../src/runners/bench/lanes.js';
import { Hygiene } from '../../../src/target/hygiene.js';
import type { JsonRpcMessage } from '../../../src/target/protocol.js';
import { Session } from '../../../src/target/session.js';
import type { Target } from '../../../src/target/target.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../../../src/target/transport.js';
import type { Operation } from '../../../src/workload/operations.js';

/** A distribution whose every sample is `us`. */
export const flat = (us: number): Distribution => distributionOf([us], 'us')!;
/** `n` samples, all `us`. */
export const flatOf = (us: number, n: number): Distribution => distributionOf(Array<number>(n).fill(us), 'us')!;

/** A Lane over a fake target whose only live part is the transport's backlog (for balancer tests). */
export function stubLane(index: number, pendingOutBytes = 0): Lane & { transport: { pendingOutBytes: number } } {
  const transport = { pendingOutBytes };
  const target = { session: { transport }, process: null } as unknown as Target;
  return Object.assign(new Lane(index, target), { transport });
}

/** How the in-memory server answers. */
export interface ServerBehaviour {
  /** Time from send to answer, ms (never less: early timers are re-armed). */
  delayMs: number;
  /** Answer with a JSON-RPC error instead of a result. */
  error?: { code: number; message: string; data?: unknown };
  /** With `error`: the first this many sends are answered with a result, the rest with the error. */
  okFirst?: number;
  /** Close the wire (as a dying server would) on this 1-based send, before answering it. */
  closeOnSend?: number;
}

/** An in-memory wire: the test plays a server that answers every request after `delayMs`. */
export class DelayTransport implements Transport {
  readonly hygiene = new Hygiene();
  pendingOutBytes = 0;
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  onclose?: (info: CloseInfo) => void;
  /** Requests received. */
  sends = 0;
  /** Requests received and not yet answered, and the most ever at once. */
  outstanding = 0;
  maxOutstanding = 0;
  closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly behaviour: ServerBehaviour) {}

  send(json: string, _info: OutgoingInfo): void {
    if (this.closed) return;
    const msg = JSON.parse(json) as { id?: number };
    if (msg.id === undefined) return; // a notification
    this.sends++;
    if (this.behaviour.closeOnSend === this.sends) {
      // A real wire reports its end asynchronously, never inside send().
      this.later(0, () => this.end('the test server exited'));
      return;
    }
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    const due = performance.now() + this.behaviour.delayMs;
    const ok = this.sends <= (this.behaviour.okFirst ?? 0);
    const answer = (): void => {
      if (this.closed) return;
      const now = performance.now();
      // setTimeout may fire a fraction of a ms early by performance.now(): wait out the rest.
      if (now < due) return this.later(due - now, answer);
      this.outstanding--;
      const error = ok ? undefined : this.behaviour.error;
      this.onmessage?.(
        (error ? { jsonrpc: '2.0', id: msg.id, error } : { jsonrpc: '2.0', id: msg.id, result: {} }) as JsonRpcMessage,
        now,
      );
    };
    this.later(this.behaviour.delayMs, answer);
  }

  async close(): Promise<void> {
    this.end('closed by the test');
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.onclose?.({ reason });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

/** A Lane over a real Session on a DelayTransport. */
export function memoryLane(index: number, behaviour: ServerBehaviour): { lane: Lane; transport: DelayTransport } {
  const transport = new DelayTransport(behaviour);
  const session = new Session(transport, { timeoutMs: 1000 });
  const target = {
    session, process: null, info: {}, timings: { startedAt: 0, firstByteMs: null, handshakeMs: 0 },
    close: async () => {
      await session.close();
      return null;
    },
  } as unknown as Target;
  return { lane: new Lane(index, target), transport };
}

/** The ping operation, params-free. */
export const PING: Operation = { op: 'ping', method: 'ping', weight: 1, params: () => undefined, argsSource: 'none' };

/** BenchOptions with only what buildFigures and warningsOf read set meaningfully. */
export function benchOptions(over: Partial<{ loop: LoopMode; warmupMs: number; instances: number; keepGoing: boolean; balance: BenchOptions['balance'] }> = {}): BenchOptions {
  return {
    loop: { kind: 'closed', concurrency: 8 }, warmupMs: 0, instances: 1, keepGoing: false, balance: 'round-robin',
    durationMs: 10_000, requests: null, timeoutMs: 10_000, bailout: null, giveUpMs: 5000, seed: 1, era: 'auto', budgets: [],
    ...over,
  } as unknown as BenchOptions;
}

/** A complete, measured BenchResult: 1000 requests, 990 answered in 50 ms (service 40 ms), 10 failed. */
export function benchResult(): BenchResult {
  return {
    ...newHeader('bench', new Date(0)),
    config: {
      mode: 'open', rps: 100, arrival: 'uniform', maxInflight: null, concurrency: null, durationMs: 10_000, requests: null,
      warmupMs: 0, timeoutMs: 10_000, instances: 1, balance: 'round-robin', httpClient: 'mcp-opt', pipelining: 1, bailout: null, keepGoing: false, seed: 1, era: 'auto',
    },
    target: { kind: 'stdio', display: 'node server.js', origin: 'test', runner: null, envNames: [] },
    server: null,
    workload: { seed: 1, operations: [] },
    requests: { scheduled: 1000, sent: 1000, succeeded: 990, failed: 10, dropped: 0, lateSends: 3, abandoned: 0, errors: { timeout: 4, 'jsonrpc:-32000': 6 }, errorRatePct: 1 },
    throughput: { measuredSeconds: 10, targetRps: 100, sentRps: 100, succeededRps: 99, rateErrorPct: 0, sustained: true },
    // As many samples as the counts say: a budget on a percentile of fewer fails (budgets/gate.ts, minSamplesFor).
    latency: flatOf(50_000, 990),
    serviceTime: flatOf(40_000, 990),
    failedLatency: flatOf(10_000_000, 10),
    sendLateness: flatOf(300, 1000),
    byOperation: [
      { op: 'ping', requests: 500, succeeded: 500, failed: 0, errors: {}, latency: flatOf(20_000, 500), serviceTime: flatOf(15_000, 500) },
      { op: 'tools/call:my.tool.v2', requests: 300, succeeded: 295, failed: 5, errors: {}, latency: flatOf(70_000, 295), serviceTime: flatOf(60_000, 295) },
      { op: 'tools/call:ns/read.file', requests: 200, succeeded: 195, failed: 5, errors: {}, latency: flatOf(90_000, 195), serviceTime: flatOf(80_000, 195) },
    ],
    timeline: [],
    pool: { balance: 'round-robin', instances: [], autocannon: null },
    resources: {
      sampleIntervalMs: 250, rssStartBytes: 50_000_000, rssEndBytes: 53_000_000, rssPeakBytes: 54_000_000, rssGrowthBytes: 3_000_000,
      rssSlopeBytesPerSec: 300_000, cpuPctMean: 40, cpuPctMax: 80, processCount: 1,
    },
    generator: { cpuPct: 10, eventLoopDelayMs: { p50: 0, p99: 1, max: 2 }, bottleneck: false, reason: null },
    budgets: [],
  };
}
