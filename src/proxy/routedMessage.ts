/** What the router reads from and writes into a message's text: era, outcome, and the id spliced in. */
import { replaceRawId } from '../target/rawMessage.js';
import { LEGACY_VERSIONS, META_KEYS, isModernVersion, type JsonRpcId, type JsonRpcMessage } from '../target/protocol.js';

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

/** The Mcp-Name of a request (2026-07-28 basic/transports/streamable-http): tools/call and prompts/get name it, resources/read by its URI. */
export function nameOf(method: string, params: { name?: unknown; uri?: unknown } | undefined): string | undefined {
  const v = method === 'resources/read' ? params?.uri : method === 'tools/call' || method === 'prompts/get' ? params?.name : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** True for the error an HTTP transport gives a request that met an expired session (404): the server never ran it (target/http/exchange.ts failHttp). */
export function isSessionExpiry(m: JsonRpcMessage): boolean {
  const data = m.error?.data as { sessionExpired?: unknown; transportError?: unknown } | undefined;
  return data?.sessionExpired === true && data.transportError === true;
}

/**
 * The initialize result a client gets from a warm instance: the instance's, with the protocol
 * version the client asked for when that is a legacy version no newer than the instance's
 * (basic/lifecycle, version negotiation: the server answers with the requested version when it
 * supports it). An SDK client that knows versions up to 2025-06-18 only would refuse 2025-11-25
 * and disconnect.
 */
export function initializeAnswerFor(result: Record<string, unknown>, requested: unknown): Record<string, unknown> {
  const ours = result['protocolVersion'];
  if (typeof requested !== 'string' || typeof ours !== 'string' || requested === ours || !LEGACY_VERSIONS.includes(requested) || requested > ours) return result;
  return { ...result, protocolVersion: requested };
}
