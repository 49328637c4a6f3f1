/**
 * `mcp-opt proxy <http(s) URL>`: the pool's instances are sessions with a remote Streamable HTTP
 * server (the SDK v1 fixture), opened and initialized before the front serves; a stdio client is
 * served through them, spread over them with --affinity none; a session the server expired (404)
 * is re-initialized by its transport and the client sees no error; stopping the proxy ends every
 * session (DELETE). --max-rss, which measures processes the proxy starts, is refused for a URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { httpStats, startHttpFixture, stopHttpFixtures } from '../helpers/httpFixture.js';
import { RpcClient, StdioProxies } from '../helpers/proxy.js';

interface Stats {
  sessionsOpened: number;
  openSessions: number;
  deletes: number;
  initializes: number;
  sessionsExpired: number;
  methods: Record<string, number>;
}

const proxies = new StdioProxies();
afterEach(async () => {
  await proxies.stop();
  await stopHttpFixtures();
});

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

  it('--max-rss with a URL: exit 2 saying why, nothing contacted', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable' });
    const r = await runCli(['proxy', '--max-rss', '512MiB', fx.url]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--max-rss bounds the memory of server processes the proxy starts/);
    expect((await httpStats<Stats>(fx)).sessionsOpened).toBe(0);
  });
});
