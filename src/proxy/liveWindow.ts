/**
 * The proxy's sliding window, read by the dashboard and the alerts: the last `windowS` seconds of
 * traffic, kept as one slot per second (secondBucket.ts) in a ring, fed by the same calls as
 * /metrics (ProxyMetrics). Percentiles come from the slots' HDR histograms merged when the figures
 * are read, so recording stays one histogram count per request (two for a tools/call). Requests are
 * counted in the slot of the last tick() (liveView.ts ticks every 100 ms), not of a clock read per
 * call: a clock read costs as much as a histogram count (60 ns), and a request counted up to 100 ms
 * late in a window of seconds changes no figure anyone reads. `node bench/liveWindowCost.mjs`.
 */
import * as hdr from 'hdr-histogram-js';
import type { AlertFigures, WindowLatencyMs } from '../budgets/alertMetrics.js';
import { PROXY_DEFAULTS } from '../options/proxyOptions.js';
import { LabelCap } from './labelCap.js';
import type { ProxyMetrics } from './metrics.js';
import type { FailureClass } from './proxyErrors.js';
import type { CacheEvent } from './readCache.js';
import { clampUs, latencyHistogram, SecondBucket, TOOL_DIGITS, WINDOW_DIGITS } from './secondBucket.js';

/** Tools listed in the figures, by requests (the dashboard's table). */
export const TOOL_ROWS = 20;

/** One tool's figures over the window. */
export interface ToolFigures {
  /** Its label (the tool's name, or "other" beyond labelCap.ts's bound). */
  tool: string;
  /** tools/call requests received. */
  requests: number;
  /** Errors among its answers. */
  errors: number;
  /** 95th percentile latency, ms (within 6.25 %); null when no instance answered it. */
  p95Ms: number | null;
}

/** The window's figures at one moment. */
export interface WindowFigures extends AlertFigures {
  /** Seconds the window holds. */
  windowS: number;
  /** Seconds it covers now: windowS, or less just after the proxy started. */
  spanS: number;
  /** Requests received in the window. */
  received: number;
  /** Requests received per second (over spanS, at least one second). */
  rps: number;
  /** Answers other than a result, and the proxy's own failures, by class. */
  byClass: Record<string, number>;
  /** Cache events in the window. */
  cache: {
    /** Reads answered from the cache. */
    hits: number;
    /** Reads it did not hold. */
    misses: number;
    /** Reads that waited on one in flight. */
    coalesced: number;
  };
  /** Requests forwarded and not answered, now. */
  inflight: number;
  /** Requests waiting for an instance, now. */
  queueDepth: number;
  /** Client sessions, now. */
  sessions: number;
  /** The TOOL_ROWS tools with the most requests, most first. */
  tools: ToolFigures[];
}

/** The sliding window. */
export class LiveWindow implements ProxyMetrics {
  private readonly ring: SecondBucket[];
  /** The slot of the last tick's second: where requests are counted. */
  private slot: SecondBucket;
  private readonly labels = new LabelCap();
  private readonly startedMs: number;
  private readonly merged = latencyHistogram(WINDOW_DIGITS);
  private readonly toolMerged = latencyHistogram(TOOL_DIGITS);
  private inflightNow = 0;
  private queueNow = 0;
  private sessionsNow = 0;

