/**
 * A client session as the router sees it (a stdio front's only client, or one HTTP session), the
 * requests it has in flight (Call) and the server requests relayed to it (Relay), and the link its
 * messages go back on, with what each message is (Delivery).
 */
import type { JsonRpcId } from '../target/protocol.js';
import type { Instance } from './instance.js';
import type { CacheTicket } from './readCache.js';

/** What the router knows about a message it hands to a client (an HTTP front routes by it; stdio ignores it). */
export interface Delivery {
  /** 'answer': the response to `relatedTo`; 'request': a server→client request; 'notification'. */
  kind: 'answer' | 'request' | 'notification';
  /** The client's id of the request the message belongs to (its answer, its progress, a server request relayed while it was served), if any. */
  relatedTo?: JsonRpcId;
}

/** Where a client's messages go back to. */
export interface ClientLink {
  /** Deliver one serialised JSON-RPC message to the client. */
  send(json: string, delivery: Delivery): void;
  /**
   * Deliver one message given as UTF-8 pieces (no newline), in order with send(): a cached answer
   * kept as bytes is then written without being encoded again (stdio front). Absent: send() it.
   */
  sendBytes?(parts: readonly Buffer[], delivery: Delivery): void;
}

/** One client request, from arrival to answer. */
export interface Call {
  /** The session that sent it. */
  session: ClientSession;
  /** Its id as the client sent it (given back with the answer). */
  clientId: JsonRpcId;
  /** Its id towards the instance, unique across the pool. */
  proxyId: number;
  /** Its JSON-RPC method. */
  method: string;
  /** The tool of a tools/call, else null. */
  tool: string | null;
  /** What a 2026-07-28 HTTP upstream gets as Mcp-Name: the tool, prompt or resource it names (routedMessage.ts nameOf). */
  name: string | undefined;
  /** The request as the instance gets it (the proxy's id); '' once sent (to an http(s) upstream: once answered), so a call in flight does not keep the text it was cut from alive. */
  json: string;
  /** The slot it must go to, or null (any). */
  pinned: number | null;
  /** performance.now() at its arrival. */
  enqueuedAt: number;
  /** performance.now() when it was written to an instance (0 while queued). */
  sentAt: number;
  /** The instance it was sent to, or null while queued. */
  instance: Instance | null;
  /** The client's progress token, when it asked for progress. */
  clientToken: unknown;
  /** True once the client cancelled it (or it timed out): a late answer is dropped. */
  cancelled: boolean;
  /** Its place in the read cache, when it is a cacheable read (sharedReads.ts). */
  cache?: CacheTicket;
  /** Identical requests waiting on its answer instead of reaching a server. */
  waiters?: Call[];
  /** The identical request in flight it waits on. */
  leader?: Call;
  /** A tools/list that asked for a later page (its answer is not the whole list). */
  paged?: true;
}

/** A request the server sent, relayed to a client. */
export interface Relay {
  /** The instance whose server sent it (its answer goes back there). */
  instance: Instance;
  /** The id the server gave it. */
  serverId: JsonRpcId;
  /** The client's id of the call it was relayed for, if any. */
  relatedTo: JsonRpcId | undefined;
}

/** One connected client (a stdio front's only client, or one HTTP session). */
export class ClientSession {
  /** Requests of this session not yet answered, by the client's id (a Map tells 1 from "1"). */
  readonly calls = new Map<JsonRpcId, Call>();
  /** Server→client requests relayed to it, by the id it was given. */
  readonly relays = new Map<number, Relay>();
  /** Its home slot (see Affinity), or null when none could be given (affinity client, all taken). */
  home: number | null = null;
  /** True once closed. */
  closed = false;
  /** Resource URIs it subscribed to (resources/subscribe, less resources/unsubscribe). */
  readonly subscriptions = new Set<string>();
  /** True once it spoke 2026-07-28 (server/discover, or the version in a request's `_meta`): its answers get resultType. */
  modern = false;
  /** The protocol version it initialized with ('' before, or for 2026-07-28 clients, whose requests carry it): part of the cache key. */
  protocolVersion = '';
  /** Who it acts for: a `private` cached answer is served only within it (2026-07-28 server/utilities/caching). Its own session unless a front knows better (the same bearer token). */
  authContext: string;
  constructor(
    /** Sequence number, for logs. */
    readonly id: number,
    readonly link: ClientLink,
    /**
     * A session of one 2026-07-28 request (no protocol session to keep): no home, its request is
     * spread over the instances as with affinity none, and its end replaces no instance.
     */
    readonly stateless = false,
  ) {
    this.authContext = `session ${id}`;
  }
}

/** A map key for a JSON-RPC id (1 and "1" differ). */
export function keyOf(id: JsonRpcId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
