/**
 * POSTs to the HTTP front's MCP endpoint: one JSON-RPC message, or a batch where the protocol
 * version allows it (2025-03-26 only). Requests are answered on the POST; notifications and
 * responses get 202 Accepted (basic/transports, "Sending Messages").
 *
 * - Legacy era: `initialize` opens a session and its answer carries Mcp-Session-Id; every later
 *   POST must carry it (400 without, 404 for one unknown or ended).
 * - 2026-07-28 era (a modern MCP-Protocol-Version header or `_meta` version): headers are checked
 *   against the body (httpChecks.ts); each request gets a session of its own (the router's stateless
 *   kind: spread over the instances, as the era has no session to pin), closed after its answer;
 *   the client closing the POST before the answer cancels the request (2026-07-28: closing the
 *   stream is the cancellation). One session per request also keeps two clients' equal ids apart.
 *
 * JSON or SSE (replyMode): an answer is streamed only when something may come before it:
 * the client accepts text/event-stream AND a request carries `_meta.progressToken`, or (legacy
 * era) it is a tools/call from a client that declared sampling, elicitation or roots, whose
 * server may ask it something while the call runs. Otherwise JSON (or SSE if the client accepts
 * nothing else).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES, METHODS, type JsonRpcId, type JsonRpcMessage } from '../target/protocol.js';
import {
  VERSION_WITHOUT_HEADER, batchAllowed, checkModernRequest, header, isModernPost, modernErrorStatus, refusalBody,
  unsupportedVersion, type Refusal,
} from './httpChecks.js';
import { pickEncoding, type JsonCompression } from './compression.js';
import { PostReply, type ReplyMode } from './httpReply.js';
import { HttpSession, type SessionTable } from './httpSession.js';
import { keyOf } from './clientSession.js';
import type { Router } from './router.js';

/** What POST handling needs of the front. */
export interface PostContext {
  /** The router every message goes to. */
  router: Router;
  /** Legacy sessions by id. */
  sessions: SessionTable;
  /** True once the front stops (no new session). */
  draining(): boolean;
  /** Smallest JSON answer compressed, bytes; 0 turns compression off (compression.ts). */
  compressMinBytes: number;
}

/** A request: a method and an id. */
type Request = JsonRpcMessage & { id: JsonRpcId; method: string };

/** Answer `res` with a refusal (status and JSON-RPC error). */
export function refuse(res: ServerResponse, r: Refusal, id?: JsonRpcId | null): void {
  res.writeHead(r.status, { 'content-type': 'application/json' });
  res.end(refusalBody(r, id));
}

/** A refusal (400 unless told) with an "invalid request" error saying `message`. */
export function invalid(message: string, status = 400): Refusal {
  return { status, code: ERROR_CODES.invalidRequest, message: `mcp-opt proxy: ${message}` };
}

/** Handle one POST whose body is `text`. */
export function handlePost(ctx: PostContext, req: IncomingMessage, res: ServerResponse, text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(res, { status: 400, code: ERROR_CODES.parseError, message: 'mcp-opt proxy: the body is not JSON.' });
  }
  const batch = Array.isArray(parsed);
  const messages = (batch ? parsed : [parsed]) as unknown[];
  if (messages.length === 0 || !messages.every(isMessage)) return refuse(res, invalid('the body is not a JSON-RPC 2.0 message (or a batch of them).'));
  const ms = messages as JsonRpcMessage[];
  const version = header(req.headers, 'mcp-protocol-version');
  if (!batch && isModernPost(version, ms[0]!)) return modern(ctx, req, res, ms[0]!);
  const bad = unsupportedVersion(version);
  if (bad) return refuse(res, bad, batch ? null : ms[0]!.id);
  const init = ms.find((m) => m.method === METHODS.initialize);
  if (init) {
    if (batch || !isRequest(init)) return refuse(res, invalid('initialize must be a request of its own, not in a batch.'));
    return initialize(ctx, req, res, init);
  }
  const sid = header(req.headers, 'mcp-session-id');
  const s = sid === undefined ? undefined : ctx.sessions.touch(sid);
  if (!s) return refuse(res, sessionRefusal(sid, s)!, batch ? null : ms[0]!.id);
  const effective = version ?? s.negotiatedVersion ?? VERSION_WITHOUT_HEADER;
  if (batch && !batchAllowed(effective)) {
    return refuse(res, invalid(`protocol version ${effective} does not allow JSON-RPC batches (2025-03-26 was the last that did): send one message per POST.`));
  }
  const requests = ms.filter(isRequest);
  const keys = requests.map((r) => keyOf(r.id));
  if (new Set(keys).size < keys.length || requests.some((r) => s.awaits(r.id))) {
    return refuse(res, invalid('a request id of this POST is already in use by a request in flight on this session.'), batch ? null : ms[0]!.id);
  }
  if (requests.length > 0) {
    const mode = replyMode(req, requests, s.servesRequests && !s.modern);
    if (mode === null) return refuse(res, notAcceptable());
    const reply = new PostReply(res, mode, keys, batch, { compression: compressionOf(ctx, req) });
    for (const r of requests) s.expect(r.id, reply);
  } else {
    res.writeHead(202);
    res.end();
  }
  for (const m of ms) {
    ctx.router.receive(s.session, m);
    const cancelled = m.method === METHODS.cancelled ? (m.params as { requestId?: unknown } | undefined)?.requestId : undefined;
    if (typeof cancelled === 'string' || typeof cancelled === 'number') s.cancelled(cancelled);
  }
}

