/**
 * The GET stream of a Streamable HTTP session (2025-11-25 basic/transports, "Listening for
 * Messages from the Server"): what the server sends outside any POST's stream, such as a
 * roots/list it asks on its own (the SDK's `server.listRoots()`), list changes and logging. Opened
 * on request (the proxy relays these to its clients; bench does not listen), and opened again a
 * second after it ends while the session lives. A server that answers the GET with anything but
 * an event stream (405: it offers none) is not asked again. The 2026-07-28 era has no GET stream.
 * test/proxy/httpUpstream.e2e.test.ts: server-everything's get-roots-list through the proxy.
 */
import type { Hygiene } from '../hygiene.js';
import type { JsonRpcMessage } from '../protocol.js';
import { BodyReader } from './body.js';
import type { HttpPool, RequestHandle } from './pool.js';
import type { HeaderFields } from './streamableHeaders.js';

/** Delay before the stream is opened again after it ended or failed, ms. */
export const REOPEN_AFTER_MS = 1000;

/** What the stream needs of its transport. */
export interface ServerStreamHost {
  /** The transport's connections (the stream holds one while open). */
  readonly pool: HttpPool;
  /** The MCP endpoint. */
  readonly url: URL;
  /** The transport's counters (bytes in, malformed events). */
  readonly hygiene: Hygiene;
  /** The GET's headers now (the session id and version), or null when there is no session to listen on (not yet, or closed). */
  headers(): HeaderFields | null;
  /** A message the server sent on it. */
  deliver(m: JsonRpcMessage, at: number): void;
}

/** One session's GET stream (see the module comment). */
export class ServerStream {
  private handle: RequestHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The server offers no GET stream: it is not asked again. */
  private refused = false;
  private stopped = false;

  constructor(private readonly host: ServerStreamHost) {}

  /** Open it (again), unless it is open, refused, stopped or there is no session. */
  listen(): void {
    if (this.handle || this.refused || this.stopped) return;
    const headers = this.host.headers();
    if (headers === null) return;
    const { hygiene } = this.host;
    this.handle = this.host.pool.request(this.host.url, 'GET', headers, undefined, {
      onResponse: (res) => {
        const status = res.status;
        if (status !== 200 || res.mediaType !== 'text/event-stream') {
          this.handle = null;
          // 405, or a 200 that is not an event stream: it offers none. Anything else (a 404 for a
          // session just renewed): try again later.
          if (status === 405 || status === 200) this.refused = true;
          else this.later();
          return;
        }
        let at = 0;
        const reader = new BodyReader('sse', hygiene, (m) => this.host.deliver(m, at));
        res.read({
          onData: (c) => {
            hygiene.bytesIn += c.length;
            at = performance.now();
            reader.push(c);
          },
          onEnd: () => {
            reader.end();
            this.handle = null;
            this.later();
          },
        });
      },
      onError: () => {
        this.handle = null;
        this.later();
      },
    });
  }

  /** Close it for good (the transport closes). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.handle?.abort();
    this.handle = null;
  }

  private later(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.listen();
    }, REOPEN_AFTER_MS);
    this.timer.unref();
  }
}
