/** What may be cached, for how long and for whom (cachePolicy.ts), and the byte-bounded LRU behind it (cacheStore.ts). */
import { describe, expect, it } from 'vitest';
import { freshnessOf, requestKey } from '../../src/proxy/cachePolicy.js';
import { CacheStore, type CacheEntry } from '../../src/proxy/cacheStore.js';

const answer = (result: unknown): { jsonrpc: '2.0'; id: number; result: Record<string, unknown> } => ({ jsonrpc: '2.0', id: 1, result: result as Record<string, unknown> });

describe('requestKey', () => {
  it('keys the cacheable reads by method, protocol version and every parameter, cursor included', () => {
    expect(requestKey('tools/list', {}, '2025-06-18')).not.toBe(requestKey('tools/list', {}, '2025-03-26'));
    expect(requestKey('tools/list', { cursor: 'a' }, 'v')).not.toBe(requestKey('tools/list', { cursor: 'b' }, 'v'));
    expect(requestKey('resources/read', { uri: 'a' }, 'v')).not.toBe(requestKey('resources/read', { uri: 'b' }, 'v'));
    expect(requestKey('tools/list', undefined, 'v')).not.toBe(requestKey('prompts/list', undefined, 'v'));
    expect(requestKey('tools/list', { cursor: 'a' }, 'v')).toBe(requestKey('tools/list', { cursor: 'a' }, 'v'));
  });

  it('refuses tools/call, progress, multi round-trip retries and malformed params', () => {
    expect(requestKey('tools/call', { name: 'x' }, 'v')).toBeNull();
    expect(requestKey('tools/list', { _meta: { progressToken: 1 } }, 'v')).toBeNull();
    expect(requestKey('resources/read', { uri: 'a', inputResponses: {} }, 'v')).toBeNull();
    expect(requestKey('resources/read', { uri: 'a', requestState: 'x' }, 'v')).toBeNull();
    expect(requestKey('tools/list', [1], 'v')).toBeNull();
    expect(requestKey('tools/list', 'x', 'v')).toBeNull();
  });
});

describe('freshnessOf', () => {
  const modern = null;
  it('2026-07-28: keeps a positive ttlMs; public only when said, private otherwise; 0, negative or absent: not kept', () => {
    expect(freshnessOf('tools/list', answer({ tools: [], ttlMs: 5000, cacheScope: 'public' }), modern, 1000)).toEqual({ scope: 'public', ttlMs: 5000 });
    expect(freshnessOf('resources/read', answer({ contents: [], ttlMs: 10, cacheScope: 'private' }), modern, 1000)).toEqual({ scope: 'private', ttlMs: 10 });
    expect(freshnessOf('resources/read', answer({ contents: [], ttlMs: 10 }), modern, 1000)).toEqual({ scope: 'private', ttlMs: 10 });
    for (const ttlMs of [0, -5, undefined, '100']) expect(freshnessOf('tools/list', answer({ tools: [], ttlMs, cacheScope: 'public' }), modern, 1000)).toBeNull();
  });

  it('never keeps errors, isError results or interim results', () => {
    expect(freshnessOf('tools/list', { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'x' } }, modern, 1000)).toBeNull();
    expect(freshnessOf('tools/list', answer({ tools: [], isError: true, ttlMs: 100, cacheScope: 'public' }), modern, 1000)).toBeNull();
    expect(freshnessOf('resources/read', answer({ resultType: 'input_required', ttlMs: 100 }), modern, 1000)).toBeNull();
    expect(freshnessOf('tools/list', answer({ tools: [], resultType: 'complete', ttlMs: 100, cacheScope: 'public' }), modern, 1000)).toMatchObject({ ttlMs: 100 });
  });

  it('legacy: lists until the notification when listChanged is declared, else --list-ttl; nothing else', () => {
    const caps = { tools: { listChanged: true }, prompts: {}, resources: { listChanged: false } };
    expect(freshnessOf('tools/list', answer({ tools: [] }), caps, 1000)).toEqual({ scope: 'instance', ttlMs: Infinity });
    expect(freshnessOf('prompts/list', answer({ prompts: [] }), caps, 1000)).toEqual({ scope: 'instance', ttlMs: 1000 });
    expect(freshnessOf('resources/templates/list', answer({ resourceTemplates: [] }), caps, 1000)).toEqual({ scope: 'instance', ttlMs: 1000 });
    expect(freshnessOf('prompts/list', answer({ prompts: [] }), caps, 0)).toBeNull();
    expect(freshnessOf('resources/read', answer({ contents: [] }), caps, 1000)).toBeNull();
  });
});

describe('CacheStore', () => {
  const entry = (raw: string, expiresAt = Infinity): CacheEntry => ({ raw, idAt: null, bytes: null, method: 'tools/list', uri: undefined, expiresAt });

  it('drops an entry once its expiry has passed (checked on read)', () => {
    let now = 0;
    const store = new CacheStore(1 << 20, () => now);
    store.set('a', entry('x', 100));
    now = 99;
    expect(store.get('a')?.raw).toBe('x');
    now = 100;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  it('stays within its bytes, evicting the least recently used; refuses an entry larger than itself', () => {
    const store = new CacheStore(3 * (2 * 1001 + 200), () => 0);
    const big = 'y'.repeat(1000);
    store.set('a', entry(big));
    store.set('b', entry(big));
    store.set('c', entry(big));
    store.get('a');
    store.set('d', entry(big));
    expect(store.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => store.get(k) !== undefined)).toEqual([true, true, true]);
    expect(store.evictions).toBe(1);
    expect(store.bytes).toBeLessThanOrEqual(3 * (2 * 1001 + 200));
    store.set('huge', entry('z'.repeat(10_000)));
    expect(store.get('huge')).toBeUndefined();
    expect(store.deleteWhere((k) => k === 'a' || k === 'c')).toBe(2);
    expect(store.size).toBe(1);
  });
});
