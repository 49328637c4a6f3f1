/**
 * The proxy's router: client sessions in, pool instances out.
 *
 * - JSON-RPC ids: every forwarded request gets a proxy id, unique across the pool; the answer gets
 *   the client's id back. Progress tokens are rewritten the same way (the proxy id) and
 *   `notifications/progress` is routed back to the client that asked (basic/utilities/progress).
 * - Cancellation (basic/utilities/cancellation): a client's `notifications/cancelled` reaches the
 *   instance holding the request (with the proxy id), or removes it from the queue; a late answer
 *   is dropped.
 * - Server→client requests (sampling, elicitation, roots/list) go to the client whose request is
 *   in flight on that instance; with several (a shared instance), the oldest one's, counted as
 *   ambiguous in /metrics (README: use --affinity client for servers that send them). Their
 *   answers go back with the server's id.
 * - Affinity: 'none' spreads every request; 'session' pins a session to one instance; 'client'
 *   gives each session an instance of its own, replaced by a fresh one when the session ends.
 *   Stateful requests (resources/subscribe, logging/setLevel…) always go to the session's home.
 * - Capacity: at most `maxInflightPerInstance` requests per instance (0: no cap); beyond it,
 *   requests wait in one bounded FIFO queue, with a timeout.
 * - Every message handed to a client says which of its requests it belongs to (Delivery), so an
 *   HTTP front can put it on that request's stream. A stateless session (one 2026-07-28 request)
 *   has no home: its request is spread as with affinity none.
 */
import { encodeError, encodeResult } from '../target/jsonRpc.js';
import { METHODS, type JsonRpcId, type JsonRpcMessage } from '../target/protocol.js';
import type { Affinity } from '../options/proxyOptions.js';
import { foldEwma, makeBalancer, type Balance, type Picker } from '../util/balancer.js';
import { discoverFromInitialize, markComplete } from './eraBridge.js';
import type { Instance } from './instance.js';
import { ClientSession, type Call, type ClientLink, type Delivery } from './clientSession.js';
import { classify, initializeAnswerFor, isModernRequest, isSessionExpiry, nameOf, withId } from './routedMessage.js';
import type { ProxyMetrics } from './metrics.js';
import { PROXY_ERRORS, type FailureClass } from './proxyErrors.js';
import type { CacheSettings, ToolSettings } from '../options/proxyOptions.js';
import { fetchFailed } from './cachePolicy.js';
import { SharedReads } from './sharedReads.js';
import { ToolGate } from './toolGate.js';
import { makeToolFilter } from '../util/toolNames.js';

/** Router settings. */
export interface RouterSettings {
  /** Affinity mode. */
  affinity: Affinity;
  /** Spreading over instances (affinity none). */
  balance: Balance;
  /** Requests in flight per instance at most (0: no cap). */
  maxInflightPerInstance: number;
  /** Requests waiting at most; one more is refused at once. */
  queueMax: number;
  /** A request waiting longer than this is answered with an error, ms. */
  queueTimeoutMs: number;
  /** A forwarded request unanswered this long is answered with an error and cancelled, ms (0: never). */
  requestTimeoutMs: number;
  /** Replace an instance once it was sent this many requests (0: never). */
  recycleAfter: number;
  /** The read cache and coalescing (readCache.ts). */
  cache: CacheSettings;
  /** Which tools clients may call, and whether unknown ones are refused (toolGate.ts). */
  tools: ToolSettings;
}

/** The delivery of a message that belongs to no request (logging, list changes). */
const UNRELATED: Delivery = { kind: 'notification' };
/** Methods whose effect lives in the instance that served them: always sent to the session's home. */
const STATEFUL = new Set(['resources/subscribe', 'resources/unsubscribe', 'logging/setLevel']);
/** Sweep period of queue and request timeouts, ms. */
const SWEEP_MS = 50;

