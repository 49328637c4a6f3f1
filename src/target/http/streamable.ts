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
 * Session expiry (2025-11-25 basic/transports: a 404 on a request carrying Mcp-Session-Id): the
 * requests that got the 404 end as errors marked `sessionExpired` (a bench counts them as
 * 'session_expired', apart from latencies), and the session is re-initialized once
 * (sessionRenewal.ts). The 2026-07-28 era has no sessions.
 */
import { Hygiene } from '../hygiene.js';
import { METHODS, type Era, type JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, HttpRequestTemplate, OutgoingInfo, Transport } from '../transport.js';
import { deleteSession } from './deleteSession.js';
import { Exchange, type ExchangeHost, type FirstRefusal } from './exchange.js';
import { SendGate } from './sendGate.js';
import { HttpPool, type HttpResponse } from './pool.js';
import {
  assignedSessionId, baseHeaders, deleteHeaders, negotiatedVersion, postHeaders, streamHeaders, stringHeaders, type HeaderFields,
} from './streamableHeaders.js';
import { readReply } from './streamableReply.js';
import { ServerStream } from './serverStream.js';
import { SessionRenewal } from './sessionRenewal.js';
import { httpSummary, networkErrorReply, readText } from './wire.js';

/** Default wait for the reply to a re-initialize before giving up on the session, ms. */
export const REINIT_TIMEOUT_MS = 10_000;

