/**
 * What both load generators (mcp-opt's engine and the autocannon path) are told about a run's
 * length and failures, and the rules they share for stopping.
 */
import type { McpOptError } from '../../errors.js';
import { shouldGiveUp } from './giveUp.js';
import type { LoadBook } from './loadBook.js';

/** A run's length, timeout and stop rules. */
export interface LoadLimits {
  /** Excluded from figures, ms. */
  warmupMs: number;
  /** Measured length: a duration (ms) or a number of requests (one of them is set). */
  durationMs: number | null;
  /** Measured length as a number of requests; null when durationMs is set. */
  requests: number | null;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Stop after this many failures (null: never). */
  bailout: number | null;
  /** Stop a run without one success at a failure this long after the first send, ms (giveUp.ts); null: never. */
  giveUpMs: number | null;
  /** Aborted on Ctrl-C: sending stops, in-flight replies are awaited for INTERRUPT_DRAIN_MS. */
  signal: AbortSignal;
}

/** Why sending stopped. 'no-success': nothing succeeded and the default bailout stopped the run (giveUp.ts). */
export type StopReason = 'done' | 'interrupted' | 'bailout' | 'no-success' | 'target-failed';

/** When and why sending stopped: the first stop wins. */
export class StopRecord {
  /** True once sending stopped. */
  stopped = false;
  /** performance.now() when it stopped. */
  at = 0;
  /** Why it stopped ('done' until then). */
  reason: StopReason = 'done';
  /** The failure that stopped it, if one did. */
  failure: McpOptError | null = null;

  /** Record a stop now; false when sending had already stopped (the first reason stands). */
  stop(reason: StopReason, failure: McpOptError | null): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    this.at = performance.now();
    this.reason = reason;
    this.failure = failure;
    return true;
  }
}

/**
 * Housekeeping period, ms: close seconds, end the window on time, retry blocked lanes. Each tick
 * wakes an idle generator (tens of µs of CPU on a VM): 100 ms keeps seconds and the end of the
 * window within a tenth of a second at 10 wake-ups a second (bench:generator measures the rest).
 */
export const HOUSEKEEPING_MS = 100;
/** After Ctrl-C, how long in-flight replies are awaited, ms. */
export const INTERRUPT_DRAIN_MS = 2000;

/**
 * After a failure, `elapsedMs` after the first send: 'bailout' once --bailout failures were
 * counted, 'no-success' when nothing has succeeded for too long (giveUp.ts), else null.
 */
export function failureStop(book: LoadBook, limits: LoadLimits, elapsedMs: number): 'bailout' | 'no-success' | null {
  if (limits.bailout !== null && book.failures >= limits.bailout) return 'bailout';
  return shouldGiveUp(book.successes, book.failures, elapsedMs, limits.giveUpMs) ? 'no-success' : null;
}