/** A slot as the balancer sees it. */
class SlotView {
  instance: Instance | null = null;
  ewmaUs = 0;
  sessions = 0;
  constructor(readonly slot: number, private readonly cap: number) {}
  get inflight(): number {
    return this.instance?.inflight.size ?? 0;
  }
  get ready(): boolean {
    const i = this.instance;
    return i !== null && i.accepting && (this.cap === 0 || i.inflight.size < this.cap);
  }
}

/** Routes messages between client sessions and instances. */
export class Router {
  private readonly views: SlotView[];
  private readonly pick: Picker<SlotView>;
  private readonly inflight = new Map<number, Call>();
  private readonly queue: Call[] = [];
  private readonly sessions = new Set<ClientSession>();
  private nextProxyId = 1;
  private nextRelayId = 1;
  private nextSession = 1;
  private sweeper: NodeJS.Timeout | null = null;
  private draining = false;
  /** Caching and coalescing of reads (sharedReads.ts). */
  readonly shared: SharedReads;
  private readonly gate: ToolGate;

  constructor(
    slots: number,
    private readonly settings: RouterSettings,
    private readonly metrics: ProxyMetrics,
    /** Replace an instance that is idle and done (its share served, over --max-rss, or its dedicated client gone). */
    private readonly retire: (instance: Instance, why: string) => void,
  ) {
    this.views = Array.from({ length: slots }, (_, i) => new SlotView(i, settings.maxInflightPerInstance));
    this.pick = makeBalancer(this.views, settings.balance);
    const t = settings.tools;
    this.gate = new ToolGate(t.allow.length + t.deny.length > 0 ? makeToolFilter(t.allow.length > 0 ? t.allow : undefined, t.deny) : null, t.refuseUnknown);
    this.shared = new SharedReads(settings.cache, metrics, {
      dispatch: (call) => this.dispatch(call),
      fail: (call, code, message) => this.answerError(call, code, message),
      groupOf,
      legacyCapabilities: () => {
        const warm = this.warmInstance(null)?.warm;
        if (!warm) return undefined;
        const init = warm.initializeResult;
        return init === null ? null : ((init['capabilities'] as Record<string, unknown> | undefined) ?? {});
      },
    });
  }

  /** Requests waiting for an instance. */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Requests forwarded and not answered. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  /** Connected sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** A warm instance, for answers the proxy gives itself (initialize). */
  warmInstance(slot: number | null): Instance | null {
    const home = slot === null ? null : this.views[slot]!.instance;
    return home ?? this.views.find((v) => v.instance?.warm)?.instance ?? null;
  }

  /** An instance of `slot` is ready (start, respawn, recycle): it takes work, the queue first. */
  instanceReady(instance: Instance): void {
    this.shared.cache.instanceGone(instance.slot);
    this.gate.forget(String(instance.slot));
    this.views[instance.slot]!.instance = instance;
    this.views[instance.slot]!.ewmaUs = 0;
    this.drainQueue();
  }

  /** A client connected: give it a home (none when `stateless`, see ClientSession.stateless). */
  openSession(link: ClientLink, stateless = false): ClientSession {
    const s = new ClientSession(this.nextSession++, link, stateless);
    if (stateless) {
      s.home = null;
    } else if (this.settings.affinity === 'client') {
      const free = this.views.find((v) => v.sessions === 0);
      s.home = free ? free.slot : null;
    } else {
      // The slot with the fewest sessions: with as many instances as clients, no instance is shared.
      s.home = this.views.reduce((a, b) => (b.sessions < a.sessions ? b : a)).slot;
    }
    if (s.home !== null) this.views[s.home]!.sessions++;
    this.sessions.add(s);
    this.metrics.sessions(this.sessions.size);
    return s;
  }

