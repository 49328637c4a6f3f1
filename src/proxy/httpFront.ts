/**
 * The Streamable HTTP front of `mcp-opt proxy` (--listen): one loopback endpoint serving both eras
 * (2025-03-26 … 2025-11-25 basic/transports with sessions; 2026-07-28
 * basic/transports/streamable-http without), several clients at once, each its own router session.
 * POST is httpPost.ts; GET opens a legacy session's server→client stream; DELETE ends a session;
 * /metrics, /healthz and /readyz are served on the same port. Every request's Origin is checked
 * (DNS rebinding: a web page elsewhere gets 403 unless --allow-origin names it); an accepted one
 * gets CORS headers, and OPTIONS preflights are answered.
 *
 * Written on node:http rather than the SDK's StreamableHTTPServerTransport: that one (SDK v1
 * server/webStandardStreamableHttp.js) turns every Node request into a web Request through
 * @hono/node-server, re-validates each message with its zod JSONRPCMessageSchema before handing it
 * on, serves one session per transport object, and refuses MCP-Protocol-Version 2026-07-28 (not in
 * its SUPPORTED_PROTOCOL_VERSIONS) without checking Mcp-Method or Mcp-Name. The proxy passes
 * messages through as parsed JSON, and must speak both eras on one endpoint.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../options/proxyOptions.js';
import { ERROR_CODES, isModernVersion } from '../target/protocol.js';
import { COMPRESS_MIN_BYTES } from './compression.js';
import { header, originAllowed, refusalBody, unsupportedVersion } from './httpChecks.js';
import { handlePost, invalid, refuse, sessionRefusal, type PostContext } from './httpPost.js';
import { IDLE_SESSION_MS, SessionTable, type HttpSession } from './httpSession.js';
import { closeServer, listen, urlOf } from './observability.js';
import type { ProxyLog } from './proxyLog.js';
import type { Router } from './router.js';
import { SseStream } from './sse.js';

/** Largest POST body read, bytes (a bigger one gets 413). */
export const MAX_POST_BYTES = 16 * 1024 * 1024;
/** The answer to a CORS preflight of an accepted origin: the methods and MCP headers a page may send. */
const PREFLIGHT = {
  'access-control-allow-methods': 'GET, POST, DELETE',
  'access-control-allow-headers': 'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id',
  'access-control-max-age': '600',
} as const;
/** How often idle legacy sessions are looked for, ms. */
const IDLE_SWEEP_MS = 30_000;

/** Settings of the HTTP front. */
export interface HttpFrontSettings {
  /** Loopback address and endpoint path (--listen). */
  at: ListenAddress;
  /** Origins accepted besides loopback ones (--allow-origin). */
  allowOrigins: readonly string[];
  /** A legacy session idle this long ends, ms (default IDLE_SESSION_MS). */
  idleSessionMs?: number;
  /** Smallest JSON answer compressed (br or gzip, as the client accepts), bytes; 0 turns it off (default COMPRESS_MIN_BYTES). */
  compressMinBytes?: number;
  /** Serve a non-MCP path (observability); false when it is none. */
  other: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** One line per event worth telling. */
  log: ProxyLog;
}

/** A running HTTP front. */
export interface HttpFront {
  /** The MCP endpoint's URL (with the port the OS gave). */
  readonly url: string;
  /** Legacy sessions open. */
  readonly sessionCount: number;
  /** Take no new connection or session (a drain starts); requests in flight go on. */
  stopAccepting(): void;
  /** End every session and stream, and close every connection. */
  close(): Promise<void>;
}

