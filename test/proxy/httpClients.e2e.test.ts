/**
 * `mcp-opt proxy --listen` with several clients and both eras: affinity per HTTP session, the
 * 2026-07-28 era (headers checked against the body, no GET stream, served statelessly) against
 * modern.mjs, server-everything behind the front, and mcp-opt's own analyze and bench measuring
 * through it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { McpError, ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, parseBench, parseResult, runCli, waitFor } from '../helpers/cli.js';
import { fixturePath, repoRoot, tmpFile } from '../helpers/fixtures.js';
import { HttpProxyHarness, modernRequest, post, resultText } from '../helpers/httpClient.js';

const RELAY = fixturePath('relay.mjs');
const MODERN = fixturePath('modern.mjs');
const EVERYTHING = `${repoRoot}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
/**
 * mcp-opt measuring the proxy runs as a child: in the proxy's own process, its end (stopAll, every
 * server this process started) would stop the proxy's instances too.
 */
const IN_CHILD = { inChild: true } as const;
const proxies = new HttpProxyHarness();
afterEach(() => proxies.stop());
const client = (capabilities?: Record<string, unknown>): ReturnType<typeof proxies.client> => proxies.client(capabilities);

const whoami = async (c: Awaited<ReturnType<typeof client>>): Promise<number> =>
  (JSON.parse(resultText(await c.client.callTool({ name: 'whoami', arguments: {} }))) as { pid: number }).pid;

describe('mcp-opt proxy --listen: several clients', () => {
  it('--affinity client gives each HTTP session its own instance, refuses a third beyond --pool 2 (-32006); --affinity session keeps one per session', async () => {
    await proxies.start(['--pool', '2', '--affinity', 'client', '--', process.execPath, RELAY]);
    const [a, b, c] = [await client(), await client(), await client()];
    const [pa, pb] = [await whoami(a), await whoami(b)];
    expect(pa).not.toBe(pb);
    expect(await whoami(a)).toBe(pa);
    const refused = await c.client.callTool({ name: 'whoami', arguments: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).code).toBe(-32006);
    await proxies.stop();

    await proxies.start(['--pool', '2', '--affinity', 'session', '--', process.execPath, RELAY]);
    const sessions = [await client(), await client()];
    for (const s of sessions) {
      const pids = new Set<number>();
      for (let k = 0; k < 4; k++) pids.add(await whoami(s));
      expect(pids.size).toBe(1);
    }
  });

  it('two sessions on one instance: a list change reaches each once, a resource update only the session that subscribed', async () => {
    await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const [a, b] = [await client(), await client()];
    const seen = { a: [] as string[], b: [] as string[] };
    for (const [name, c] of [['a', a], ['b', b]] as const) {
      c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void seen[name].push('list_changed'));
      c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen[name].push(`updated ${n.params.uri}`));
    }
    await a.client.subscribeResource({ uri: 'relay://counter' });
    expect(resultText(await b.client.callTool({ name: 'update', arguments: { uri: 'relay://counter' } }))).toBe('updated');
    expect(resultText(await b.client.callTool({ name: 'touch', arguments: {} }))).toBe('touched');
    expect(await waitFor(() => seen.a.length === 2 && seen.b.length === 1, 5000)).toBe(true);
    expect(seen.a.sort()).toEqual(['list_changed', 'updated relay://counter']);
    expect(seen.b).toEqual(['list_changed']);
  });

  it('serves server-everything (legacy SDK server): tools, and progress of a long-running operation', async () => {
    await proxies.start(['--pool', '1', '--', process.execPath, EVERYTHING]);
    const { client: c } = await client();
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'trigger-long-running-operation']));
    expect(resultText(await c.callTool({ name: 'echo', arguments: { message: 'x' } }))).toBe('Echo: x');
    const progress: unknown[] = [];
    await c.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: (p) => progress.push(p) });
    expect(progress).toHaveLength(3);
  });
});

