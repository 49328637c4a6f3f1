/**
 * One message's POST on a Streamable HTTP session, and the request it carries: whatever the
 * answer (a reply in JSON or on an SSE stream, an HTTP error, a cut stream, a refused connection,
 * our own cancel), the request ends exactly once. HTTP failures end it as a JSON-RPC error
 * (counted under hygiene 'http'), so a measurement counts them instead of waiting for a timeout.
 */
import type { Hygiene } from '../hygiene.js';
import type { JsonRpcMessage } from '../protocol.js';
import type { OutgoingInfo } from '../transport.js';
import type { HttpResponse, RequestHandle, RequestHandlers } from './pool.js';
import { errorReply, httpSummary, redirectMessage, syntheticError } from './wire.js';

/** The session's first POST was refused with a fallback status (auto.ts decides what follows). */
export interface FirstRefusal {
  /** HTTP status of the refusal. */
  status: number;
  /** One line about it (httpSummary): status, media type, start of the visible text. */
  summary: string;
  /** End the first request as an error: the refusal itself, or `instead` (with data.noEndpoint) when given. */
  fail(instead?: string): void;
}

/** What an exchange needs of its transport. */
export interface ExchangeHost {
  /** The MCP endpoint (redirects are described relative to it). */
  readonly url: URL;
  /** The transport's counters. */
  readonly hygiene: Hygiene;
  /** True once the transport closed: nothing more is delivered. */
  isClosed(): boolean;
  /** Hand a message to the session (Transport.onmessage). */
  emit(m: JsonRpcMessage, at: number): void;
  /** The reply to `ex`'s request arrived, before it is handed over. */
  replied(ex: Exchange, m: JsonRpcMessage): void;
  /** Request `id` ended: it no longer needs cancelling. */
  ended(id: number): void;
  /** The POST of `ex` was answered (its head arrived). */
  answered(ex: Exchange, res: HttpResponse): void;
  /** The POST of `ex` failed before any answer. */
  failed(ex: Exchange, err: NodeJS.ErrnoException): void;
}

/** One POST and its request (see the module comment); it is also the POST's handlers, so a POST costs no closures. */
export class Exchange implements RequestHandlers {
  /** The POST, once started; aborted by cancel(). */
  handle: RequestHandle | null = null;
  /** The request ended (a notification awaits nothing, so it starts ended). */
  private settled: boolean;
  /** mcp-opt itself ended it (cancel, close). */
  private cancelled = false;

  constructor(
    private readonly host: ExchangeHost,
    /** The message POSTed. */
    readonly info: OutgoingInfo,
    /** The Mcp-Session-Id the POST carried: a 404 then means the session expired. */
    readonly sentSession: string | undefined,
    /** The session's first POST, whose answer auto.ts awaits (StreamableHttpTransport.onFirstResponse). */
    readonly first: boolean,
    /** Where the reply goes instead of the session: the transport's own requests (a re-initialize). */
    readonly consume?: (m: JsonRpcMessage) => void,
  ) {
    this.settled = info.id === undefined;
  }

  /** The request still awaits its reply (a notification awaits none). */
  get awaiting(): boolean {
    return !this.settled;
  }

  onResponse(res: HttpResponse): void {
    this.host.answered(this, res);
  }

  onError(err: NodeJS.ErrnoException): void {
    this.host.failed(this, err);
  }

  /** False once mcp-opt itself ended the exchange (cancel, close): a cut is then no fault. */
  get live(): boolean {
    return !this.cancelled && !this.host.isClosed();
  }

  /** A message read from the answer: the reply ends the request; anything else goes to the session. */
  deliver(m: JsonRpcMessage, at: number): void {
    if (this.host.isClosed()) return;
    const id = this.info.id;
    if (id !== undefined && m.id === id && m.method === undefined) {
      if (this.settled) return; // cancelled by us: its reply is no longer wanted
      this.settled = true;
      this.host.ended(id);
      this.host.replied(this, m);
      return this.settle(m, at);
    }
    this.host.emit(m, at);
  }

  /** End the request with `m`, an error standing in for its reply; false when it had already ended. */
  fail(m: JsonRpcMessage): boolean {
    if (this.settled || this.host.isClosed()) return false;
    this.settled = true;
    this.host.ended(this.info.id!);
    this.settle(m, performance.now());
    return true;
  }

  /** The answer ended without the reply: end the request as an error saying `why` (a wire fault). */
  missing(status: number, why: string, streamClosed = false): void {
    const id = this.info.id;
    if (id !== undefined && this.fail(syntheticError(id, why, { httpStatus: status, ...(streamClosed ? { streamClosed } : {}) }))) {
      this.host.hygiene.violation('http', `${this.info.method}: ${why}`);
    }
  }

  /**
   * A non-2xx answer with `body`: the request ends as the server's own JSON-RPC error when the body
   * holds one for it, else as a synthetic error (a redirect is never followed). `expired`: a 404 on
   * a session, counted in sessionExpirations rather than as a wire fault (2025-11-25
   * basic/transports, session management; test/target/httpSessionExpiry.test.ts).
   */
  failHttp(status: number, body: string, res: HttpResponse, expired: boolean): void {
    const type = res.header('content-type') ?? '';
    const redirect = status >= 300 && status < 400 ? redirectMessage(status, res.header('location'), this.host.url) : null;
    const summary = redirect ?? httpSummary(status, type, body);
    const id = this.info.id;
    if (id === undefined) {
      if (!expired) this.host.hygiene.violation('http', `${this.info.method}: ${summary}`);
      return;
    }
    const reply = redirect !== null
      ? { message: syntheticError(id, redirect, { httpStatus: status }), inBand: false }
      : errorReply(id, status, body, expired ? { sessionExpired: true } : {}, type);
    if (this.fail(reply.message) && !reply.inBand && !expired) this.host.hygiene.violation('http', `${this.info.method}: ${summary}`);
  }

  /** The first POST's refusal, for auto.ts; `failIt` ends the request as the refusal itself. */
  refusal(status: number, summary: string, failIt: () => void): FirstRefusal {
    return {
      status,
      summary,
      fail: (instead) => {
        if (instead === undefined) return failIt();
        const id = this.info.id;
        if (id !== undefined && this.fail(syntheticError(id, instead, { httpStatus: status, noEndpoint: true }))) {
          this.host.hygiene.violation('http', `${this.info.method}: ${instead}`);
        }
      },
    };
  }

  /** Abandon the request: its reply is no longer wanted, and its POST is aborted. */
  cancel(): void {
    this.settled = this.cancelled = true;
    this.handle?.abort();
  }

  private settle(m: JsonRpcMessage, at: number): void {
    if (this.consume) this.consume(m);
    else this.host.emit(m, at);
  }
}