/** Header sets kept per transport (one per method and tool name sent); beyond it the cache starts over. */
const HEADER_SETS_KEPT = 256;

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
  /** 2xx responses read, by framing: the server picks JSON or an SSE stream per response (Transport.replyFormats). */
  readonly replyFormats = { json: 0, sse: 0 };
  /**
   * Auto-fallback hook (auto.ts), called once the first POST is answered or fails. After a
   * 400/404/405 it is handed the refusal and owns the first request's failure: it calls
   * refusal.fail() if no legacy server is found. Otherwise it gets `null`.
   */
  onFirstResponse?: (refusal: FirstRefusal | null) => void;

  private readonly pool: HttpPool;
  private readonly base: HeaderFields;
  /** What each POST's Exchange needs of the transport. */
  private readonly host: ExchangeHost;
  /** Exchanges of requests in flight, by id (to cancel them). */
  private readonly inflight = new Map<number, Exchange>();
  /**
   * POST header sets by method and name, for the session id and version they were made with: the
   * same object for every request of a kind, so the engine serialises and checks it once (requestHead.ts).
   */
  private readonly headerSets = new Map<string, HeaderFields>();
  private headerSetsFor: { sessionId: string | undefined; protocolVersion: string | undefined } = { sessionId: undefined, protocolVersion: undefined };
  private readonly gate = new SendGate();
  private posts = 0;
  private closed = false;
  /** Expiries and the one re-initialize (sessionRenewal.ts). */
  private readonly renewal: SessionRenewal;
  /** The GET stream, once listen() asked for it (serverStream.ts). */
  private readonly serverStream: ServerStream;

  constructor(
    /** The MCP endpoint. */
    readonly url: URL,
    userHeaders: Record<string, string>,
    /** Era spoken on this connection (decides the 2026-07-28 headers). */
    readonly era: Era,
    /** Counters; shared with the legacy transport when auto.ts switches. */
    readonly hygiene: Hygiene = new Hygiene(),
    /** How long a re-initialize after a session expiry may take before the transport gives up, ms. */
    reinitTimeoutMs = REINIT_TIMEOUT_MS,
  ) {
    this.pool = new HttpPool(url);
    this.base = baseHeaders(userHeaders);
    this.host = {
      url, hygiene,
      isClosed: () => this.closed,
      emit: (m, at) => this.onmessage?.(m, at),
      replied: (ex, m) => this.replied(ex, m),
      ended: (id) => this.inflight.delete(id),
      answered: (ex, res) => this.answered(ex, res),
      failed: (ex, err) => this.failed(ex, err),
    };
    this.renewal = new SessionRenewal({
      sessionId: () => this.sessionId,
      forgetSession: () => (this.sessionId = undefined),
      isClosed: () => this.closed,
      holdSends: () => this.gate.shut(),
      post: (json, info, consume) => this.post(json, info, consume),
      end: (reason) => this.end(reason),
    }, reinitTimeoutMs);
    this.serverStream = new ServerStream({
      pool: this.pool, url, hygiene,
      headers: () => (this.closed || this.era !== 'legacy' || this.sessionId === undefined ? null : streamHeaders({ base: this.base, era: this.era, sessionId: this.sessionId, protocolVersion: this.protocolVersion }, this.sessionId)),
      deliver: (m, at) => {
        if (!this.closed) this.onmessage?.(m, at);
      },
    });
  }

  /** Listen on the session's GET stream too (Transport.listen). */
  listen(): void {
    this.serverStream.listen();
  }

  /** 404s on a live session: the server expired it (2025-11-25: the client MUST re-initialize). */
  get sessionExpirations(): number {
    return this.renewal.expirations;
  }

  /** Re-initializations started after an expiry (at most one: a second expiry ends the transport). */
  get sessionReinits(): number {
    return this.renewal.reinits;
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
    if (info.method === METHODS.initialize && this.era === 'legacy') this.renewal.initializeJson = json;
    this.post(json, info);
  }

  /**
   * The headers a POST of this message carries now: the user's, Accept and Content-Type, the
   * session id, and MCP-Protocol-Version (legacy era once negotiated; modern era always, with
   * Mcp-Method and Mcp-Name). Holds the session id: a credential, never print it.
   */
  requestHeaders(info: OutgoingInfo): HeaderFields {
    const { sessionId, protocolVersion } = this;
    const made = this.headerSetsFor;
    if (made.sessionId !== sessionId || made.protocolVersion !== protocolVersion || this.headerSets.size >= HEADER_SETS_KEPT) {
      this.headerSets.clear();
      this.headerSetsFor = { sessionId, protocolVersion };
    }
    const key = info.name === undefined ? info.method : `${info.method}\0${info.name}`;
    let headers = this.headerSets.get(key);
    if (headers === undefined) {
      headers = postHeaders({ base: this.base, era: this.era, sessionId, protocolVersion }, info);
      this.headerSets.set(key, headers);
    }
    return headers;
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
    if (info.method === METHODS.initialized) this.gate.shut();
    ex.handle = this.pool.request(this.url, 'POST', headers, json, ex);
    if (info.id !== undefined) this.inflight.set(info.id, ex);
  }

  /** The POST of `ex` ended, answered or not: a notifications/initialized opens the gate it shut. */
  private released(ex: Exchange): void {
    if (ex.info.method === METHODS.initialized && !this.closed) this.gate.open((j, i) => this.send(j, i));
  }

  /** The POST of `ex` failed before any answer: its request ends as a network error. */
  private failed(ex: Exchange, err: NodeJS.ErrnoException): void {
    if (this.closed) return;
    this.released(ex);
    if (ex.first) this.onFirstResponse!(null);
    this.hygiene.violation('http', `${ex.info.method}: ${err.code ?? err.message}`);
    if (ex.info.id !== undefined) ex.fail(networkErrorReply(ex.info.id, this.url, err));
  }

  /** The POST of `ex` was answered: read a 2xx reply, or the body of a refusal. */
  private answered(ex: Exchange, res: HttpResponse): void {
    this.released(ex);
    const status = res.status;
    if (status >= 200 && status < 300) {
      if (ex.info.method === METHODS.initialize) this.sessionId = assignedSessionId(res, this.hygiene) ?? this.sessionId;
      if (ex.first) this.onFirstResponse!(null);
      return readReply(res, ex, this.hygiene, this.replyFormats);
    }
    void readText(res).then((body) => this.refused(ex, status, body, res));
  }

  /** A non-2xx answer with `body`: hand the first refusal to auto.ts, handle an expired session, else fail the request. */
  private refused(ex: Exchange, status: number, body: string, res: HttpResponse): void {
    this.hygiene.bytesIn += Buffer.byteLength(body);
    const expired = status === 404 && ex.sentSession !== undefined;
    const failIt = (): void => ex.failHttp(status, body, res, expired);
    if (ex.first && FALLBACK_STATUSES.has(status)) {
      return this.onFirstResponse!(ex.refusal(status, httpSummary(status, res.header('content-type') ?? '', body), failIt));
    }
    if (ex.first) this.onFirstResponse!(null);
    if (expired) this.renewal.expired(ex.sentSession!, failIt);
    else failIt();
  }

  /** The reply to `ex`'s request arrived: an initialize reply holds the negotiated version. */
  private replied(ex: Exchange, m: JsonRpcMessage): void {
    if (ex.info.method === METHODS.initialize) this.protocolVersion = negotiatedVersion(m) ?? this.protocolVersion;
    if (this.renewal.reinits > 0 && !ex.consume) this.renewal.answeredSinceReinit++;
  }

  private cancelStream(json: string): void {
    let requestId: unknown;
    try {
      requestId = (JSON.parse(json) as { params?: { requestId?: unknown } }).params?.requestId;
    } catch {
      return;
    }
    if (typeof requestId !== 'number') return;
    const ex = this.inflight.get(requestId);
    this.inflight.delete(requestId);
    ex?.cancel();
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
    this.serverStream.stop();
    this.gate.drop();
    for (const ex of this.inflight.values()) ex.cancel();
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
