/**
 * The HTTP engine: one keep-alive connection pool per target over plain `net`/`tls` sockets, with
 * a hand-written HTTP/1.1 request writer (requestHead.ts) and response parser (responseParser.ts),
 * and the bookkeeping the Transport interface needs: bytes of request bodies not yet handed to the
 * kernel, connections opened and requests sent. Both HTTP transports, the era probe, the GET
 * stream and the proxy's http(s) upstream send through it, in open and closed loops alike.
 *
 * Why not node:http or undici (issue 14): measured on this 2-core machine type, a closed loop of
 * 32 pings in flight against fixtures/servers/http-raw.mjs, every answer JSON.parse'd, CPU of
 * the client process per request over 4 s (a throwaway script, two runs each):
 *   node:http with a keep-alive Agent   69–106 µs   5.4–8.7k req/s
 *   undici 7.30 Pool.request()          24–27 µs    18–20k req/s
 *   undici 7.30 Pool.dispatch() with a  19–21 µs    25–30k req/s
 *   custom handler
 *   hand-written writer + parser        12 µs       38–39k req/s   (≈ 5 µs user, 7 µs kernel)
 *   the autocannon CLI (whole process, start-up included): 17.5–20 µs at 25–29k req/s.
 * undici's dispatch alone costs what autocannon does, with nothing left for the session and the
 * engine; its extra work (a wasm llhttp per connection, header arrays, a handler protocol with
 * controllers) buys generality an MCP client does not use. So the engine writes each request as
 * one string and parses answers itself, as autocannon does (its lib/httpClient.js and
 * requestIterator.js), and plain TCP sockets read through `onread` into a reused buffer rather
 * than 'data' events (connection.ts). What node:http gave before is kept: TLS with certificate verification
 * always on (no rejectUnauthorized override), no redirect ever followed, a keep-alive socket
 * closed by the server while idle retried once, header values checked as node:http checks them.
 * `node bench/generatorHttp.mjs` measures the whole path beside the autocannon CLI.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Connection, PoolRequest, type ConnectionHost, type SocketFactory } from './connection.js';
import { headerBlock, requestLine, type RequestHeaders } from './requestHead.js';
import type { RequestHandle, RequestHandlers } from './response.js';

export type { RequestHeaders } from './requestHead.js';
export type { BodySink, HttpResponse, RequestHandle, RequestHandlers } from './response.js';

/**
 * Connections per target. Each request holds a connection until its answer ends (no pipelining),
 * so this bounds true concurrency: requests beyond it wait inside the client, and that wait would
 * be measured as server latency. 256 is above any concurrency mcp-opt's load modes use.
 */
export const MAX_SOCKETS = 256;

/** One keep-alive pool to one origin (see the module comment). */
export class HttpPool implements ConnectionHost {
  /** Bytes of request bodies not yet handed to the kernel (queued for a connection or being written). */
  pendingOutBytes = 0;
  /** Set by destroy(): later requests are not sent. */
  destroyed = false;
  /** TCP (or TLS) connections opened; requests / connections is the keep-alive reuse. */
  connectionsOpened = 0;
  /** Requests sent (a request retried on a fresh connection counts twice). */
  requestsSent = 0;

  private readonly connect: SocketFactory;
  private readonly hostField: string;
  private readonly conns = new Set<Connection>();
  /** Connections free for a request, most recently freed last. */
  private readonly idle: Connection[] = [];
  /** Requests waiting for a connection (MAX_SOCKETS busy). */
  private readonly queue: PoolRequest[] = [];
  private lastUrl: URL | null = null;
  private lastMethod = '';
  private lastLine = '';

