/**
 * One keep-alive HTTP/1.1 connection of the engine (pool.ts) and the request it carries: the
 * request's bytes go out in one socket write, the answer comes back through responseParser.ts to
 * the request's handlers. A request is also its own response object and handle (HttpResponse,
 * RequestHandle), so a request costs the engine one object besides the parsed head.
 *
 * How a request ends, whatever happens: handlers.onResponse once the head arrived, then its body
 * reader's onEnd exactly once (complete, or cut by the connection's end, a parse error or an
 * abort); or handlers.onError when the connection failed before any of the answer arrived (after
 * the one retry pool.ts allows); or nothing at all after abort() or the pool's destroy().
 */
import type net from 'node:net';
import type { BodySink, HttpResponse, RequestHandle, RequestHandlers } from './response.js';
import { ResponseParser, type ResponseEvents, type ResponseHead } from './responseParser.js';

/** What a connection and its requests need of the pool. */
export interface ConnectionHost {
  /** The pool was destroyed: nothing more is reported. */
  readonly destroyed: boolean;
  /** `bytes` of request bodies left the client (or will never be sent). */
  settle(req: PoolRequest): void;
  /** `conn` finished a response and can carry another request. */
  released(conn: Connection): void;
  /** `conn` closed; `req` (its request, if any) failed before its answer: retry it or report `err`. */
  lost(conn: Connection, req: PoolRequest | null, err: NodeJS.ErrnoException | null): void;
  /** Take `req` out of the queue of requests waiting for a connection. */
  unqueue(req: PoolRequest): void;
}

/**
 * How a connection's socket is made: with `onread` (plain TCP) the socket reads into buffers the
 * connection hands it and calls back with each read, without Node's stream machinery (a 'data'
 * event, a Buffer and a nextTick per read); a TLS socket ignores it and emits 'data'.
 */
export type SocketFactory = (onread: { buffer: () => Buffer; callback: (bytes: number, buf: Buffer) => boolean }) => MadeSocket;

/** A socket a SocketFactory made. */
export interface MadeSocket {
  /** The connecting socket. */
  socket: net.Socket;
  /** How it delivers what it reads: through the `onread` it was given, or as 'data' events (TLS). */
  reads: 'onread' | 'data';
}

/** Size of a connection's read buffer, bytes: what Node's own socket reads ask for, so a large answer takes as many reads as before. */
const READ_BUFFER_BYTES = 64 * 1024;

/** A body that nobody reads: discarded so the connection can carry the next request. */
const DISCARD: BodySink = { onData() {}, onEnd() {} };

/** One request, its answer and its handle (see the module comment). */
export class PoolRequest implements RequestHandle, HttpResponse {
  /** Body bytes counted in the pool's pendingOutBytes, not yet settled. */
  owed: number;
  /** It was sent once already (the keep-alive retry is spent). */
  retried = false;
  /** Ended by abort() or by the pool: no handler runs. */
  aborted = false;
  /** The connection carrying it; null while queued. */
  conn: Connection | null = null;
  /** Its answer's head, once arrived. */
  head: ResponseHead | null = null;
  private sink: BodySink | null = null;

  constructor(
    private readonly host: ConnectionHost,
    /** Request line, header fields and blank line, ready to write. */
    readonly text: string,
    /** Body bytes. */
    readonly bytes: number,
    /** It answers no body whatever its headers say (HEAD). */
    readonly bodyless: boolean,
    readonly handlers: RequestHandlers,
  ) {
    this.owed = bytes;
  }

  get status(): number {
    return this.head!.status;
  }

  get mediaType(): string {
    return this.head!.mediaType;
  }

  header(name: string): string | undefined {
    return this.head!.header(name);
  }

  read(sink: BodySink): void {
    this.sink = sink;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    if (this.conn === null) {
      this.host.unqueue(this);
      this.host.settle(this);
    } else {
      this.conn.close();
    }
  }

  /** Its head arrived: hand the response over. */
  responded(head: ResponseHead): void {
    this.head = head;
    this.host.settle(this);
    if (!this.aborted) this.handlers.onResponse(this);
    if (this.sink === null) this.sink = DISCARD;
  }

