/**
 * What the HTTP engine (pool.ts) hands its callers: a handle on each request, the answer's head
 * and a way to read its body. Deliberately not node:http's IncomingMessage: no stream, no header
 * object, no events, so an answer costs the engine one object (connection.ts PoolRequest).
 */

/** A request in flight. */
export interface RequestHandle {
  /** End the request and its answer; no handler runs afterwards for network errors (a body being read ends cut). */
  abort(): void;
}

/** Reads an answer's body. */
export interface BodySink {
  /**
   * A piece of the body (de-chunked): a view into the buffer the socket read into, valid until
   * onEnd returns (a connection reuses its read buffer once an answer has ended): copy what must
   * live longer.
   */
  onData(chunk: Buffer): void;
  /** The body ended, once: `complete` false when the connection ended, failed or was aborted first. */
  onEnd(complete: boolean): void;
}

/** An answer, as the handlers see it. */
export interface HttpResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Media type of Content-Type, lower-cased, without parameters ('' when absent). */
  readonly mediaType: string;
  /** The first value of header `name` (lower case), trimmed; undefined when absent. */
  header(name: string): string | undefined;
  /** Read the body: call from onResponse (a body no one reads is discarded). */
  read(sink: BodySink): void;
}

/** How one request ends, as seen by HttpPool. */
export interface RequestHandlers {
  /** The answer's head arrived, whatever its status: the handler reads its body; onError no longer runs. */
  onResponse(res: HttpResponse): void;
  /** Failure before any answer (after the one retry described on HttpPool.request). */
  onError(err: NodeJS.ErrnoException): void;
}