  constructor(
    /** Seconds held, 1 to MAX_WINDOW_S (options/proxyOptions.ts). */
    readonly windowS: number = PROXY_DEFAULTS.windowS,
    /** The clock, ms (performance.now; tests give a fake one). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.ring = Array.from({ length: windowS }, () => new SecondBucket());
    this.startedMs = now();
    this.slot = this.ring[0]!;
    this.tick();
  }

  /** Read the clock: from now on requests are counted in its second's slot (emptied when it held an older one). */
  tick(): void {
    const second = Math.floor(this.now() / 1000);
    if (this.slot.second === second) return;
    this.slot = this.ring[((second % this.windowS) + this.windowS) % this.windowS]!;
    if (this.slot.second !== second) this.slot.reset(second);
  }

  received(_method: string, tool: string | null): void {
    const b = this.slot;
    b.received++;
    if (tool !== null) b.tool(this.labels.tool(tool)).requests++;
  }

  answered(_method: string, tool: string | null, outcome: 'result' | 'tool_error' | 'jsonrpc_error', queueWaitS: number, serviceS: number): void {
    const b = this.slot;
    const us = clampUs((queueWaitS + serviceS) * 1e6);
    b.answered++;
    b.latency.recordValue(us);
    b.latencySumUs += us;
    if (us > b.latencyMaxUs) b.latencyMaxUs = us;
    const error = outcome !== 'result';
    if (error) {
      b.errors++;
      b.count(outcome);
    }
    if (tool === null) return;
    const t = b.tool(this.labels.tool(tool));
    (t.latency ??= latencyHistogram(TOOL_DIGITS)).recordValue(us);
    if (error) t.errors++;
  }

  failed(_method: string, tool: string | null, cls: FailureClass): void {
    const b = this.slot;
    b.failed++;
    b.count(cls);
    // A cancellation is the client's choice, not a failure of the server or the proxy.
    if (cls === 'cancelled') return;
    b.errors++;
    if (tool !== null) b.tool(this.labels.tool(tool)).errors++;
  }

  cacheEvent(_method: string, event: CacheEvent, n: number): void {
    const b = this.slot;
    if (event === 'hit') b.hits += n;
    else if (event === 'miss') b.misses += n;
    else if (event === 'coalesced') b.coalesced += n;
  }

  inflight(n: number): void {
    this.inflightNow = n;
  }

  queueDepth(n: number): void {
    this.queueNow = n;
  }

  sessions(n: number): void {
    this.sessionsNow = n;
  }

  ambiguousRelay(): void {}

  /** The figures of the last windowS seconds (this one included); ticks first. */
  figures(): WindowFigures {
    this.tick();
    const nowMs = this.now();
    const second = Math.floor(nowMs / 1000);
    const slots = this.ring.filter((b) => b.second > second - this.windowS && b.second <= second);
    const sum = (pick: (b: SecondBucket) => number): number => slots.reduce((a, b) => a + pick(b), 0);
    const spanS = (nowMs - Math.max((second - this.windowS + 1) * 1000, this.startedMs)) / 1000;
    const received = sum((b) => b.received);
    const hits = sum((b) => b.hits);
    const coalesced = sum((b) => b.coalesced);
    const byClass: Record<string, number> = {};
    for (const b of slots) for (const [cls, n] of b.byClass) byClass[cls] = (byClass[cls] ?? 0) + n;
    return {
      windowS: this.windowS,
      spanS: round(Math.max(0, spanS)),
      received,
      rps: round(received / Math.max(1, spanS)),
      latencyMs: this.latency(slots),
      finished: sum((b) => b.answered + b.failed) + hits + coalesced,
      errors: sum((b) => b.errors),
      byClass,
      cache: { hits, misses: sum((b) => b.misses), coalesced },
      inflight: this.inflightNow,
      queueDepth: this.queueNow,
      sessions: this.sessionsNow,
      tools: this.tools(slots),
    };
  }

  /** Latency statistics of the slots' answers merged; null when there were none. */
  private latency(slots: readonly SecondBucket[]): WindowLatencyMs | null {
    const n = slots.reduce((a, b) => a + b.answered, 0);
    if (n === 0) return null;
    const h = this.merged;
    h.reset();
    for (const b of slots) if (b.answered > 0) h.add(b.latency);
    const maxUs = Math.max(...slots.map((b) => b.latencyMaxUs));
    // A histogram reports a bucket's upper edge: never above the largest sample, kept exactly.
    const ms = (p: number): number => round(Math.min(h.getValueAtPercentile(p), maxUs) / 1000);
    return {
      n, p50: ms(50), p90: ms(90), p95: ms(95), p99: ms(99), p999: ms(99.9),
      max: round(maxUs / 1000),
      mean: round(slots.reduce((a, b) => a + b.latencySumUs, 0) / n / 1000),
    };
  }

  /** The TOOL_ROWS busiest tools over the slots. */
  private tools(slots: readonly SecondBucket[]): ToolFigures[] {
    const byTool = new Map<string, { requests: number; errors: number; latency: hdr.Histogram[] }>();
    for (const b of slots) {
      for (const [tool, t] of b.tools) {
        let acc = byTool.get(tool);
        if (acc === undefined) byTool.set(tool, (acc = { requests: 0, errors: 0, latency: [] }));
        acc.requests += t.requests;
        acc.errors += t.errors;
        if (t.latency !== null) acc.latency.push(t.latency);
      }
    }
    const top = [...byTool].sort(([a, x], [b, y]) => y.requests - x.requests || (a < b ? -1 : a > b ? 1 : 0)).slice(0, TOOL_ROWS);
    return top.map(([tool, acc]) => {
      let p95Ms: number | null = null;
      if (acc.latency.length > 0) {
        this.toolMerged.reset();
        for (const h of acc.latency) this.toolMerged.add(h);
        p95Ms = round(this.toolMerged.getValueAtPercentile(95) / 1000);
      }
      return { tool, requests: acc.requests, errors: acc.errors, p95Ms };
    });
  }
}

/** Three decimals (µs in ms). */
function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
