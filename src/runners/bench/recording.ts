/**
 * What a bench run records, kept apart by operation: latency from the intended send time
 * (corrected for coordinated omission), service time from the actual send, errors by class (never
 * mixed with successes' latencies), and a per-second timeline.
 */
import { Recorder } from '../../measure/histogram.js';
import type { TimelineEntry } from '../../result/benchResult.js';
import type { Reply } from '../../target/session.js';
import { classifyReply } from '../replyClass.js';

/** A send more than this late (ms after its intended time) counts as late. */
export const LATE_SEND_MS = 1;

/** Figures of one operation (or of all together). */
export class OpStats {
  /** Latency from the intended send time, successes only, µs. */
  readonly corrected = new Recorder('us');
  /** Latency from the actual send, successes only, µs. */
  readonly service = new Recorder('us');
  /** Latency of failures by the time they were declared (timeouts at ≥ the timeout), µs. */
  readonly failedLatency = new Recorder('us');
  /** Measured requests sent. */
  requests = 0;
  succeeded = 0;
  /** Failures by class: 'argument-rejected', 'jsonrpc:<code>', 'isError', 'timeout', 'closed', 'cancelled', 'http:<status>', 'session_expired'. */
  readonly errors: Record<string, number> = {};
  failed = 0;
}

/**
 * Class of a failed reply, or null for a success (replyClass.ts), with HTTP failures apart. The
 * errno rule of argument rejections reads `paramsJson`, the params that were sent.
 */
export function failureClass(reply: Reply, paramsJson?: string): string | null {
  if (reply.outcome === 'error') {
    const data = reply.error?.data as { httpStatus?: unknown; sessionExpired?: unknown; streamClosed?: unknown } | undefined;
    // 404 on Mcp-Session-Id (2025-11-25 basic/transports): the transport re-initializes; counted apart.
    if (data?.sessionExpired === true) return 'session_expired';
    // An SSE stream that ended before its reply: the request is lost as on a closed connection.
    if (data?.streamClosed === true) return 'closed';
    if (typeof data?.httpStatus === 'number') return `http:${data.httpStatus}`;
  }
  return classifyReply(reply, paramsJson);
}

/** True when mcp-opt made the operation's arguments from the tool's inputSchema (they may be shown). */
export function isSynthesised(op: { argsSource: string }): boolean {
  return op.argsSource.startsWith('synthesised');
}

/** One second of the run as the engine sees it (the result adds the server's RSS and CPU). */
export type TimelineSecond = Omit<TimelineEntry, 'rssBytes' | 'cpuPct'>;

/**
 * Latencies kept per second for its p50/p99: every sample up to RESERVOIR_SIZE, then a uniform
 * random subset (Vitter's algorithm R). An HDR record per answer costs ~0.1 µs of the generator's
 * CPU; a reservoir append a few ns, and 4096 samples pin p99 within a percentile rank or so.
 */
const RESERVOIR_SIZE = 4096;

/** Per-second buckets, closed as time passes. */
export class Timeline {
  readonly seconds: TimelineSecond[] = [];
  private cur: TimelineSecond;
  private readonly reservoir = new Float64Array(RESERVOIR_SIZE);
  private seen = 0;
  private rand = 0x9e3779b9;

  constructor(
    private readonly t0: number,
    private readonly warmupEndsAt: number,
    /** Called with each closed second. */
    private readonly onSecond: (s: TimelineSecond) => void,
  ) {
    this.cur = this.fresh(0);
  }

  /** Count a send at `now`. */
  sent(now: number, inflight: number): void {
    this.roll(now, inflight);
    this.cur.sent++;
  }

  /** Count an answer at `now`; `latencyUs` for successes, null for failures. */
  done(now: number, inflight: number, latencyUs: number | null): void {
    this.roll(now, inflight);
    this.cur.completed++;
    if (latencyUs === null) {
      this.cur.errors++;
      return;
    }
    if (this.seen < RESERVOIR_SIZE) {
      this.reservoir[this.seen++] = latencyUs;
      return;
    }
    // xorshift32: deterministic, no allocation.
    let x = this.rand;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rand = x >>> 0;
    const j = this.rand % ++this.seen;
    if (j < RESERVOIR_SIZE) this.reservoir[j] = latencyUs;
  }

  /** Close every second that ended before `now`. */
  roll(now: number, inflight: number): void {
    const second = Math.floor((now - this.t0) / 1000);
    while (this.cur.second < second) this.close(inflight);
  }

  /**
   * Close the current (partial) second, if anything happened in it; the run is over. Closed
   * directly, not by rolling to its end time: (t0 + 3000) − t0 can come out as 2999.999…, which
   * floors to the second still open and lost it (test/runners/bench/recording.test.ts).
   */
  finish(inflight: number): void {
    if (this.cur.sent === 0 && this.cur.completed === 0) return;
    this.close(inflight);
  }

  /** Push the current second with its percentiles, tell `onSecond`, and open the next one. */
  private close(inflight: number): void {
    this.cur.inflight = inflight;
    const n = Math.min(this.seen, RESERVOIR_SIZE);
    if (n > 0) {
      const sorted = this.reservoir.subarray(0, n).sort();
      this.cur.p50Us = Math.round(sorted[Math.min(n - 1, Math.floor(n * 0.5))]!);
      this.cur.p99Us = Math.round(sorted[Math.min(n - 1, Math.floor(n * 0.99))]!);
    }
    this.seen = 0;
    this.seconds.push(this.cur);
    this.onSecond(this.cur);
    this.cur = this.fresh(this.cur.second + 1);
  }

  private fresh(second: number): TimelineSecond {
    return {
      second, warmup: this.t0 + (second + 1) * 1000 <= this.warmupEndsAt,
      sent: 0, completed: 0, errors: 0, inflight: 0, p50Us: null, p99Us: null,
    };
  }
}
