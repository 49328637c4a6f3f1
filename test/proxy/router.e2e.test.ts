/**
 * `mcp-opt proxy` routing, through its stdio front against real server instances (relay.mjs):
 * ids, progress, cancellation and server→client requests go to the right place, and each
 * affinity keeps its promise.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { RpcClient, StdioProxies, type Msg, type ProxyRun } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');
const proxies = new StdioProxies();
let run: ProxyRun | null = null;
afterEach(() => proxies.stop());

const whoami = async (c: RpcClient, id?: string | number): Promise<{ pid: number; calls: number }> => JSON.parse(RpcClient.text(await c.call('whoami', {}, undefined, id))) as { pid: number; calls: number };

describe('mcp-opt proxy over stdio', () => {
  it('answers initialize from its warm instance, passes tools/list through unchanged, and keeps string and number ids apart', async () => {
    run = await proxies.start(['--pool', '2', '--', process.execPath, RELAY]);
    const c = run.client;
    const init = await c.initialize();
    expect(init.result).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'fixture-relay' }, capabilities: { tools: { listChanged: true } } });
    // A client that asks an older version it knows gets that one (an older SDK client refuses a newer); an unknown one, the instance's.
    const hello = (v: string): Promise<Msg> => c.request('initialize', { protocolVersion: v, capabilities: {}, clientInfo: { name: 'old', version: '1' } });
    expect((await hello('2025-06-18')).result).toMatchObject({ protocolVersion: '2025-06-18', serverInfo: { name: 'fixture-relay' } });
    expect((await hello('2099-01-01')).result).toMatchObject({ protocolVersion: '2025-11-25' });
    const list = await c.request('tools/list', {});
    const tools = list.result!['tools'] as Array<{ name: string; annotations?: unknown }>;
    expect(tools.map((t) => t.name)).toContain('whoami');
    expect(tools.find((t) => t.name === 'echo')!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    // The same value as a number and as a string are two requests (JSON-RPC ids keep their type).
    const [a, b] = await Promise.all([c.call('echo', { message: 'number' }, undefined, 7), c.call('echo', { message: 'string' }, undefined, '7')]);
    expect([a.id, RpcClient.text(a)]).toEqual([7, 'number']);
    expect([b.id, RpcClient.text(b)]).toEqual(['7', 'string']);
    const pong = await c.request('ping');
    expect(pong.result).toEqual({});
    expect(c.strays).toEqual([]);
  });

  it('--affinity none spreads requests over every instance; --affinity session keeps one', async () => {
    run = await proxies.start(['--pool', '3', '--affinity', 'none', '--balance', 'round-robin', '--', process.execPath, RELAY]);
    await run.client.initialize();
    const spread = new Set<number>();
    for (let k = 0; k < 9; k++) spread.add((await whoami(run.client)).pid);
    expect(spread.size).toBe(3);
    await proxies.stop();

    run = await proxies.start(['--pool', '3', '--', process.execPath, RELAY]);
    await run.client.initialize();
    const pinned = await Promise.all(Array.from({ length: 12 }, () => whoami(run!.client)));
    expect(new Set(pinned.map((w) => w.pid)).size).toBe(1);
    // The state the server keeps across calls is one process's: its counter saw all 12.
    expect(Math.max(...pinned.map((w) => w.calls))).toBe(12);
  });

  it('routes progress back with the client\'s own token, to each of two concurrent calls', async () => {
    run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const c = run.client;
    await c.initialize();
    const [a, b] = await Promise.all([
      c.call('slow', { ms: 300, steps: 3 }, { progressToken: 'tok-a' }),
      c.call('slow', { ms: 300, steps: 2 }, { progressToken: 42 }),
    ]);
    expect(RpcClient.text(a)).toBe('slept 300');
    expect(RpcClient.text(b)).toBe('slept 300');
    const tokens = c.notifications.filter((n) => n.method === 'notifications/progress').map((n) => n.params!['progressToken']);
    expect(tokens.filter((t) => t === 'tok-a')).toHaveLength(3);
    expect(tokens.filter((t) => t === 42)).toHaveLength(2);
    expect(tokens.every((t) => t === 'tok-a' || t === 42)).toBe(true);
  });

  it('cancellation reaches the instance with the id it knows, and the cancelled call gets no answer', async () => {
    const cancelLog = tmpFile('cancel.log');
    run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY], { CANCEL_LOG: cancelLog });
    const c = run.client;
    await c.initialize();
    let answered = false;
    void c.call('slow', { ms: 3000 }, undefined, 'to-cancel').then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    c.notify('notifications/cancelled', { requestId: 'to-cancel', reason: 'test' });
    // The server saw the cancellation of its own request id (the proxy's), not the client's string.
    const until = performance.now() + 5000;
    let line = '';
    while (performance.now() < until && !(line = readIfExists(cancelLog))) await new Promise((r) => setTimeout(r, 20));
    expect(line).toMatch(/^\d+ \d+\n$/);
    // Later calls go on; the cancelled one never answers.
    expect(RpcClient.text(await c.call('echo', { message: 'after' }))).toBe('after');
    expect(answered).toBe(false);
  });

  it('relays a server→client request (sampling) to the client and its answer back', async () => {
    run = await proxies.start(['--pool', '2', '--', process.execPath, RELAY]);
    const c = run.client;
    await c.initialize();
    c.onRequest = (m: Msg) => ({ result: { role: 'assistant', content: { type: 'text', text: `re:${(m.params!['messages'] as Array<{ content: { text: string } }>)[0]!.content.text}` }, model: 'test' } });
    const answer = await c.call('ask', { question: 'why' });
    expect(RpcClient.text(answer)).toBe('answer:re:why');
    expect(c.serverRequests.map((r) => r.method)).toEqual(['sampling/createMessage']);
  });
});

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
