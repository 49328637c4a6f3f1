/** --cache-tool takes only tools annotated read-only and closed-world (cacheToolCheck.ts); the answer rules for them (cachePolicy.ts). */
import { describe, expect, it } from 'vitest';
import { cacheToolRefusal, checkCacheTools } from '../../src/proxy/cacheToolCheck.js';
import { optedInFreshness } from '../../src/proxy/cachePolicy.js';
import { UsageError } from '../../src/errors.js';

const tools = [
  { name: 'lookup', annotations: { readOnlyHint: true, openWorldHint: false } },
  { name: 'web_fetch', annotations: { readOnlyHint: true, openWorldHint: true } },
  { name: 'search', annotations: { readOnlyHint: true } },
  { name: 'bare' },
  { name: 'write', annotations: { readOnlyHint: false, openWorldHint: false } },
];
const settings = (toolTtlMs: Record<string, number>, force = false) => ({ enabled: true, listTtlMs: 1000, maxBytes: 1 << 20, toolTtlMs, force, serveStale: false, dir: null });

describe('cacheToolRefusal', () => {
  it('takes a tool annotated readOnlyHint true and openWorldHint false', () => {
    expect(cacheToolRefusal('lookup', tools)).toBeNull();
  });

  it('refuses open-world, unannotated (the spec defaults are the unsafe side), writing and unknown tools, saying why', () => {
    expect(cacheToolRefusal('web_fetch', tools)).toMatch(/openWorldHint: false \(it has true\)/);
    expect(cacheToolRefusal('search', tools)).toMatch(/openWorldHint: false \(it has none, which means true\)/);
    expect(cacheToolRefusal('bare', tools)).toMatch(/readOnlyHint: true \(it has none, which means false\) and openWorldHint/);
    expect(cacheToolRefusal('write', tools)).toMatch(/readOnlyHint: true \(it has false\)/);
    expect(cacheToolRefusal('nope', tools)).toMatch(/lists no tool "nope" \(it has: lookup, web_fetch/);
  });
});

describe('checkCacheTools', () => {
  it('throws a UsageError naming the tool and --force; --force skips the check; no tools, no listing', async () => {
    let listed = 0;
    const list = async () => { listed++; return tools; };
    await expect(checkCacheTools(settings({ web_fetch: 1000 }), list)).rejects.toThrow(UsageError);
    await expect(checkCacheTools(settings({ web_fetch: 1000 }), list)).rejects.toThrow(/--cache-tool web_fetch: .*add --force/);
    await expect(checkCacheTools(settings({ lookup: 1000 }), list)).resolves.toBeUndefined();
    const before = listed;
    await checkCacheTools(settings({ web_fetch: 1000 }, true), list);
    await checkCacheTools(settings({}), list);
    expect(listed).toBe(before);
    await expect(checkCacheTools(settings({ lookup: 1000 }), async () => null)).rejects.toThrow(/did not answer tools\/list/);
  });
});

describe('optedInFreshness', () => {
  it('keeps a result for the TTL, for every client; never an error, isError or interim result', () => {
    const ok = { jsonrpc: '2.0' as const, id: 1, result: { content: [] } };
    expect(optedInFreshness(ok, 5000)).toEqual({ scope: 'public', ttlMs: 5000 });
    expect(optedInFreshness(ok, 0)).toBeNull();
    expect(optedInFreshness({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'x' } }, 5000)).toBeNull();
    expect(optedInFreshness({ jsonrpc: '2.0', id: 1, result: { content: [], isError: true } }, 5000)).toBeNull();
    expect(optedInFreshness({ jsonrpc: '2.0', id: 1, result: { resultType: 'input_required' } }, 5000)).toBeNull();
  });
});
