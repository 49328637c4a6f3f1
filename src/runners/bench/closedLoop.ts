/** Closed loop: `concurrency` requests in flight, each answer sends the next, until the end. */
import { noSendTiming, type LoopDriver, type LoopHost } from './loopDriver.js';

/** The closed-loop driver (loopDriver.ts). */
export class ClosedLoop implements LoopDriver {
  readonly ready = Promise.resolve();
  readonly timing = noSendTiming();
  private host: LoopHost | null = null;

  constructor(
    /** Requests kept in flight. */
    private readonly concurrency: number,
  ) {}

  start(host: LoopHost): void {
    this.host = host;
    // Timers round their delay down to whole ms: wait until t0 has really come, or the first
    // round would count as warm-up even with --warmup 0.
    const start = (): void => {
      const now = performance.now();
      if (now < host.t0) setTimeout(start, Math.max(1, Math.ceil(host.t0 - now)));
      else this.pump(now);
    };
    start();
  }

  /** Keep `concurrency` in flight until the end of the window or of the requests asked for. */
  pump(now: number): void {
    const h = this.host;
    if (h === null) return;
    if (now >= h.endAt || (h.requests !== null && h.measuredSent >= h.requests)) return h.finished();
    while (h.inflight < this.concurrency) {
      if (h.requests !== null && h.measuredSent >= h.requests && now >= h.measureFrom) return h.finished();
      if (!h.issue(now, now)) break;
    }
  }

  countDropped(): void {}

  async close(): Promise<void> {}
}
