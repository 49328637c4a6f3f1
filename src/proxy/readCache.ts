/**
 * The proxy's read cache and request coalescing, as the router uses them: a request's ticket (its
 * key and who may share its answer, cachePolicy.ts), a lookup, the one request in flight per key
 * that identical requests wait on instead of reaching a server, and invalidation by the server's
 * change notifications. A 2026-07-28 answer's scope is known only when it arrives, so requests of
 * other clients wait on it and are sent on their own if it turns out `private` (never shared).
 */
import { CacheStore, type CacheEntry } from './cacheStore.js';
import type { CacheDisk, DiskEntry } from './cacheDisk.js';
import { INVALIDATES, freshnessOf, optedInFreshness, requestKey, type Freshness } from './cachePolicy.js';
import type { JsonRpcMessage } from '../target/protocol.js';
import { rawIdSpan } from '../target/rawMessage.js';
import type { CacheSettings } from '../options/proxyOptions.js';


/** What /metrics counts about the cache, by method ('stale': an expired answer served because fetching it again failed). */
export type CacheEvent = 'hit' | 'miss' | 'coalesced' | 'stored' | 'invalidated' | 'stale';

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
  /** Legacy instances: whose answers are alike ('pool' with affinity none, else the instance's slot); opted-in tools: 'pool'. */
  readonly domain: string;
  /** Legacy instances' capabilities, or null for 2026-07-28 instances. */
  readonly legacy: Record<string, unknown> | null;
  /** A tools/call of a --cache-tool tool: how long its answer is kept, ms. */
  readonly toolTtlMs: number | undefined;
  /** Set when a change notification arrived while it was being fetched: the answer is delivered, not kept. */
  stale: boolean;
}

/** The answer cache and the requests waiting on one in flight (`T`: the router's call). */
export class ReadCache<T> {
  private readonly store: CacheStore;
  /** The request in flight per coalescing key, and its ticket. */
  private readonly leaders = new Map<string, { call: T; ticket: CacheTicket }>();

  /** The persistent level (--cache-dir), once attached. */
  private disk: CacheDisk | null = null;
  /** Lists whose server announced a change since the proxy started: no longer written to disk (see cacheDisk.ts). */
  private readonly changed = new Set<string>();
  private readonly now: () => number;

  constructor(
    private readonly settings: CacheSettings,
    private readonly count: (method: string, event: CacheEvent, n?: number) => void,
    now: () => number = () => performance.now(),
  ) {
    this.now = now;
    this.store = new CacheStore(settings.maxBytes, now, settings.serveStale);
  }

  /** Resolves once what was being written to --cache-dir is written (a stopping proxy waits for it). */
  async settled(): Promise<void> {
    await this.disk?.settled();
  }

  /** Use `disk` from now on, starting with the answers it kept (their expiry moved to this clock). */
  attachDisk(disk: CacheDisk, entries: readonly DiskEntry[], nowMs = Date.now()): void {
    this.disk = disk;
    for (const e of entries) this.put(e.key, e.raw, e.id, e.method, e.uri, e.expiresAtMs === null ? Infinity : e.expiresAtMs - nowMs);
  }

  /** Answers held and their bytes, for /metrics. */
  get held(): { entries: number; bytes: number; evictions: number } {
    return { entries: this.store.size, bytes: this.store.bytes, evictions: this.store.evictions };
  }

  /** The ticket of a request, or null when the cache has no part in it. `legacy`: undefined while no instance is warm. */
  ticket(method: string, params: unknown, version: string, ctx: string, domain: string, legacy: Record<string, unknown> | null | undefined): CacheTicket | null {
    if (!this.settings.enabled || legacy === undefined) return null;
    const toolTtlMs = method === 'tools/call' ? this.settings.toolTtlMs[String((params as { name?: unknown } | undefined)?.name)] : undefined;
    const base = requestKey(method, params, version, toolTtlMs !== undefined);
    if (base === null) return null;
    const uri = method === 'resources/read' ? (params as { uri?: unknown }).uri : undefined;
    // An opted-in tool's answers are shared by the whole pool (its instances run the same read-only, closed-world tool).
    if (toolTtlMs !== undefined) domain = 'pool';
    return { base, method, uri: typeof uri === 'string' ? uri : undefined, ctx, domain, legacy, toolTtlMs, stale: false };
  }

  /** A fresh cached answer for `t`. */
  lookup(t: CacheTicket): CacheEntry | undefined {
    let e: CacheEntry | undefined;
    for (const k of this.keyOrder(t)) if ((e = this.store.get(k)) !== undefined) break;
    this.count(t.method, e === undefined ? 'miss' : 'hit');
    return e;
  }

  /** An answer for `t` kept past its freshness, to serve when fetching it again failed (--serve-stale-on-error); counted as stale. */
  stale(t: CacheTicket): CacheEntry | undefined {
    if (!this.settings.serveStale) return undefined;
    const e = this.keyOrder(t).map((k) => this.store.getStale(k)).find((x) => x !== undefined);
    if (e !== undefined) this.count(t.method, 'stale');
    return e;
  }

  /** The keys an answer for `t` may be under, in lookup order. */
  private keyOrder(t: CacheTicket): string[] {
    return t.legacy !== null && t.toolTtlMs === undefined ? [`${t.base}\ni:${t.domain}`] : [`${t.base}\npub`, `${t.base}\np:${t.ctx}`];
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
    const f = t.toolTtlMs !== undefined ? optedInFreshness(m, t.toolTtlMs) : freshnessOf(t.method, m, t.legacy, this.settings.listTtlMs);
    if (f === null) return null;
    if (t.stale) return f;
    const key = f.scope === 'instance' ? `${t.base}\ni:${t.domain}` : f.scope === 'public' ? `${t.base}\npub` : `${t.base}\np:${t.ctx}`;
    this.put(key, raw, id, t.method, t.uri, f.ttlMs);
    this.count(t.method, 'stored');
    const lasting = f.scope === 'public' || (f.ttlMs === Infinity && !this.changed.has(t.method));
    if (this.disk !== null && lasting && f.scope !== 'private') {
      this.disk.save({ key, raw, id, method: t.method, uri: t.uri, expiresAtMs: f.ttlMs === Infinity ? null : Date.now() + f.ttlMs });
    }
    return f;
  }

  private put(key: string, raw: string, id: number, method: string, uri: string | undefined, ttlMs: number): void {
    const idAt = rawIdSpan(raw, id);
    const bytes = idAt === null ? null : { head: Buffer.from(raw.slice(0, idAt[0])), tail: Buffer.from(raw.slice(idAt[1])) };
    this.store.set(key, { raw, idAt, bytes, method, uri, expiresAt: this.now() + ttlMs });
  }

  /** A server notification: drop what it makes stale (list changes, a resource's update); answers being fetched are not kept. */
  notified(method: string, params: unknown): void {
    if (!this.settings.enabled) return;
    if (method === 'notifications/resources/updated') {
      const uri = (params as { uri?: unknown } | undefined)?.uri;
      if (typeof uri !== 'string') return;
      this.drop('resources/read', (e) => e.uri === uri, (t) => t.uri === uri);
      this.disk?.forget((key) => key.startsWith('resources/read\n') && key.includes(JSON.stringify(uri)));
      return;
    }
    for (const listMethod of INVALIDATES[method] ?? []) {
      this.changed.add(listMethod);
      this.drop(listMethod, (e) => e.method === listMethod, (t) => t.method === listMethod);
      this.disk?.forget((key) => key.startsWith(`${listMethod}\n`));
    }
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
