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
 *
 * Session expiry (2025-11-25 basic/transports: a 404 on a request carrying Mcp-Session-Id means
 * the session is gone, and the client MUST start a new one with an InitializeRequest without a
 * session id): the requests that got the 404 end as errors marked `sessionExpired` (a bench counts
 * them as 'session_expired', apart from latencies); the first expiry re-initializes transparently
 * by replaying the session's own initialize under a private id whose reply the transport consumes,
 * then `notifications/initialized`, holding later sends until the new session is up. Once only: a
 * second expiry, or a re-initialize that fails, ends the transport (onclose says why) so a run
 * aborts instead of looping (2025-11-25 basic/transports, session management; test/target/httpSessionExpiry.test.ts). The 2026-07-28 era has no sessions.
 */
import type http from 'node:http';
import { Hygiene } from '../hygiene.js';
import { learnSecret } from '../learnedSecrets.js';
import { METHODS, MODERN_VERSION, type Era, type JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../transport.js';
import { SseParser } from './sse.js';
import { SendGate } from './sendGate.js';
import { HttpPool, type RequestHandle } from './pool.js';
import {
  decodeJson, encodeHeaderValue, errorReply, httpSummary, mediaType, networkErrorReply, readText, redirectMessage, syntheticError,
} from './wire.js';

/** The session's first POST was refused with a fallback status (auto.ts decides what follows). */
export interface FirstRefusal {
  /** HTTP status of the refusal. */
  status: number;
  /** One line about it (httpSummary): status, media type, start of the visible text. */
  summary: string;
  /** End the first request as an error: the refusal itself, or `instead` (with data.noEndpoint) when given. */
  fail(instead?: string): void;
}

/** How long close() waits for the DELETE that ends the session. */
const DELETE_TIMEOUT_MS = 2000;
/** Default wait for the reply to a re-initialize before giving up on the session, ms. */
export const REINIT_TIMEOUT_MS = 10_000;
/**
 * Ids of re-initialize requests: negative, so they never collide with the session's ids (positive,
 * increasing); their replies are consumed by the transport, never delivered.
 */
const REINIT_ID_BASE = -1;
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
  /** Re-initializations started after an expiry (at most one: a second expiry ends the transport). */
  sessionReinits = 0;
  /** 2xx responses read, by framing: the server picks JSON or an SSE stream per response (Transport.replyFormats). */
  readonly replyFormats = { json: 0, sse: 0 };
  /**
   * Auto-fallback hook (auto.ts), called once the first POST is answered or fails. After a
   * 400/404/405 it is handed the refusal and owns the first request's failure: it calls
   * refusal.fail() if no legacy server is found. Otherwise it gets `null`.
   */
  onFirstResponse?: (refusal: FirstRefusal | null) => void;

  private readonly pool: HttpPool;
  private readonly staticHeaders: http.OutgoingHttpHeaders;
  /** Cancel functions of requests in flight, by id. */
  private readonly inflight = new Map<number, () => void>();
  private readonly gate = new SendGate();
  private posts = 0;
  private closed = false;
  /** The session's initialize request as sent, replayed (under a private id) after an expiry. */
  private initializeJson: string | null = null;
  /** Replies received on the session that replaced an expired one (for the abort message). */
  private answeredSinceReinit = 0;

  constructor(
    /** The MCP endpoint. */
    readonly url: URL,
    userHeaders: Record<string, string>,
    /** Era spoken on this connection (decides the 2026-07-28 headers). */
    readonly era: Era,
    /** Counters; shared with the legacy transport when auto.ts switches. */
    readonly hygiene: Hygiene = new Hygiene(),
    /** How long a re-initialize after a session expiry may take before the transport gives up, ms. */
    private readonly reinitTimeoutMs = REINIT_TIMEOUT_MS,
  ) {
    this.pool = new HttpPool(url);
    this.staticHeaders = { ...userHeaders, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' };
  }

  /** Bytes of request bodies not yet flushed to a socket. */
  get pendingOutBytes(): number {
    return this.pool.pendingOutBytes + this.gate.heldBytes;
  }

  /** Connections opened, requests sent and re-initializations (Transport.connectionStats). */
  get connectionStats(): { connectionsOpened: number; requestsSent: number; sessionReinits: number } {
    return { connectionsOpened: this.pool.connectionsOpened, requestsSent: this.pool.requestsSent, sessionReinits: this.sessionReinits };
  }

  send(json: string, info: OutgoingInfo): void {
    if (this.closed) return;
    // 2026-07-28: closing the response stream is the cancellation; notifications/cancelled is stdio-only.
    if (this.era === 'modern' && info.method === METHODS.cancelled) return this.cancelStream(json);
    if (this.gate.hold(json, info)) return;
    if (info.method === METHODS.initialize && this.era === 'legacy') this.initializeJson = json;
    this.post(json, info);
  }

  /**
   * The headers a POST of this message carries now: the user's, Accept and Content-Type, the
   * session id, and MCP-Protocol-Version (legacy era once negotiated; modern era always, with
   * Mcp-Method and Mcp-Name). For load generators that send on their own sockets (autocannon).
   * Holds the session id: a credential, never print it.
   */
  requestHeaders(info: OutgoingInfo): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { ...this.staticHeaders };
    if (this.sessionId !== undefined) headers['Mcp-Session-Id'] = this.sessionId;
    if (this.era === 'modern') {
      headers['MCP-Protocol-Version'] = MODERN_VERSION;
      headers['Mcp-Method'] = encodeHeaderValue(info.method);
      if (info.name !== undefined) headers['Mcp-Name'] = encodeHeaderValue(info.name);
    } else if (this.protocolVersion !== undefined && info.method !== METHODS.initialize) {
      // An initialize (first, or replayed after an expiry) negotiates the version: none is claimed yet.
      headers['MCP-Protocol-Version'] = this.protocolVersion;
    }
    return headers;
  }

  /**
   * POST one message. With `consume`, the reply to `info.id` (or the error standing in for it) goes
   * there instead of to onmessage: the transport's own requests (a re-initialize) stay invisible to
   * the session.
   */
  private post(json: string, info: OutgoingInfo, consume?: (m: JsonRpcMessage) => void): void {
    this.hygiene.messagesOut++;
    this.hygiene.bytesOut += json.length;
    const first = this.posts++ === 0 && this.onFirstResponse !== undefined;
    const id = info.id;
    const sentSession = this.sessionId;
    let settled = id === undefined;
    let cancelled = false;
    let handle: RequestHandle | null = null;
    const settle = (m: JsonRpcMessage, at: number): void => {
      if (consume) consume(m);
      else this.onmessage?.(m, at);
    };
    const fail = (m: JsonRpcMessage): boolean => {
      if (settled || this.closed) return false;
      settled = true;
      this.inflight.delete(id!);
      settle(m, performance.now());
      return true;
    };
    const deliver = (m: JsonRpcMessage, at: number): void => {
      if (this.closed) return;
      if (id !== undefined && m.id === id && m.method === undefined) {
        if (settled) return; // cancelled by us: its reply is no longer wanted
        settled = true;
        this.inflight.delete(id);
        if (info.method === METHODS.initialize) this.learnVersion(m);
        if (this.sessionReinits > 0 && !consume) this.answeredSinceReinit++;
        return settle(m, at);
      }
      this.onmessage?.(m, at);
    };
    const failHttp = (status: number, body: string, res: http.IncomingMessage, expired: boolean): void => {
      const type = res.headers['content-type'] ?? '';
      const redirect = status >= 300 && status < 400 ? redirectMessage(status, res.headers.location, this.url) : null;
      const summary = redirect ?? httpSummary(status, type, body);
      if (id === undefined) {
        if (!expired) this.hygiene.violation('http', `${info.method}: ${summary}`);
        return;
      }
      // An expired session is counted in sessionExpirations, not as a wire fault (2025-11-25 basic/transports, session management; test/target/httpSessionExpiry.test.ts).
      const reply = redirect !== null
        ? { message: syntheticError(id, redirect, { httpStatus: status }), inBand: false }
        : errorReply(id, status, body, expired ? { sessionExpired: true } : {}, type);
      if (fail(reply.message) && !reply.inBand && !expired) this.hygiene.violation('http', `${info.method}: ${summary}`);
    };

    const headers = this.requestHeaders(info);
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
          const failThis = (): void => failHttp(status, body, res, expired);
          if (first && FALLBACK_STATUSES.has(status)) {
            return this.onFirstResponse!({
              status,
              summary: httpSummary(status, res.headers['content-type'] ?? '', body),
              fail: (instead) => {
                if (instead === undefined) return failThis();
                if (id !== undefined && fail(syntheticError(id, instead, { httpStatus: status, noEndpoint: true }))) {
                  this.hygiene.violation('http', `${info.method}: ${instead}`);
                }
              },
            });
          }
          if (first) this.onFirstResponse!(null);
          if (expired) this.sessionExpired(sentSession, failThis);
          else failThis();
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

  /**
   * A 404 answered a message sent with session `sid`; `failIt` ends that message as an error. The
   * first 404 of the current session re-initializes (once per transport) before failing the
   * message, so a sender that reacts to the failure by sending again already finds the gate shut;
   * later 404s for the same, already replaced session are stragglers sent before the first was
   * answered and need nothing more. A second expiry fails the message, then ends the transport.
   */
  private sessionExpired(sid: string, failIt: () => void): void {
    if (this.closed || sid !== this.sessionId) return failIt();
    this.sessionId = undefined;
    this.sessionExpirations++;
    if (this.sessionReinits > 0) {
      failIt();
      return this.end(
        'the server expired the session again right after mcp-opt re-initialized it: HTTP 404 for its Mcp-Session-Id ' +
          `${this.answeredSinceReinit} replies after the re-initialize; mcp-opt re-initializes an expired session once, ` +
          'so it stops here rather than loop',
      );
    }
    // Without an initialize of our own to replay (a transport driven by hand), only the failure is reported.
    if (this.initializeJson !== null) this.reinitialize(this.initializeJson);
    failIt();
  }

  /** Replay the session's initialize without a session id, then notifications/initialized; sends wait meanwhile. */
  private reinitialize(initializeJson: string): void {
    this.sessionReinits++;
    this.answeredSinceReinit = 0;
    this.gate.shut();
    const id = REINIT_ID_BASE - (this.sessionReinits - 1);
    let json: string;
    try {
      json = JSON.stringify({ ...(JSON.parse(initializeJson) as object), id });
    } catch {
      return this.end('the server expired the session, and the initialize request to replay could not be read');
    }
    const why = (detail: string): string => `the server expired the session (HTTP 404 for its Mcp-Session-Id) and mcp-opt could not re-initialize it: ${detail}`;
    const timer = setTimeout(() => this.end(why(`no answer to initialize within ${this.reinitTimeoutMs} ms`)), this.reinitTimeoutMs);
    timer.unref();
    this.post(json, { method: METHODS.initialize, id }, (m) => {
      clearTimeout(timer);
      if (m.error !== undefined || m.result === null || typeof m.result !== 'object') {
        return this.end(why(m.error ? String(m.error.message).slice(0, 200) : 'its answer to initialize holds no result'));
      }
      if (this.sessionId === undefined) return this.end(why('the server answered initialize without assigning an Mcp-Session-Id'));
      // The gate stays shut until this notification's POST is answered (see post(): opensGate).
      this.post(`{"jsonrpc":"2.0","method":${JSON.stringify(METHODS.initialized)}}`, { method: METHODS.initialized });
    });
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
    const missing = (why: string, streamClosed = false): void => {
      if (id !== undefined && fail(syntheticError(id, why, { httpStatus: status, ...(streamClosed ? { streamClosed } : {}) }))) this.hygiene.violation('http', `${method}: ${why}`);
    };
    if (type === 'text/event-stream') {
      this.replyFormats.sse++;
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
        // 2025-11-25 and 2026-07-28 both lose the request when its stream breaks (2026-07-28 basic/transports: a broken stream loses the request).
        missing(`the SSE stream closed before the reply to ${method} arrived`, true);
      });
      return;
    }
    if (type === 'application/json') this.replyFormats.json++;
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
    if (VISIBLE_ASCII.test(sid)) {
      this.sessionId = sid;
      learnSecret(sid);
    } else this.hygiene.violation('http', 'Mcp-Session-Id holds characters other than visible ASCII; ignored');
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
  close(): Promise<void> {
    return this.shutdown('mcp-opt closed the connection');
  }

  /** End the transport because of the server: the session sees onclose with `reason`. */
  private end(reason: string): void {
    void this.shutdown(reason);
  }

  private async shutdown(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.drop();
    for (const cancel of this.inflight.values()) cancel();
    this.inflight.clear();
    if (this.sessionId !== undefined) await this.deleteSession(this.sessionId);
    this.pool.destroy();
    this.onclose?.({ reason });
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
