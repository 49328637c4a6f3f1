/**
 * The proxy's read cache, coalescing and tool gate against a real server (cacheable.mjs, which
 * counts what reaches it): lists kept until the server says they changed, errors never kept,
 * the protocol version in the key, identical reads sent once, `private` answers never crossing
 * authorization contexts (2026-07-28, over the HTTP front), unknown tools answered by the proxy
 * with suggestions, allow/deny on list and call, and /metrics counting it.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { HttpProxyHarness, modernRequest, post } from '../helpers/httpClient.js';
import { RpcClient, StdioProxies, logged, type Msg } from '../helpers/proxy.js';
import { runCli } from '../helpers/cli.js';

const CACHEABLE = fixturePath('cacheable.mjs');
const proxies = new StdioProxies();
const http = new HttpProxyHarness();
afterEach(async () => {
  await proxies.stop();
  await http.stop();
});

type Counts = { toolsList: number; resourcesRead: number; calls: number };
const stats = async (c: RpcClient): Promise<Counts> => JSON.parse(RpcClient.text(await c.call('stats'))) as Counts;
const names = (m: Msg): string[] => (m.result!['tools'] as Array<{ name: string }>).map((t) => t.name);

async function start(args: string[], env: Record<string, string> = {}): Promise<RpcClient> {
  const run = await proxies.start([...args, '--', process.execPath, CACHEABLE], env);
  await run.client.initialize();
  return run.client;
}

describe('mcp-opt proxy: read cache (legacy era)', () => {
  it('keeps tools/list until the server announces a change, sends identical concurrent reads once, and never keeps an error or an isError result', async () => {
    const c = await start(['--pool', '1'], { BUILD_MS: '150' });
    // Errors first, while nothing is cached: neither the JSON-RPC error nor the isError result is kept.
    await c.call('break_list');
    expect((await c.request('tools/list', {})).error?.message).toMatch(/broke/);
    expect((await c.request('tools/list', {})).result).toMatchObject({ isError: true });
    const first = await c.request('tools/list', {});
    expect(names(first)).toContain('search_docs');
    const again = await Promise.all([c.request('tools/list', {}), c.request('tools/list', {})]);
    for (const m of again) expect(m.result).toEqual(first.result);
    expect((await stats(c)).toolsList).toBe(3);
    // 12 identical reads at once, not cached yet (other params): one reaches the server, all get its answer, each with its own id.
    const burst = await Promise.all(Array.from({ length: 12 }, (_, k) => c.request('tools/list', { _meta: { tag: 'burst' } }, `b${k}`)));
    expect(burst.map((m) => m.id)).toEqual(Array.from({ length: 12 }, (_, k) => `b${k}`));
    for (const m of burst) expect(names(m)).toEqual(names(first));
    expect((await stats(c)).toolsList).toBe(4);
    // The server adds a tool and says so: the client hears it, and the next list is fetched anew.
    await c.call('add_tool', { name: 'fresh_tool' });
    await waitUntil(() => c.notifications.some((n) => n.method === 'notifications/tools/list_changed'));
    expect(names(await c.request('tools/list', {}))).toContain('fresh_tool');
    expect((await stats(c)).toolsList).toBe(5);
    expect(c.strays).toEqual([]);
  });

  it('--list-ttl bounds a list whose server announces no changes; --no-cache sends every read; the protocol version is part of the key', async () => {
    // A TTL far above a round trip even on a busy machine, so the second list is surely within it.
    let c = await start(['--pool', '1', '--list-ttl', '1s'], { LIST_CHANGED: '0' });
    await c.request('tools/list');
    await c.request('tools/list');
    expect((await stats(c)).toolsList).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await c.request('tools/list');
    expect((await stats(c)).toolsList).toBe(2);
    // A client that initializes again with another version gets its own entry.
    await c.request('initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'older', version: '1' } });
    await c.request('tools/list');
    expect((await stats(c)).toolsList).toBe(3);
    await proxies.stop();

    c = await start(['--pool', '1', '--no-cache']);
    await Promise.all([c.request('tools/list'), c.request('tools/list')]);
    await c.request('tools/list');
    expect((await stats(c)).toolsList).toBe(3);
  });
});

describe('mcp-opt proxy: --cache-tool, --serve-stale-on-error, --cache-dir', () => {
  it('--cache-tool refuses a tool not annotated read-only and closed-world (exit 2, naming it and --force), and keeps a safe one\'s answers per arguments', async () => {
    const refused = await runCli(['proxy', '--cache-tool', 'web_fetch=10s', '--', process.execPath, CACHEABLE], { timeoutMs: 30_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--cache-tool web_fetch: "web_fetch" is not annotated openWorldHint: false \(it has true\).*add --force/s);
    const c = await start(['--pool', '1', '--cache-tool', 'search_docs=1m']);
    const texts = [];
    for (const q of ['a', 'b', 'a', 'a', 'b']) texts.push(RpcClient.text(await c.call('search_docs', { q })));
    expect(texts).toEqual(['results for a', 'results for b', 'results for a', 'results for a', 'results for b']);
    // Two calls reached the server (a and b) besides the stats calls themselves.
    expect((await stats(c)).calls).toBe(3);
  });

  it('--serve-stale-on-error serves the expired list when fetching it again fails, and the fresh one once it works', async () => {
    const c = await start(['--pool', '1', '--list-ttl', '200ms', '--serve-stale-on-error'], { LIST_CHANGED: '0' });
    const first = await c.request('tools/list');
    await c.call('break_list');
    await new Promise((r) => setTimeout(r, 300));
    const stale = await c.request('tools/list');
    expect(stale.error).toBeUndefined();
    expect(stale.result).toEqual(first.result);
    // The isError result after it is the server's answer, not a failed fetch: it is delivered as it is, and not kept.
    expect((await c.request('tools/list')).result).toMatchObject({ isError: true });
    expect(names(await c.request('tools/list'))).toContain('search_docs');
    expect((await stats(c)).toolsList).toBe(4);
  });

  it('--cache-dir: a restarted proxy answers tools/list without asking its new instance', async () => {
    const dir = dirname(tmpFile('proxy-cache-dir'));
    let c = await start(['--pool', '1', '--cache-dir', dir]);
    const listed = await c.request('tools/list');
    await proxies.stop();
    c = await start(['--pool', '1', '--cache-dir', dir]);
    expect((await c.request('tools/list')).result).toEqual(listed.result);
    expect((await stats(c)).toolsList).toBe(0);
  });
});

describe('mcp-opt proxy: no request waits forever on another', () => {
  it('the waiters of a cancelled read are sent on their own; those of a read whose instance dies get its error', async () => {
    const pidFile = tmpFile('cacheable.pids');
    const c = await start(['--pool', '1'], { BUILD_MS: '600', FIXTURE_PID_FILE: pidFile });
    const leader = c.request('tools/list', { _meta: { tag: 'x' } }, 'lead');
    const waiter = c.request('tools/list', { _meta: { tag: 'x' } }, 'wait');
    await new Promise((r) => setTimeout(r, 100));
    c.notify('notifications/cancelled', { requestId: 'lead', reason: 'changed my mind' });
    expect(names(await waiter)).toContain('search_docs');
    let leaderAnswered = false;
    void leader.then(() => (leaderAnswered = true));
    expect((await stats(c)).toolsList).toBe(2);
    expect(leaderAnswered).toBe(false);

    const a = c.request('tools/list', { _meta: { tag: 'y' } });
    const b = c.request('tools/list', { _meta: { tag: 'y' } });
    await new Promise((r) => setTimeout(r, 200));
    process.kill(Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]), 'SIGKILL');
    for (const m of await Promise.all([a, b])) expect(m.error?.code).toBe(-32003);
  });
});

describe('mcp-opt proxy: tool gate', () => {
  it('answers a call of an unknown tool itself with the closest names, never reaching the server; passes them with --pass-unknown-tools', async () => {
    let c = await start(['--pool', '1']);
    // Before any list is seen the proxy cannot tell: the call goes through and the server answers.
    expect((await c.call('serch_docs')).error?.message).toBe('Unknown tool: serch_docs');
    await c.request('tools/list');
    const before = (await stats(c)).calls;
    const refused = await c.call('serch_docs', { q: 'x' });
    expect(refused.error).toEqual({ code: -32602, message: 'Unknown tool: serch_docs. Did you mean `search_docs`?', data: { suggestions: ['search_docs'] } });
    expect((await stats(c)).calls).toBe(before + 1);
    // A tool the server adds (and announces) is never refused.
    await c.call('add_tool', { name: 'late_tool' });
    await waitUntil(() => c.notifications.some((n) => n.method === 'notifications/tools/list_changed'));
    expect(RpcClient.text(await c.call('late_tool'))).toBe('called late_tool');
    await proxies.stop();

    c = await start(['--pool', '1', '--pass-unknown-tools']);
    await c.request('tools/list');
    expect((await c.call('serch_docs')).error?.message).toBe('Unknown tool: serch_docs');
  });

  it('--allow-tools and --deny-tools hold on tools/list and tools/call (deny wins), and /metrics counts the refusals and the cache', async () => {
    const run = await proxies.start(['--pool', '1', '--allow-tools', 'stats,search_*,web_*', '--deny-tools', 'web_fetch', '--metrics', '127.0.0.1:0', '--', process.execPath, CACHEABLE]);
    const c = run.client;
    await c.initialize();
    const listed = names(await c.request('tools/list'));
    expect(listed.sort()).toEqual(['search_docs', 'stats']);
    expect(names(await c.request('tools/list')).sort()).toEqual(['search_docs', 'stats']);
    for (const tool of ['web_fetch', 'add_tool']) {
      expect((await c.call(tool, { url: 'x', name: 'x' })).error).toMatchObject({ code: -32602, message: `Unknown tool: ${tool} (not allowed through this proxy: --allow-tools/--deny-tools)` });
    }
    expect((await stats(c)).calls).toBe(1);
    const at = /metrics at (\S+)/.exec(await logged(run, /metrics at \S+/))![1]!;
    const text = await (await fetch(at)).text();
    expect(text).toMatch(/mcpopt_proxy_failures_total\{method="tools\/call",tool="web_fetch",class="denied_tool"\} 1/);
    expect(text).toMatch(/mcpopt_proxy_cache_events_total\{method="tools\/list",event="hit"\} 1/);
    expect(text).toMatch(/mcpopt_proxy_cache_events_total\{method="tools\/list",event="stored"\} 1/);
  });
});

describe('mcp-opt proxy --listen --era modern: the spec\'s cache hints', () => {
  it('serves a public answer to every client, a private one only within its authorization context, and refetches after resources/updated', async () => {
    const run = await http.start(['--pool', '1', '--era', 'modern', '--', process.execPath, CACHEABLE]);
    let id = 1;
    const ask = async (method: string, params: Record<string, unknown>, token: string): Promise<Msg> => {
      const r = modernRequest(id++, method, params);
      // Mcp-Name of a resources/read is its URI (2026-07-28 basic/transports/streamable-http).
      const name: Record<string, string> = typeof params['uri'] === 'string' ? { 'mcp-name': params['uri'] } : {};
      const res = await post(run.url, r.body, { ...r.headers, ...name, authorization: `Bearer ${token}` });
      return (await res.json()) as Msg;
    };
    const read = async (uri: string, token: string): Promise<string> => ((await ask('resources/read', { uri }, token)).result!['contents'] as Array<{ text: string }>)[0]!.text;
    expect(await read('file:///public/a', 'alice')).toBe('file:///public/a #1');
    expect(await read('file:///public/a', 'bob')).toBe('file:///public/a #1');
    const alice = await read('file:///private/a', 'alice');
    const bob = await read('file:///private/a', 'bob');
    expect(await read('file:///private/a', 'alice')).toBe(alice);
    expect(await read('file:///private/a', 'bob')).toBe(bob);
    expect([alice, bob]).toEqual(['file:///private/a #1', 'file:///private/a #2']);
    // The server says the public resource changed: the next read is fetched anew.
    await ask('tools/call', { name: 'touch', arguments: { uri: 'file:///public/a' } }, 'alice');
    await waitUntil(async () => (await read('file:///public/a', 'carol')) !== 'file:///public/a #1');
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
