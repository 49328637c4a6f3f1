/**
 * What both HTTP transports and the era probe share: one keep-alive connection pool per target,
 * request bookkeeping (bytes not yet sent, requests in flight), JSON-RPC decoding of bodies and
 * SSE data, and the synthetic error responses that turn HTTP failures into request outcomes.
 *
 * node:http rather than fetch: a measuring client wants to know when each byte leaves and
 * arrives, and to own its sockets. Redirects are never followed (node:http does not), so a
 * request cannot be sent, with its headers, to another origin; TLS verification is left on.
 */
import http from 'node:http';
import https from 'node:https';
import { TargetError, UsageError } from '../../errors.js';
import type { Hygiene } from '../hygiene.js';
import { redactUrl } from '../launchSpec.js';
import type { JsonRpcErrorObject, JsonRpcMessage } from '../protocol.js';

/**
 * Sockets per target. Each Streamable HTTP request holds a socket until its response ends, so
 * this bounds true concurrency: requests beyond it wait inside the client, and that wait would be
 * measured as server latency. 256 is above any concurrency mcp-opt's load modes use.
 */
export const MAX_SOCKETS = 256;
/** Error code of synthetic error responses (JSON-RPC "server error" range, as the SDK uses). */
export const HTTP_ERROR_CODE = -32000;
/** Body characters quoted in a synthetic error message. */
const BODY_EXCERPT_CHARS = 200;
/** Bytes of an error body read before giving up on the rest. */
const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** Parse and check a target URL: http(s) only, errors name the URL (redacted). */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${redactUrl(raw)}" is not a valid URL. Give the server's full MCP endpoint, e.g. http://127.0.0.1:3000/mcp.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${redactUrl(raw)}: only http:// and https:// URLs can be measured over HTTP.`);
  }
  return url;
}

/** The TargetError for a server that cannot be reached at all. */
export function unreachable(url: URL, err: unknown): TargetError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new TargetError(
    `Could not reach ${redactUrl(url.href)}: ${code ? `${code}, ` : ''}${(err as Error).message}. ` +
      'Check that the server is running and listening on that address, and that the URL is right.',
    undefined,
    { cause: err },
  );
}

/** A JSON-RPC error response standing in for an HTTP failure of request `id`. */
export function syntheticError(id: number, message: string, data: Record<string, unknown>, code = HTTP_ERROR_CODE): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error: { code, message, data: { ...data, transportError: true } } };
}

/**
 * The reply for request `id` from a non-2xx response. A body that is a JSON-RPC error for this
 * very id is the server's real answer (2026-07-28 maps errors onto statuses: unknown method is
 * 404 with -32601, bad headers 400 with -32020) and is delivered as is; anything else becomes a
 * synthetic error quoting the status and the start of the body.
 */
export function errorReply(id: number, status: number, body: string): { message: JsonRpcMessage; inBand: boolean } {
  const parsed = parseJsonRpcError(body);
  if (parsed && parsed.id === id) return { message: { jsonrpc: '2.0', id, error: parsed.error }, inBand: true };
  const message = `HTTP ${status}: ${body.slice(0, BODY_EXCERPT_CHARS).trim() || '(empty body)'}`;
  return { message: syntheticError(id, message, { httpStatus: status }, parsed?.error.code ?? HTTP_ERROR_CODE), inBand: false };
}

/** The JSON-RPC error in a body, if the body is a JSON-RPC error response. */
export function parseJsonRpcError(body: string): { id: unknown; error: JsonRpcErrorObject } | null {
  const c = body.trimStart().charCodeAt(0);
  if (c !== 123) return null;
  try {
    const v = JSON.parse(body) as JsonRpcMessage;
    if (v && typeof v === 'object' && v.error && typeof v.error.code === 'number') return { id: v.id, error: v.error };
  } catch {
    /* not JSON */
  }
  return null;
}

/**
 * Decode one JSON text (an application/json body or one SSE `data`) into messages, counting what
 * is wrong the way the stdio decoder does: arrays as 'batch' (removed in 2025-06-18), non-JSON-RPC
 * values as 'not-jsonrpc', unparsable text as 'http'.
 */
