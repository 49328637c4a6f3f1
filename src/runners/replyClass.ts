/**
 * How a reply is classed, the same way in analyze's loops and bench's engines: a success (null),
 * 'argument-rejected' (the server refused the arguments it was sent, which is not a failure of the
 * server), 'isError', 'jsonrpc:<code>', or the outcome ('timeout', 'closed', 'cancelled'). An
 * ErrorLog keeps the first reply of each class, and counts successful results whose text reads
 * like an error (a heuristic: a server that catches an exception and returns its message as
 * ordinary content).
 */
import { ARGUMENT_REJECTED, type ErrorLikeResults, type ErrorSample } from '../result/errorSample.js';
import { METHODS } from '../target/protocol.js';
import type { Reply } from '../target/session.js';
import { stripControl } from '../util/controlChars.js';

export { ARGUMENT_REJECTED };
/** JSON-RPC 2.0 §5.1 "Invalid params": what the MCP SDKs answer for arguments that fail a tool's inputSchema. */
export const INVALID_PARAMS = -32602;
/** Longest server text kept in a sample, characters. */
export const MAX_MESSAGE_CHARS = 300;

/**
 * `isError` texts that blame the arguments: schema validation (the SDKs' "Input validation error",
 * "Invalid arguments for tool …", "MCP error -32602"), and access rules such as server-filesystem's
 * "Access denied - path outside allowed directories: … not in …".
 */
const REJECTION_TEXT = /invalid (?:argument|param|input|value)|input validation|validation (?:error|failed)|not allowed|outside (?:the |of )?allowed|access denied|MCP error -32602/i;
/** A path of the wrong kind (a directory where a file was wanted, or the reverse): the arguments' fault. */
const PATH_KIND = /\b(?:EISDIR|ENOTDIR)\b|illegal operation on a directory/i;
/** A path that does not exist: the arguments' fault only when the text names a value that was sent (not the server's own config file). */
const PATH_MISSING = /\bENOENT\b|no such file or directory/i;
/** Error-like success, heuristic: the first text starts like an error… */
const ERROR_START = /^\s*(?:error|exception|traceback)\b/i;
/** …or is short and says something failed ("fetch failed"; not a tally such as "0 failed"). */
const ERROR_WORD = /(?<!\d )\bfailed\b|\bexception\b/i;
/** Longer texts are content (logs, reports, test output), not an error message. */
const ERROR_WORD_MAX_CHARS = 500;

/** Class of a reply to a request sent with params `paramsJson`: null for a success. */
export function classifyReply(reply: Reply, paramsJson?: string): string | null {
  if (reply.outcome === 'result') {
    const r = reply.result as { isError?: unknown } | null;
    if (r?.isError !== true) return null;
    return reply.method === METHODS.toolsCall && isRejectionText(errorText(reply) ?? '', paramsJson) ? ARGUMENT_REJECTED : 'isError';
  }
  if (reply.outcome === 'error') {
    if (reply.method === METHODS.toolsCall && reply.error?.code === INVALID_PARAMS) return ARGUMENT_REJECTED;
    return `jsonrpc:${reply.error?.code}`;
  }
  return reply.outcome;
}

/** True when an error text blames the arguments of a call sent with `paramsJson`. */
export function isRejectionText(text: string, paramsJson?: string): boolean {
  if (REJECTION_TEXT.test(text) || PATH_KIND.test(text)) return true;
  return PATH_MISSING.test(text) && stringArgs(paramsJson).some((v) => text.includes(v));
}

/** The server's own text for a failed reply (JSON-RPC error message, or an isError result's first text), raw; null when none. */
export function errorText(reply: Reply): string | null {
  if (reply.outcome === 'error' && reply.error) {
    const data = typeof reply.error.data === 'string' ? `: ${reply.error.data}` : '';
    return `${reply.error.message}${data}`;
  }
  if (reply.outcome === 'result') {
    const content = (reply.result as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return null;
    const item = content.find((c) => (c as { type?: unknown })?.type === 'text') as { text?: unknown } | undefined;
    return typeof item?.text === 'string' ? item.text : null;
  }
  return null;
}

/** Server text made safe to keep: control characters stripped, whitespace folded, cut to `max` characters. */
export function cleanText(text: string, max = MAX_MESSAGE_CHARS): string {
  const one = stripControl(text).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * Heuristic: a successful tools/call result whose first content item is text that starts with
 * "Error"/"Exception"/"Traceback", or is at most ERROR_WORD_MAX_CHARS long and contains the word
 * "failed" (not after a number) or "exception" (e.g. `Error fetching …: fetch failed` without `isError`).
 */
export function looksLikeError(reply: Reply): boolean {
  if (reply.method !== METHODS.toolsCall || reply.outcome !== 'result') return false;
  const first = ((reply.result as { content?: unknown } | null)?.content as Array<{ type?: unknown; text?: unknown }> | undefined)?.[0];
  const text = first?.type === 'text' ? first.text : undefined;
  if (typeof text !== 'string') return false;
  return ERROR_START.test(text) || (text.length <= ERROR_WORD_MAX_CHARS && ERROR_WORD.test(text));
}

/** The arguments object inside serialised tools/call params, or null. */
export function argsOf(paramsJson: string | undefined): Record<string, unknown> | null {
  if (paramsJson === undefined) return null;
  try {
    const a = (JSON.parse(paramsJson) as { arguments?: unknown }).arguments;
    return a !== null && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** String values (two characters or more) anywhere in the arguments of `paramsJson`. */
function stringArgs(paramsJson: string | undefined): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      if (v.length >= 2) out.push(v);
    } else if (v !== null && typeof v === 'object' && depth < 8) {
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(argsOf(paramsJson), 0);
  return out;
}

/** The first reply of each failure class, and the successes that read like errors. */
export class ErrorLog {
  /** First reply per class. */
  readonly samples: Record<string, ErrorSample> = {};
  /** Successful results that look like errors (looksLikeError), or null when none did. */
  errorLike: ErrorLikeResults | null = null;

  /**
   * Note a reply of operation `op` classed `cls` (null: a success). `paramsJson` is what was sent;
   * its arguments are kept only when `synthesised` (arguments the user gave may hold secrets).
   */
  note(cls: string | null, reply: Reply, op: string, paramsJson: string | undefined, synthesised: boolean): void {
    if (cls === null) {
      if (!looksLikeError(reply)) return;
      if (this.errorLike) this.errorLike.count++;
      else this.errorLike = { count: 1, sample: sampleOf(reply, op, paramsJson, synthesised) };
      return;
    }
    if (!Object.hasOwn(this.samples, cls)) this.samples[cls] = sampleOf(reply, op, paramsJson, synthesised);
  }

  /** Add another log's samples (first one wins) and counts. */
  merge(other: ErrorLog): void {
    for (const [cls, s] of Object.entries(other.samples)) if (!Object.hasOwn(this.samples, cls)) this.samples[cls] = s;
    if (other.errorLike) {
      if (this.errorLike) this.errorLike.count += other.errorLike.count;
      else this.errorLike = { ...other.errorLike };
    }
  }
}

function sampleOf(reply: Reply, op: string, paramsJson: string | undefined, synthesised: boolean): ErrorSample {
  const text = errorText(reply);
  return { op, message: text === null ? null : cleanText(text), args: synthesised ? argsOf(paramsJson) : null };
}
