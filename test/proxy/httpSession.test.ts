/**
 * HTTP front sessions and streams, alone: idle legacy sessions end after the idle time (a fake
 * clock), messages with no stream to go to are kept (bounded, oldest dropped) until a GET stream
 * opens, and an SSE stream sends keep-alive comments while it is open (a real loopback socket).
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BUFFERED_MAX, HttpSession, SessionTable } from '../../src/proxy/httpSession.js';
import { closeServer, urlOf } from '../../src/proxy/observability.js';
import type { Router } from '../../src/proxy/router.js';
import { SSE_MAX_UNREAD_BYTES, SseStream } from '../../src/proxy/sse.js';
import { sseMessages } from '../helpers/httpClient.js';

/** The router as a session needs it here: only told when the session closes. */
const router = { closeSession() {} } as unknown as Router;

let server: Server | null = null;
afterEach(async () => {
  if (server) await closeServer(server);
  server = null;
});

/** A loopback server whose every GET becomes an SseStream handed to `use`; resolves with its URL. */
async function sseServer(keepAliveMs: number, use: (s: SseStream) => void): Promise<string> {
  server = createServer((_req, res) => use(new SseStream(res, {}, keepAliveMs)));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return urlOf(server, '/');
}

describe('SessionTable', () => {
  it('ends a session once it was neither seen nor busy for the idle time, not before', () => {
    let now = 0;
    const table = new SessionTable(600_000, () => now);
    const a = new HttpSession(router, 'a', table.now);
    const b = new HttpSession(router, 'b', table.now);
    table.add(a);
    table.add(b);
    now = 500_000;
    expect(table.touch('b')).toBe(b);
    expect(table.touch('nope')).toBeUndefined();
    now = 599_999;
    expect(table.takeIdle()).toEqual([]);
    now = 600_000;
    expect(table.takeIdle()).toEqual([a]);
    expect(table.touch('a')).toBeUndefined();
    now = 1_100_000;
    expect(table.takeIdle()).toEqual([b]);
    expect(table.size).toBe(0);
  });
});

describe('HttpSession', () => {
  it('keeps unrelated messages until a GET stream opens, at most BUFFERED_MAX (the oldest dropped)', async () => {
    const s = new HttpSession(router, 'x', () => 0);
    for (let k = 0; k < BUFFERED_MAX + 3; k++) s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { k } }), { kind: 'notification' });
    expect(s.dropped).toBe(3);
    const url = await sseServer(60_000, (stream) => {
      s.attach(stream);
      stream.end();
    });
    const seen: number[] = [];
    for await (const m of sseMessages(await fetch(url))) seen.push(m.params!['k'] as number);
    expect(seen).toHaveLength(BUFFERED_MAX);
    expect(seen[0]).toBe(3);
    expect(s.hasStream).toBe(false);
  });
});

describe('SseStream', () => {
  it('cuts a client that leaves more than SSE_MAX_UNREAD_BYTES unread', async () => {
    let stream: SseStream | null = null;
    const url = await sseServer(60_000, (s) => (stream = s));
    const res = await fetch(url); // never read
    const big = JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'x'.repeat(1024 * 1024) } });
    let sent = 0;
    while (!stream!.closed && sent < 256) {
      stream!.send(big);
      sent++;
      await new Promise((r) => setImmediate(r));
    }
    expect(stream!.closed).toBe(true);
    expect(sent).toBeGreaterThan(SSE_MAX_UNREAD_BYTES / (1024 * 1024));
    await res.body?.cancel().catch(() => {});
  });

  it('writes keep-alive comments while open, and events as `message` with one data line', async () => {
    const url = await sseServer(20, (stream) => stream.send('{"jsonrpc":"2.0","method":"a"}'));
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    // Read until two comments came (however long the machine takes to fire the timer twice).
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/^: keep-alive$/gm) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    expect(text.startsWith('event: message\ndata: {"jsonrpc":"2.0","method":"a"}\n\n')).toBe(true);
  });
});
