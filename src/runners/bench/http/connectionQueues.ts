/**
 * Which request an autocannon answer belongs to. HTTP/1.1 answers each connection's requests in
 * order, so every connection keeps a queue of its requests, the mirror of autocannon's own
 * (lib/pipelinedRequestsQueue.js). A request is built in setupRequest right after its connection
 * emitted 'request' (lib/httpClient.js `_doRequest`); the first request of each connection is
 * built in its constructor, just before setupClient, and sent without a 'request'-then-build.
 *
 * The JSON-RPC id in an answer is the check: when it names a later request on the connection
 * (autocannon re-opened a connection the server closed without clearing its queue), the requests
 * ahead of it were lost, and the answer is "out of order": autocannon's pairing, hence its
 * responseTime, is off as well. Answers without an id (HTTP errors) go to the head of the queue.
 */
import type { AutocannonClient } from 'autocannon';
import type { JsonRpcMessage } from '../../../target/protocol.js';
import type { Operation } from '../../../workload/operations.js';
import type { OpStats } from '../recording.js';

/** Client fields autocannon 9 itself relies on (lib/httpClient.js, lib/run.js); mcp-opt does too. */
export interface ClientInternals extends AutocannonClient {
  /** Requests written on this connection. */
  reqsMade: number;
  /** Before each send: reqsMade ≥ responseMax destroys the connection (autocannon's `amount` stop). */
  responseMax: number | undefined;
  /** Opens the socket; called again (on the instance) when the server ended or reset the previous one. */
  _connect: () => void;
  /** Its HTTP response parser (http-parser-js). */
  parser: {
    /** The parser's kind (response), what initialize takes again. */
    type: string;
    /** Reset the parse state for `type`, keeping the callbacks. */
    initialize: (type: string) => void;
  };
  /** Its own queue of requests awaiting answers on the socket. */
  pipelinedRequests: {
    /** Drop every queued request (on a re-open: they were lost with the socket). */
    clear: () => void;
  };
}

/** One request on the wire. */
export interface Sent {
  /** Its JSON-RPC id, unique in the run: answers name it. */
  id: number;
  /** The operation it sends. */
  op: Operation;
  /** Its operation's stats when measured; null in the warm-up or past the window. */
  stats: OpStats | null;
  /** performance.now() when it was built, right before autocannon wrote it. */
  sentAt: number;
  /** Settled (answered, timed out or lost). */
  done: boolean;
  /** Which MCP session's headers it carried (autocannonLoad.ts counts re-initializations). */
  gen: number;
}

/** One autocannon connection and its unanswered requests, oldest first. */
export interface Conn {
  /** The connection's number, 0-based, in the order autocannon made them (a re-open keeps it). */
  index: number;
  /** autocannon's client for it. */
  client: ClientInternals;
  /** Its requests awaiting answers, oldest first (settled ones are skipped when taken off). */
  queue: Sent[];
  /** Requests written on it. */
  sent: number;
  /** Answers read on it. */
  answered: number;
}

/** What an answer on a connection settles. */
export interface Match {
  /** The request answered; undefined when none was outstanding on the connection. */
  sent: Sent | undefined;
  /** False when the answer skipped requests ahead of it (they are in `lost`). */
  inOrder: boolean;
  /** Requests ahead of it that will never be answered. */
  lost: Sent[];
}

/** The queues of every connection of one autocannon run. */
export class ConnectionQueues {
  readonly conns: Conn[] = [];
  private readonly outstanding = new Map<number, Sent>();
  /** The connection whose 'request' event announced the send now being built. */
  private building: Conn | null = null;
  /** A request built in a connection's constructor, claimed by attach() right after. */
  private unclaimed: Sent | null = null;

  /** Requests not yet settled. */
  get size(): number {
    return this.outstanding.size;
  }

  /** A request was just built (setupRequest). */
  add(sent: Sent): void {
    this.outstanding.set(sent.id, sent);
    const c = this.building;
    this.building = null;
    if (c) this.enqueue(c, sent);
    else this.unclaimed = sent;
  }

  /** autocannon made a connection (setupClient): claim its first request, follow its sends. */
  attach(client: ClientInternals): Conn {
    const c: Conn = { index: this.conns.length, client, queue: [], sent: 0, answered: 0 };
    this.conns.push(c);
    if (this.unclaimed) this.enqueue(c, this.unclaimed);
    this.unclaimed = null;
    // The first send reuses the request its constructor built: reqsMade is 0 then and nothing is built.
    client.on('request', () => (this.building = client.reqsMade > 0 ? c : null));
    return c;
  }

  /** The request an answer on `c` carrying JSON-RPC `responses` belongs to (see the module comment). */
  match(c: Conn, responses: readonly JsonRpcMessage[]): Match {
    c.answered++;
    const named = responses.find((m) => typeof m.id === 'number' && this.outstanding.get(m.id)?.done === false);
    if (!named) return { sent: this.shift(c), inOrder: true, lost: [] };
    const sent = this.outstanding.get(named.id as number)!;
    const k = c.queue.indexOf(sent);
    if (k < 0) return { sent, inOrder: false, lost: [] };
    const ahead = c.queue.splice(0, k + 1).slice(0, k).filter((s) => !s.done);
    return { sent, inOrder: k === 0, lost: ahead };
  }

  /** The oldest unsettled request of `c`, taken off its queue (a timeout, a dropped connection). */
  shift(c: Conn): Sent | undefined {
    let s = c.queue.shift();
    while (s?.done) s = c.queue.shift();
    return s;
  }

  /** Mark a request settled. */
  settle(sent: Sent): void {
    sent.done = true;
    this.outstanding.delete(sent.id);
  }

  private enqueue(c: Conn, sent: Sent): void {
    c.queue.push(sent);
    c.sent++;
  }
}

/**
 * Call `lost` each time autocannon re-opens `c`'s connection (not at its first connect), then
 * start autocannon's side of it afresh. autocannon re-opens a connection the server ended or
 * reset, but keeps its HTTP parser in the middle of the cut response and its queue of requests
 * (lib/httpClient.js `_connect`), so the next answers on the new socket were misread: one dropped
 * SSE stream counted as `http:200` and a neighbour as `closed` or `timeout`.
 */
export function watchReopen(c: Conn, lost: () => void): void {
  // The constructor calls setupClient before it first connects: only the later calls re-open.
  const connect = c.client._connect;
  let opened = false;
  c.client._connect = function (this: ClientInternals): void {
    if (opened) {
      lost();
      c.client.parser.initialize(c.client.parser.type);
      c.client.pipelinedRequests.clear();
    }
    opened = true;
    connect.call(this);
  };
}
