/**
 * Streamable HTTP transport, both eras (MCP 2025-11-25 basic/transports; 2026-07-28
 * basic/transports/streamable-http). Every message is its own POST; the reply comes back in that
 * POST's response, as application/json or as an SSE stream. Concurrent requests are concurrent
 * POSTs on a keep-alive pool, so pipelining needs no extra machinery.
 *
 * Headers are streamableHeaders.ts; one POST and its request, exchange.ts; reading a 2xx answer,
 * streamableReply.ts (through body.ts, the one HTTP body reader); the closing DELETE, deleteSession.ts.
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
import { encodeNotification } from '../jsonRpc.js';
import { METHODS, type Era, type JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, HttpRequestTemplate, OutgoingInfo, Transport } from '../transport.js';
import { deleteSession } from './deleteSession.js';
import { Exchange, type ExchangeHost, type FirstRefusal } from './exchange.js';
import { SendGate } from './sendGate.js';
import { HttpPool } from './pool.js';
import {
  assignedSessionId, baseHeaders, deleteHeaders, negotiatedVersion, postHeaders, stringHeaders,
} from './streamableHeaders.js';
import { readReply } from './streamableReply.js';
import { httpSummary, networkErrorReply, readText } from './wire.js';

/** Default wait for the reply to a re-initialize before giving up on the session, ms. */
export const REINIT_TIMEOUT_MS = 10_000;
/**
 * Ids of re-initialize requests: negative, so they never collide with the session's ids (positive,
 * increasing); their replies are consumed by the transport, never delivered.
 */
const REINIT_ID_BASE = -1;

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
  private readonly base: http.OutgoingHttpHeaders;
  /** What each POST's Exchange needs of the transport. */
  private readonly host: ExchangeHost;
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
    this.base = baseHeaders(userHeaders);
    this.host = {
      url, hygiene,
      isClosed: () => this.closed,
      emit: (m, at) => this.onmessage?.(m, at),
      replied: (ex, m) => this.replied(ex, m),
      ended: (id) => this.inflight.delete(id),
    };
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
   * Mcp-Method and Mcp-Name). Holds the session id: a credential, never print it.
   */
  requestHeaders(info: OutgoingInfo): http.OutgoingHttpHeaders {
    return postHeaders({ base: this.base, era: this.era, sessionId: this.sessionId, protocolVersion: this.protocolVersion }, info);
  }

  /** How another client POSTs on this session now: this URL, and requestHeaders as strings (Transport.httpRequestTemplate). */
  httpRequestTemplate(): HttpRequestTemplate {
    return { url: this.url, headers: (info) => stringHeaders(this.requestHeaders(info)) };
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
    const ex = new Exchange(this.host, info, this.sessionId, first, consume);
    const headers = this.requestHeaders(info);
    // notifications/initialized: later sends wait until its POST is answered (sendGate.ts).
    const opensGate = info.method === METHODS.initialized;
    if (opensGate) this.gate.shut();
    const release = (): void => {
      if (opensGate && !this.closed) this.gate.open((j, i) => this.send(j, i));
    };
    ex.handle = this.pool.request(this.url, 'POST', headers, json, {
      onResponse: (res) => {
        release();
        this.answered(ex, res);
      },
      onError: (err) => {
        if (this.closed) return;
        release();
        if (ex.first) this.onFirstResponse!(null);
        this.hygiene.violation('http', `${info.method}: ${err.code ?? err.message}`);
        if (info.id !== undefined) ex.fail(networkErrorReply(info.id, this.url, err));
      },
    });
    if (info.id !== undefined) this.inflight.set(info.id, () => ex.cancel());
  }

  /** The POST of `ex` was answered: read a 2xx reply, or the body of a refusal. */
  private answered(ex: Exchange, res: http.IncomingMessage): void {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      if (ex.info.method === METHODS.initialize) this.sessionId = assignedSessionId(res, this.hygiene) ?? this.sessionId;
      if (ex.first) this.onFirstResponse!(null);
      return readReply(res, ex, this.hygiene, this.replyFormats);
    }
    void readText(res).then((body) => this.refused(ex, status, body, res));
  }

  /** A non-2xx answer with `body`: hand the first refusal to auto.ts, handle an expired session, else fail the request. */
  private refused(ex: Exchange, status: number, body: string, res: http.IncomingMessage): void {
    this.hygiene.bytesIn += Buffer.byteLength(body);
    const expired = status === 404 && ex.sentSession !== undefined;
    const failIt = (): void => ex.failHttp(status, body, res, expired);
    if (ex.first && FALLBACK_STATUSES.has(status)) {
      return this.onFirstResponse!(ex.refusal(status, httpSummary(status, res.headers['content-type'] ?? '', body), failIt));
    }
    if (ex.first) this.onFirstResponse!(null);
    if (expired) this.sessionExpired(ex.sentSession!, failIt);
    else failIt();
  }

  /** The reply to `ex`'s request arrived: an initialize reply holds the negotiated version. */
  private replied(ex: Exchange, m: JsonRpcMessage): void {
    if (ex.info.method === METHODS.initialize) this.protocolVersion = negotiatedVersion(m) ?? this.protocolVersion;
    if (this.sessionReinits > 0 && !ex.consume) this.answeredSinceReinit++;
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
      this.post(encodeNotification(METHODS.initialized), { method: METHODS.initialized });
    });
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
    const sid = this.sessionId;
    if (sid !== undefined) {
      const deleted = deleteSession(this.pool, this.url, deleteHeaders({ base: this.base, era: this.era, sessionId: sid, protocolVersion: this.protocolVersion }, sid), this.hygiene);
      this.sessionId = undefined;
      await deleted;
    }
    this.pool.destroy();
    this.onclose?.({ reason });
  }
}
