/**
 * Open loop: request i is due at its scheduled time whatever the answers (its latency counts from
 * then, as wrk2 does); sends wait only for --max-inflight or a server that stopped reading, and
 * what is still unsent when the run ends is "dropped". An alarm thread (alarmClock.ts) wakes the
 * pump at each due time.
 */
import { AlarmClock } from './alarmClock.js';
import { noSendTiming, type LoopDriver, type LoopHost } from './loopDriver.js';
import type { Arrival } from '../../options/benchOptions.js';
import { Schedule } from './schedule.js';
import { LATE_SEND_MS } from './recording.js';
import { lateBoundMs } from './sustained.js';

/**
 * No wake-up closer than this after the previous one: at high rates each wake sends everything that
 * is due (as wrk2 does), so the sends of a tick share one write (and the server's answers one
 * read), and the generator wakes a couple of thousand times a second, not once per request.
 * Latency still counts from each request's intended time, so this changes what the generator
 * costs, not what it measures; it bounds the lateness it adds. Measured at 10k req/s on
 * minimal-raw.mjs, whole-process CPU per request (start-up included): one wake per request 36 µs,
 * 0.25 ms 32 µs, 0.5 ms 23-26 µs, 1 ms 17-18 µs; p50 send lateness at 0.5 ms ~0.3 ms, p90 ~0.56 ms
 * (`npm run bench:generator`).
 */
export const MIN_TICK_MS = 0.5;
/**
 * Due times (t0 + i/R) and the end (t0 + warm-up + duration) are sums of floats that can differ in
 * the last bit: compare with a tolerance far below a microsecond, or the last request of a
 * perfectly timed run could count as dropped.
 */
const EPSILON_MS = 1e-6;

/** The open-loop driver (loopDriver.ts). */
export class OpenLoop implements LoopDriver {
  readonly timing = noSendTiming();
  readonly ready: Promise<void>;
  private readonly alarm: AlarmClock;
  private readonly boundUs: number;
  /** The last send stopped at the cap or at blocked instances with requests due: answers send. */
  private held = false;
  private host: LoopHost | null = null;
  private schedule: Schedule | null = null;

  constructor(
    private readonly rps: number,
    private readonly arrival: Arrival,
    /** --max-inflight; null: no cap. */
    private readonly cap: number | null,
    private readonly seed: number,
  ) {
    // The alarm thread takes tens of ms to start: the run fixes t0 only once it is ready, or the
    // first sends would leave late by mcp-opt's own start-up.
    this.alarm = new AlarmClock((_armedAt, wakeAt) => this.woken(wakeAt), { minGapMs: MIN_TICK_MS });
    this.ready = this.alarm.ready;
    this.boundUs = lateBoundMs(rps) * 1000;
  }

  start(host: LoopHost): void {
    this.host = host;
    this.schedule = new Schedule(host.t0, this.rps, this.arrival, this.seed);
    this.alarm.set(host.t0, this.schedule.peekFollowing());
  }

  /**
   * After an answer or a housekeeping tick. Sends wait for the alarm, so that what falls due
   * within a tick leaves in one write and the server answers it in one: sending from each answer
   * as well made every answer a write and every write a wake-up of the server, one cycle per
   * request at 10k req/s. Answers do send when the cap or blocked instances held sends back (they
   * free the room), and once the window has ended.
   */
  pump(now: number): void {
    if (this.held || (this.host !== null && now >= this.host.endAt)) this.send();
  }

  /** Send everything due, within the in-flight cap; then sleep until the next due time. */
  private send(): void {
    const h = this.host;
    const schedule = this.schedule;
    if (h === null || schedule === null || h.stopped) return;
    const now = performance.now();
    // Once the window has ended, what was due before its end still goes out (late) if it can;
    // what the cap or blocked instances hold back then is dropped.
    const ending = now >= h.endAt;
    let blocked = false;
    for (;;) {
      const due = schedule.peek();
      if (this.pastEnd(due)) return h.finished();
      if (due > now || this.atCap()) break;
      if (!h.issue(due, now)) {
        blocked = true;
        break;
      }
      if (due >= h.measureFrom) this.recordLateness((now - due) * 1000);
      schedule.advance();
    }
    if (ending) return h.finished();
    // At the cap, an answer wakes the pump; with every lane blocked, housekeeping retries;
    // otherwise sleep until the next due time.
    this.held = blocked || this.atCap();
    if (this.held) return;
    this.alarm.set(schedule.peek(), schedule.peekFollowing());
  }

  /** Due in the measured window but never sent: the generator or the server fell behind. */
  countDropped(stoppedAt: number): void {
    const schedule = this.schedule;
    const h = this.host;
    if (schedule === null || h === null) return;
    while (!this.pastEnd(schedule.peek()) && schedule.peek() < Math.min(stoppedAt, h.endAt)) {
      if (schedule.peek() >= h.measureFrom) this.timing.dropped++;
      schedule.advance();
    }
  }

  close(): Promise<void> {
    return this.alarm.close();
  }

  private woken(wakeAt: number): void {
    this.timing.wakeLateness.record(Math.max(0, performance.now() - wakeAt) * 1000);
    this.send();
  }

  private atCap(): boolean {
    return this.cap !== null && this.host!.inflight >= this.cap;
  }

  private pastEnd(due: number): boolean {
    const h = this.host!;
    return due >= h.endAt - EPSILON_MS || (h.requests !== null && due >= h.measureFrom && h.measuredSent >= h.requests);
  }

  private recordLateness(lateUs: number): void {
    this.timing.lateness.record(lateUs);
    if (lateUs > LATE_SEND_MS * 1000) this.timing.lateSends++;
    if (lateUs > this.boundUs) this.timing.lateBeyondBound++;
  }
}