  /**
   * A client went away: its queued requests are dropped, those in flight cancelled on their
   * instance. With affinity client its instance is replaced, so the next client starts clean.
   */
  closeSession(s: ClientSession): void {
    if (s.closed) return;
    s.closed = true;
    this.sessions.delete(s);
    this.metrics.sessions(this.sessions.size);
    for (const call of s.calls.values()) this.cancel(call, 'client gone');
    s.calls.clear();
    if (s.home !== null) {
      const v = this.views[s.home]!;
      v.sessions--;
      if (this.settings.affinity === 'client' && v.instance) {
        const instance = v.instance;
        v.instance = null;
        this.retire(instance, 'its client session ended (--affinity client)');
      }
    }
  }

  /** One message from a client; `raw`, its JSON text on one line when the front has it, is forwarded with only the id replaced. */
  receive(s: ClientSession, m: JsonRpcMessage, raw?: string): void {
    if (s.closed) return;
    const hasId = m.id !== undefined && m.id !== null;
    if (typeof m.method === 'string' && hasId) return this.request(s, m, raw);
    if (typeof m.method === 'string') return this.notification(s, m);
    if (hasId && (m.result !== undefined || m.error !== undefined)) return this.relayAnswer(s, m);
  }

  /** A response from an instance to a forwarded request (`raw`: its text, see receive). */
  response(instance: Instance, m: JsonRpcMessage, raw?: string): void {
    const call = this.inflight.get(m.id as number);
    if (!call) return;
    if (call.json !== '' && !call.cancelled && isSessionExpiry(m)) {
      // An http(s) upstream expired the session (404): the server did not run the request, and the
      // transport is initializing a new session (target/http/sessionRenewal.ts). Sent again once, on it.
      const json = call.json;
      call.json = '';
      return instance.forward(call.proxyId, json, call.method, call.name);
    }
    this.inflight.delete(call.proxyId);
    const serviceUs = (instance.lastHeardAt - call.sentAt) * 1000;
    const view = this.views[instance.slot]!;
    if (view.instance === instance) view.ewmaUs = foldEwma(view.ewmaUs, serviceUs);
    this.metrics.answered(call.method, call.tool, classify(m), (call.sentAt - call.enqueuedAt) / 1000, serviceUs / 1e6);
    // Tools the clients may not see leave the list before it is cached or delivered (its text is then written anew).
    if (call.method === METHODS.toolsList && this.gate.listed(m, groupOf(call), call.paged === true)) raw = undefined;
    if (call.cache !== undefined && fetchFailed(m) && this.shared.servedStale(call)) return this.afterAnswer(instance);
    if (call.cache !== undefined) this.shared.answered(call, m, raw);
    if (!call.cancelled && !call.session.closed) {
      call.session.calls.delete(call.clientId);
      const delivery = { kind: 'answer', relatedTo: call.clientId } as const;
      if (call.session.stateless || call.session.modern) {
        // A bridged 2026-07-28 client: its results get resultType, so the message is re-serialised.
        m.id = call.clientId;
        markComplete(m);
        call.session.link.send(JSON.stringify(m), delivery);
      } else {
        call.session.link.send(withId(m, raw, call.clientId), delivery);
      }
    }
    this.afterAnswer(instance);
  }

