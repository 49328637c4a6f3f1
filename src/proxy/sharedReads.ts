/**
 * The router's side of caching and coalescing (readCache.ts): a request served from the cache, a
 * request that waits on an identical one in flight, and what happens to the waiters when that one
 * ends: they get its answer when they may share it (legacy instances alike, or a `public` answer,
 * or the same client), else they are sent on their own; they get its error when the proxy failed
 * it (instance exit, queue timeout, shutdown); they are sent on their own when it was cancelled.
 * No waiter is left behind: every way a request ends passes through here.
 */
import { rawIdSpan } from '../target/rawMessage.js';
import type { JsonRpcMessage } from '../target/protocol.js';
import type { Call, ClientSession } from './clientSession.js';
import { markComplete } from './eraBridge.js';
import { PROXY_ERRORS, type FailureClass } from './proxyErrors.js';
import type { ProxyMetrics } from './metrics.js';
import { ReadCache } from './readCache.js';
import type { CacheEntry } from './cacheStore.js';
import type { CacheSettings } from '../options/proxyOptions.js';

/** What sharing needs from the router. */
export interface SharingHost {
  /** Send or queue a call as a request of its own. */
  dispatch(call: Call): void;
  /** Answer a call with the proxy's error (its waiters included). */
  fail(call: Call, code: number, message: string): void;
  /** The group of alike instances `call` goes to ('pool', or its slot). */
  groupOf(call: Call): string;
  /** Legacy instances' capabilities, null for 2026-07-28 instances, undefined while none is warm. */
  legacyCapabilities(): Record<string, unknown> | null | undefined;
}

/** Caching and coalescing of reads, for one router. */
export class SharedReads {
  readonly cache: ReadCache<Call>;

  constructor(settings: CacheSettings, private readonly metrics: ProxyMetrics, private readonly host: SharingHost) {
    this.cache = new ReadCache<Call>(settings, (method, event, n) => metrics.cacheEvent(method, event, n ?? 1));
  }

  /** True when `call` was answered from the cache or now waits on an identical request; false: send it (it may lead others). */
  serve(call: Call, params: unknown): boolean {
    const s = call.session;
    const t = this.cache.ticket(call.method, params, s.protocolVersion, s.authContext, this.host.groupOf(call), this.host.legacyCapabilities());
    if (t === null) return false;
    call.cache = t;
    const e = this.cache.lookup(t);
    if (e !== undefined) {
      deliver(call, e.raw, e.idAt, e.bytes);
      return true;
    }
    const leader = this.cache.leaderFor(t);
    if (leader !== undefined) {
      call.leader = leader;
      (leader.waiters ??= []).push(call);
      return true;
    }
    this.cache.lead(t, call);
    return false;
  }

  /** The server answered `call` (`m`, whose id is still the proxy's): keep it if allowed, and hand it to its waiters. */
  answered(call: Call, m: JsonRpcMessage, raw: string | undefined): void {
    const t = call.cache;
    if (t === undefined) return;
    this.cache.release(t, call);
    const text = raw ?? JSON.stringify(m);
    const f = this.cache.keep(t, m, text, call.proxyId);
    const waiters = takeWaiters(call);
    let idAt: [number, number] | null | undefined;
    for (const w of waiters) {
      if (t.legacy !== null || f?.scope === 'public' || w.session.authContext === t.ctx) deliver(w, text, idAt === undefined ? (idAt = rawIdSpan(text, call.proxyId)) : idAt);
      else this.sendAlone(w);
    }
  }

  /**
   * Fetching `call`'s answer again failed (a server error, its instance gone, the queue): with
   * --serve-stale-on-error and an expired answer kept, that answer goes to it and its waiters
   * instead (the spec: clients MAY serve stale responses if errors occur during re-fetching).
   * True when served. A cancelled call (a timeout) gets its error instead.
   */
  servedStale(call: Call): boolean {
    const t = call.cache;
    if (t === undefined || call.cancelled) return false;
    const e = this.cache.stale(t);
    if (e === undefined) return false;
    this.cache.release(t, call);
    for (const w of [call, ...takeWaiters(call)]) deliver(w, e.raw, e.idAt, e.bytes);
    return true;
  }

  /** The proxy answered `call` with an error: its waiters get the same. */
  failed(call: Call, code: number, message: string): void {
    if (call.cache === undefined) return;
    this.cache.release(call.cache, call);
    const cls: FailureClass = Object.values(PROXY_ERRORS).find((e) => e.code === code)?.label ?? 'cancelled';
    for (const w of takeWaiters(call)) {
      this.metrics.failed(w.method, w.tool, cls);
      this.host.fail(w, code, message);
    }
  }

  /**
   * `call` was cancelled (by its client, its session's end or a timeout). A waiter just leaves
   * (true: nothing else to do). A request others wait on no longer fetches for them: they are
   * sent on their own.
   */
  cancelled(call: Call): boolean {
    const leader = call.leader;
    if (leader !== undefined) {
      call.leader = undefined;
      const k = leader.waiters?.indexOf(call) ?? -1;
      if (k !== -1) leader.waiters!.splice(k, 1);
      return true;
    }
    if (call.cache !== undefined) {
      this.cache.release(call.cache, call);
      for (const w of takeWaiters(call)) this.sendAlone(w);
    }
    return false;
  }

  private sendAlone(w: Call): void {
    if (w.cancelled || w.session.closed) return;
    w.cache = undefined;
    this.host.dispatch(w);
  }
}

/** A call's waiters, detached from it. */
function takeWaiters(call: Call): Call[] {
  const ws = call.waiters ?? [];
  call.waiters = undefined;
  for (const w of ws) w.leader = undefined;
  return ws.filter((w) => !w.cancelled && !w.session.closed);
}

/** Give `call`'s client the answer `raw` (a server's response whose id is at `idAt`), with its own id. */
function deliver(call: Call, raw: string, idAt: [number, number] | null, bytes: CacheEntry['bytes'] = null): void {
  const s: ClientSession = call.session;
  if (call.cancelled || s.closed) return;
  s.calls.delete(call.clientId);
  const delivery = { kind: 'answer', relatedTo: call.clientId } as const;
  if (idAt !== null && !s.stateless && !s.modern) {
    const id = typeof call.clientId === 'number' ? String(call.clientId) : JSON.stringify(call.clientId);
    if (bytes !== null && s.link.sendBytes) return s.link.sendBytes([bytes.head, Buffer.from(id), bytes.tail], delivery);
    return s.link.send(raw.slice(0, idAt[0]) + id + raw.slice(idAt[1]), delivery);
  }
  // A bridged 2026-07-28 client (results get resultType, see eraBridge.ts), or text the splice could not place.
  const m = JSON.parse(raw) as JsonRpcMessage;
  m.id = call.clientId;
  if (s.stateless || s.modern) markComplete(m);
  s.link.send(JSON.stringify(m), delivery);
}
