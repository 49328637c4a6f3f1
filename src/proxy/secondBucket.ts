/**
 * One second of the proxy's traffic, a slot of the sliding window (liveWindow.ts): requests, answers
 * and failures by class, cache events, and HDR histograms of latency (queue wait + service time, µs),
 * overall and per tool. A slot is reused when its second comes round again (reset), so the window
 * allocates nothing per request but the first histogram of a tool in a second.
 */
import * as hdr from 'hdr-histogram-js';
import { HIGHEST_LATENCY_US, LOWEST_VALUE } from '../measure/histogram.js';

/** Significant decimal digits an HDR histogram keeps. */
export type SignificantDigits = 1 | 2 | 3 | 4 | 5;

/**
 * Significant digits of a second's latency histogram: values within 0.8 % (hdr keeps 128 steps
 * per power of two), enough to judge `p95<100ms`, in 14 KB instead of the 94 KB of 3 digits, and
 * merged in 6 µs instead of 35 µs (hdr-histogram-js add(), Node 20).
 */
export const WINDOW_DIGITS: SignificantDigits = 2;
/**
 * Of a tool's: 1 digit, values within 6.25 % (16 steps), 2 KB each: at most 201 tool labels
 * (labelCap.ts) × 60 seconds stay under 25 MB, where 2 digits could take 170 MB.
 */
export const TOOL_DIGITS: SignificantDigits = 1;

/** An empty latency histogram, µs, 1 µs to one hour. */
export function latencyHistogram(digits: SignificantDigits): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: LOWEST_VALUE, highestTrackableValue: HIGHEST_LATENCY_US, numberOfSignificantValueDigits: digits });
}

/** A latency in the histograms' range, whole µs. */
export function clampUs(us: number): number {
  return Math.min(HIGHEST_LATENCY_US, Math.max(LOWEST_VALUE, Math.round(us)));
}

/** One tool's second. */
export interface ToolSecond {
  /** tools/call requests received. */
  requests: number;
  /** Of its answers, errors (as SecondBucket.errors). */
  errors: number;
  /** Latency of its answers by an instance, µs (null until the first). */
  latency: hdr.Histogram | null;
}

/** One second of traffic. */
export class SecondBucket {
  /** The second it holds (clock ms / 1000, floored); -Infinity while unused. */
  second = Number.NEGATIVE_INFINITY;
  /** Requests received. */
  received = 0;
  /** Requests an instance answered (each has a latency). */
  answered = 0;
  /** Requests the proxy answered with its own error, or that were cancelled. */
  failed = 0;
  /** isError results, JSON-RPC errors and the proxy's failures except cancellations. */
  errors = 0;
  /** Reads answered from the cache. */
  hits = 0;
  /** Reads the cache did not hold. */
  misses = 0;
  /** Reads that waited on an identical one in flight. */
  coalesced = 0;
  /** Answers other than a result, and the proxy's failures, by class (tool_error, jsonrpc_error, timeout, …). */
  readonly byClass = new Map<string, number>();
  /** Sum of the latencies, µs (for an exact mean). */
  latencySumUs = 0;
  /** Largest latency, µs. */
  latencyMaxUs = 0;
  /** Latency of answered requests, µs. */
  readonly latency = latencyHistogram(WINDOW_DIGITS);
  /** Per tool label. */
  readonly tools = new Map<string, ToolSecond>();

  /** Empty it to hold `second`. */
  reset(second: number): void {
    this.second = second;
    this.received = this.answered = this.failed = this.errors = 0;
    this.hits = this.misses = this.coalesced = 0;
    this.latencySumUs = this.latencyMaxUs = 0;
    this.byClass.clear();
    this.latency.reset();
    this.tools.clear();
  }

  /** Count one of a class. */
  count(cls: string): void {
    this.byClass.set(cls, (this.byClass.get(cls) ?? 0) + 1);
  }

  /** A tool's entry, made on first use. */
  tool(label: string): ToolSecond {
    let t = this.tools.get(label);
    if (t === undefined) {
      t = { requests: 0, errors: 0, latency: null };
      this.tools.set(label, t);
    }
    return t;
  }
}
