/**
 * The bookkeeping of a load run, shared by mcp-opt's engine and the autocannon path so both fill
 * the same shapes: successes into the corrected (from the intended send) and service-time (from the
 * actual send) Recorders, failures by class into failedLatency and the error counts, the
 * per-second timeline, and the lanes' counters. With one operation label its figures are the
 * totals, recorded once; per-lane service times are recorded only for pools (HDR recording is a
 * sizeable share of the generator's CPU per request: npm run bench:client).
 */
import { ErrorLog } from '../replyClass.js';
import type { Lane } from './lanes.js';
import { OpStats, Timeline, type TimelineSecond } from './recording.js';

/** The counts and Recorders of one load run, filled as requests are sent and answered. */
export class LoadBook {
  readonly total = new OpStats();
  readonly byOp = new Map<string, OpStats>();
  readonly timeline: Timeline;
  /** Requests sent and not yet settled. */
  inflight = 0;
  /** Failures, warm-up included (what --bailout counts). */
  failures = 0;
  /** Successes, warm-up included (one disarms the no-success bailout, giveUp.ts). */
  successes = 0;
  /** Failures by class, warm-up included. */
  readonly allErrors: Record<string, number> = {};
  /** Measured requests sent. */
  measuredSent = 0;
  /** First measured reply of each failure class, and successes that read like errors (the caller notes them). */
  readonly log = new ErrorLog();

  constructor(
    t0: number,
    measureFrom: number,
    opLabels: readonly string[],
    onSecond: (second: TimelineSecond, total: OpStats) => void,
    /** Record each lane's service time too (pools). */
    private readonly perLane = false,
  ) {
    const distinct = [...new Set(opLabels)];
    if (distinct.length === 1) this.byOp.set(distinct[0]!, this.total);
    this.timeline = new Timeline(t0, measureFrom, (s) => onSecond(s, this.total));
  }

  /** Count a send of operation `label` at `now` on `lane`; its stats when `measured`, else null. */
  sent(label: string, measured: boolean, now: number, lane?: Lane): OpStats | null {
    this.inflight++;
    if (lane) lane.inflight++;
    this.timeline.sent(now, this.inflight);
    if (!measured) return null;
    let s = this.byOp.get(label);
    if (!s) this.byOp.set(label, (s = new OpStats()));
    s.requests++;
    if (s !== this.total) this.total.requests++;
    this.measuredSent++;
    if (lane) lane.sent++;
    return s;
  }

  /**
   * Count an answer at `now`: `cls` null for a success, else its failure class. `correctedUs` runs
   * from the intended send, `serviceUs` from the actual one (equal in a closed loop).
   */
  done(s: OpStats | null, cls: string | null, correctedUs: number, serviceUs: number, now: number, lane?: Lane): void {
    this.inflight--;
    if (lane) lane.inflight--;
    if (cls === null) {
      this.successes++;
      if (lane) lane.observe(serviceUs);
      if (s) {
        s.corrected.record(correctedUs);
        s.service.record(serviceUs);
        s.succeeded++;
        if (s !== this.total) {
          this.total.corrected.record(correctedUs);
          this.total.service.record(serviceUs);
          this.total.succeeded++;
        }
        if (lane) {
          lane.succeeded++;
          if (this.perLane) lane.service.record(serviceUs);
        }
      }
      this.timeline.done(now, this.inflight, correctedUs);
      return;
    }
    this.failures++;
    this.allErrors[cls] = (this.allErrors[cls] ?? 0) + 1;
    if (s) {
      s.errors[cls] = (s.errors[cls] ?? 0) + 1;
      s.failed++;
      s.failedLatency.record(correctedUs);
      if (s !== this.total) {
        this.total.errors[cls] = (this.total.errors[cls] ?? 0) + 1;
        this.total.failed++;
        this.total.failedLatency.record(correctedUs);
      }
      if (lane) lane.failed++;
    }
    this.timeline.done(now, this.inflight, null);
  }
}
