/**
 * `mcp-opt proxy <http(s) URL>`: the pool's instances are sessions with a remote Streamable HTTP
 * server (the SDK v1 fixture), opened and initialized before the front serves; a stdio client is
 * served through them, spread over them with --affinity none; a session the server expired (404)
 * is re-initialized by its transport and the client sees no error; stopping the proxy ends every
 * session (DELETE). --max-rss, which measures processes the proxy starts, is refused for a URL.
 * The real server-everything over Streamable HTTP: the roots/list it asks on its session's GET
 * stream (outside any POST) reaches the proxy's client, and its answer gets back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../helpers/cli.js';
import { alive, repoRoot } from '../helpers/fixtures.js';
import { httpStats, startHttpFixture, stopHttpFixtures } from '../helpers/httpFixture.js';
import { RpcClient, StdioProxies } from '../helpers/proxy.js';

interface Stats {
  methodHeaders: Record<string, number>;
  sessionsOpened: number;
  openSessions: number;
  deletes: number;
  initializes: number;
  sessionsExpired: number;
  methods: Record<string, number>;
}

const proxies = new StdioProxies();
let everything: ChildProcess | null = null;
afterEach(async () => {
  await proxies.stop();
  await stopHttpFixtures();
  if (everything?.pid !== undefined) {
    const pid = everything.pid;
    everything.kill('SIGTERM');
    expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
  }
  everything = null;
});

/** A port the OS picks (server-everything takes PORT, and says only the one it was given). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** server-everything's Streamable HTTP transport on a free port; resolves with its MCP URL. */
async function startEverythingHttp(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${repoRoot}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) }, stdio: ['pipe', 'ignore', 'pipe'],
  });
  everything = child;
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
  expect(await waitFor(() => err.includes(`listening on port ${port}`), 15_000), err).toBe(true);
  return `http://127.0.0.1:${port}/mcp`;
}

describe('mcp-opt proxy with an http(s) upstream', () => {
  it('--pool 2: two warm sessions before serving; calls spread over them; a stop ends both', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable' });
    const run = await proxies.start(['--pool', '2', '--affinity', 'none', fx.url]);
    expect(run.stderr()).toMatch(/2 instances ready in \d+ ms \(legacy era; sessions with /);
    expect((await httpStats<Stats>(fx)).openSessions).toBe(2);
    await run.client.initialize();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => run.client.call('echo', { text: `m${k}` })));
    expect(answers.map((a) => RpcClient.text(a))).toEqual(Array.from({ length: 8 }, (_, k) => `m${k}`));
    const during = await httpStats<Stats>(fx);
    // The client's initialize was answered by the proxy from its warm-up: the upstream saw two.
    expect(during.initializes).toBe(2);
    expect(during.methods['tools/call']).toBe(8);
    await proxies.stop();
    const after = await httpStats<Stats>(fx);
    expect(after.deletes).toBe(2);
    expect(after.openSessions).toBe(0);
  });

  it('a session the server expired (404) is initialized again; no call fails', async () => {
    const fx = await startHttpFixture({ MODE: 'json', EXPIRE_SESSION_AFTER: '5' });
    const run = await proxies.start(['--pool', '1', fx.url]);
    await run.client.initialize();
    for (let k = 0; k < 12; k++) expect(RpcClient.text(await run.client.call('echo', { text: `c${k}` }))).toBe(`c${k}`);
    const s = await httpStats<Stats>(fx);
    expect(s.sessionsExpired).toBe(1);
    expect(s.initializes).toBe(2);
  });

  it('--era modern with a 2026-07-28 upstream (SDK v2): a stdio client\'s tools/call reaches it with its Mcp-Method and Mcp-Name headers', async () => {
    const fx = await startHttpFixture({ MODE: 'modern' });
    const run = await proxies.start(['--era', 'modern', '--pool', '1', fx.url]);
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const answer = await run.client.request('tools/call', { name: 'echo', arguments: { text: 'modern' }, _meta: meta });
    expect(RpcClient.text(answer)).toBe('modern');
    expect((await httpStats<Stats>(fx)).methodHeaders['tools/call']).toBe(1);
  });

  it('server-everything over Streamable HTTP: the roots/list it asks on its GET stream is relayed to the client and answered', async () => {
    const url = await startEverythingHttp();
    const run = await proxies.start(['--pool', '1', url]);
    run.client.onRequest = (m) => (m.method === 'roots/list' ? { result: { roots: [{ uri: 'file:///tmp/project', name: 'project' }] } } : { error: { code: -32601, message: 'no' } });
    const init = await run.client.request('initialize', { protocolVersion: '2025-11-25', capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'test', version: '1' } });
    expect(init.result).toMatchObject({ serverInfo: { name: 'mcp-servers/everything' } });
    run.client.notify('notifications/initialized');
    // The server asks roots/list on its own once initialized, and learns the answer a moment after
    // the client sent it: a call before then reports no roots (seen under load), so wait for it.
    expect(await waitFor(() => run.client.serverRequests.some((m) => m.method === 'roots/list'), 10_000)).toBe(true);
    let text = '';
    for (let k = 0; k < 50 && !text.includes('file:///tmp/project'); k++) {
      if (k > 0) await new Promise((r) => setTimeout(r, 100));
      text = RpcClient.text(await run.client.call('get-roots-list'));
    }
    expect(text).toContain('file:///tmp/project');
    expect(run.client.serverRequests.map((m) => m.method)).toEqual(['roots/list']);
  });

  it('--max-rss with a URL: exit 2 saying why, nothing contacted', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable' });
    const r = await runCli(['proxy', '--max-rss', '512MiB', fx.url]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--max-rss bounds the memory of server processes the proxy starts/);
    expect((await httpStats<Stats>(fx)).sessionsOpened).toBe(0);
  });
});
