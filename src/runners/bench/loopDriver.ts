/**
 * The engine's two ways of sending (openLoop.ts, closedLoop.ts) and what they ask of the run
 * they drive (engine.ts): the run owns the lanes, the book and stopping; a driver decides only
 * when the next request goes out.
 */
import { Recorder } from '../../measure/histogram.js';

/** What a driver asks of the run. */
export interface LoopHost {
  /** performance.now() of the run's start (second 0, the first due send). */
  readonly t0: number;
  /** End of warm-up: sends from here on are measured. */
  readonly measureFrom: number;
  /** End of the measured window (Infinity when the length is a number of requests). */
  readonly endAt: number;
  /** Measured requests to send (null: the length is a duration). */
  readonly requests: number | null;
  /** Measured requests sent so far. */
  readonly measuredSent: number;
  /** Requests in flight. */
  readonly inflight: number;
  /** True once sending stopped. */
  readonly stopped: boolean;
  /** Send one request intended at `intendedAt`; false when no lane can take it. */
  issue(intendedAt: number, now: number): boolean;
  /** Sending is over: the window ended, or the requests asked for were sent. */
  finished(): void;
}

/** How a loop's sends kept time (open loop; empty in a closed loop). */
export interface SendTiming {
  /** Lateness of measured sends (actual − intended), µs. */
  lateness: Recorder;
  /** Measured sends more than LATE_SEND_MS late. */
  lateSends: number;
  /** Measured sends later than sustained.ts lateBoundMs of the rate. */
  lateBeyondBound: number;
  /** How late the scheduler woke after its alarm time, µs. */
  wakeLateness: Recorder;
  /** Measured requests that were due but never sent. */
  dropped: number;
}

/** A loop driver (see the module comment). */
export interface LoopDriver {
  /** Resolves once the driver can keep time (the open loop's alarm thread runs). */
  readonly ready: Promise<void>;
  /** Its send timing so far. */
  readonly timing: SendTiming;
  /** Start sending for `host` at host.t0. */
  start(host: LoopHost): void;
  /** After an answer (at `now`) or a housekeeping tick: send what is due, or refill what is in flight. */
  pump(now: number): void;
  /** Sending stopped at `stoppedAt` because the run was done: count what was due and never sent. */
  countDropped(stoppedAt: number): void;
  /** Release the driver's timer thread. */
  close(): Promise<void>;
}

/** The timing of a loop that keeps none (closed loop). */
export function noSendTiming(): SendTiming {
  return { lateness: new Recorder('us'), lateSends: 0, lateBeyondBound: 0, wakeLateness: new Recorder('us'), dropped: 0 };
}
