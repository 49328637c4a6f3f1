/**
 * Session expiry on Streamable HTTP (MCP 2025-11-25 basic/transports: a 404 on a request carrying
 * Mcp-Session-Id means the session is gone; the client MUST start a new one with an initialize
 * without a session id), against the SDK v1 fixture told to drop sessions (EXPIRE_SESSION_AFTER).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AutoHttpTransport } from '../../src/target/http/index.js';
import type { Reply } from '../../src/target/session.js';
import { openTarget, type Target } from '../../src/target/target.js';
import { httpSpec, startHttpFixture, type HttpFixture } from './httpFixture.js';

const opts = { era: 'legacy' as const, startTimeoutMs: 5000, requestTimeoutMs: 5000, client: { name: 'mcp-opt-test', version: '0' } };
let fixture: HttpFixture | null = null;
afterEach(async () => {
  await fixture?.stop();
  fixture = null;
});

const echo = (t: Target, i: number): Promise<Reply> => t.session.request('tools/call', { name: 'echo', arguments: { text: `n${i}` } });
const expiredFlag = (r: Reply): unknown => (r.error?.data as { sessionExpired?: unknown } | undefined)?.sessionExpired;

describe.each(['streamable', 'json'])('session expiry (MODE=%s)', (mode) => {
  it('re-initializes once: one request fails as sessionExpired, the other 99 succeed on the new session', async () => {
    fixture = await startHttpFixture(mode, { EXPIRE_SESSION_AFTER: '20' });
    const t = await openTarget(httpSpec(fixture.url), opts);
    const transport = t.session.transport as AutoHttpTransport;
    const replies: Reply[] = [];
    for (let i = 0; i < 100; i++) replies.push({ ...(await echo(t, i)) });
    const failed = replies.filter((r) => r.outcome !== 'result');
    expect(failed).toHaveLength(1);
    expect(replies.indexOf(failed[0]!)).toBe(20);
    expect(failed[0]!.error?.data).toMatchObject({ sessionExpired: true, httpStatus: 404, transportError: true });
    expect(replies.filter((r) => r.outcome === 'result').map((r) => (r.result as { content: [{ text: string }] }).content[0].text))
      .toEqual(Array.from({ length: 100 }, (_, i) => `n${i}`).filter((_, i) => i !== 20));
    expect(transport.sessionReinits).toBe(1);
    expect(transport.sessionExpirations).toBe(1);
    const s = await fixture.stats();
    expect(s).toMatchObject({ initializes: 2, sessionsExpired: 1, openSessions: 1 });
    // The replayed initialize was followed by notifications/initialized, and its reply never reached the session.
    expect(t.session.hygiene.counts['unknown-id']).toBeUndefined();
    expect(t.session.hygiene.totalViolations).toBe(0);
    expect(t.session.closeInfo).toBeNull();
    await t.close();
    expect((await fixture.stats()).openSessions).toBe(0); // the new session was DELETEd
  });
});

it('holds sends made during the re-initialize: a closed loop of 8 loses only requests already in flight', async () => {
  fixture = await startHttpFixture('streamable', { EXPIRE_SESSION_AFTER: '50', SERVICE_MS: '2' });
  const t = await openTarget(httpSpec(fixture.url, 'streamable-http'), opts);
  const total = 300;
  const replies = await new Promise<Reply[]>((resolve) => {
    const out: Reply[] = [];
    let sent = 0;
    const next = (): void => {
      if (sent === total) return;
      const i = sent++;
      // Each reply sends the next synchronously, as the bench engine's closed loop does.
      t.session.send('tools/call', JSON.stringify({ name: 'echo', arguments: { text: `c${i}` } }), (r) => {
        out.push({ ...r });
        if (out.length === total) resolve(out);
        next();
      }, 5000, 'echo');
    };
    for (let k = 0; k < 8; k++) next();
  });
  const failed = replies.filter((r) => r.outcome !== 'result');
  expect(failed.length).toBeGreaterThanOrEqual(1);
  expect(failed.length).toBeLessThanOrEqual(8);
  expect(failed.every((r) => expiredFlag(r) === true)).toBe(true);
  expect((t.session.transport as unknown as { sessionReinits: number }).sessionReinits).toBe(1);
  expect(await fixture.stats()).toMatchObject({ initializes: 2, sessionsExpired: 1 });
  expect(t.session.closeInfo).toBeNull();
  await t.close();
});

it('ends the session with a clear reason when the re-initialized session expires too, instead of looping', async () => {
  fixture = await startHttpFixture('streamable', { EXPIRE_SESSION_AFTER: '5', EXPIRE_ALWAYS: '1' });
  const t = await openTarget(httpSpec(fixture.url), opts);
  const replies: Reply[] = [];
  for (let i = 0; i < 20 && t.session.closeInfo === null; i++) replies.push({ ...(await echo(t, i)) });
  expect(replies.map((r) => (r.outcome === 'result' ? 'ok' : expiredFlag(r) === true ? 'expired' : r.outcome)))
    .toEqual([...Array(5).fill('ok'), 'expired', ...Array(5).fill('ok'), 'expired']);
  expect(t.session.closeInfo?.reason).toMatch(/^the server expired the session again right after mcp-opt re-initialized it: HTTP 404 .* 5 replies after .* once, so it stops/);
  expect((await echo(t, 99)).outcome).toBe('closed');
  expect((t.session.transport as AutoHttpTransport).sessionReinits).toBe(1);
  expect((await fixture.stats()).initializes).toBe(2);
  await t.close();
});

it('ends the session when the server refuses the re-initialize', async () => {
  // A hand-written server: the first initialize opens session s1, every request on s1 gets 404,
  // and any later initialize gets 500.
  let initializes = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const m = JSON.parse(body || 'null') as { id?: number; method?: string } | null;
      if (m?.method === 'initialize') {
        if (++initializes > 1) return res.writeHead(500, { 'content-type': 'text/plain' }).end('no more sessions');
        const result = { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'x', version: '1' } };
        return res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' }).end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
      }
      if (m?.id === undefined) return res.writeHead(202).end();
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const t = await openTarget(httpSpec(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, 'streamable-http'), opts);
    const r = await t.session.request('tools/list', {});
    expect(expiredFlag(r)).toBe(true);
    await new Promise((res) => t.session.onClose(res));
    expect(t.session.closeInfo?.reason).toBe('the server expired the session (HTTP 404 for its Mcp-Session-Id) and mcp-opt could not re-initialize it: HTTP 500 (text/plain): "no more sessions"');
    expect(initializes).toBe(2);
    await t.close();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
