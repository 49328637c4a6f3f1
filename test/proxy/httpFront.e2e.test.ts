/**
 * `mcp-opt proxy --listen`: the Streamable HTTP front in the legacy era (2025-03-26 … 2025-11-25),
 * in-process against real relay.mjs instances, with the SDK v1 client and raw POSTs: JSON or SSE
 * answers, progress on the right request's stream, a sampling request relayed over SSE and
 * answered by POST, sessions (400, 404, DELETE), Origin checks, batches, and the drain on stop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CreateMessageRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { noLeftovers, runCli, waitFor } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { HttpProxyHarness, allSseMessages, post, rawSession, resultText, sseMessages } from '../helpers/httpClient.js';
import type { Msg } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');
const proxies = new HttpProxyHarness();
afterEach(() => proxies.stop());
const client = (capabilities?: Record<string, unknown>): ReturnType<typeof proxies.client> => proxies.client(capabilities);

/** Wait until the proxy's /metrics counts `n` requests in flight on its instances. */
async function inflight(url: string, n: number): Promise<void> {
  for (let k = 0; k < 250; k++) {
    if (new RegExp(`^mcpopt_proxy_inflight ${n}$`, 'm').test(await (await fetch(new URL('/metrics', url))).text())) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never ${n} requests in flight`);
}

const call = (id: number, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>): Msg =>
  ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } });

describe('mcp-opt proxy --listen (legacy era)', () => {
  it('serves the SDK client; answers JSON unless progress was asked, then SSE with each progress on its own request', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client: c } = await client();
    expect((await c.listTools()).tools.map((t) => t.name)).toContain('whoami');
    expect(resultText(await c.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('hi');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const [ra, rb] = await Promise.all([
      c.callTool({ name: 'slow', arguments: { ms: 300, steps: 3 } }, undefined, { onprogress: (p) => a.push(p) }),
      c.callTool({ name: 'slow', arguments: { ms: 300, steps: 2 } }, undefined, { onprogress: (p) => b.push(p) }),
    ]);
    expect([resultText(ra), resultText(rb)]).toEqual(['slept 300', 'slept 300']);
    expect([a.length, b.length]).toEqual([3, 2]);

    // The framing, as a raw client sees it: a plain call is one JSON body; with a progress token, an event stream.
    const h = await rawSession(run.url);
    const plain = await post(run.url, call(1, 'echo', { message: 'json' }), h);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toMatchObject({ id: 1, result: { content: [{ text: 'json' }] } });
    const streamed = await post(run.url, call(2, 'slow', { ms: 200, steps: 2 }, { progressToken: 'p-2' }), h);
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    const events = await allSseMessages(streamed);
    expect(events.map((m) => m.method ?? `answer ${String(m.id)}`)).toEqual(['notifications/progress', 'notifications/progress', 'answer 2']);
    expect(events.slice(0, 2).map((m) => m.params!['progressToken'])).toEqual(['p-2', 'p-2']);
  });

  it('relays a sampling request on the call\'s SSE stream and takes the answer by POST; unrelated notifications come on the GET stream', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const { client: c } = await client({ sampling: {} });
    c.setRequestHandler(CreateMessageRequestSchema, async (req) => ({
      model: 'test', role: 'assistant', content: { type: 'text', text: `re:${(req.params.messages[0]!.content as { text: string }).text}` },
    }));
    expect(resultText(await c.callTool({ name: 'ask', arguments: { question: 'q?' } }))).toBe('answer:re:q?');

    // By hand: a client that declared sampling gets its tools/call as a stream; the request comes on it.
    const h = await rawSession(run.url, { sampling: {} });
    const res = await post(run.url, call(7, 'ask', { question: 'raw?' }), h);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const seen: Msg[] = [];
    for await (const m of sseMessages(res)) {
      seen.push(m);
      if (m.method === 'sampling/createMessage') {
        const answer = await post(run.url, { jsonrpc: '2.0', id: m.id, result: { model: 'm', role: 'assistant', content: { type: 'text', text: 'yes' } } }, h);
        expect(answer.status).toBe(202);
      }
    }
    expect(seen.map((m) => m.method ?? `answer ${String(m.id)}`)).toEqual(['sampling/createMessage', 'answer 7']);
    expect(seen[1]!.result).toMatchObject({ content: [{ text: 'answer:yes' }] });

    // A notification that belongs to no request goes on the session's GET stream.
    let changed = 0;
    c.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    expect(resultText(await c.callTool({ name: 'touch', arguments: {} }))).toBe('touched');
    await waitFor(() => changed === 1, 5000);
    expect(changed).toBe(1);
  });

  it('sessions: 400 without Mcp-Session-Id, 404 for an unknown one and after DELETE; Origin: 403 unless loopback or --allow-origin', async () => {
    const run = await proxies.start(['--pool', '1', '--allow-origin', 'https://app.example.com', '--', process.execPath, RELAY]);
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const missing = await post(run.url, list, { 'mcp-protocol-version': '2025-11-25' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ id: 1, error: { code: -32600, message: expect.stringContaining('Mcp-Session-Id') } });
    expect((await post(run.url, list, { 'mcp-session-id': 'no-such-session' })).status).toBe(404);

    const { transport } = await client();
    const sid = transport.sessionId!;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post(run.url, list, { 'mcp-session-id': sid })).status).toBe(200);
    const pending = post(run.url, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow', arguments: { ms: 5000, steps: 0 } } }, { 'mcp-session-id': sid });
    await inflight(run.url, 1);
    await transport.terminateSession();
    // The call in flight ends with the session.
    const ended = await pending;
    expect(ended.status).toBe(404);
    expect(await ended.json()).toMatchObject({ error: { message: expect.stringContaining('the session ended (the client deleted it)') } });
    const after = await post(run.url, list, { 'mcp-session-id': sid });
    expect(after.status).toBe(404);
    expect(await after.json()).toMatchObject({ error: { message: expect.stringContaining('session not found') } });

    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'o', version: '1' } } };
    const evil = await post(run.url, init, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ id: null, error: { message: expect.stringContaining('--allow-origin https://evil.example') } });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'https://app.example.com']) {
      const ok = await post(run.url, init, { origin });
      expect(ok.status, origin).toBe(200);
      // CORS: the page may read the answer and the session id.
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
      expect(ok.headers.get('access-control-expose-headers')).toBe('mcp-session-id');
      await ok.text();
    }
    const preflight = await fetch(run.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    expect((await fetch(run.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await fetch(new URL('/healthz', run.url))).status).toBe(200);
    expect(await (await fetch(new URL('/metrics', run.url))).text()).toContain('mcpopt_proxy_');
  });

  it('answers what it cannot serve with the HTTP status the spec names and a JSON-RPC error', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const h = await rawSession(run.url);
    const old = { ...h, 'mcp-protocol-version': '2025-03-26' };
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const modern = { 'mcp-protocol-version': '2026-07-28' };
    const cases: Array<[string, RequestInit, number, number | null]> = [
      ['not JSON', { body: 'nope', headers: h }, 400, -32700],
      ['not JSON-RPC', { body: '{"id":1}', headers: h }, 400, -32600],
      ['an empty batch', { body: '[]', headers: old }, 400, -32600],
      ['initialize in a batch', { body: JSON.stringify([{ ...ping, method: 'initialize' }]), headers: old }, 400, -32600],
      ['one id twice in a batch', { body: JSON.stringify([ping, ping]), headers: old }, 400, -32600],
      ['an unknown MCP-Protocol-Version', { body: JSON.stringify(ping), headers: { ...h, 'mcp-protocol-version': '1999-01-01' } }, 400, -32600],
      ['text/plain', { body: JSON.stringify(ping), headers: { ...h, 'content-type': 'text/plain' } }, 415, -32600],
      ['an Accept without JSON or SSE', { body: JSON.stringify(ping), headers: { ...h, accept: 'text/html' } }, 406, -32600],
      ['a 2026-07-28 response', { body: '{"jsonrpc":"2.0","id":1,"result":{}}', headers: modern }, 400, -32600],
      ['a 2026-07-28 notification', { body: '{"jsonrpc":"2.0","method":"notifications/x"}', headers: modern }, 202, null],
    ];
    for (const [what, init, status, code] of cases) {
      const res = await fetch(run.url, { method: 'POST', ...init, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(init.headers as Record<string, string>) } });
      expect(res.status, what).toBe(status);
      if (code !== null) expect(((await res.json()) as Msg).error?.code, what).toBe(code);
    }
    // Accepting only an event stream: even a plain answer comes as one.
    const sseOnly = await post(run.url, ping, { ...h, accept: 'text/event-stream' });
    expect(sseOnly.headers.get('content-type')).toBe('text/event-stream');
    expect((await allSseMessages(sseOnly)).map((m) => m.id)).toEqual([1]);

    const get = (headers: Record<string, string>): Promise<Response> => fetch(run.url, { headers });
    expect((await get({ 'mcp-session-id': h['mcp-session-id']! })).status).toBe(406);
    expect((await get({ accept: 'text/event-stream' })).status).toBe(400);
    const stream = await get({ ...h, accept: 'text/event-stream' });
    expect(stream.status).toBe(200);
    expect((await get({ ...h, accept: 'text/event-stream' })).status).toBe(409);
    await stream.body!.cancel();
    expect((await fetch(run.url, { method: 'DELETE', headers: { 'mcp-session-id': 'nope' } })).status).toBe(404);
    expect((await fetch(run.url, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(new URL('/elsewhere', run.url))).status).toBe(404);
  });

  it('a cancelled call: cancelled on its instance, and its POST ends without an answer', async () => {
    const cancelLog = tmpFile('http-legacy-cancel.log');
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY], { CANCEL_LOG: cancelLog });
    const h = await rawSession(run.url);
    const slow = post(run.url, call(5, 'slow', { ms: 10_000, steps: 0 }), h);
    await inflight(run.url, 1);
    expect((await post(run.url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } }, h)).status).toBe(202);
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await allSseMessages(res)).toEqual([]);
    await waitFor(() => existsSync(cancelLog) && readFileSync(cancelLog, 'utf8').trim() !== '', 5000);
    expect(readFileSync(cancelLog, 'utf8')).toMatch(/^\d+ 1\n$/);
  });

  it('batches: answered as an array at 2025-03-26, refused with 400 at 2025-11-25', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const h = await rawSession(run.url);
    const batch = [{ jsonrpc: '2.0', id: 1, method: 'ping' }, call(2, 'echo', { message: 'b' }), { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }];
    const old = await post(run.url, batch, { ...h, 'mcp-protocol-version': '2025-03-26' });
    expect(old.status).toBe(200);
    const answers = (await old.json()) as Msg[];
    expect(answers.map((m) => m.id).sort()).toEqual([1, 2]);
    expect(answers.find((m) => m.id === 2)!.result).toMatchObject({ content: [{ text: 'b' }] });
    const refused = await post(run.url, batch, h);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: -32600, message: expect.stringContaining('2025-11-25 does not allow JSON-RPC batches') } });
    expect((await post(run.url, batch.slice(2), { ...h, 'mcp-protocol-version': '2025-03-26' })).status).toBe(202);
  });

  it('refuses (exit 2) a non-loopback --listen, --listen with --metrics, a bad --allow-origin, and a port already taken', async () => {
    for (const [flags, message] of [
      [['--listen', 'http://0.0.0.0:0/mcp'], 'loopback only'],
      [['--listen', 'http://127.0.0.1:0/mcp', '--metrics', '127.0.0.1:0'], 'drop --metrics'],
      [['--listen', 'http://127.0.0.1:0/mcp', '--allow-origin', 'app.example.com'], 'is not an origin'],
    ] as const) {
      const r = await runCli(['proxy', ...flags, '--', process.execPath, RELAY]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    // In a child: in this process, its end (stopAll) would stop the running proxy's instance too.
    const taken = await runCli(['proxy', '--listen', run.url, '--', process.execPath, RELAY], { inChild: true });
    expect(taken.code, taken.stderr).toBe(2);
    expect(taken.stderr).toMatch(/--listen 127\.0\.0\.1:\d+: the proxy could not listen there \(.*EADDRINUSE.*\)\. Pick another port/);
    await noLeftovers(taken.testId);
  });

  it('on stop, finishes the call in flight, then closes its port', async () => {
    const run = await proxies.start(['--pool', '1', '--', process.execPath, RELAY]);
    const h = await rawSession(run.url);
    const inFlight = post(run.url, call(1, 'slow', { ms: 2000, steps: 0 }), h);
    await inflight(run.url, 1);
    const r = proxies.take();
    const code = r.stop();
    const answer = await inFlight;
    // It was answered after the stop began: the drain let it finish.
    expect(r.stderr()).toContain('stopping: finishing the requests in flight');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id: 1, result: { content: [{ text: 'slept 2000' }] } });
    expect(await code, r.stderr()).toBe(130);
    await expect(fetch(r.url, { method: 'POST' })).rejects.toThrow();
    await noLeftovers(r.testId);
  });
});
