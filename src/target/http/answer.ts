/**
 * The JSON-RPC reply inside one complete HTTP response, for load generators that own their
 * sockets (autocannon). Bodies are read by body.ts, as the Streamable HTTP transport reads them:
 * application/json or an SSE stream on 2xx (MCP 2025-11-25 basic/transports: the client MUST
 * handle both), and non-2xx answers become synthetic errors carrying `httpStatus` (or the
 * server's own JSON-RPC error when the body is one for this id), so runners/bench/recording.ts `failureClass`
 * sorts both paths' failures the same way.
 */
import type { Hygiene } from '../hygiene.js';
import type { JsonRpcMessage } from '../protocol.js';
import { BodyReader, framingOf } from './body.js';
import { errorReply, syntheticError } from './wire.js';

/** One HTTP response as a load generator saw it. */
export interface HttpAnswer {
  /** HTTP status code. */
  status: number;
  /** Media type, lower-cased, without parameters. */
  contentType: string;
  /** The whole body, as text (a JSON document or an SSE stream). */
  body: string;
}

/** The JSON-RPC responses (messages with an id and no method) in a 2xx body; [] otherwise. */
export function responsesIn(a: HttpAnswer, hygiene: Hygiene): JsonRpcMessage[] {
  if (a.status < 200 || a.status >= 300) return [];
  const framing = framingOf(a.contentType);
  // A blank JSON body (or one neither JSON nor SSE) holds no message; it is not counted as undecodable here.
  if (framing === 'other' || (framing === 'json' && a.body.trim().length === 0)) return [];
  const out: JsonRpcMessage[] = [];
  const reader = new BodyReader(framing, hygiene, (m) => {
    if (m.method === undefined && m.id !== undefined) out.push(m);
  });
  reader.readAll(a.body);
  return out;
}

/**
 * The reply to request `id` (`method`) from its HTTP answer and the responses found in it.
 * `sessionSent`: the request carried an Mcp-Session-Id, so a 404 means the session expired.
 */
export function replyFor(id: number, method: string, a: HttpAnswer, responses: readonly JsonRpcMessage[], sessionSent: boolean): JsonRpcMessage {
  if (a.status >= 200 && a.status < 300) {
    const own = responses.find((m) => m.id === id);
    if (own) return own;
    // A stream that ended before its reply is a closed stream (class 'closed', runners/bench/recording.ts), not an HTTP failure.
    return a.contentType === 'text/event-stream'
      ? syntheticError(id, `the SSE stream closed before the reply to ${method} arrived`, { httpStatus: a.status, streamClosed: true })
      : syntheticError(id, `HTTP ${a.status} (${a.contentType || 'no Content-Type'}) carried no reply to ${method}`, { httpStatus: a.status });
  }
  const expired = a.status === 404 && sessionSent;
  return errorReply(id, a.status, a.body, expired ? { sessionExpired: true } : {}, a.contentType).message;
}

/** Media type of a header set as autocannon hands it over (names as the server spelled them). */
export function contentTypeOf(headers: Record<string, string | string[]>): string {
  for (const [name, value] of Object.entries(headers)) {
    if (name.length === 12 && name.toLowerCase() === 'content-type') {
      return String(Array.isArray(value) ? value[0] : value).split(';')[0]!.trim().toLowerCase();
    }
  }
  return '';
}
