/**
 * What a closed loop records, kept the engine's way (engine.ts `done`) so both load paths fill the
 * same shapes: successes into the corrected and service Recorders (equal here: in a closed loop
 * the intended send is the actual send), failures by class into failedLatency and the error
 * counts, the per-second timeline, and the lane's counters. With one operation label its figures
 * are the totals, recorded once, as the engine does.
 */
import type { Lane } from '../lanes.js';
import { OpStats, Timeline, type TimelineSecond } from '../stats.js';

/** Figures of a closed loop driven by an outside generator (autocannon). */
export class ClosedLoopStats {
  readonly total = new OpStats();
  readonly byOp = new Map<string, OpStats>();
  readonly timeline: Timeline;
  /** Requests sent and not yet settled. */
  inflight = 0;
  /** Failures, warm-up included (what --bailout counts, as in the engine). */
  failures = 0;
  /** Failures by class, warm-up included (engine.ts EngineOutcome.allErrors). */
  readonly allErrors: Record<string, number> = {};
  /** Measured requests sent. */
  measuredSent = 0;

  constructor(
    t0: number,
    measureFrom: number,
    opLabels: readonly string[],
    onSecond: (second: TimelineSecond, total: OpStats) => void,
    /** The lane whose session carries the load (its sent/succeeded/failed are kept), if any. */
    private readonly lane?: Lane,
  ) {
    const distinct = [...new Set(opLabels)];
    if (distinct.length === 1) this.byOp.set(distinct[0]!, this.total);
    this.timeline = new Timeline(t0, measureFrom, (s) => onSecond(s, this.total));
  }

  /** Count a send of operation `label` at `now`; its stats when `measured`, else null. */
  sent(label: string, measured: boolean, now: number): OpStats | null {
    this.inflight++;
    this.timeline.sent(now, this.inflight);
    if (!measured) return null;
    let s = this.byOp.get(label);
    if (!s) this.byOp.set(label, (s = new OpStats()));
    s.requests++;
    if (s !== this.total) this.total.requests++;
    this.measuredSent++;
    if (this.lane) this.lane.sent++;
    return s;
  }

  /** Count an answer at `now`: `cls` null for a success, else its failure class; `latencyMs` from the send. */
  done(s: OpStats | null, cls: string | null, latencyMs: number, now: number): void {
    this.inflight--;
    const us = latencyMs * 1000;
    if (cls === null) {
      if (s) {
        s.corrected.record(us);
        s.service.record(us);
        s.succeeded++;
        if (s !== this.total) {
          this.total.corrected.record(us);
          this.total.service.record(us);
          this.total.succeeded++;
        }
        if (this.lane) this.lane.succeeded++;
      }
      this.timeline.done(now, this.inflight, us);
      return;
    }
    this.failures++;
    this.allErrors[cls] = (this.allErrors[cls] ?? 0) + 1;
    if (s) {
      s.errors[cls] = (s.errors[cls] ?? 0) + 1;
      s.failed++;
      s.failedLatency.record(us);
      if (s !== this.total) {
        this.total.errors[cls] = (this.total.errors[cls] ?? 0) + 1;
        this.total.failed++;
        this.total.failedLatency.record(us);
      }
      if (this.lane) this.lane.failed++;
    }
    this.timeline.done(now, this.inflight, null);
  }
}
