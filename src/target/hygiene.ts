/**
 * Counters of what a server did wrong on the wire, with a few excerpts as evidence. Counting is
 * cheap and bounded: excerpts are capped in number and length.
 */
import { stripControl } from './stderrRing.js';

/** Kinds of protocol violation mcp-opt recognises. */
export type ViolationKind =
  /** A line on stdout that is not JSON (banners, logs): breaks clients that do not skip it. */
  | 'non-json-stdout'
  /** A JSON message printed over several lines (the spec forbids embedded newlines). */
  | 'embedded-newlines'
  /** Valid JSON that is not a JSON-RPC 2.0 message. */
  | 'not-jsonrpc'
  /** A JSON-RPC batch array (removed from the protocol in 2025-06-18). */
  | 'batch'
  /** A response whose id matches no request ever sent. */
  | 'unknown-id'
  /** A second response for an id already answered. */
  | 'duplicate-response'
  /** A message larger than the size limit. */
  | 'oversized'
  /** An HTTP-level problem: wrong content type, bad status, malformed SSE. */
  | 'http';

/** Excerpts kept per kind. */
const MAX_EXCERPTS = 5;
/** Characters kept per excerpt. */
const EXCERPT_CHARS = 160;

export class Hygiene {
  /** Count per violation kind. */
  readonly counts: Partial<Record<ViolationKind, number>> = {};
  /** First few excerpts per kind (control characters removed, truncated). */
  readonly excerpts: Partial<Record<ViolationKind, string[]>> = {};
  /** Bytes of non-JSON output on stdout. */
  noiseBytes = 0;
  /** Responses that arrived after their request timed out or was cancelled. */
  lateResponses = 0;
  /** Requests the server sent to the client (sampling, elicitation, roots…), by method. */
  readonly serverRequests: Record<string, number> = {};
  /** Notifications received, by method. */
  readonly notifications: Record<string, number> = {};
  /** Messages and bytes received. */
  messagesIn = 0;
  bytesIn = 0;
  /** Messages and bytes sent. */
  messagesOut = 0;
  bytesOut = 0;

  /** Record a violation with an optional excerpt. */
  violation(kind: ViolationKind, excerpt?: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    if (excerpt === undefined) return;
    const list = (this.excerpts[kind] ??= []);
    if (list.length < MAX_EXCERPTS) {
      const clean = stripControl(excerpt);
      list.push(clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS)}…` : clean);
    }
  }

  /** Count a method in a bounded map (at most 100 distinct keys). */
  static bump(map: Record<string, number>, key: string): void {
    if (key in map) map[key]!++;
    else if (Object.keys(map).length < 100) map[key] = 1;
  }

  /** Total number of violations of every kind. */
  get totalViolations(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v ?? 0;
    return n;
  }
}