describe('mcp-opt proxy --listen: the 2026-07-28 era', () => {
  it('answers a modern request without a session; checks Mcp-Method, Mcp-Name and the version against the body; no GET stream', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, MODERN]);
    const ok = modernRequest(1, 'tools/call', { name: 'echo', arguments: { message: 'modern' } });
    const res = await post(run.url, ok.body, ok.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(await res.json()).toMatchObject({ id: 1, result: { content: [{ text: 'modern' }] } });

    const refusals: Array<[Record<string, string>, number, number]> = [
      [{ ...ok.headers, 'mcp-method': 'tools/list' }, 400, -32020],
      [{ ...ok.headers, 'mcp-name': 'add' }, 400, -32020],
      [{ ...ok.headers, 'mcp-name': `=?base64?${Buffer.from('echo').toString('base64')}?=` }, 200, 0],
      [{ 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, 400, -32020],
    ];
    for (const [headers, status, code] of refusals) {
      const r = await post(run.url, ok.body, headers);
      expect(r.status, JSON.stringify(headers)).toBe(status);
      const body = (await r.json()) as { error?: { code: number } };
      if (code !== 0) expect(body.error?.code).toBe(code);
    }
    const future = modernRequest(2, 'tools/list');
    (future.body.params!['_meta'] as Record<string, unknown>)['io.modelcontextprotocol/protocolVersion'] = '2099-01-01';
    const unsupported = await post(run.url, future.body, { ...future.headers, 'mcp-protocol-version': '2099-01-01' });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toMatchObject({ id: 2, error: { code: -32022, data: { supported: expect.arrayContaining(['2026-07-28']), requested: '2099-01-01' } } });
    const get = await fetch(run.url, { headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28' } });
    expect(get.status).toBe(405);
  });

  it('closing the answer stream cancels the request on its instance; a server request for such a client is refused', async () => {
    const cancelLog = tmpFile('http-cancel.log');
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY], { CANCEL_LOG: cancelLog });
    const slow = modernRequest(1, 'tools/call', { name: 'slow', arguments: { ms: 10_000, steps: 3 }, _meta: { progressToken: 'c' } });
    const abort = new AbortController();
    const res = await post(run.url, slow.body, slow.headers, abort.signal);
    // The headers came: the call was forwarded (the cancellation follows it on the same pipe).
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
    await waitFor(() => existsSync(cancelLog) && readFileSync(cancelLog, 'utf8').trim() !== '', 5000);
    expect(readFileSync(cancelLog, 'utf8')).toMatch(/^\d+ 1\n$/);

    // A server request made for a 2026-07-28 client (which takes none on its streams) is refused to the server.
    const ask = modernRequest(2, 'tools/call', { name: 'ask', arguments: { question: 'q' } });
    const answer = (await (await post(run.url, ask.body, ask.headers)).json()) as { result: unknown };
    expect(resultText(answer.result)).toMatch(/^refused:mcp-opt proxy: a 2026-07-28 client takes no server requests/);
  });

  it('mcp-opt analyze --era modern measures a modern server through the front', async () => {
    // (Found by probe as well: the bench below finds a front modern by probe.)
    const run = await proxies.start(['--pool', '1', '--', process.execPath, MODERN]);
    const a = await runCli(['analyze', run.url, ...FAST, '--era', 'modern', '--no-save', '--json'], IN_CHILD);
    expect(a.code, a.stderr).toBe(0);
    const r = parseResult(a.stdout);
    expect(r.server?.era, a.stderr).toBe('modern');
    expect(r.tools!.count).toBe(2);
  });
});

describe('mcp-opt measuring through the front', () => {
  it('analyze (legacy era) and bench (2026-07-28, found by probe) of a legacy server (relay) by URL: every request answered, every session closed', async () => {
    const run = await proxies.start(['--pool', '2', '--', process.execPath, RELAY]);
    const a = await runCli(['analyze', run.url, ...FAST, '--era', 'legacy', '--no-save', '--json'], IN_CHILD);
    expect(a.code, a.stderr).toBe(0);
    expect(parseResult(a.stdout).server?.era).toBe('legacy');
    // The probe finds the front modern: the proxy answers server/discover for its initialized instances.
    const b = await runCli(['bench', run.url, '--rps', '50', '--duration', '1s', '--warmup', '200ms', '--connections', '2', '--call', 'echo={"message":"hi"}', '--json', '--no-save'], IN_CHILD);
    expect(b.code, b.stderr).toBe(0);
    const r = parseBench(b.stdout);
    expect(r.server?.era).toBe('modern');
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBeGreaterThan(0);
    // analyze DELETEd the sessions it opened; bench's modern requests needed none.
    expect(await (await fetch(new URL('/metrics', run.url))).text()).toMatch(/^mcpopt_proxy_sessions 0$/m);
  });
});
