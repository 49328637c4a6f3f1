/**
 * The proxy's cache memory: answers by key, bounded in bytes, least recently used evicted first,
 * each with its expiry, checked on every read (2026-07-28 server/utilities/caching: fresh while
 * now < t_received + ttlMs). A Map keeps insertion order, so re-inserting on a hit makes it an LRU
 * list with O(1) get, set and eviction; no library does bytes-bounded LRU with per-entry expiry
 * and predicate invalidation more simply (lru-cache would, at the price of another dependency
 * loaded on every proxy start).
 */

/** A cached answer's text as UTF-8, cut around its id. */
export interface RawBytes {
  /** Everything before the id. */
  head: Buffer;
  /** Everything after the id. */
  tail: Buffer;
}

/** One cached answer. */
export interface CacheEntry {
  /** The JSON-RPC response as the server sent it (one line), with `id` as its id. */
  raw: string;
  /** Where the id is in `raw` (found once when kept: rawMessage.ts rawIdSpan), or null (then each hit re-serialises). */
  idAt: [number, number] | null;
  /** `raw` before and after the id as UTF-8, when idAt is known: written as they are (ClientLink.sendBytes), not encoded per hit. */
  bytes: RawBytes | null;
  /** The request method (for invalidation by method). */
  method: string;
  /** The resource URI of a resources/read (for notifications/resources/updated). */
  uri: string | undefined;
  /** Clock time after which it is stale, ms (Infinity: until a change notification). */
  expiresAt: number;
}

/** Bytes charged per entry besides its text: the Map slot, the entry object and its fields. */
const ENTRY_OVERHEAD_BYTES = 200;

/** Cached answers, at most `maxBytes` of them (texts counted at 2 bytes per UTF-16 unit, as V8 may hold them). */
export class CacheStore {
  private readonly entries = new Map<string, CacheEntry>();
  private bytesNow = 0;
  /** Entries dropped to make room. */
  evictions = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = () => performance.now(),
    /** Keep entries past their expiry (until evicted or invalidated), for getStale(): --serve-stale-on-error. */
    private readonly keepExpired = false,
  ) {}

  /** Bytes held now (estimate). */
  get bytes(): number {
    return this.bytesNow;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The fresh entry under `key`, marked most recently used; an expired one is dropped. */
  get(key: string): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (this.now() >= e.expiresAt) {
      if (!this.keepExpired) this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** The entry under `key`, expired or not (kept past expiry only with keepExpired). */
  getStale(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }

  /** Keep `e` under `key`, evicting the least recently used until it fits; an entry larger than the whole cache is not kept. */
  set(key: string, e: CacheEntry): void {
    const size = sizeOf(key, e);
    this.delete(key);
    if (size > this.maxBytes) return;
    while (this.bytesNow + size > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
      this.evictions++;
    }
    this.entries.set(key, e);
    this.bytesNow += size;
  }

  /** Drop every entry `match` selects; returns how many. */
  deleteWhere(match: (key: string, e: CacheEntry) => boolean): number {
    let n = 0;
    for (const [key, e] of this.entries) {
      if (!match(key, e)) continue;
      this.entries.delete(key);
      this.bytesNow -= sizeOf(key, e);
      n++;
    }
    return n;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.entries.delete(key);
    this.bytesNow -= sizeOf(key, e);
  }
}

function sizeOf(key: string, e: CacheEntry): number {
  return 2 * (key.length + e.raw.length) + (e.bytes === null ? 0 : e.bytes.head.length + e.bytes.tail.length) + ENTRY_OVERHEAD_BYTES;
}
