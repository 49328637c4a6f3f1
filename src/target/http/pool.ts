/**
 * One keep-alive connection pool per target, with the bookkeeping the Transport interface needs:
 * bytes of request bodies not yet handed to the kernel, and requests in flight (so close() can
 * end them).
 *
 * node:http rather than fetch: a measuring client wants to know when each byte leaves and
 * arrives, and to own its sockets. Redirects are never followed (node:http does not), so a
 * request cannot be sent, with its headers, to another origin; TLS verification is left on
 * (test/target/http.test.ts).
 */
import http from 'node:http';
import https from 'node:https';

/**
 * Sockets per target. Each Streamable HTTP request holds a socket until its response ends, so
 * this bounds true concurrency: requests beyond it wait inside the client, and that wait would be
 * measured as server latency. 256 is above any concurrency mcp-opt's load modes use.
 */
export const MAX_SOCKETS = 256;

/** A request in flight. */
export interface RequestHandle {
  /** End the request and its response stream; no handler runs afterwards for network errors. */
  abort(): void;
}

/** How one request ends, as seen by HttpPool. */
export interface RequestHandlers {
  /** The response's head arrived, whatever its status: the handler reads its body; onError no longer runs. */
  onResponse(res: http.IncomingMessage): void;
  /** Network failure before a response (after the one retry described on HttpPool.request). */
  onError(err: NodeJS.ErrnoException): void;
}

/** One keep-alive pool to one origin, with the bookkeeping described in the module comment. */
export class HttpPool {
  /** Bytes of request bodies not yet flushed to the socket. */
  pendingOutBytes = 0;
  /** Set by destroy(): later requests are not sent. */
  destroyed = false;
  /** TCP (or TLS) connections opened; requests / connections is the keep-alive reuse. */
  connectionsOpened = 0;
  /** Requests sent. */
  requestsSent = 0;

  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly inflight = new Set<http.ClientRequest>();

  constructor(origin: URL) {
    const https_ = origin.protocol === 'https:';
    // Certificates are always verified (no rejectUnauthorized override): never weakened for measuring.
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
      this.requestsSent++;
      req.once('socket', () => {
        if (!req.reusedSocket) this.connectionsOpened++;
      });
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
