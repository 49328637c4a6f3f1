/**
 * The deprecated HTTP+SSE transport of MCP 2024-11-05 (basic/transports "HTTP with SSE"), still
 * served by many deployed servers. The client GETs the SSE URL; the server's first event,
 * `endpoint`, names the URL to POST messages to; every server message, replies included, arrives
 * on that one stream. POST responses are bare acknowledgements (202).
 *
 * The endpoint is resolved against the SSE URL and must stay on the same origin: a server that
 * could redirect mcp-opt's POSTs (with the user's headers, often a bearer token) to another host
 * is refused (2024-11-05 basic/transports: the endpoint event; test/target/http.test.ts).
 */
import { TargetError } from '../../errors.js';
import { Hygiene } from '../hygiene.js';
import { learnSecret } from '../learnedSecrets.js';
import { redactUrl } from '../launchSpec.js';
import { METHODS, type JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../transport.js';
import { decodeSseMessage } from './body.js';
import { SseParser, type SseEvent } from './sse.js';
import { SendGate } from './sendGate.js';
import { HttpPool, type RequestHandle } from './pool.js';
import { errorReply, httpSummary, networkErrorReply, readText } from './wire.js';

/** The GET did not open a legacy SSE session (wrong status or content type, no `endpoint` event). */
export class NotLegacySseError extends Error {
  override name = 'NotLegacySseError';
  constructor(
    message: string,
    /** HTTP status of the GET, when it was answered with something other than an event stream. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** 2024-11-05 HTTP+SSE client transport; create it with LegacySseTransport.connect(). */
export class LegacySseTransport implements Transport {
  /** Which HTTP transport this is. */
  readonly wire = 'sse' as const;
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  onclose?: (info: CloseInfo) => void;
  /** Negotiated version, learned from the initialize reply; sent as MCP-Protocol-Version (harmless to 2024-11-05 servers). */
  protocolVersion?: string;
  /** Where messages are POSTed, from the `endpoint` event. */
  endpoint: URL | null = null;
  /** Replies by framing: all come on the event stream (Transport.replyFormats). */
  readonly replyFormats = { json: 0, sse: 0 };

  private readonly pool: HttpPool;
  private stream: RequestHandle | null = null;
  private initializeId: number | undefined;
  private readonly gate = new SendGate();
  private closed = false;

  private constructor(readonly sseUrl: URL, private readonly userHeaders: Record<string, string>, readonly hygiene: Hygiene) {
    this.pool = new HttpPool(sseUrl);
  }

  /**
   * GET the SSE URL and wait for the `endpoint` event. Rejects with NotLegacySseError when the
   * server is not a legacy SSE server, with TargetError when the endpoint is cross-origin, and
   * with the network error when the server cannot be reached.
   */
  static async connect(sseUrl: URL, userHeaders: Record<string, string>, timeoutMs: number, hygiene = new Hygiene()): Promise<LegacySseTransport> {
    const t = new LegacySseTransport(sseUrl, userHeaders, hygiene);
    await t.open(timeoutMs);
    return t;
  }

  /** Bytes of request bodies not yet flushed to a socket. */
  get pendingOutBytes(): number {
    return this.pool.pendingOutBytes + this.gate.heldBytes;
  }

  /** Connections opened for POSTs and requests sent (Transport.connectionStats); no sessions to re-initialize. */
  get connectionStats(): { connectionsOpened: number; requestsSent: number; sessionReinits: number } {
    return { connectionsOpened: this.pool.connectionsOpened, requestsSent: this.pool.requestsSent, sessionReinits: 0 };
  }

  private open(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let opening = true;
      const fail = (err: Error): void => {
        if (!opening) return;
        opening = false;
        clearTimeout(timer);
        this.pool.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new NotLegacySseError(`no endpoint event within ${timeoutMs} ms`)), timeoutMs);
      const onEvent = (ev: SseEvent, at: number): void => {
        if (!opening) return this.onEvent(ev, at);
        if (ev.event !== 'endpoint') return fail(new NotLegacySseError(`the first SSE event was "${ev.event.slice(0, 40)}", not "endpoint"`));
        let endpoint: URL;
        try {
          endpoint = new URL(ev.data.trim(), this.sseUrl);
        } catch {
          return fail(new NotLegacySseError(`the endpoint event holds no URL: ${ev.data.slice(0, 80)}`));
        }
        if (endpoint.origin !== this.sseUrl.origin) {
          return fail(new TargetError(
            `The server's SSE endpoint event points at another origin (${redactUrl(endpoint.href)}, not ${this.sseUrl.origin}). ` +
              'mcp-opt does not send requests, or your headers, to a host you did not name. Use a server whose endpoint is on its own origin.',
          ));
        }
        this.endpoint = endpoint;
        // Its query (the SDK's ?sessionId=…) names the session: a credential, like Mcp-Session-Id.
        for (const [, v] of endpoint.searchParams) learnSecret(v);
        opening = false;
        clearTimeout(timer);
        resolve();
      };
      const headers = { ...this.userHeaders, Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
      this.stream = this.pool.request(this.sseUrl, 'GET', headers, undefined, {
        onResponse: (res) => {
          const status = res.status;
          if (status !== 200 || res.mediaType !== 'text/event-stream') {
            return fail(new NotLegacySseError(`GET answered HTTP ${status} (${res.mediaType || 'no Content-Type'})`, status));
          }
          let at = 0;
          const parser = new SseParser((ev) => onEvent(ev, at));
          res.read({
            onData: (c) => {
              this.hygiene.bytesIn += c.length;
              at = performance.now();
              parser.push(c);
            },
            onEnd: () => {
              parser.end();
              fail(new NotLegacySseError('the SSE stream closed before its endpoint event'));
              this.closeWith({ reason: 'the server closed the SSE stream' });
            },
          });
        },
        onError: (err) => {
          fail(err);
          this.closeWith({ reason: `the SSE stream failed (${err.code ?? err.message})` });
        },
      });
    });
  }

  private onEvent(ev: SseEvent, at: number): void {
    decodeSseMessage(ev, this.hygiene, (m) => {
      if (this.closed) return;
      if (m.method === undefined) this.replyFormats.sse++;
      if (m.id === this.initializeId && this.initializeId !== undefined && m.method === undefined) {
        const v = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        if (typeof v === 'string' && /^[\x21-\x7e]{1,64}$/.test(v)) this.protocolVersion = v;
      }
      this.onmessage?.(m, at);
    });
  }

  send(json: string, info: OutgoingInfo): void {
    if (this.closed || this.endpoint === null || this.gate.hold(json, info)) return;
    this.hygiene.messagesOut++;
    this.hygiene.bytesOut += json.length;
    if (info.method === METHODS.initialize) this.initializeId = info.id;
    const headers: Record<string, string> = { ...this.userHeaders, 'Content-Type': 'application/json' };
    if (this.protocolVersion !== undefined) headers['MCP-Protocol-Version'] = this.protocolVersion;
    const id = info.id;
    const opensGate = info.method === METHODS.initialized;
    if (opensGate) this.gate.shut();
    const release = (): void => {
      if (opensGate && !this.closed) this.gate.open((j, i) => this.send(j, i));
    };
    this.pool.request(this.endpoint, 'POST', headers, json, {
      onResponse: (res) => {
        release();
        const status = res.status;
        if (status >= 200 && status < 300) {
          // The reply travels on the SSE stream; the POST answer is only an acknowledgement.
          res.read({ onData: (c) => { this.hygiene.bytesIn += c.length; }, onEnd() {} });
          return;
        }
        void readText(res).then((body) => {
          if (this.closed) return;
          const type = res.header('content-type') ?? '';
          const reply = id === undefined ? null : errorReply(id, status, body, {}, type);
          if (!reply?.inBand) this.hygiene.violation('http', `${info.method}: ${httpSummary(status, type, body)}`);
          if (reply) this.onmessage?.(reply.message, performance.now());
        });
      },
      onError: (err) => {
        if (this.closed) return;
        release();
        this.hygiene.violation('http', `${info.method}: ${err.code ?? err.message}`);
        if (id !== undefined) this.onmessage?.(networkErrorReply(id, this.endpoint!, err), performance.now());
      },
    });
  }

  /** Abort the GET stream (which ends a 2024-11-05 session) and any POSTs, free the sockets. */
  async close(): Promise<void> {
    this.closeWith({ reason: 'mcp-opt closed the connection' });
  }

  private closeWith(info: CloseInfo): void {
    if (this.closed || this.endpoint === null) return;
    this.closed = true;
    this.gate.drop();
    this.stream?.abort();
    this.pool.destroy();
    this.onclose?.(info);
  }
}
