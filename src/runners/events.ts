/**
 * Events a runner emits while it measures (autocannon's `start`/`tick`/`done` pattern): the run loop
 * only measures and emits; the terminal display and the checkpoint writer subscribe.
 */

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
  | { type: 'checkpoint'; result: R };

/** Receives events. */
export type Emit<R> = (event: RunEvent<R>) => void;
