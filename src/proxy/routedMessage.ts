/** What the router reads from and writes into a message's text: era, outcome, and the id spliced in. */
import { replaceRawId } from '../target/rawMessage.js';
import { META_KEYS, isModernVersion, type JsonRpcId, type JsonRpcMessage } from '../target/protocol.js';

/** True when a request carries the 2026-07-28 version in its `_meta` (basic/versioning). */
export function isModernRequest(m: JsonRpcMessage): boolean {
  const v = (m.params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[META_KEYS.protocolVersion];
  return typeof v === 'string' && isModernVersion(v);
}

/** How an answer ended, for metrics: a result, a tool error (isError) or a JSON-RPC error. */
export function classify(m: JsonRpcMessage): 'result' | 'tool_error' | 'jsonrpc_error' {
  if (m.error !== undefined) return 'jsonrpc_error';
  return (m.result as { isError?: unknown } | undefined)?.isError === true ? 'tool_error' : 'result';
}

/**
 * `m` with `id` as its id, serialised: its own text with the id spliced in when the front gave it
 * (`npm run bench:proxy`: JSON.stringify of each message both ways was the largest share of the
 * proxy's CPU per request), else JSON.stringify.
 */
export function withId(m: JsonRpcMessage, raw: string | undefined, id: JsonRpcId): string {
  const spliced = raw === undefined ? null : replaceRawId(raw, m.id, typeof id === 'number' ? String(id) : JSON.stringify(id));
  if (spliced !== null) return spliced;
  m.id = id;
  return JSON.stringify(m);
}
