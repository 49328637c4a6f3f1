/** What the autocannon path reports: the engine's outcome shape, plus autocannon's own figures and the answers' wire hygiene. */
import type { Hygiene } from '../../../target/hygiene.js';
import { Recorder } from '../../../measure/histogram.js';
import type { EngineOutcome } from '../engine.js';
import type { LoadBook } from '../loadBook.js';

/** autocannon's side of the run, for cross-checks and connection reuse. */
export interface AutocannonFigures {
  /** autocannon connections (keep-alive sockets, all on the one MCP session). */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 is a plain closed loop. */
  pipelining: number;
  /** Requests written (warm-up included). */
  sent: number;
  /** Complete HTTP answers parsed (warm-up included). */
  responses: number;
  /** HTTP statuses of the answers (warm-up included). */
  statusCounts: Record<string, number>;
  /** Connection errors (each re-opens the connection). */
  connectionErrors: number;
  /** Requests timed out (autocannon's 'timeout' event). */
  timeouts: number;
  /** Per connection: requests written and answered (warm-up included). */
  perConnection: Array<{
    /** The connection's number, 0-based, in the order autocannon made them (a re-open keeps it). */
    index: number;
    /** Requests written on it. */
    sent: number;
    /** Answers read on it. */
    answered: number;
  }>;
  /** autocannon's own totals, unfolded: requests, completed, errors (incl. timeouts), non-2xx. */
  own: {
    /** Requests autocannon counted as sent. */
    totalRequests: number;
    /** Responses autocannon counted as completed. */
    totalCompletedRequests: number;
    /** Connection errors autocannon counted, timeouts included. */
    errors: number;
    /** Timeouts autocannon counted. */
    timeouts: number;
    /** Answers with a non-2xx status autocannon counted. */
    non2xx: number;
  };
}

/** The engine's outcome plus autocannon's figures and the wire hygiene of the answers. */
export interface AutocannonOutcome extends EngineOutcome {
  /** autocannon's side of the run. */
  autocannon: AutocannonFigures;
  /** Wire checks of the answers, read by mcp-opt itself on this path (always present). */
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