  /** A request or notification from an instance's server (`raw`: its text, see receive). */
  serverMessage(instance: Instance, m: JsonRpcMessage, raw?: string): void {
    const method = String(m.method);
    const hasId = m.id !== undefined && m.id !== null;
    if (hasId) {
      // The proxy answers a server's ping itself: the client's liveness is the proxy's.
      if (method === METHODS.ping) return void instance.pass(encodeResult(m.id, '{}'), 'response');
      const owner = this.clientOf(instance);
      if (!owner) return instance.refuse(m.id, PROXY_ERRORS.noClient.code, `mcp-opt proxy: no client is connected to answer ${method.slice(0, 80)}`);
      const { session: s, relatedTo } = owner;
      const relayId = this.nextRelayId++;
      s.relays.set(relayId, { instance, serverId: m.id as JsonRpcId, relatedTo });
      m.id = relayId;
      return s.link.send(JSON.stringify(m), { kind: 'request', relatedTo });
    }
    if (method === 'notifications/progress') {
      const params = m.params as { progressToken?: unknown } | undefined;
      const call = typeof params?.progressToken === 'number' ? this.inflight.get(params.progressToken) : undefined;
      if (!call || call.cancelled || call.session.closed) return;
      params!.progressToken = call.clientToken;
      return call.session.link.send(JSON.stringify(m), { kind: 'notification', relatedTo: call.clientId });
    }
    if (method === METHODS.cancelled) {
      // The server gave up a request it had relayed: tell that client, with the id it was given.
      const params = m.params as { requestId?: unknown } | undefined;
      for (const s of this.sessions) {
        for (const [relayId, r] of s.relays) {
          if (r.instance === instance && r.serverId === params?.requestId) {
            s.relays.delete(relayId);
            params!.requestId = relayId;
            return s.link.send(JSON.stringify(m), { kind: 'notification', relatedTo: r.relatedTo });
          }
        }
      }
      return;
    }
    if (method === 'notifications/tools/list_changed') {
      this.gate.forget(String(instance.slot));
      this.gate.forget('pool');
    }
    // A change notification makes cached reads stale (2026-07-28 server/utilities/caching, "Interaction with Notifications").
    this.shared.cache.notified(method, m.params);
    // A resource update: to the sessions that subscribed to that URI (on their home instance, where
    // resources/subscribe went), not to every session sharing the instance (basic/resources).
    const json = raw ?? JSON.stringify(m);
    if (method === 'notifications/resources/updated') {
      const uri = (m.params as { uri?: unknown } | undefined)?.uri;
      for (const s of this.sessions) if (s.home === instance.slot && typeof uri === 'string' && s.subscriptions.has(uri)) s.link.send(json, UNRELATED);
      return;
    }
    // Logging, list changes: to the sessions whose home it is, once each (every instance runs the
    // same server, so the others' copies would repeat it).
    for (const s of this.sessions) if (s.home === instance.slot) s.link.send(json, UNRELATED);
  }

  /** An instance can carry nothing more: everything in flight on it is answered with an error at once. */
  instanceClosed(instance: Instance, reason: string): void {
    const view = this.views[instance.slot]!;
    if (view.instance === instance) view.instance = null;
    this.shared.cache.instanceGone(instance.slot);
    this.gate.forget(String(instance.slot));
    for (const proxyId of instance.inflight) {
      const call = this.inflight.get(proxyId);
      if (!call) continue;
      this.inflight.delete(proxyId);
      this.metrics.failed(call.method, call.tool, 'instance_exit');
      if (!call.cancelled) this.answerError(call, PROXY_ERRORS.instanceExited.code, `mcp-opt proxy: the server instance handling this request ended (${reason}); it is being restarted. Retry the request.`);
    }
    instance.inflight.clear();
    for (const s of this.sessions) {
      for (const [relayId, r] of s.relays) if (r.instance === instance) s.relays.delete(relayId);
    }
  }