/** Listen on `settings.at` and serve MCP clients through `router`. */
export async function startHttpFront(router: Router, settings: HttpFrontSettings): Promise<HttpFront> {
  const sessions = new SessionTable(settings.idleSessionMs ?? IDLE_SESSION_MS);
  const allowed = new Set(settings.allowOrigins.map((o) => new URL(o).origin));
  let draining = false;
  const ctx: PostContext = { router, sessions, draining: () => draining, compressMinBytes: settings.compressMinBytes ?? COMPRESS_MIN_BYTES };
  const end = (s: HttpSession, why: string): void => {
    sessions.remove(s);
    s.end(404, refusalBody({ status: 404, code: ERROR_CODES.invalidRequest, message: `mcp-opt proxy: the session ended (${why}).` }, null));
  };

  const server: Server = createServer((req, res) => {
    if (settings.other(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path !== settings.at.path) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end(`not found: the MCP endpoint is ${settings.at.path} (also /metrics, /healthz, /readyz)\n`);
    }
    const origin = header(req.headers, 'origin');
    if (!originAllowed(origin, allowed)) {
      const o = String(origin).slice(0, 100);
      return refuse(res, invalid(`Origin ${o} is not allowed: only loopback origins are, unless the proxy is started with --allow-origin ${o}.`, 403));
    }
    if (origin !== undefined) {
      // A browser page of an accepted origin may read the answers and the session id (CORS).
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'mcp-session-id');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT);
      return void res.end();
    }
    if (req.method === 'POST') return readPost(req, res, (text) => handlePost(ctx, req, res, text));
    if (req.method === 'GET') return openStream(req, res);
    if (req.method === 'DELETE') return deleteSession(req, res);
    res.writeHead(405, { allow: 'GET, POST, DELETE, OPTIONS' });
    res.end();
  });

  /** GET: the session's server→client stream (legacy; 2026-07-28 removed it: 405). */
  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    const version = header(req.headers, 'mcp-protocol-version');
    if (version !== undefined && isModernVersion(version)) {
      res.writeHead(405, { allow: 'POST' });
      return void res.end();
    }
    if (!(header(req.headers, 'accept') ?? '').includes('text/event-stream')) {
      return refuse(res, invalid('a GET opens an event stream: send Accept: text/event-stream.', 406));
    }
    const s = session(req, res);
    if (!s) return;
    if (s.hasStream) return refuse(res, invalid('this session already has a GET stream open; close it first.', 409));
    s.attach(new SseStream(res));
  };

  /** DELETE: the client ends its session (2025-11-25 basic/transports, session management). */
  const deleteSession = (req: IncomingMessage, res: ServerResponse): void => {
    const s = session(req, res);
    if (!s) return;
    end(s, 'the client deleted it');
    res.writeHead(200);
    res.end();
  };

  /** The session named by a request's Mcp-Session-Id, or null after answering 400 (none), 404 (unknown) or 400 (bad version). */
  const session = (req: IncomingMessage, res: ServerResponse): HttpSession | null => {
    const sid = header(req.headers, 'mcp-session-id');
    const s = sid === undefined ? undefined : sessions.touch(sid);
    const bad = unsupportedVersion(header(req.headers, 'mcp-protocol-version')) ?? sessionRefusal(sid, s);
    if (bad) refuse(res, bad);
    return bad ? null : s!;
  };

  const sweeper = setInterval(() => {
    const idle = sessions.takeIdle();
    for (const s of idle) end(s, `idle for ${Math.round(sessions.idleMs / 1000)} s`);
    if (idle.length > 0) settings.log(`ended ${idle.length} client session${idle.length > 1 ? 's' : ''} idle for ${Math.round(sessions.idleMs / 1000)} s`, { event: 'sessions_idle_ended', sessions: idle.length, idleMs: sessions.idleMs });
  }, Math.min(IDLE_SWEEP_MS, sessions.idleMs));
  sweeper.unref();

  await listen(server, settings.at);
  const url = urlOf(server, settings.at.path);
  return {
    url,
    get sessionCount() {
      return sessions.size;
    },
    stopAccepting() {
      draining = true;
      server.close();
      server.closeIdleConnections();
    },
    async close() {
      draining = true;
      clearInterval(sweeper);
      for (const s of sessions.all()) end(s, 'the proxy stopped');
      await closeServer(server);
    },
  };
}

/** Read a POST body (application/json, at most MAX_POST_BYTES) and hand its text to `then`; refusals are answered here. */
function readPost(req: IncomingMessage, res: ServerResponse, then: (text: string) => void): void {
  const type = (header(req.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return refuse(res, invalid('POST a JSON-RPC message with Content-Type: application/json.', 415));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_POST_BYTES) {
      if (!res.headersSent) refuse(res, invalid(`the body is larger than ${MAX_POST_BYTES} bytes.`, 413));
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (size <= MAX_POST_BYTES) then(Buffer.concat(chunks).toString('utf8'));
  });
}
