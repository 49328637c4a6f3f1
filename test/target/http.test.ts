/**
 * HTTP transports against real fixture servers (fixtures/servers/http-server.mjs, one child
 * process per mode on a random loopback port), plus the SSE parser on adversarial input.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { Redactor } from '../../src/result/redact.js';
import { AutoHttpTransport, openHttpTransport } from '../../src/target/http/index.js';
import type { LegacySseTransport } from '../../src/target/http/legacySse.js';
import { SseParser, type SseEvent } from '../../src/target/http/sse.js';
import type { HttpSpec } from '../../src/target/launchSpec.js';
import type { Era } from '../../src/target/protocol.js';
import { Session, type Reply } from '../../src/target/session.js';
import { detectEra, openTarget, type Target } from '../../src/target/target.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const client = { name: 'mcp-opt-test', version: '0' };
const opts = (era: Era) => ({ era, startTimeoutMs: 5000, requestTimeoutMs: 5000, client });
const spec = (url: string, transport: HttpSpec['transport'] = 'auto'): HttpSpec => ({ kind: 'http', url, headers: {}, transport, origin: 'test' });

const children: ChildProcess[] = [];

/** Start the fixture in `mode`; resolves with the URL it prints. */
async function startFixture(mode: string): Promise<string> {
  const child = spawn(process.execPath, [fixturePath('http-server.mjs')], {
    cwd: repoRoot, env: { ...process.env, MODE: mode, PORT: '0' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stderr.resume();
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fixture ${mode} exited with ${code}`)));
  });
  return (JSON.parse(line) as { url: string }).url;
}

afterAll(() => {
  for (const c of children) {
    c.stdin?.end();
    c.kill('SIGTERM');
  }
});

async function stats(url: string): Promise<Record<string, any>> {
  return (await fetch(new URL('/_stats', url))).json() as Promise<Record<string, any>>;
}

async function waitFor(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 10));
}

function call(t: Target, name: string, args: object): Promise<Reply> {
  return t.session.request('tools/call', { name, arguments: args });
}

/** Send n tools/call add requests at once through the callback API; resolve with the replies. */
function pipelined(t: Target, n: number): Promise<Reply[]> {
  return new Promise((resolve) => {
    const replies: Reply[] = [];
    for (let i = 0; i < n; i++) {
      t.session.send('tools/call', JSON.stringify({ name: 'add', arguments: { a: i, b: 1 } }), (r) => {
        replies.push({ ...r });
        if (replies.length === n) resolve(replies);
      }, 5000, 'add');
    }
    expect(t.session.inflight).toBe(n);
  });
}

/** The checks every mode must pass once a target is open. */
async function exercise(t: Target, url: string, repliesOnPost = true): Promise<void> {
  const list = await t.session.request('tools/list', {});
  expect(list.outcome).toBe('result');
  const tools = (list.result as { tools: Array<{ name: string; annotations?: object }> }).tools;
  expect(tools.map((x) => x.name).sort()).toEqual(['add', 'echo']);
  expect(tools[0]!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
  expect((await call(t, 'echo', { text: 'héllo ✓' })).result).toMatchObject({ content: [{ type: 'text', text: 'héllo ✓' }] });
  const replies = await pipelined(t, 32);
  expect(replies.every((r) => r.outcome === 'result')).toBe(true);
  const sums = replies.map((r) => Number((r.result as { content: [{ text: string }] }).content[0].text)).sort((a, b) => a - b);
  expect(sums).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  expect(t.session.transport.pendingOutBytes).toBe(0);
  // Slow calls overlap on the server: concurrent POSTs on separate sockets, not a client queue.
  // Each is held 500 ms: on a machine loaded four times over (a full CI run, a core kept busy and
  // benchmarks beside it) the 16 POSTs took more than 150 ms to all reach the server, so the first
  // had already been answered (14 seen in flight).
  const slow = await Promise.all(Array.from({ length: 16 }, () => call(t, 'echo', { text: 's', delayMs: 500 })));
  expect(slow.every((r) => r.outcome === 'result')).toBe(true);
  if (repliesOnPost) expect((await stats(url)).maxPostsInFlight).toBeGreaterThanOrEqual(16);
  expect(t.session.hygiene.totalViolations).toBe(0);
}

describe('SseParser', () => {
  const parseAll = (chunks: Array<string | Uint8Array>): { events: SseEvent[]; cut: boolean } => {
    const events: SseEvent[] = [];
    const p = new SseParser((e) => events.push(e));
    for (const c of chunks) p.push(c);
    return { events, cut: p.end() };
  };
  const tricky =
    '\uFEFF: keep-alive comment\r\n\r\n' + // BOM, comment, empty event: nothing
    'id: 7\r\ndata:\r\n\r\n' + // SDK v1 priming event: empty data
    'event: message\rdata: {"a":\r' + 'data:  1}\r\r' + // lone CR endings, two data lines, one leading space stripped
    'data: {"é":"✓ 🎉"}\n\n' + // multi-byte UTF-8
    'event: endpoint\ndata: /messages?x=1\nretry: 10\nunknown: y\n\n' +
    'id\nevent: only-type\n\n' + // no data: not dispatched
    'data: tail-without-blank-line';
  const expected: SseEvent[] = [
    { event: 'message', data: '', id: '7' },
    { event: 'message', data: '{"a":\n 1}', id: '7' },
    { event: 'message', data: '{"é":"✓ 🎉"}', id: '7' },
    { event: 'endpoint', data: '/messages?x=1', id: '7' },
  ];

  it('handles CR, CRLF, comments, priming events, multi-line data and a cut final event', () => {
    expect(parseAll([tricky])).toEqual({ events: expected, cut: true });
  });

  it('gives the same events whatever the chunk boundaries, even inside UTF-8 characters and CRLF', () => {
    const bytes = Buffer.from(tricky, 'utf8');
    for (let i = 1; i < bytes.length; i++) {
      expect(parseAll([bytes.subarray(0, i), bytes.subarray(i)]).events).toEqual(expected);
    }
    expect(parseAll([...bytes].map((b) => Uint8Array.of(b))).events).toEqual(expected);
  });

  it('drops an event over the size cap and keeps going', () => {
    const events: SseEvent[] = [];
    const p = new SseParser((e) => events.push(e), 100);
    p.push(`data: ${'x'.repeat(60)}\n`);
    p.push(`data: ${'x'.repeat(60)}\n\ndata: ok\n\n`);
    expect(events.map((e) => e.data)).toEqual(['ok']);
    expect(p.oversizedEvents).toBe(1);
  });
});

describe.each(['streamable', 'json'])('Streamable HTTP (SDK v1, MODE=%s)', (mode) => {
  let url: string;
  beforeAll(async () => {
    url = await startFixture(mode);
  });

  it('probes as legacy, handshakes, lists, calls, pipelines, then DELETEs the session', async () => {
    const probe = await detectEra(spec(url), opts('legacy'));
    expect(probe.era).toBe('legacy');
    const t = await openTarget(spec(url), opts('legacy'));
    expect(t.info.era).toBe('legacy');
    const transport = t.session.transport as AutoHttpTransport;
    expect(transport.wire).toBe('streamable-http');
    const sid = (transport.active as { sessionId?: string }).sessionId;
    expect(sid).toMatch(/^[\x21-\x7e]+$/);
    expect(transport.protocolVersion).toBe(t.info.protocolVersion);
    await exercise(t, url);
    // The server accepted every later request on the session and saw the negotiated version.
    const before = await stats(url);
    const order = before.firstMethods as string[]; // requests wait for notifications/initialized to land
    expect(order.indexOf('notifications/initialized')).toBeGreaterThan(order.indexOf('initialize'));
    expect(order.indexOf('tools/list')).toBeGreaterThan(order.indexOf('notifications/initialized'));
    expect(before.protocolVersionHeaders[t.info.protocolVersion]).toBeGreaterThanOrEqual(34);
    expect(before.openSessions).toBe(1);
    await t.close();
    const after = await stats(url);
    expect(after.deletes).toBe(before.deletes + 1);
    expect(after.openSessions).toBe(0);
    const stale = await fetch(url, {
      method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid! },
    });
    expect(stale.status).toBe(404);
  });

  it('turns a 404 on an expired session into an error reply, counts it and re-initializes', async () => {
    const t = await openTarget(spec(url, 'streamable-http'), opts('legacy'));
    const transport = t.session.transport as unknown as { sessionId: string; sessionExpirations: number; sessionReinits: number };
    const oldSid = transport.sessionId;
    // notifications/initialized is still in flight when openTarget returns: let it land first.
    await waitFor(async () => (await stats(url)).postsInFlight === 0);
    await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': transport.sessionId } });
    // SDK v1 forgets the session a moment after answering the DELETE; until then it answers 400.
    await waitFor(async () => (await stats(url)).openSessions === 0);
    const r = await call(t, 'echo', { text: 'x' });
    expect(r.outcome).toBe('error');
    expect(r.error?.data).toMatchObject({ sessionExpired: true, httpStatus: 404, transportError: true });
    expect(transport.sessionExpirations).toBe(1);
    expect(t.session.hygiene.excerpts.http).toBeUndefined();
    // 2025-11-25: the client MUST start a new session; the next request runs on it.
    expect((await call(t, 'echo', { text: 'again' })).outcome).toBe('result');
    expect(transport.sessionReinits).toBe(1);
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
    expect(transport.sessionId).not.toBe(oldSid);
    await t.close();
  });
});

describe('legacy HTTP+SSE (SDK v1 SSEServerTransport, MODE=sse)', () => {
  let url: string;
  beforeAll(async () => {
    url = await startFixture('sse');
  });

  it('is reached through the auto fallback and works', async () => {
    expect((await detectEra(spec(url), opts('legacy'))).era).toBe('legacy');
    const t = await openTarget(spec(url), opts('legacy'));
    expect((t.session.transport as AutoHttpTransport).wire).toBe('sse');
    await exercise(t, url, false);
    expect((await stats(url)).openSessions).toBe(1);
    await t.close();
    await new Promise((r) => setTimeout(r, 100));
    expect((await stats(url)).openSessions).toBe(0);
  });

  it('works when configured as sse directly', async () => {
    const t = await openTarget(spec(url, 'sse'), opts('legacy'));
    expect((await call(t, 'echo', { text: 'direct' })).outcome).toBe('result');
    // The endpoint's sessionId is a credential: every Redactor masks it from now on.
    const sessionId = (t.session.transport as LegacySseTransport).endpoint!.searchParams.get('sessionId')!;
    expect(sessionId.length).toBeGreaterThanOrEqual(6);
    expect(new Redactor([]).text(`POST /messages?sessionId=${sessionId} failed`)).toBe('POST /messages?sessionId=*** failed');
    await t.close();
  });
});

describe('modern era (SDK v2 createMcpHandler, MODE=modern)', () => {
  let url: string;
  beforeAll(async () => {
    url = await startFixture('modern');
  });

  it('probes as modern and works with the 2026-07-28 headers', async () => {
    const probe = await detectEra(spec(url), opts('legacy'));
    expect(probe).toMatchObject({ era: 'modern', evidence: 'server/discover answered' });
    const t = await openTarget(spec(url), opts('modern'));
    expect(t.info).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28' });
    await exercise(t, url);
    expect((await stats(url)).methodHeaders['tools/call']).toBeGreaterThanOrEqual(33);
    // 2026-07-28: cancelling closes the request's stream; no notifications/cancelled is POSTed.
    const posts = (await stats(url)).posts;
    const id = t.session.send('tools/call', JSON.stringify({ name: 'echo', arguments: { text: 'slow', delayMs: 3000 } }), () => {}, 5000, 'echo');
    await new Promise((r) => setTimeout(r, 100));
    expect((await stats(url)).postsInFlight).toBe(1);
    t.session.cancel(id);
    await new Promise((r) => setTimeout(r, 100));
    expect(await stats(url)).toMatchObject({ postsInFlight: 0, posts: posts + 1 });
    // Unknown methods are 404 + -32601 in this era: the server's own error, not a wire fault.
    const unknown = await t.session.request('no/such/method', {});
    expect(unknown.error?.code).toBe(-32601);
    expect(t.session.hygiene.totalViolations).toBe(0);
    await t.close();
  });
});

describe('HTTP faults', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const v22 = (supported: string[]) => JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32022, message: 'no', data: { supported } } });
    const routes: Record<string, [number, string, string]> = {
      '/cut': [200, 'text/event-stream', ': nothing for you\n\n'],
      'GET /sse-evil': [200, 'text/event-stream', 'event: endpoint\ndata: http://evil.example/messages\n\n'],
      '/sse-evil': [405, 'text/plain', 'no'],
      '/modern400': [400, 'application/json', v22(['2026-07-28'])],
      '/old400': [400, 'application/json', v22(['2025-06-18'])],
      '/auth': [401, 'text/plain', 'who are you'],
      // An Express app serving only GET /sse-only (the 2024-11-05 stream): POST gets its HTML 404.
      'GET /sse-only': [200, 'text/event-stream', 'event: endpoint\ndata: /messages?sessionId=1\n\n'],
      '/sse-only': [404, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><pre>Cannot POST /sse-only</pre></body></html>'],
      '/nothing': [404, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><pre>Cannot POST /nothing</pre></body></html>'],
      'GET /odd400': [405, 'text/plain', 'GET not allowed'],
      '/odd400': [400, 'text/plain', 'Bad Request'],
    };
    server = http.createServer((req, res) => {
      const [status, type, body] = routes[`${req.method} ${req.url}`] ?? routes[req.url!] ?? [500, 'text/plain', 'boom'];
      res.writeHead(status, { 'content-type': type });
      if (req.method === 'GET' && type === 'text/event-stream' && status === 200) res.write(body); // keep the stream open
      else res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reports HTTP 500 and a stream closed before the reply as errors, counted under http', async () => {
    for (const [path, message] of [['/err', /^HTTP 500 \(text\/plain\): "boom"$/], ['/cut', /SSE stream closed before the reply/]] as const) {
      const transport = await openHttpTransport(spec(base + path), opts('legacy'));
      const session = new Session(transport, { timeoutMs: 5000 });
      const r = await session.request('initialize', {});
      expect(r.outcome).toBe('error');
      expect(r.error?.message).toMatch(message);
      expect(transport.hygiene.counts.http).toBe(1);
      await session.close();
    }
    await expect(openTarget(spec(`${base}/err`), opts('legacy'))).rejects.toThrow(/HTTP 500 \(text\/plain\): "boom"/);
  });

  it('refuses a cross-origin SSE endpoint', async () => {
    await expect(openTarget(spec(`${base}/sse-evil`), opts('legacy'))).rejects.toThrow(/another origin/);
    await expect(openTarget(spec(`${base}/sse-evil`, 'sse'), opts('legacy'))).rejects.toThrow(TargetError);
  });

  it('reads the body of a 400 before calling a server legacy, and stops at 401', async () => {
    expect(await detectEra(spec(`${base}/modern400`), opts('legacy'))).toMatchObject({ era: 'modern', evidence: 'HTTP 400 error -32022 is a 2026-07-28 error' });
    expect(await detectEra(spec(`${base}/old400`), opts('legacy'))).toMatchObject({ era: 'legacy' });
    await expect(detectEra(spec(`${base}/auth`), opts('legacy'))).rejects.toThrow(/HTTP 401: it wants credentials/);
  });

  it('concludes nothing from an HTTP error without JSON-RPC: the GET for an HTTP+SSE stream decides', async () => {
    expect(await detectEra(spec(`${base}/sse-only`), opts('legacy'))).toMatchObject({ era: 'legacy', evidence: 'HTTP+SSE (2024-11-05) endpoint event on GET' });
    await expect(detectEra(spec(`${base}/nothing`), opts('legacy'))).rejects.toThrow(
      /^no MCP endpoint at http:\/\/127\.0\.0\.1:\d+\/nothing \(POST: HTTP 404 \(text\/html\): "Cannot POST \/nothing"; GET answered HTTP 404 \(text\/html\)\): check the path, e\.g\. \/mcp\.$/,
    );
    // Not a 404/405: the era is only assumed, and initialize will confirm it or fail.
    expect((await detectEra(spec(`${base}/odd400`), opts('legacy'))).evidence).toMatch(/^assumed: server\/discover got HTTP 400 \(text\/plain\): "Bad Request" and GET no HTTP\+SSE endpoint/);
  });

  it('says a closed port could not be reached', async () => {
    const probe = detectEra(spec('http://127.0.0.1:1/mcp'), opts('legacy'));
    await expect(probe).rejects.toThrow(/Could not reach .*ECONNREFUSED.*server is running/);
    await expect(openTarget(spec('http://127.0.0.1:1/mcp'), opts('legacy'))).rejects.toThrow(/could not reach/);
  });
});
