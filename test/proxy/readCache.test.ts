/**
 * The read cache's rules over time (fake clock): freshness, stale answers kept for
 * --serve-stale-on-error, change notifications, and the persistent level (--cache-dir): what is
 * written, what a new proxy of the same server loads, and what it never writes.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheDisk } from '../../src/proxy/cacheDisk.js';
import { ReadCache, type CacheEvent } from '../../src/proxy/readCache.js';
import type { CacheSettings } from '../../src/options/proxyOptions.js';
import { tmpFile } from '../helpers/fixtures.js';

const settings = (over: Partial<CacheSettings> = {}): CacheSettings => ({ enabled: true, listTtlMs: 1000, maxBytes: 1 << 20, toolTtlMs: {}, force: false, serveStale: false, dir: null, ...over });
const MODERN = null;
const LEGACY = { tools: { listChanged: true } };
const answer = (id: number, result: Record<string, unknown>) => ({ m: { jsonrpc: '2.0' as const, id, result }, raw: JSON.stringify({ jsonrpc: '2.0', id, result }) });

function cache(over: Partial<CacheSettings> = {}) {
  let now = 0;
  const events: CacheEvent[] = [];
  const c = new ReadCache<string>(settings(over), (_m, e) => events.push(e), () => now);
  return { c, events, at: (t: number) => (now = t) };
}

describe('ReadCache', () => {
  it('serves a 2026-07-28 answer for its ttlMs, then not; with --serve-stale-on-error the expired one stays for stale()', () => {
    for (const serveStale of [false, true]) {
      const { c, events, at } = cache({ serveStale });
      const t = c.ticket('resources/read', { uri: 'u' }, '', 'ctx', 'pool', MODERN)!;
      const { m, raw } = answer(7, { contents: [], ttlMs: 100, cacheScope: 'public' });
      expect(c.keep(t, m, raw, 7)).toEqual({ scope: 'public', ttlMs: 100 });
      at(99);
      expect(c.lookup(t)?.raw).toBe(raw);
      at(100);
      expect(c.lookup(t)).toBeUndefined();
      expect(c.stale(t)?.raw).toBe(serveStale ? raw : undefined);
      expect(events.filter((e) => e === 'stale')).toHaveLength(serveStale ? 1 : 0);
    }
  });

  it('a private answer is found only within its authorization context; a change notification drops lists and stales a fetch under way', () => {
    const { c } = cache();
    const mine = c.ticket('resources/read', { uri: 'u' }, '', 'alice', 'pool', MODERN)!;
    const { m, raw } = answer(1, { contents: [], ttlMs: 1000, cacheScope: 'private' });
    c.keep(mine, m, raw, 1);
    expect(c.lookup(c.ticket('resources/read', { uri: 'u' }, '', 'alice', 'pool', MODERN)!)).toBeDefined();
    expect(c.lookup(c.ticket('resources/read', { uri: 'u' }, '', 'bob', 'pool', MODERN)!)).toBeUndefined();

    const list = c.ticket('tools/list', {}, '2025-06-18', 's', '0', LEGACY)!;
    const l = answer(2, { tools: [] });
    c.keep(list, l.m, l.raw, 2);
    const fetching = c.ticket('tools/list', { cursor: 'x' }, '2025-06-18', 's', '0', LEGACY)!;
    c.lead(fetching, 'leader');
    c.notified('notifications/tools/list_changed', undefined);
    expect(c.lookup(c.ticket('tools/list', {}, '2025-06-18', 's', '0', LEGACY)!)).toBeUndefined();
    expect(fetching.stale).toBe(true);
    expect(c.leaderFor(c.ticket('tools/list', { cursor: 'x' }, '2025-06-18', 's', '0', LEGACY)!)).toBeUndefined();
    expect(c.keep(fetching, l.m, l.raw, 2)).not.toBeNull();
    expect(c.lookup(c.ticket('tools/list', { cursor: 'x' }, '2025-06-18', 's', '0', LEGACY)!)).toBeUndefined();
  });

  it('--cache-dir: public and legacy-until-notified answers reach a new cache of the same server; private ones and changed lists never do', async () => {
    const dir = dirname(tmpFile('cache-dir'));
    const disk = new CacheDisk(dir, 'fp1');
    const { c } = cache();
    c.attachDisk(disk, await disk.load());
    const pub = answer(3, { tools: [{ name: 'a' }], ttlMs: 60_000, cacheScope: 'public' });
    c.keep(c.ticket('tools/list', {}, '', 'alice', 'pool', MODERN)!, pub.m, pub.raw, 3);
    const priv = answer(4, { contents: [], ttlMs: 60_000, cacheScope: 'private' });
    c.keep(c.ticket('resources/read', { uri: 'secret' }, '', 'alice', 'pool', MODERN)!, priv.m, priv.raw, 4);
    const legacy = answer(5, { prompts: [] });
    c.keep(c.ticket('prompts/list', {}, '2025-06-18', 's', '0', { prompts: { listChanged: true } })!, legacy.m, legacy.raw, 5);
    await c.settled();
    expect(readdirSync(dir).filter((f) => f.startsWith('fp1-'))).toHaveLength(2);

    const again = cache();
    const disk2 = new CacheDisk(dir, 'fp1');
    again.c.attachDisk(disk2, await disk2.load());
    expect(again.c.lookup(again.c.ticket('tools/list', {}, '', 'bob', 'pool', MODERN)!)?.raw).toBe(pub.raw);
    expect(again.c.lookup(again.c.ticket('prompts/list', {}, '2025-06-18', 's', '0', { prompts: { listChanged: true } })!)?.raw).toBe(legacy.raw);
    expect(await new CacheDisk(dir, 'another-server').load()).toEqual([]);

    // The server's prompts changed: their file goes, and no later prompts/list is written while this proxy runs.
    again.c.notified('notifications/prompts/list_changed', undefined);
    const newer = answer(6, { prompts: [{ name: 'p' }] });
    again.c.keep(again.c.ticket('prompts/list', {}, '2025-06-18', 's', '0', { prompts: { listChanged: true } })!, newer.m, newer.raw, 6);
    await again.c.settled();
    expect((await new CacheDisk(dir, 'fp1').load()).map((e) => e.method)).toEqual(['tools/list']);
  });

  it('--cache-dir drops expired files on load', async () => {
    const dir = dirname(tmpFile('cache-exp'));
    const disk = new CacheDisk(dir, 'fp');
    await disk.write({ key: 'k', raw: '{}', id: 1, method: 'tools/list', uri: undefined, expiresAtMs: 1000 });
    expect(await new CacheDisk(dir, 'fp').load(999)).toHaveLength(1);
    expect(await new CacheDisk(dir, 'fp').load(1000)).toHaveLength(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