  /** Stop taking requests; resolves when nothing is in flight or after `timeoutMs`; then everything left gets an error. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const until = performance.now() + timeoutMs;
    while ((this.inflight.size > 0 || this.queue.length > 0) && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const call of [...this.queue, ...this.inflight.values()]) {
      this.metrics.failed(call.method, call.tool, 'shutdown');
      if (!call.cancelled) this.answerError(call, PROXY_ERRORS.shuttingDown.code, 'mcp-opt proxy: shutting down; the request was not completed.');
    }
    this.queue.length = 0;
    this.inflight.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  private request(s: ClientSession, m: JsonRpcMessage, raw: string | undefined): void {
    const method = m.method as string;
    const id = m.id as JsonRpcId;
    const answer = { kind: 'answer', relatedTo: id } as const;
    if (method === METHODS.ping) return s.link.send(encodeResult(id, '{}'), answer);
    if (this.draining) return s.link.send(encodeError(id, PROXY_ERRORS.shuttingDown.code, 'mcp-opt proxy: shutting down; not taking new requests.'), answer);
    if (method === METHODS.initialize) {
      const warm = this.warmInstance(s.home)?.warm;
      // Instances were initialized by the proxy; the client gets what they said (legacy era). A
      // 2026-07-28-only server refused initialize: the request goes through, and it refuses again.
      const requested = (m.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (warm?.initializeResult) {
        const result = initializeAnswerFor(warm.initializeResult, requested);
        s.protocolVersion = String(result['protocolVersion'] ?? '');
        return s.link.send(encodeResult(id, JSON.stringify(result)), answer);
      }
    }
    const init = this.warmInstance(s.home)?.warm?.initializeResult;
    if (init && !s.modern && (method === METHODS.discover || isModernRequest(m))) s.modern = true;
    if (method === METHODS.discover && init) {
      // A 2026-07-28 client of initialized instances (either front): the proxy answers for them (eraBridge.ts).
      return s.link.send(encodeResult(id, JSON.stringify(discoverFromInitialize(init))), answer);
    }
    if (s.calls.has(id)) {
      return s.link.send(encodeError(id, -32600, `mcp-opt proxy: request id ${JSON.stringify(id).slice(0, 40)} is already in use by a request in flight`), answer);
    }
    if (this.settings.affinity === 'client' && s.home === null && !s.stateless) {
      this.metrics.failed(method, null, 'unavailable');
      return s.link.send(encodeError(id, PROXY_ERRORS.unavailable.code, `mcp-opt proxy: every instance is dedicated to another client (--affinity client, --pool ${this.views.length}); raise --pool.`), answer);
    }
    const params = m.params as { name?: unknown; uri?: unknown; _meta?: { progressToken?: unknown } } | undefined;
    if (method === 'resources/subscribe' && typeof params?.uri === 'string') s.subscriptions.add(params.uri);
    else if (method === 'resources/unsubscribe' && typeof params?.uri === 'string') s.subscriptions.delete(params.uri);
    const name = nameOf(method, params);
    const tool = method === METHODS.toolsCall ? name ?? null : null;
    const proxyId = this.nextProxyId++;
    let clientToken: unknown;
    let json: string;
    if (params?._meta?.progressToken !== undefined) {
      clientToken = params._meta.progressToken;
      params._meta.progressToken = proxyId;
      m.id = proxyId;
      json = JSON.stringify(m);
    } else {
      json = withId(m, raw, proxyId);
    }
    const call: Call = {
      session: s, clientId: id, proxyId, method, tool, json, name,
      pinned: this.settings.affinity !== 'none' || STATEFUL.has(method) ? s.home : null,
      enqueuedAt: performance.now(), sentAt: 0, instance: null, clientToken, cancelled: false,
    };
    if (method === 'tools/list' && (params as { cursor?: unknown } | undefined)?.cursor !== undefined) call.paged = true;
    this.metrics.received(method, tool);
    const refusal = tool === null ? null : this.gate.check(tool, groupOf(call));
    if (refusal !== null) {
      this.metrics.failed(method, tool, refusal.cls);
      return s.link.send(encodeError(id, refusal.code, refusal.message, refusal.suggestions.length > 0 ? { suggestions: refusal.suggestions } : undefined), answer);
    }
    s.calls.set(id, call);
    if (clientToken === undefined && this.shared.serve(call, params)) return;
    this.dispatch(call);
  }

  /** Send a call to an instance, or queue it (refused when the queue is full). */
  private dispatch(call: Call): void {
    const target = this.pickFor(call);
    if (target) return this.send(call, target, call.enqueuedAt);
    if (this.queue.length >= this.settings.queueMax) {
      this.metrics.failed(call.method, call.tool, 'queue_full');
      return this.answerError(call, PROXY_ERRORS.queueFull.code,
        `mcp-opt proxy: the queue is full (${this.settings.queueMax} requests waiting for an instance); retry later, or raise --queue, --pool or --max-inflight-per-instance.`);
    }
    this.queue.push(call);
    this.metrics.queueDepth(this.queue.length);
    this.ensureSweeper();
  }