/** The refusal of a request that names no session (400) or one unknown or ended (404); null when `s` was found. */
export function sessionRefusal(sid: string | undefined, s: HttpSession | undefined): Refusal | null {
  if (sid === undefined) return invalid('the Mcp-Session-Id header is required: POST initialize first, then send the session id it returned.');
  if (s === undefined) return invalid('session not found: it was ended (DELETE, idle timeout or a proxy restart). Initialize a new one.', 404);
  return null;
}

/** `initialize`: a new legacy session, named in the answer's Mcp-Session-Id (unless initialize fails). */
function initialize(ctx: PostContext, req: IncomingMessage, res: ServerResponse, init: Request): void {
  if (ctx.draining()) return refuse(res, invalid('the proxy is shutting down; no new session.', 503), init.id);
  const mode = replyMode(req, [init], false);
  if (mode === null) return refuse(res, notAcceptable(), init.id);
  const s = new HttpSession(ctx.router, randomUUID(), ctx.sessions.now);
  s.session = ctx.router.openSession(s);
  s.session.authContext = authContextOf(req) ?? s.session.authContext;
  const caps = (init.params as { capabilities?: Record<string, unknown> } | undefined)?.capabilities ?? {};
  s.servesRequests = ['sampling', 'elicitation', 'roots'].some((k) => caps[k] !== undefined);
  ctx.sessions.add(s);
  const sid = { 'mcp-session-id': s.id! };
  const reply = new PostReply(res, mode, [keyOf(init.id)], false, { sseHeaders: sid, compression: compressionOf(ctx, req), decorate: (json) => {
    const answer = JSON.parse(json) as JsonRpcMessage;
    if (answer.error !== undefined) {
      // No session came of it: forget it (the client sends initialize again).
      queueMicrotask(() => {
        ctx.sessions.remove(s);
        s.end(404, '');
      });
      return { status: 200, headers: {} };
    }
    const v = (answer.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof v === 'string') s.negotiatedVersion = v;
    return { status: 200, headers: sid };
  } });
  s.expect(init.id, reply);
  ctx.router.receive(s.session, init);
}

/** A 2026-07-28 POST (see the module comment). */
function modern(ctx: PostContext, req: IncomingMessage, res: ServerResponse, m: JsonRpcMessage): void {
  if (typeof m.method !== 'string') return refuse(res, invalid('a 2026-07-28 client sends no JSON-RPC responses over Streamable HTTP.'), m.id);
  if (!isRequest(m)) {
    // No client notification is defined for this era over HTTP (cancellation is closing the stream).
    res.writeHead(202);
    return void res.end();
  }
  const bad = checkModernRequest(req.headers, m);
  if (bad) return refuse(res, bad, m.id);
  const mode = replyMode(req, [m], false);
  if (mode === null) return refuse(res, notAcceptable(), m.id);
  const s = new HttpSession(ctx.router, null, ctx.sessions.now);
  s.session = ctx.router.openSession(s, true);
  s.session.authContext = authContextOf(req) ?? s.session.authContext;
  const reply = new PostReply(res, mode, [keyOf(m.id)], false, { compression: compressionOf(ctx, req), decorate: (json) => {
    const code = json.includes('"error"') ? (JSON.parse(json) as JsonRpcMessage).error?.code : undefined;
    return { status: code === undefined ? 200 : modernErrorStatus(code), headers: {} };
  } });
  s.expect(m.id, reply);
  // Closing the POST before the answer is the cancellation: the router cancels what the session has in flight.
  reply.whenGone(() => ctx.router.closeSession(s.session));
  ctx.router.receive(s.session, m);
}

/**
 * The authorization context of a request (2026-07-28 server/utilities/caching: a `private` cached
 * answer MUST NOT be shared across them): its bearer credentials, hashed so the token is not kept;
 * null without an Authorization header (the session is its own context).
 */
function authContextOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  return auth === undefined || auth === '' ? null : `auth ${createHash('sha256').update(auth).digest('base64url')}`;
}

/** JSON or SSE for an answer to `requests` (see the module comment); null when the client accepts neither. */
export function replyMode(req: IncomingMessage, requests: readonly JsonRpcMessage[], mayAskClient: boolean): ReplyMode | null {
  const accept = (header(req.headers, 'accept') ?? '').toLowerCase();
  const sse = accept.includes('text/event-stream');
  const json = accept === '' || accept.includes('application/json') || accept.includes('*/*') || accept.includes('application/*');
  if (!sse) return json ? 'json' : null;
  const preceded = requests.some((r) => {
    const meta = (r.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
    return meta?.progressToken !== undefined || (mayAskClient && r.method === METHODS.toolsCall);
  });
  return preceded || !json ? 'sse' : 'json';
}

/** How the JSON answers to `req` are compressed: as its Accept-Encoding allows, from ctx.compressMinBytes up. */
function compressionOf(ctx: PostContext, req: IncomingMessage): JsonCompression {
  return { encoding: ctx.compressMinBytes > 0 ? pickEncoding(header(req.headers, 'accept-encoding')) : null, minBytes: ctx.compressMinBytes };
}

/** The 406 of a POST whose Accept lists neither answer type. */
function notAcceptable(): Refusal {
  return invalid('the Accept header must list application/json and text/event-stream.', 406);
}

/** A JSON-RPC 2.0 request, notification or response (shape only; the router reads the rest). */
function isMessage(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as JsonRpcMessage;
  if (m.jsonrpc !== '2.0') return false;
  if (m.method !== undefined) return typeof m.method === 'string' && (m.id === undefined || typeof m.id === 'string' || typeof m.id === 'number');
  return (typeof m.id === 'string' || typeof m.id === 'number') && (m.result !== undefined || m.error !== undefined);
}

/** True for a request (a method and an id). */
function isRequest(m: JsonRpcMessage): m is Request {
  return typeof m.method === 'string' && m.id !== undefined && m.id !== null;
}