  constructor(origin: URL) {
    const secure = origin.protocol === 'https:';
    const host = origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname;
    const port = Number(origin.port) || (secure ? 443 : 80);
    this.hostField = `Host: ${origin.host}\r\n`;
    // noDelay: a request is one write; Nagle would only add delay behind a delayed ACK.
    // Certificates are always verified (tls.connect's default): never weakened for measuring.
    this.connect = secure
      ? () => ({ socket: tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] }).setNoDelay(true), reads: 'data' })
      : (onread) => ({ socket: net.connect({ host, port, noDelay: true, onread }), reads: 'onread' });
  }

  /**
   * Send a request. A keep-alive connection the server closed while idle shows up as a reset or
   * an end before any byte of the answer; the request never reached the server, so it is sent once
   * more on a fresh connection (the retry Node's http docs prescribe, `request.reusedSocket`).
   * Invalid header names or values end it in onError (on a later microtask), as node:http throws.
   * Returns a handle whose abort() ends the request (and its answer) without a callback.
   */
  request(url: URL, method: string, headers: RequestHeaders, body: string | undefined, h: RequestHandlers): RequestHandle {
    let block: { fields: string; host: boolean };
    try {
      block = headerBlock(headers);
    } catch (err) {
      queueMicrotask(() => h.onError(err as NodeJS.ErrnoException));
      return { abort() {} };
    }
    if (url !== this.lastUrl || method !== this.lastMethod) {
      this.lastUrl = url;
      this.lastMethod = method;
      this.lastLine = requestLine(method, url);
    }
    const bytes = body === undefined ? 0 : Buffer.byteLength(body);
    const length = body !== undefined || method === 'POST' ? `Content-Length: ${bytes}\r\n\r\n` : '\r\n';
    const text = this.lastLine + (block.host ? '' : this.hostField) + block.fields + length + (body ?? '');
    const req = new PoolRequest(this, text, bytes, method === 'HEAD', h);
    this.pendingOutBytes += bytes;
    if (this.destroyed) {
      req.aborted = true;
      this.settle(req);
      return req;
    }
    this.dispatch(req, false);
    return req;
  }

  /** End every request in flight and close every connection. */
  destroy(): void {
    this.destroyed = true;
    for (const req of this.queue) req.aborted = true;
    this.queue.length = 0;
    this.idle.length = 0;
    for (const conn of this.conns) {
      if (conn.current) conn.current.aborted = true;
      conn.close();
    }
    this.pendingOutBytes = 0;
  }

  settle(req: PoolRequest): void {
    // After destroy() the count is 0 and stays so: the requests it dropped settle nothing.
    if (!this.destroyed) this.pendingOutBytes -= req.owed;
    req.owed = 0;
  }

  released(conn: Connection): void {
    if (this.destroyed) return conn.close();
    const next = this.queue.shift();
    if (next !== undefined) return this.sendOn(conn, next);
    conn.socket.unref();
    this.idle.push(conn);
  }

  lost(conn: Connection, req: PoolRequest | null, err: NodeJS.ErrnoException | null): void {
    this.conns.delete(conn);
    const i = this.idle.lastIndexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
    if (req !== null && err !== null && !req.aborted && !this.destroyed) {
      if (conn.used && !req.retried && !conn.answering && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        req.retried = true;
        req.conn = null;
        req.owed = req.bytes;
        this.pendingOutBytes += req.bytes;
        this.dispatch(req, true);
      } else {
        req.aborted = true;
        req.handlers.onError(err);
      }
    }
    // A connection slot came free: a waiting request may go.
    if (this.queue.length > 0 && !this.destroyed && this.conns.size < MAX_SOCKETS) this.dispatch(this.queue.shift()!, true);
  }

  unqueue(req: PoolRequest): void {
    const i = this.queue.indexOf(req);
    if (i !== -1) this.queue.splice(i, 1);
  }

  /** Send `req` on a free connection, a new one (always when `fresh`), or queue it. */
  private dispatch(req: PoolRequest, fresh: boolean): void {
    const conn = fresh ? undefined : this.idle.pop();
    if (conn !== undefined) {
      conn.socket.ref();
      return this.sendOn(conn, req);
    }
    if (this.conns.size >= MAX_SOCKETS) {
      this.queue.push(req);
      return;
    }
    this.connectionsOpened++;
    const created = new Connection(this, this.connect);
    this.conns.add(created);
    this.sendOn(created, req);
  }

  private sendOn(conn: Connection, req: PoolRequest): void {
    this.requestsSent++;
    conn.send(req);
  }
}