  private notification(s: ClientSession, m: JsonRpcMessage): void {
    if (m.method === METHODS.initialized) {
      // The proxy already initialized its instances (answered from their warm-up).
      if (this.warmInstance(s.home)?.warm?.initializeResult) return;
    }
    if (m.method === METHODS.cancelled) {
      const params = m.params as { requestId?: unknown } | undefined;
      const call = params?.requestId === undefined ? undefined : s.calls.get(params.requestId as JsonRpcId);
      if (call) {
        s.calls.delete(call.clientId);
        this.cancel(call, typeof (params as { reason?: unknown }).reason === 'string' ? (params as { reason: string }).reason : undefined);
      }
      return;
    }
    // roots/list_changed, a relayed request's progress…: to the session's home instance.
    const home = this.warmInstance(s.home);
    if (home && home.state !== 'closed') home.pass(JSON.stringify(m), String(m.method));
  }

  private relayAnswer(s: ClientSession, m: JsonRpcMessage): void {
    const relay = typeof m.id === 'number' ? s.relays.get(m.id) : undefined;
    if (!relay) return;
    s.relays.delete(m.id as number);
    if (relay.instance.state === 'closed') return;
    m.id = relay.serverId;
    relay.instance.pass(JSON.stringify(m), 'response');
  }

  /**
   * Remove a call: from the queue, or cancel it on its instance, which frees its place at once (the
   * server should not answer a cancelled request, basic/utilities/cancellation; a late answer
   * finds no id and is dropped).
   */
  private cancel(call: Call, reason: string | undefined, countAs: FailureClass = 'cancelled'): void {
    call.cancelled = true;
    if (this.shared.cancelled(call)) return this.metrics.failed(call.method, call.tool, countAs);
    const q = this.queue.indexOf(call);
    if (q !== -1) {
      this.queue.splice(q, 1);
      this.metrics.queueDepth(this.queue.length);
      this.metrics.failed(call.method, call.tool, countAs);
      return;
    }
    const instance = call.instance;
    if (!instance || !this.inflight.delete(call.proxyId)) return;
    instance.inflight.delete(call.proxyId);
    this.metrics.failed(call.method, call.tool, countAs);
    if (instance.state !== 'closed') {
      const params = reason === undefined ? { requestId: call.proxyId } : { requestId: call.proxyId, reason };
      instance.pass(JSON.stringify({ jsonrpc: '2.0', method: METHODS.cancelled, params }), METHODS.cancelled);
    }
    this.afterAnswer(instance);
  }

  private pickFor(call: Call): Instance | null {
    if (call.pinned !== null) {
      const v = this.views[call.pinned]!;
      return v.ready ? v.instance : null;
    }
    return this.pick()?.instance ?? null;
  }

  private send(call: Call, instance: Instance, now = performance.now()): void {
    call.sentAt = now;
    call.instance = instance;
    this.inflight.set(call.proxyId, call);
    instance.forward(call.proxyId, call.json, call.method, call.name);
    // Kept for an http(s) upstream until answered: sent again if its session expired (response()).
    if (instance.proc !== null) call.json = '';
    // Its share served: it finishes what it has, then the pool replaces it (--recycle-after).
    if (this.settings.recycleAfter > 0 && instance.served >= this.settings.recycleAfter) instance.state = 'draining';
    this.metrics.inflight(this.inflight.size);
    if (this.settings.requestTimeoutMs > 0) this.ensureSweeper();
  }

