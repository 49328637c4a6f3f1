/**
 * Streamable HTTP transport, both eras (MCP 2025-11-25 basic/transports; 2026-07-28
 * basic/transports/streamable-http). Every message is its own POST; the reply comes back in that
 * POST's response, as application/json or as an SSE stream. Concurrent requests are concurrent
 * POSTs on a keep-alive pool, so pipelining needs no extra machinery.
 *
 * Headers: `Accept: application/json, text/event-stream` (MUST list both), the user's headers,
 * `Mcp-Session-Id` once the initialize response assigned one (MUST be sent on every later request),
 * and `MCP-Protocol-Version`: legacy era once initialize negotiated it, modern era always, with
 * `Mcp-Method` and, for tools/call, `Mcp-Name` (2026-07-28, SEP-2243).
 *
 * The transport learns the session id and negotiated version itself, by watching the reply to the
 * request it sent as `initialize`, so the session layer stays wire-agnostic.
 *
 * HTTP failures become replies: a non-2xx answer, a refused connection, or a stream that ends
 * before the reply ends that request as a JSON-RPC error (counted under hygiene 'http'), so a
 * measurement counts it as an error instead of waiting for a timeout.
 */
import type http from 'node:http';
import { Hygiene } from '../hygiene.js';
import { METHODS, MODERN_VERSION, type Era, type JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../transport.js';
import { SseParser } from './sse.js';
import { SendGate } from './sendGate.js';
import { HttpPool, type RequestHandle } from './pool.js';
import {
  decodeJson, encodeHeaderValue, errorReply, mediaType, networkErrorReply, readText, redirectMessage, syntheticError,
} from './wire.js';

/** How long close() waits for the DELETE that ends the session. */
const DELETE_TIMEOUT_MS = 2000;
/** Visible ASCII only: the spec's rule for session ids, and what a header value may safely hold. */
const VISIBLE_ASCII = /^[\x21-\x7e]{1,1024}$/;

/** Statuses after which a legacy HTTP+SSE server is tried (2025-11-25 "Backwards Compatibility"). */
export const FALLBACK_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

/** Streamable HTTP client transport for one MCP endpoint (see the module comment). */
export class StreamableHttpTransport implements Transport {
  /** Which HTTP transport this is. */
  readonly wire = 'streamable-http' as const;
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  onclose?: (info: CloseInfo) => void;
  /** Negotiated version (legacy era), learned from the initialize reply. */
  protocolVersion?: string;
  /** Mcp-Session-Id assigned by the server. A credential: never print or report it. */
  sessionId: string | undefined;
  /** 404s on a live session: the server expired it (2025-11-25: the client MUST re-initialize). */
  sessionExpirations = 0;
  /**
   * Auto-fallback hook (auto.ts), called once the first POST is answered or fails. After a
   * 400/404/405 it is handed `failFirst` and owns the first request's failure: it calls
   * failFirst() if no legacy server is found. Otherwise it gets `null`.
   */
  onFirstResponse?: (failFirst: (() => void) | null) => void;

  private readonly pool: HttpPool;
  private readonly staticHeaders: http.OutgoingHttpHeaders;
  /** Cancel functions of requests in flight, by id. */
  private readonly inflight = new Map<number, () => void>();
  private readonly gate = new SendGate();
  private posts = 0;
  private closed = false;

  constructor(
    /** The MCP endpoint. */
    readonly url: URL,
    userHeaders: Record<string, string>,
    /** Era spoken on this connection (decides the 2026-07-28 headers). */
    readonly era: Era,
    /** Counters; shared with the legacy transport when auto.ts switches. */
    readonly hygiene: Hygiene = new Hygiene(),
  ) {
    this.pool = new HttpPool(url);
    this.staticHeaders = { ...userHeaders, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' };
  }

  /** Bytes of request bodies not yet flushed to a socket. */
  get pendingOutBytes(): number {
    return this.pool.pendingOutBytes + this.gate.heldBytes;
  }

  send(json: string, info: OutgoingInfo): void {
    if (this.closed) return;
    // 2026-07-28: closing the response stream is the cancellation; notifications/cancelled is stdio-only.
    if (this.era === 'modern' && info.method === METHODS.cancelled) return this.cancelStream(json);
    if (this.gate.hold(json, info)) return;
    this.hygiene.messagesOut++;
    this.hygiene.bytesOut += json.length;
    const first = this.posts++ === 0 && this.onFirstResponse !== undefined;
    const id = info.id;
    const sentSession = this.sessionId;
    let settled = id === undefined;
    let cancelled = false;
    let handle: RequestHandle | null = null;
    const fail = (m: JsonRpcMessage): boolean => {
      if (settled || this.closed) return false;
      settled = true;
      this.inflight.delete(id!);
      this.onmessage?.(m, performance.now());
      return true;
    };
    const deliver = (m: JsonRpcMessage, at: number): void => {
      if (this.closed) return;
      if (id !== undefined && m.id === id && m.method === undefined) {
        if (settled) return; // cancelled by us: its reply is no longer wanted
        settled = true;
        this.inflight.delete(id);
        if (info.method === METHODS.initialize) this.learnVersion(m);
      }
      this.onmessage?.(m, at);
    };
    const failHttp = (status: number, body: string, res: http.IncomingMessage, expired: boolean): void => {
      if (status >= 300 && status < 400) body = redirectMessage(status, res.headers.location, this.url);
      if (id === undefined) {
        this.hygiene.violation('http', `HTTP ${status} for ${info.method}: ${body.slice(0, 100)}`);
        return;
      }
      // An expired session is counted in sessionExpirations, not as a wire fault (RELIABILITY 4.E #36).
      const reply = errorReply(id, status, body, expired ? { sessionExpired: true } : {});
      if (fail(reply.message) && !reply.inBand && !expired) this.hygiene.violation('http', `HTTP ${status} for ${info.method}: ${body.slice(0, 100)}`);
    };

    const headers: http.OutgoingHttpHeaders = { ...this.staticHeaders };
    if (sentSession !== undefined) headers['Mcp-Session-Id'] = sentSession;
    if (this.era === 'modern') {
      headers['MCP-Protocol-Version'] = MODERN_VERSION;
      headers['Mcp-Method'] = encodeHeaderValue(info.method);
      if (info.name !== undefined) headers['Mcp-Name'] = encodeHeaderValue(info.name);
    } else if (this.protocolVersion !== undefined) {
      headers['MCP-Protocol-Version'] = this.protocolVersion;
    }

    const opensGate = info.method === METHODS.initialized;
    if (opensGate) this.gate.shut();
    const release = (): void => {
      if (opensGate && !this.closed) this.gate.open((j, i) => this.send(j, i));
    };
    handle = this.pool.request(this.url, 'POST', headers, json, {
      onResponse: (res) => {
        release();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          if (info.method === METHODS.initialize) this.learnSession(res);
          if (first) this.onFirstResponse!(null);
          this.readReply(res, id, info.method, deliver, fail, () => !cancelled && !this.closed);
          return;
        }
        void readText(res).then((body) => {
          this.hygiene.bytesIn += Buffer.byteLength(body);
          const expired = status === 404 && sentSession !== undefined;
          if (expired && sentSession === this.sessionId) {
            this.sessionId = undefined;
            this.sessionExpirations++;
          }
          const failThis = (): void => failHttp(status, body, res, expired);
          if (first && FALLBACK_STATUSES.has(status)) return this.onFirstResponse!(failThis);
          if (first) this.onFirstResponse!(null);
          failThis();
        });
      },
      onError: (err) => {
        if (this.closed) return;
        release();
        if (first) this.onFirstResponse!(null);
        this.hygiene.violation('http', `${info.method}: ${err.code ?? err.message}`);
        if (id !== undefined) fail(networkErrorReply(id, this.url, err));
      },
    });
    if (id !== undefined) {
      this.inflight.set(id, () => {
        settled = cancelled = true;
        handle?.abort();
      });
    }
  }

  /** Read a 2xx response: one JSON body, or an SSE stream carrying any number of messages. */
  private readReply(
    res: http.IncomingMessage, id: number | undefined, method: string,
    deliver: (m: JsonRpcMessage, at: number) => void, fail: (m: JsonRpcMessage) => boolean,
    /** False once mcp-opt itself ended the exchange (cancel, close): a cut is then no fault. */
    live: () => boolean,
  ): void {
    const status = res.statusCode ?? 0;
    const type = mediaType(res);
    const missing = (why: string): void => {
      if (id !== undefined && fail(syntheticError(id, why, { httpStatus: status }))) this.hygiene.violation('http', `${method}: ${why}`);
    };
    if (type === 'text/event-stream') {
      let at = 0;
      const parser = new SseParser((ev) => {
        // Priming events (empty data, for resumability) and non-message events carry no JSON-RPC.
        if (ev.event !== 'message' || ev.data.trim().length === 0) return;
        decodeJson(ev.data, this.hygiene, (m) => deliver(m, at));
      });
      res.on('data', (c: Buffer) => {
        this.hygiene.bytesIn += c.length;
        at = performance.now();
        parser.push(c);
      });
      res.on('close', () => {
        if (parser.end() && live()) this.hygiene.violation('http', `${method}: SSE stream ended in the middle of an event`);
        if (parser.oversizedEvents > 0) this.hygiene.violation('oversized', `${parser.oversizedEvents} SSE event(s) over the size cap`);
        // 2025-11-25 and 2026-07-28 both lose the request when its stream breaks (RELIABILITY 4.E #34).
        missing(`the SSE stream closed before the reply to ${method} arrived`);
      });
      return;
    }
    const chunks: Buffer[] = [];
    let ended = false;
    res.on('data', (c: Buffer) => {
      this.hygiene.bytesIn += c.length;
      chunks.push(c);
    });
    res.on('end', () => {
      ended = true;
      const at = performance.now();
      const text = Buffer.concat(chunks).toString('utf8');
      if (type === 'application/json') decodeJson(text, this.hygiene, (m) => deliver(m, at));
      else if (text.trim().length > 0) this.hygiene.violation('http', `HTTP ${status} with Content-Type "${type}" for ${method}`);
    });
    res.on('close', () => {
      if (!ended) missing(`the response to ${method} was cut off`);
      else if (status === 202 || status === 204) missing(`HTTP ${status} carried no reply to ${method}`);
      else missing(`HTTP ${status} (${type || 'no Content-Type'}) carried no reply to ${method}`);
    });
  }

  private learnSession(res: http.IncomingMessage): void {
    const sid = res.headers['mcp-session-id'];
    if (typeof sid !== 'string') return;
    if (VISIBLE_ASCII.test(sid)) this.sessionId = sid;
    else this.hygiene.violation('http', 'Mcp-Session-Id holds characters other than visible ASCII; ignored');
  }

  private learnVersion(m: JsonRpcMessage): void {
    const v = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof v === 'string' && VISIBLE_ASCII.test(v)) this.protocolVersion = v;
  }

  private cancelStream(json: string): void {
    let requestId: unknown;
    try {
      requestId = (JSON.parse(json) as { params?: { requestId?: unknown } }).params?.requestId;
    } catch {
      return;
    }
    if (typeof requestId !== 'number') return;
    const cancel = this.inflight.get(requestId);
    this.inflight.delete(requestId);
    cancel?.();
  }

  /** Abort what is in flight, DELETE the session (2025-11-25: SHOULD; 405 allowed), free the sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.drop();
    for (const cancel of this.inflight.values()) cancel();
    this.inflight.clear();
    if (this.sessionId !== undefined) await this.deleteSession(this.sessionId);
    this.pool.destroy();
    this.onclose?.({ reason: 'mcp-opt closed the connection' });
  }

  private deleteSession(sid: string): Promise<void> {
    const headers: http.OutgoingHttpHeaders = { ...this.staticHeaders, 'Mcp-Session-Id': sid };
    delete headers['Content-Type'];
    if (this.protocolVersion !== undefined) headers['MCP-Protocol-Version'] = this.protocolVersion;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        handle.abort();
        this.hygiene.violation('http', `DELETE of the session got no answer in ${DELETE_TIMEOUT_MS} ms`);
        resolve();
      }, DELETE_TIMEOUT_MS);
      const done = (): void => resolve(clearTimeout(timer));
      const handle = this.pool.request(this.url, 'DELETE', headers, undefined, {
        onResponse: (res) => {
          const status = res.statusCode ?? 0;
          // 405: the server does not let clients end sessions (allowed); 404: already gone.
          if (!(status >= 200 && status < 300) && status !== 404 && status !== 405) {
            this.hygiene.violation('http', `DELETE of the session answered HTTP ${status}`);
          }
          res.resume();
          res.on('close', done);
        },
        onError: done,
      });
      this.sessionId = undefined;
    });
  }
}
