/**
 * The headers of a Streamable HTTP session (MCP 2025-11-25 basic/transports; 2026-07-28
 * basic/transports/streamable-http): `Accept: application/json, text/event-stream` (MUST list
 * both), the user's headers, `Mcp-Session-Id` once the initialize response assigned one (MUST be
 * sent on every later request), and `MCP-Protocol-Version`: legacy era once initialize negotiated
 * it, modern era always, with `Mcp-Method` and, for tools/call, `Mcp-Name` (SEP-2243).
 */
import type { Hygiene } from '../hygiene.js';
import { learnSecret } from '../learnedSecrets.js';
import { METHODS, MODERN_VERSION, type Era, type JsonRpcMessage } from '../protocol.js';
import type { OutgoingInfo } from '../transport.js';
import type { HttpResponse } from './pool.js';
import { encodeHeaderValue } from './wire.js';

/** A request's header fields, by name as they go on the wire. */
export type HeaderFields = Record<string, string>;

/** Visible ASCII only: the spec's rule for session ids, and what a header value may safely hold. */
const VISIBLE_ASCII = /^[\x21-\x7e]{1,1024}$/;

/** What a session's headers depend on. */
export interface HeaderState {
  /** The user's headers with Accept and Content-Type (baseHeaders). */
  readonly base: HeaderFields;
  /** Era spoken on the connection. */
  readonly era: Era;
  /** Mcp-Session-Id assigned by the server, if any. A credential. */
  readonly sessionId: string | undefined;
  /** Version negotiated by initialize (legacy era), if any. */
  readonly protocolVersion: string | undefined;
}

/** The headers every POST carries: the user's, then Accept and Content-Type. */
export function baseHeaders(userHeaders: Record<string, string>): HeaderFields {
  return { ...userHeaders, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' };
}

/** The headers of a POST of this message now (see the module comment). Holds the session id: never print it. */
export function postHeaders(s: HeaderState, info: OutgoingInfo): HeaderFields {
  const headers: HeaderFields = { ...s.base };
  if (s.sessionId !== undefined) headers['Mcp-Session-Id'] = s.sessionId;
  if (s.era === 'modern') {
    headers['MCP-Protocol-Version'] = MODERN_VERSION;
    headers['Mcp-Method'] = encodeHeaderValue(info.method);
    if (info.name !== undefined) headers['Mcp-Name'] = encodeHeaderValue(info.name);
  } else if (s.protocolVersion !== undefined && info.method !== METHODS.initialize) {
    // An initialize (first, or replayed after an expiry) negotiates the version: none is claimed yet.
    headers['MCP-Protocol-Version'] = s.protocolVersion;
  }
  return headers;
}

/** The headers of the DELETE that ends session `sid`. */
export function deleteHeaders(s: HeaderState, sid: string): HeaderFields {
  const headers: HeaderFields = { ...s.base, 'Mcp-Session-Id': sid };
  delete headers['Content-Type'];
  if (s.protocolVersion !== undefined) headers['MCP-Protocol-Version'] = s.protocolVersion;
  return headers;
}

/** The headers of the GET that opens session `sid`'s server stream (http/serverStream.ts). */
export function streamHeaders(s: HeaderState, sid: string): HeaderFields {
  return { ...deleteHeaders(s, sid), Accept: 'text/event-stream' };
}

/**
 * The Mcp-Session-Id a response assigns, learned as a secret (never printed); undefined when it
 * assigns none, or one with characters other than visible ASCII (counted in hygiene, ignored).
 */
export function assignedSessionId(res: HttpResponse, hygiene: Hygiene): string | undefined {
  const sid = res.header('mcp-session-id');
  if (typeof sid !== 'string') return undefined;
  if (!VISIBLE_ASCII.test(sid)) {
    hygiene.violation('http', 'Mcp-Session-Id holds characters other than visible ASCII; ignored');
    return undefined;
  }
  learnSecret(sid);
  return sid;
}

/** The protocol version an initialize reply negotiated, when it is a sane header value. */
export function negotiatedVersion(m: JsonRpcMessage): string | undefined {
  const v = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  return typeof v === 'string' && VISIBLE_ASCII.test(v) ? v : undefined;
}

/** A copy of headers for another client to send (autocannon): the transport's own sets are shared and never changed. */
export function stringHeaders(h: HeaderFields): Record<string, string> {
  return { ...h };
}
