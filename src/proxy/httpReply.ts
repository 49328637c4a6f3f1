/**
 * The answer to one POST of the HTTP front: the responses to the requests it carried (one, or
 * several for a 2025-03-26 batch), as one application/json body or as an SSE stream on which
 * messages related to those requests (progress, relayed server requests) come first. The stream
 * ends after the last answer (2025-11-25 basic/transports: SHOULD; 2026-07-28: the final response
 * SHOULD terminate the stream).
 *
 * A JSON body is compressed when it is large enough and the client accepts br or gzip
 * (compression.ts). An SSE stream never is: each event must reach the client when it is written
 * (progress, a relayed server request awaiting an answer), and a compressor holds bytes back until
 * its block fills or it is flushed, which for one-line events would cost most of the gain.
 */
import type { ServerResponse } from 'node:http';
import { NO_COMPRESSION, encodeJson, type JsonCompression } from './compression.js';
import { SseStream } from './sse.js';

/** Status and extra headers of a JSON answer. */
export interface AnswerHead {
  /** HTTP status. */
  status: number;
  /** Headers besides Content-Type (e.g. Mcp-Session-Id). */
  headers: Record<string, string>;
}

/** The head of a JSON answer, decided when the answer is known (e.g. the session id of a successful initialize). */
export type AnswerDecoration = (json: string) => AnswerHead;

/** How a POST is answered. */
export type ReplyMode = 'json' | 'sse';

/** The optional parts of a PostReply. */
export interface PostReplyOptions {
  /** Headers of an SSE answer (sent at once). */
  sseHeaders?: Record<string, string>;
  /** Status and headers of a JSON answer (default: 200, none). */
  decorate?: AnswerDecoration;
  /** How a JSON answer is compressed (default: never). */
  compression?: JsonCompression;
}

/** One POST waiting for its answers. */
export class PostReply {
  /** Answers still awaited, by request key. */
  private readonly pending: Set<string>;
  private readonly answers: string[] = [];
  private readonly stream: SseStream | null;
  private done = false;
  private readonly gone: Array<() => void> = [];
  private readonly decorate: AnswerDecoration;
  private readonly compression: JsonCompression;

  constructor(
    private readonly res: ServerResponse,
    /** JSON body or SSE stream (httpFront.ts replyMode decides). */
    readonly mode: ReplyMode,
    /** Keys of the requests whose answers it carries. */
    keys: readonly string[],
    /** True for a batch: the JSON body is an array. */
    private readonly batch: boolean,
    options: PostReplyOptions = {},
  ) {
    this.pending = new Set(keys);
    this.decorate = options.decorate ?? (() => ({ status: 200, headers: {} }));
    this.compression = options.compression ?? NO_COMPRESSION;
    this.stream = mode === 'sse' ? new SseStream(res, options.sseHeaders) : null;
    res.once('close', () => {
      if (this.done) return;
      this.done = true;
      for (const fn of this.gone.splice(0)) fn();
    });
  }

  /** True when messages other than answers can go on it (an open SSE stream). */
  get streaming(): boolean {
    return this.stream !== null && !this.done;
  }

  /** True once every answer was written, or the client went away. */
  get finished(): boolean {
    return this.done;
  }

  /** Run `fn` if the client goes away before every answer was written. */
  whenGone(fn: () => void): void {
    this.gone.push(fn);
  }

  /** A message related to the requests, before their answers (SSE only). */
  event(json: string): void {
    if (!this.done) this.stream?.send(json);
  }

  /** The answer to request `key`; true when it was the last one awaited (the reply is complete). */
  answer(key: string, json: string): boolean {
    if (this.done || !this.pending.delete(key)) return false;
    if (this.stream) this.stream.send(json);
    else this.answers.push(json);
    if (this.pending.size > 0) return false;
    this.done = true;
    if (this.stream) {
      this.stream.end();
      return true;
    }
    const body = this.batch ? `[${this.answers.join(',')}]` : this.answers[0]!;
    const { status, headers } = this.decorate(body);
    this.writeJson(status, headers, body);
    return true;
  }

  /**
   * The client cancelled request `key`: no answer will come for it (basic/utilities/cancellation).
   * The last one awaited ends the reply: a stream just ends; a JSON reply gives the answers it has,
   * or, having none, ends as an empty event stream (a request's POST is answered with JSON or SSE).
   */
  drop(key: string): void {
    if (this.done || !this.pending.delete(key) || this.pending.size > 0) return;
    this.done = true;
    if (this.stream) return this.stream.end();
    if (this.answers.length > 0) return this.writeJson(200, {}, this.batch ? `[${this.answers.join(',')}]` : this.answers[0]!);
    new SseStream(this.res).end();
  }

  /** End it without the answers still awaited (the session ended, the proxy stops): an open stream just ends, a JSON answer becomes `status` with `body`. */
  abandon(status: number, body: string): void {
    if (this.done) return;
    this.done = true;
    if (this.stream) return this.stream.end();
    this.writeJson(status, {}, body);
  }

  /** Write the complete JSON body `json`, compressed when this.compression says so. */
  private writeJson(status: number, headers: Record<string, string>, json: string): void {
    const out = encodeJson(json, this.compression);
    // Added to what the front set (Vary: Origin for a CORS request), not in place of it.
    if (out.varies) this.res.appendHeader('vary', 'accept-encoding');
    this.res.writeHead(status, { ...headers, ...out.headers, 'content-type': 'application/json' });
    this.res.end(out.body);
  }
}
