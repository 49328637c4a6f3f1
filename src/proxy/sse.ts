/**
 * One server-sent-events stream of the HTTP front: a POST's answer stream or a session's GET
 * stream. Every JSON-RPC message is one `message` event with one `data:` line (JSON.stringify
 * never writes a newline). Streams carry no event ids: the front does not offer resumption
 * (2025-11-25 basic/transports: resumability is a MAY; 2026-07-28 removed it).
 */
import type { ServerResponse } from 'node:http';

/** A comment line is written on an open stream this often, so idle intermediaries and clients keep it (2026-07-28 basic/transports/streamable-http: keep-alive comments), ms. */
export const SSE_KEEPALIVE_MS = 15_000;

/** Bytes a client may leave unread on a stream; beyond them it is cut (a client that stopped reading must not grow the proxy's memory). */
export const SSE_MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** The headers of an SSE answer (X-Accel-Buffering: the spec's SHOULD, so nginx-like proxies do not hold events back). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/** An open SSE stream on `res`. */
export class SseStream {
  /** True once ended (by us or by the client going away). */
  closed = false;
  private readonly keepAlive: NodeJS.Timeout;
  private readonly onClose: Array<() => void> = [];

  constructor(private readonly res: ServerResponse, headers: Record<string, string> = {}, keepAliveMs = SSE_KEEPALIVE_MS) {
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    // The headers go now: a client waiting for the first event knows the stream is open.
    res.flushHeaders();
    this.keepAlive = setInterval(() => {
      if (!this.closed) res.write(': keep-alive\n\n');
    }, keepAliveMs);
    this.keepAlive.unref();
    res.once('close', () => this.ended());
  }

  /** Write one JSON-RPC message as an event. */
  send(json: string): void {
    if (this.closed) return;
    if (this.res.writableLength > SSE_MAX_UNREAD_BYTES) {
      this.res.destroy();
      return this.ended();
    }
    this.res.write(`event: message\ndata: ${json}\n\n`);
  }

  /** Run `fn` once the stream ends, whoever ended it. */
  whenClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.onClose.push(fn);
  }

  /** End the stream (after its last event). */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.ended();
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    for (const fn of this.onClose.splice(0)) fn();
  }
}
