/**
 * Samples of failed (and suspicious) replies kept in analyze and bench results, so a reader sees
 * what the server said and what was sent, not just a count.
 */

/** Failure class of a tools/call whose arguments the server rejected: not counted as a server failure. */
export const ARGUMENT_REJECTED = 'argument-rejected';

/** The first reply of one failure class: what the server said, and the arguments that drew it. */
export interface ErrorSample {
  /** Operation label ('tools/call:<name>', 'ping', …). */
  op: string;
  /** The server's text (JSON-RPC error message, or the first text of an `isError` result): control characters stripped, cut to 300 characters; null when it sent none (timeouts, closed connections). */
  message: string | null;
  /** The arguments of that call when mcp-opt synthesised them; null for arguments the user gave and for methods. */
  args: Record<string, unknown> | null;
}

/** Successful results whose first text looks like an error (heuristic: see src/runners/replyClass.ts). */
export interface ErrorLikeResults {
  /** How many successful results matched. */
  count: number;
  /** The first of them. */
  sample: ErrorSample;
}
