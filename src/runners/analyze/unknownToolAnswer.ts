/**
 * Is a reply to `tools/call` of a name the server does not list a real "unknown tool" answer?
 * The lookup probe measures a registry miss only if the server looked the name up and said so.
 * A server that does work on every call before the lookup (a browser-automation server launches
 * its browser first) answers with something else, and timing those answers measures that work.
 *
 * Accepted: a JSON-RPC error (spec, Tools, Error Handling: "Unknown tools" are a protocol error,
 * e.g. -32602), or the shape SDK v1 `McpServer` produces, an `isError: true` result whose text
 * says the tool is unknown ("MCP error -32602: Tool x not found").
 */
import type { Reply } from '../../target/session.js';
import { cleanText } from '../replyClass.js';

/** Texts that say a tool name is unknown (SDKs and hand-written servers word it differently). */
const UNKNOWN_TOOL_TEXT = new RegExp(
  [
    String.raw`\bnot\s+found\b`, String.raw`\bunknown\s+tool\b`, String.raw`\bno\s+such\s+tool\b`,
    String.raw`\bno\s+tool\s+(named|called|with)\b`, String.raw`\btool\b.{0,200}\b(does\s+not|doesn't)\s+exist\b`,
    String.raw`\btool\b.{0,200}\bnot\s+(registered|available|defined|recogni[sz]ed)\b`, String.raw`\binvalid\s+tool(\s+name)?\b`,
  ].join('|'),
  'is',
);

/** Characters of the server's answer kept in a reason (a longer one: that many, then "…"). */
const EXCERPT_CHARS = 160;

/** Verdict on one reply: null = a real unknown-tool answer; else why it is not one. */
export type UnknownToolVerdict = null | {
  /** 'result': a success; 'isError': an isError result that does not say "unknown tool"; 'other': a timeout or closed connection. */
  kind: 'result' | 'isError' | 'other';
  /** The start of the answer's text (or the outcome, for 'other'). */
  excerpt: string;
};

/** Judge a reply to tools/call of an unknown name. Timeouts and closed connections are 'other'. */
export function judgeUnknownToolAnswer(reply: Pick<Reply, 'outcome' | 'result' | 'error'>): UnknownToolVerdict {
  if (reply.outcome === 'error') return null;
  if (reply.outcome !== 'result') return { kind: 'other', excerpt: reply.outcome };
  const text = resultText(reply.result);
  const isError = (reply.result as { isError?: unknown } | null)?.isError === true;
  if (isError && UNKNOWN_TOOL_TEXT.test(text)) return null;
  return { kind: isError ? 'isError' : 'result', excerpt: cleanText(text || JSON.stringify(reply.result) || '', EXCERPT_CHARS + 1) };
}

/** The reason, in a sentence, that a verdict makes the registry cost unmeasurable. */
export function unmeasurableReason(unknownName: string, v: NonNullable<UnknownToolVerdict>): string {
  const what = v.kind === 'other'
    ? `did not answer a tools/call of an unknown tool ("${unknownName}") (${v.excerpt})`
    : `answered a tools/call of an unknown tool ("${unknownName}") with ${v.kind === 'isError' ? 'an isError result' : 'a successful result'} ` +
      `that does not say the tool is unknown ("${v.excerpt}"): it may act before looking the name up`;
  return `The server ${what}, so timing those calls would not measure a registry miss; the lookup probes were stopped.`;
}

/** Concatenated text content of a tools/call result ('' when there is none). */
function resultText(result: unknown): string {
  const content = (result as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join(' ');
}
