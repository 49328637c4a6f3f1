/** What the autocannon path reports: the engine's outcome shape, plus autocannon's own figures and the answers' wire hygiene. */
import type { Hygiene } from '../../../target/hygiene.js';
import { Recorder } from '../../../measure/histogram.js';
import type { EngineOutcome } from '../engine.js';
import type { LoadBook } from '../loadBook.js';

/** autocannon's side of the run, for cross-checks and connection reuse. */
export interface AutocannonFigures {
  connections: number;
  pipelining: number;
  /** Requests written and complete HTTP answers parsed (warm-up included). */
  sent: number;
  responses: number;
  /** HTTP statuses of the answers (warm-up included). */
  statusCounts: Record<string, number>;
  /** Connection errors (each re-opens the connection) and requests timed out. */
  connectionErrors: number;
  timeouts: number;
  /** Per connection: requests written and answered (warm-up included). */
  perConnection: Array<{ index: number; sent: number; answered: number }>;
  /** autocannon's own totals, unfolded: requests, completed, errors (incl. timeouts), non-2xx. */
  own: { totalRequests: number; totalCompletedRequests: number; errors: number; timeouts: number; non2xx: number };
}

/** The engine's outcome plus autocannon's figures and the wire hygiene of the answers. */
export interface AutocannonOutcome extends EngineOutcome {
  autocannon: AutocannonFigures;
  hygiene: Hygiene;
}

/** How the run ended, as the engine reports it. */
export type RunEnd = Pick<EngineOutcome, 'measuredMs' | 'stopReason' | 'failure' | 'abandoned' | 'timelineOrigin'>;

/** The outcome of an autocannon run from its book: no open-loop figures (a closed loop keeps no schedule), no lanes lost. */
export function autocannonOutcome(book: LoadBook, figures: AutocannonFigures, hygiene: Hygiene, end: RunEnd): AutocannonOutcome {
  return {
    total: book.total, byOp: book.byOp, lateness: new Recorder('us'), lateSends: 0, lateBeyondBound: 0, wakeLateness: new Recorder('us'), dropped: 0,
    timeline: book.timeline.seconds, lostLanes: [], allErrors: book.allErrors, errorLog: book.log, autocannon: figures, hygiene, ...end,
  };
}
