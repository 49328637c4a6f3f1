/**
 * What a bench run records, kept apart by operation: latency from the intended send time
 * (corrected for coordinated omission), service time from the actual send, errors by class (never
 * mixed with successes' latencies), and a per-second timeline.
 */
import { Recorder } from '../../measure/histogram.js';
import type { Reply } from '../../target/session.js';

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
  /** Failures by class: 'jsonrpc:<code>', 'isError', 'timeout', 'closed', 'cancelled', 'http:<status>'. */
  readonly errors: Record<string, number> = {};
  failed = 0;
}

/** Class of a failed reply, or null for a success. */
export function failureClass(reply: Reply): string | null {
  if (reply.outcome === 'result') {
    return (reply.result as { isError?: unknown } | null)?.isError === true ? 'isError' : null;
  }
  if (reply.outcome === 'error') {
    const status = (reply.error?.data as { httpStatus?: unknown } | undefined)?.httpStatus;
    return typeof status === 'number' ? `http:${status}` : `jsonrpc:${reply.error?.code}`;
  }
  return reply.outcome;
}

/** One second of the run. */
export interface TimelineSecond {
  /** Seconds since the first send (0-based). */
  second: number;
  /** True for seconds of the warm-up. */
  warmup: boolean;
  /** Requests sent, answered (success or failure) and failed in this second. */
  sent: number;
  completed: number;
  errors: number;
  /** Requests in flight at the end of the second. */
  inflight: number;
  /** Corrected latency of successes answered in this second, µs (null when none). */
  p50Us: number | null;
  p99Us: number | null;
}

/** Per-second buckets, closed as time passes. */
export class Timeline {
  readonly seconds: TimelineSecond[] = [];
  private cur: TimelineSecond;
  private rec = new Recorder('us');

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
    if (latencyUs === null) this.cur.errors++;
    else this.rec.record(latencyUs);
  }

  /** Close every second that ended before `now`. */
  roll(now: number, inflight: number): void {
    const second = Math.floor((now - this.t0) / 1000);
    while (this.cur.second < second) {
      this.cur.inflight = inflight;
      this.cur.p50Us = this.rec.n ? this.rec.percentile(50) : null;
      this.cur.p99Us = this.rec.n ? this.rec.percentile(99) : null;
      this.seconds.push(this.cur);
      this.onSecond(this.cur);
      this.cur = this.fresh(this.cur.second + 1);
      if (this.rec.n) this.rec = new Recorder('us');
    }
  }

  private fresh(second: number): TimelineSecond {
    return {
      second, warmup: this.t0 + (second + 1) * 1000 <= this.warmupEndsAt,
      sent: 0, completed: 0, errors: 0, inflight: 0, p50Us: null, p99Us: null,
    };
  }
}