  private afterAnswer(instance: Instance): void {
    this.metrics.inflight(this.inflight.size);
    const cap = this.settings.maxInflightPerInstance;
    if (instance.state === 'draining' && instance.inflight.size === 0) {
      const r = this.settings.recycleAfter;
      this.retire(instance, r > 0 && instance.served >= r ? `served ${instance.served} requests (--recycle-after ${r})` : 'over --max-rss');
    }
    else if (cap === 0 || instance.inflight.size < cap) this.drainQueue();
  }

  /** Send queued calls, oldest first, wherever there is room. */
  private drainQueue(): void {
    if (this.queue.length === 0) return;
    let k = 0;
    while (k < this.queue.length) {
      const call = this.queue[k]!;
      const target = this.pickFor(call);
      if (!target) {
        k++;
        continue;
      }
      this.queue.splice(k, 1);
      this.send(call, target);
    }
    this.metrics.queueDepth(this.queue.length);
  }

  /**
   * The session a server's request belongs to: the one with a request in flight on that instance
   * (the oldest, if several), with that request's client id; else a session whose home it is.
   */
  private clientOf(instance: Instance): { session: ClientSession; relatedTo: JsonRpcId | undefined } | null {
    const owners = new Set<ClientSession>();
    let oldest: Call | null = null;
    for (const proxyId of instance.inflight) {
      const call = this.inflight.get(proxyId);
      if (!call || call.session.closed) continue;
      owners.add(call.session);
      if (!oldest || call.sentAt < oldest.sentAt) oldest = call;
    }
    if (owners.size > 1) this.metrics.ambiguousRelay();
    if (oldest) return { session: oldest.session, relatedTo: oldest.clientId };
    for (const s of this.sessions) if (s.home === instance.slot) return { session: s, relatedTo: undefined };
    return null;
  }

  /** Answer a call with an error (callers skip calls the client cancelled). */
  private answerError(call: Call, code: number, message: string): void {
    if (call.cache !== undefined && this.shared.servedStale(call)) return;
    if (call.cache !== undefined) this.shared.failed(call, code, message);
    if (call.session.closed) return;
    call.session.calls.delete(call.clientId);
    call.session.link.send(encodeError(call.clientId, code, message), { kind: 'answer', relatedTo: call.clientId });
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Time out queued requests past --queue-timeout and forwarded ones past --request-timeout. */
  private sweep(): void {
    const now = performance.now();
    const qLimit = this.settings.queueTimeoutMs;
    let k = 0;
    while (k < this.queue.length) {
      const call = this.queue[k]!;
      if (now - call.enqueuedAt < qLimit) {
        k++;
        continue;
      }
      this.queue.splice(k, 1);
      this.metrics.failed(call.method, call.tool, 'queue_timeout');
      this.answerError(call, PROXY_ERRORS.queueTimeout.code,
        `mcp-opt proxy: no instance was free for ${qLimit} ms (--queue-timeout); the request was not sent. Retry later, or raise --pool or --max-inflight-per-instance.`);
    }
    this.metrics.queueDepth(this.queue.length);
    const rLimit = this.settings.requestTimeoutMs;
    if (rLimit > 0) {
      for (const call of [...this.inflight.values()]) {
        if (now - call.sentAt < rLimit) continue;
        this.cancel(call, `mcp-opt proxy: no answer within ${rLimit} ms`, 'timeout');
        this.answerError(call, PROXY_ERRORS.requestTimeout.code, `mcp-opt proxy: the server did not answer within ${rLimit} ms (--request-timeout); the request was cancelled.`);
      }
    }
    if (this.queue.length === 0 && (rLimit === 0 || this.inflight.size === 0) && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

/** The group of alike instances a call goes to (toolGate.ts, readCache.ts): the pool when it may go anywhere, else its instance's slot. */
function groupOf(call: Call): string {
  return call.pinned === null ? 'pool' : String(call.pinned);
}
