/**
 * Events a runner emits while it measures (autocannon's `start`/`tick`/`done` pattern): the run loop
 * only measures and emits; the terminal display and the checkpoint writer subscribe.
 */
import type { TimelineSecond } from './bench/recording.js';

/** A runner event. */
export type RunEvent<R> =
  /** A phase begins; `label` is shown to the user. */
  | { type: 'phase-start'; phase: string; label: string }
  /** Progress inside a phase. */
  | { type: 'progress'; phase: string; done: number; total: number }
  /** A phase ended; `summary` is one short line. */
  | { type: 'phase-end'; phase: string; summary: string; ok: boolean }
  /** A statistical doubt or a skipped measurement. */
  | { type: 'warning'; message: string }
  /** The result so far, to be saved now (a crash keeps what was measured). */
  | { type: 'checkpoint'; result: R }
  /** A second of load just ended (bench): that second, and the measured totals so far. */
  | { type: 'live'; second: TimelineSecond; total: LiveTotals };

/** Measured totals shown on the live progress line. */
export interface LiveTotals {
  sent: number;
  succeeded: number;
  failed: number;
  /** Corrected p95 so far, µs (null before the first success). */
  p95Us: number | null;
}

/** Receives events. */
export type Emit<R> = (event: RunEvent<R>) => void;
