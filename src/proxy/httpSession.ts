/**
 * One client of the HTTP front, as the router sees it (a ClientLink): a legacy session
 * (2025-03-26 … 2025-11-25, created by `initialize`, named by Mcp-Session-Id, ended by DELETE or
 * idleness) or the one request of a 2026-07-28 POST (no session: the router's stateless kind).
 *
 * Where a message goes (the router says which request it relates to):
 * - an answer: to the POST that carried the request; if that POST is gone (the client hung up),
 *   nowhere: 2025-11-25 forbids responses on the GET stream;
 * - a progress notification or a relayed server request: on that POST's SSE stream when it has
 *   one; otherwise, legacy, on the session's GET stream, or kept (at most BUFFERED_MAX messages,
 *   the oldest dropped first) until the client opens one;
 * - anything else (logging, list changes): the GET stream, or the buffer.
 * The 2026-07-28 era has no GET stream and no server requests on streams (MRTR): a relayed
 * request is refused to the server at once, an unrelated notification dropped.
 */
import { keyOf, type ClientLink, type ClientSession, type Delivery } from './clientSession.js';
import type { Router } from './router.js';
import type { PostReply } from './httpReply.js';
import type { SseStream } from './sse.js';
import type { JsonRpcId } from '../target/protocol.js';

/** Messages kept for a legacy session without a GET stream, at most (then the oldest are dropped). */
export const BUFFERED_MAX = 256;
/** A legacy session that had no HTTP request, no open stream and no POST awaiting its answer this long is ended, ms. */
export const IDLE_SESSION_MS = 10 * 60_000;

/** One client of the HTTP front (see the module comment). */
export class HttpSession implements ClientLink {
  /** The router's session, set right after router.openSession(this). */
  session!: ClientSession;
  /** Version negotiated by initialize (legacy), when known. */
  negotiatedVersion: string | undefined;
  /** The client declared sampling, elicitation or roots (legacy): a tools/call of it may be preceded by server requests. */
  servesRequests = false;
  /** When it was last heard from or answered (its clock's time). */
  lastSeenAt: number;
  /** Messages dropped because the buffer was full. */
  dropped = 0;
  /** POSTs awaiting answers, by key of the request id. */
  private readonly replies = new Map<string, PostReply>();
  private stream: SseStream | null = null;
  private readonly buffer: string[] = [];

  constructor(
    private readonly router: Router,
    /** Mcp-Session-Id (legacy), or null for a 2026-07-28 request. */
    readonly id: string | null,
    /** The clock of lastSeenAt (SessionTable.now). */
    private readonly now: () => number,
  ) {
    this.lastSeenAt = now();
  }

  /** True for a 2026-07-28 request's session. */
  get modern(): boolean {
    return this.id === null;
  }

  /** True while a POST awaits an answer or the GET stream is open: never idle then. */
  get busy(): boolean {
    return this.replies.size > 0 || this.stream !== null;
  }

  /** True when the GET stream is open. */
  get hasStream(): boolean {
    return this.stream !== null;
  }

  /** True when a POST awaits the answer to `id`. */
  awaits(id: JsonRpcId): boolean {
    return this.replies.has(keyOf(id));
  }

  /** `reply` carries the answer to `id`. */
  expect(id: JsonRpcId, reply: PostReply): void {
    const key = keyOf(id);
    this.replies.set(key, reply);
    reply.whenGone(() => {
      if (this.replies.get(key) === reply) this.replies.delete(key);
    });
  }

  /** The client cancelled request `id`: its POST stops waiting for the answer. */
  cancelled(id: JsonRpcId): void {
    const key = keyOf(id);
    const reply = this.replies.get(key);
    this.replies.delete(key);
    reply?.drop(key);
  }

  /** The GET stream opened: it gets what was kept, then everything unrelated. */
  attach(stream: SseStream): void {
    this.stream = stream;
    for (const json of this.buffer.splice(0)) stream.send(json);
    stream.whenClosed(() => {
      if (this.stream === stream) this.stream = null;
      this.lastSeenAt = this.now();
    });
  }

  /** Route one message from the router (see the module comment). */
  send(json: string, d: Delivery): void {
    if (d.relatedTo !== undefined) {
      const key = keyOf(d.relatedTo);
      const reply = this.replies.get(key);
      if (d.kind === 'answer') {
        this.replies.delete(key);
        this.lastSeenAt = this.now();
        // A 2026-07-28 request's session lives as long as its one request.
        if (reply?.answer(key, json) && this.modern) this.router.closeSession(this.session);
        return;
      }
      if (reply?.streaming && !(this.modern && d.kind === 'request')) return reply.event(json);
    }
    if (this.modern) {
      if (d.kind === 'request') this.refuse(json);
      return;
    }
    if (this.stream) return this.stream.send(json);
    this.buffer.push(json);
    if (this.buffer.length > BUFFERED_MAX) {
      this.buffer.shift();
      this.dropped++;
    }
  }

  /** End it: POSTs awaiting answers get `status` with `body` (or their stream ends), the GET stream ends, the router forgets it. */
  end(status: number, body: string): void {
    for (const reply of [...this.replies.values()]) reply.abandon(status, body);
    this.replies.clear();
    this.stream?.end();
    this.stream = null;
    this.buffer.length = 0;
    this.router.closeSession(this.session);
  }

  /** A server request relayed to a 2026-07-28 client: answered with an error for it, since that era takes none on its streams. */
  private refuse(json: string): void {
    const id = (JSON.parse(json) as { id?: JsonRpcId }).id;
    if (id === undefined) return;
    queueMicrotask(() => this.router.receive(this.session, {
      jsonrpc: '2.0', id,
      error: { code: -32601, message: 'mcp-opt proxy: a 2026-07-28 client takes no server requests over Streamable HTTP (they travel inside results, MRTR); the proxy cannot relay this one.' },
    }));
  }
}

/** The legacy sessions of an HTTP front, by Mcp-Session-Id. */
export class SessionTable {
  private readonly byId = new Map<string, HttpSession>();

  constructor(
    /** Idle time after which a session ends, ms (IDLE_SESSION_MS). */
    readonly idleMs: number,
    /** The clock (performance.now; tests give a fake one). */
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Open sessions. */
  get size(): number {
    return this.byId.size;
  }

  /** Add an open session. */
  add(s: HttpSession): void {
    if (s.id !== null) this.byId.set(s.id, s);
  }

  /** The session named `id`, marked as seen now; undefined when unknown or ended. */
  touch(id: string): HttpSession | undefined {
    const s = this.byId.get(id);
    if (s) s.lastSeenAt = this.now();
    return s;
  }

  /** Forget a session (it ended). */
  remove(s: HttpSession): void {
    if (s.id !== null && this.byId.get(s.id) === s) this.byId.delete(s.id);
  }

  /** Every open session. */
  all(): HttpSession[] {
    return [...this.byId.values()];
  }

  /** Sessions idle for idleMs or longer (not busy, not seen since), removed from the table. */
  takeIdle(): HttpSession[] {
    const now = this.now();
    const idle = this.all().filter((s) => !s.busy && now - s.lastSeenAt >= this.idleMs);
    for (const s of idle) this.byId.delete(s.id!);
    return idle;
  }
}
