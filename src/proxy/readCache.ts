/**
 * The proxy's read cache and request coalescing, as the router uses them: a request's ticket (its
 * key and who may share its answer, cachePolicy.ts), a lookup, the one request in flight per key
 * that identical requests wait on instead of reaching a server, and invalidation by the server's
 * change notifications. A 2026-07-28 answer's scope is known only when it arrives, so requests of
 * other clients wait on it and are sent on their own if it turns out `private` (never shared).
 */
import { CacheStore, type CacheEntry } from './cacheStore.js';
import { INVALIDATES, freshnessOf, requestKey, type Freshness } from './cachePolicy.js';
import type { JsonRpcMessage } from '../target/protocol.js';
import { rawIdSpan } from '../target/rawMessage.js';
import type { CacheSettings } from '../options/proxyOptions.js';


/** What /metrics counts about the cache, by method. */
export type CacheEvent = 'hit' | 'miss' | 'coalesced' | 'stored' | 'invalidated';

/** Where a request's answer may be found and with whom it may be shared. */
export interface CacheTicket {
  /** Method, protocol version and parameters (cachePolicy.ts requestKey). */
  readonly base: string;
  /** The request method. */
  readonly method: string;
  /** The URI of a resources/read. */
  readonly uri: string | undefined;
  /** The client's authorization context (a `private` answer stays within it). */
  readonly ctx: string;
  /** Legacy instances: whose answers are alike ('pool' with affinity none, else the instance's slot). */
  readonly domain: string;
  /** Legacy instances' capabilities, or null for 2026-07-28 instances. */
  readonly legacy: Record<string, unknown> | null;
  /** Set when a change notification arrived while it was being fetched: the answer is delivered, not kept. */
  stale: boolean;
}

/** The answer cache and the requests waiting on one in flight (`T`: the router's call). */
export class ReadCache<T> {
  private readonly store: CacheStore;
  /** The request in flight per coalescing key, and its ticket. */
  private readonly leaders = new Map<string, { call: T; ticket: CacheTicket }>();

  constructor(
    private readonly settings: CacheSettings,
    private readonly count: (method: string, event: CacheEvent, n?: number) => void,
    now?: () => number,
  ) {
    this.store = new CacheStore(settings.maxBytes, now);
  }

  /** Answers held and their bytes, for /metrics. */
  get held(): { entries: number; bytes: number; evictions: number } {
    return { entries: this.store.size, bytes: this.store.bytes, evictions: this.store.evictions };
  }

  /** The ticket of a request, or null when the cache has no part in it. `legacy`: undefined while no instance is warm. */
  ticket(method: string, params: unknown, version: string, ctx: string, domain: string, legacy: Record<string, unknown> | null | undefined): CacheTicket | null {
    if (!this.settings.enabled || legacy === undefined) return null;
    const base = requestKey(method, params, version);
    if (base === null) return null;
    const uri = method === 'resources/read' ? (params as { uri?: unknown }).uri : undefined;
    return { base, method, uri: typeof uri === 'string' ? uri : undefined, ctx, domain, legacy, stale: false };
  }

  /** A fresh cached answer for `t`. */
  lookup(t: CacheTicket): CacheEntry | undefined {
    const e = t.legacy !== null ? this.store.get(`${t.base}\ni:${t.domain}`) : this.store.get(`${t.base}\npub`) ?? this.store.get(`${t.base}\np:${t.ctx}`);
    this.count(t.method, e === undefined ? 'miss' : 'hit');
    return e;
  }

  /** The request in flight that `t` may wait on, if any (counted as coalesced when there is one). */
  leaderFor(t: CacheTicket): T | undefined {
    const l = this.leaders.get(coalesceKey(t));
    if (l !== undefined) this.count(t.method, 'coalesced');
    return l?.call;
  }

  /** `call` fetches the answer for `t`; identical requests wait on it until release(). */
  lead(t: CacheTicket, call: T): void {
    this.leaders.set(coalesceKey(t), { call, ticket: t });
  }

  /** `call` no longer fetches for `t` (answered, failed, cancelled). */
  release(t: CacheTicket, call: T): void {
    const k = coalesceKey(t);
    if (this.leaders.get(k)?.call === call) this.leaders.delete(k);
  }

  /**
   * Keep `m`, the answer fetched for `t` (its id is `id`, its text `raw`), as the rules allow;
   * returns how it may be shared, or null when it may not be shared at all beyond its own client.
   */
  keep(t: CacheTicket, m: JsonRpcMessage, raw: string, id: number): Freshness | null {
    const f = freshnessOf(t.method, m, t.legacy, this.settings.listTtlMs);
    if (f === null) return null;
    if (t.stale) return f;
    const key = f.scope === 'instance' ? `${t.base}\ni:${t.domain}` : f.scope === 'public' ? `${t.base}\npub` : `${t.base}\np:${t.ctx}`;
    const idAt = rawIdSpan(raw, id);
    const bytes = idAt === null ? null : { head: Buffer.from(raw.slice(0, idAt[0])), tail: Buffer.from(raw.slice(idAt[1])) };
    this.store.set(key, { raw, idAt, bytes, method: t.method, uri: t.uri, expiresAt: performance.now() + f.ttlMs });
    this.count(t.method, 'stored');
    return f;
  }

  /** A server notification: drop what it makes stale (list changes, a resource's update); answers being fetched are not kept. */
  notified(method: string, params: unknown): void {
    if (!this.settings.enabled) return;
    if (method === 'notifications/resources/updated') {
      const uri = (params as { uri?: unknown } | undefined)?.uri;
      if (typeof uri !== 'string') return;
      this.drop('resources/read', (e) => e.uri === uri, (t) => t.uri === uri);
      return;
    }
    for (const listMethod of INVALIDATES[method] ?? []) this.drop(listMethod, (e) => e.method === listMethod, (t) => t.method === listMethod);
  }

  /** An instance of `slot` ended or was replaced: what it alone answered goes. */
  instanceGone(slot: number): void {
    const suffix = `\ni:${slot}`;
    this.store.deleteWhere((key) => key.endsWith(suffix));
    this.staleLeaders((t) => t.legacy !== null && t.domain === String(slot));
  }

  private drop(method: string, entry: (e: CacheEntry) => boolean, ticket: (t: CacheTicket) => boolean): void {
    const n = this.store.deleteWhere((_, e) => entry(e));
    if (n > 0) this.count(method, 'invalidated', n);
    this.staleLeaders(ticket);
  }

  /** Fetches under way that `match` selects: their answers are not kept, and no new request waits on them. */
  private staleLeaders(match: (t: CacheTicket) => boolean): void {
    for (const [k, l] of this.leaders) {
      if (!match(l.ticket)) continue;
      l.ticket.stale = true;
      this.leaders.delete(k);
    }
  }
}

/** Requests that may share one fetch: legacy, those whose answers would be alike; 2026-07-28, all (scope decided on arrival). */
function coalesceKey(t: CacheTicket): string {
  return t.legacy !== null ? `${t.base}\ni:${t.domain}` : t.base;
}
