/**
 * Events a runner emits while it measures (autocannon's `start`/`tick`/`done` pattern): the run loop
 * only measures and emits; the terminal display and the checkpoint writer subscribe.
 */
import type { TimelineSecond } from './bench/recording.js';

/** A runner event. */
export type RunEvent<R> =
  /** A phase begins; `label` is shown to the user. */
  | {
    /** Event kind. */
    type: 'phase-start';
    /** Phase id, e.g. 'cold-start', 'load'. */
    phase: string;
    /** What the phase does, in words. */
    label: string;
  }
  /** Progress inside a phase. */
  | {
    /** Event kind. */
    type: 'progress';
    /** Phase id. */
    phase: string;
    /** Steps done so far. */
    done: number;
    /** Steps in the phase. */
    total: number;
  }
  /** A phase ended; `summary` is one short line. */
  | {
    /** Event kind. */
    type: 'phase-end';
    /** Phase id (or label). */
    phase: string;
    /** What it found, or why it failed. */
    summary: string;
    /** False when the phase failed. */
    ok: boolean;
  }
  /** A statistical doubt or a skipped measurement. */
  | {
    /** Event kind. */
    type: 'warning';
    /** The warning, with advice. */
    message: string;
  }
  /** The result so far, to be saved now (a crash keeps what was measured). */
  | {
    /** Event kind. */
    type: 'checkpoint';
    /** The result as it stands. */
    result: R;
  }
  /** A second of load just ended (bench): that second, and the measured totals so far. */
  | {
    /** Event kind. */
    type: 'live';
    /** The second that ended. */
    second: TimelineSecond;
    /** Measured totals so far. */
    total: LiveTotals;
  };

/** Measured totals shown on the live progress line. */
export interface LiveTotals {
  /** Measured requests sent. */
  sent: number;
  /** Measured requests answered with a success. */
  succeeded: number;
  /** Measured requests that failed. */
  failed: number;
  /** Corrected p95 so far, µs (null before the first success). */
  p95Us: number | null;
}

/** Receives events. */
export type Emit<R> = (event: RunEvent<R>) => void;