  /** A piece of its body. */
  data(chunk: Buffer): void {
    this.sink!.onData(chunk);
  }

  /** Its body ended: completely, or cut. */
  ended(complete: boolean): void {
    const sink = this.sink;
    this.sink = DISCARD;
    sink?.onEnd(complete);
  }
}

/** One socket, its parser and the request in flight on it. */
export class Connection implements ResponseEvents {
  /** The request in flight (sent, answer not complete). */
  current: PoolRequest | null = null;
  /** It carried a request before: a server may have closed it while idle (pool.ts retry). */
  used = false;
  /** The socket closed or is closing. */
  closed = false;
  readonly socket: net.Socket;
  private readonly parser = new ResponseParser(this);
  /**
   * The buffer the next read goes into. Reused while the parser is between answers (no one holds a
   * view of it); after a read that left an answer unfinished a fresh one is taken, so the views
   * a body reader kept of the last stay intact.
   */
  private readBuffer: Buffer | null = null;
  /** Bytes of the current request's answer were seen (a request the server began answering is not sent again). */
  answering = false;
  /** Whose bytes the socket is writing (settled when the write completes). */
  private writing: PoolRequest | null = null;
  private failure: NodeJS.ErrnoException | null = null;
  private readonly flushed = (): void => {
    const w = this.writing;
    this.writing = null;
    if (w !== null) this.host.settle(w);
  };

  constructor(private readonly host: ConnectionHost, connect: SocketFactory) {
    const { socket, reads } = connect({
      buffer: () => (this.readBuffer !== null && this.parser.idle ? this.readBuffer : (this.readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES))),
      callback: (bytes, buf) => {
        this.onData(buf.subarray(0, bytes));
        return true;
      },
    });
    this.socket = socket;
    if (reads === 'data') socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.failure ??= err;
    });
    socket.on('close', () => this.onClose());
  }

  /** Write `req` on this connection. */
  send(req: PoolRequest): void {
    this.current = req;
    req.conn = this;
    this.answering = false;
    this.parser.bodyless = req.bodyless;
    this.writing = req;
    this.socket.write(req.text, this.flushed);
  }

  onHead(head: ResponseHead): void {
    this.current?.responded(head);
  }

  onBody(chunk: Buffer): void {
    this.current?.data(chunk);
  }

  onEnd(): void {
    const req = this.current;
    this.current = null;
    this.used = true;
    // Released before the body's end is reported: a closed loop sends its next request from there,
    // and it should find this connection free rather than open another.
    if (req?.head?.keepAlive && !this.closed) this.host.released(this);
    else this.close();
    req?.ended(true);
  }

  /** Close the socket; its close event ends what is in flight. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.parser.stop();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.answering = true;
    if (this.current === null) {
      // Bytes nobody asked for: nothing after them can be trusted.
      this.failure = protocolError('the server sent bytes on an idle connection');
      return this.close();
    }
    if (!this.parser.execute(chunk) && this.parser.error !== null) {
      this.failure = protocolError(`invalid HTTP response: ${this.parser.error}`);
      this.close();
    }
  }

  private onClose(): void {
    this.closed = true;
    if (this.writing !== null) this.flushed();
    const req = this.current;
    // A body read to the connection's end ends now (onEnd runs); any other unfinished answer is cut.
    if (this.failure === null) this.parser.finish();
    else this.parser.stop();
    if (req === null || this.current === null) return this.host.lost(this, null, null);
    this.current = null;
    if (req.head !== null) {
      req.ended(false);
      return this.host.lost(this, null, null);
    }
    this.host.lost(this, req, this.failure ?? hangUp(this.answering));
  }
}

/** The error of a connection that ended before its answer, as node:http names it. */
function hangUp(answering: boolean): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(answering ? 'the connection closed in the middle of the response head' : 'socket hang up');
  err.code = 'ECONNRESET';
  return err;
}

function protocolError(message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = 'HPE_INVALID_RESPONSE';
  return err;
}
