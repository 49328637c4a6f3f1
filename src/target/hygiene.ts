/**
 * Counters of what a server did wrong on the wire, with a few excerpts as evidence. Counting is
 * cheap and bounded: excerpts are capped in number and length.
 */
import { stripControl } from '../util/controlChars.js';

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
  /** Bytes on stdout that are not valid UTF-8 (the transport's required encoding): one per invalid sequence. */
  | 'invalid-utf8'
  /** An HTTP-level problem: wrong content type, bad status, malformed SSE. */
  | 'http';

/** Excerpts kept per kind. */
const MAX_EXCERPTS = 5;
/** Characters kept per excerpt. */
const EXCERPT_CHARS = 160;

/** Counts of protocol violations on one wire, with a few excerpts of each kind as evidence. */
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
  /** Messages discarded for exceeding mcp-opt's size limit (a reply among them never arrives). */
  discardedMessages = 0;
  /** Size of the largest discarded message, bytes (as far as it was read). */
  largestDiscardedBytes = 0;
  /** The size limit those messages exceeded, bytes (0 until one was discarded). */
  discardLimitBytes = 0;

  /** Record `n` violations of a kind (one by default), with an optional excerpt. */
  violation(kind: ViolationKind, excerpt?: string, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
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

  /** Record a message discarded for its size (counted as 'oversized' too, once, where it began). */
  discarded(bytes: number, limitBytes: number, first: boolean): void {
    if (first) {
      this.discardedMessages++;
      this.violation('oversized', `a message of ${bytes}+ bytes (over the ${limitBytes}-byte limit) was discarded`);
    }
    this.discardLimitBytes = limitBytes;
    this.largestDiscardedBytes = Math.max(this.largestDiscardedBytes, bytes);
  }

  /**
   * One sentence for an error that a discarded message may explain (a request that got no
   * answer), with a leading space, or '' when none was discarded.
   */
  discardNote(): string {
    const d = discardSentence([this]);
    return d ? ` ${d}: it was probably the answer. Keep each message well under 10 MiB (the SDK client limit).` : '';
  }

  /** Total number of violations of every kind. */
  get totalViolations(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v ?? 0;
    return n;
  }
}

/** Bytes as MiB with one decimal ("64.0 MiB"). */
function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * "A 65.0 MiB message from the server (… bytes, over mcp-opt's …-byte limit (64.0 MiB)) was
 * discarded", over one or more wires (a pool), or '' when none was discarded.
 */
export function discardSentence(wires: readonly Hygiene[]): string {
  const n = wires.reduce((a, h) => a + h.discardedMessages, 0);
  if (n === 0) return '';
  const largest = Math.max(...wires.map((h) => h.largestDiscardedBytes));
  const limitBytes = Math.max(...wires.map((h) => h.discardLimitBytes));
  const limit = `mcp-opt's ${limitBytes}-byte limit (${mib(limitBytes)})`;
  return n === 1
    ? `A ${mib(largest)} message from the server (${largest} bytes, over ${limit}) was discarded`
    : `${n} messages from the server over ${limit} were discarded (the largest ${mib(largest)}, ${largest} bytes)`;
}