export function decodeJson(text: string, hygiene: Hygiene, deliver: (m: JsonRpcMessage) => void): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    hygiene.violation('http', `body or SSE data is not JSON: ${text.slice(0, 120)}`);
    return;
  }
  const one = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || (v as JsonRpcMessage).jsonrpc !== '2.0') {
      hygiene.violation('not-jsonrpc', JSON.stringify(v)?.slice(0, 120) ?? String(v));
      return;
    }
    hygiene.messagesIn++;
    deliver(v as JsonRpcMessage);
  };
  if (Array.isArray(value)) {
    hygiene.violation('batch', text.slice(0, 120));
    for (const v of value) one(v);
  } else {
    one(value);
  }
}

/** Read a (small) body as text, up to a cap; never rejects. */
export function readText(res: http.IncomingMessage, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    res.on('data', (c: Buffer) => {
      if (n < maxBytes) chunks.push(c);
      n += c.length;
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('aborted', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A header value as the server wants it: Mcp-Name with non-ASCII is Base64-wrapped (SEP-2243 sentinel). */
export function encodeHeaderValue(value: string): string {
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.startsWith('=?base64?')) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Media type of a response, lower-cased, without parameters. */
export function mediaType(res: http.IncomingMessage): string {
  return (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A request in flight. */
export interface RequestHandle {
  /** End the request and its response stream; no handler runs afterwards for network errors. */
  abort(): void;
}

/** How one request ends, as seen by HttpPool. */
export interface RequestHandlers {
  onResponse(res: http.IncomingMessage): void;
  /** Network failure before a response (after the one retry described on HttpPool.request). */
  onError(err: NodeJS.ErrnoException): void;
}

/**
 * One keep-alive pool to one origin, plus bookkeeping for the Transport interface: bytes of
 * request bodies not yet handed to the kernel, and requests in flight (so close() can end them).
 */
export class HttpPool {
  /** Bytes of request bodies not yet flushed to the socket. */
  pendingOutBytes = 0;
  /** Set by destroy(): later requests are not sent. */
  destroyed = false;

  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly inflight = new Set<http.ClientRequest>();

  constructor(origin: URL) {
    const https_ = origin.protocol === 'https:';
    // Certificates are always verified (no rejectUnauthorized override): RELIABILITY 4.E #42.
    // noDelay: a request is one write; Nagle would only add delay behind a delayed ACK.
    const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, noDelay: true };
    this.agent = https_ ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.send = https_ ? https.request : http.request;
  }

  /**
   * Send a request. A keep-alive socket the server closed while idle shows up as ECONNRESET on
   * the next request written to it; the request never reached the server, so it is sent once
   * more on a fresh socket (the retry Node's http docs prescribe, `request.reusedSocket`).
   * Returns a handle whose abort() ends the request (and its response stream) without a callback.
   */
  request(url: URL, method: string, headers: http.OutgoingHttpHeaders, body: string | undefined, h: RequestHandlers): RequestHandle {
    const handle: RequestHandle & { req: http.ClientRequest | null; aborted: boolean } = {
      req: null,
      aborted: false,
      abort() {
        this.aborted = true;
        this.req?.destroy();
      },
    };
    const bytes = body === undefined ? 0 : Buffer.byteLength(body);
    const outgoing = bytes > 0 ? { ...headers, 'Content-Length': bytes } : headers;
    const attempt = (retry: boolean): void => {
      if (this.destroyed || handle.aborted) return;
      let owed = bytes;
      this.pendingOutBytes += owed;
      const settleBytes = (): void => {
        this.pendingOutBytes -= owed;
        owed = 0;
      };
      let req: http.ClientRequest;
      try {
        req = this.send(url, { method, headers: outgoing, agent: this.agent });
      } catch (err) {
        // Invalid header values (user config, server-chosen ids) throw synchronously.
        settleBytes();
        queueMicrotask(() => h.onError(err as NodeJS.ErrnoException));
        return;
      }
      handle.req = req;
      this.inflight.add(req);
      let responded = false;
      req.on('response', (res) => {
        responded = true;
        settleBytes();
        h.onResponse(res);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        settleBytes();
        if (responded || this.destroyed || handle.aborted) return;
        if (retry && req.reusedSocket && err.code === 'ECONNRESET') {
          this.inflight.delete(req);
          attempt(false);
          return;
        }
        h.onError(err);
      });
      req.on('close', () => {
        settleBytes();
        this.inflight.delete(req);
      });
      req.end(body, settleBytes);
    };
    attempt(true);
    return handle;
  }

  /** End every request in flight and close every socket. */
  destroy(): void {
    this.destroyed = true;
    for (const req of this.inflight) req.destroy();
    this.inflight.clear();
    this.agent.destroy();
    this.pendingOutBytes = 0;
  }
}
