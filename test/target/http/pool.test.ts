/**
 * The HTTP engine's pool on real sockets (a raw `net` server on 127.0.0.1): keep-alive reuse, the
 * one retry of a request written to a connection the server closed while idle, `Connection:
 * close`, answers split across writes, refused header values, abort and destroy.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPool, type HttpResponse } from '../../../src/target/http/pool.js';

type Behaviour = (socket: net.Socket, request: string, index: number) => void;

const servers: net.Server[] = [];
const pools: HttpPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server calling `behave` for each request head it reads (requests carry no body here, or a short one). */
async function serve(behave: Behaviour): Promise<{ url: URL; connections: () => number; sockets: Set<net.Socket> }> {
  let connections = 0;
  let index = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = '';
    socket.on('data', (c) => {
      buf += c.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        behave(socket, request, index++);
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/mcp`), connections: () => connections, sockets };
}

const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** One request's outcome: status and body, or the error's code. */
function send(pool: HttpPool, url: URL, headers: Record<string, string> = {}, body = '{}'): Promise<{ status: number; body: string; complete: boolean; res: HttpResponse } | { error: string }> {
  return new Promise((resolve) => {
    pool.request(url, 'POST', headers, body, {
      onResponse(res) {
        const chunks: Buffer[] = [];
        res.read({
          onData: (c) => chunks.push(Buffer.from(c)),
          onEnd: (complete) => resolve({ status: res.status, body: Buffer.concat(chunks).toString(), complete, res }),
        });
      },
      onError: (err) => resolve({ error: err.code ?? err.message }),
    });
  });
}

const newPool = (url: URL): HttpPool => {
  const p = new HttpPool(url);
  pools.push(p);
  return p;
};

describe('HttpPool', () => {
  it('reuses one keep-alive connection for requests one after another, and writes the request line, Host and Content-Length', async () => {
    const seen: string[] = [];
    const s = await serve((socket, request) => {
      seen.push(Buffer.from(request, 'latin1').toString('utf8'));
      socket.write(ok('{"n":1}'));
    });
    const pool = newPool(s.url);
    for (let i = 0; i < 5; i++) expect(await send(pool, s.url, { 'X-Test': 'yes' }, '{"a":"é"}')).toMatchObject({ status: 200, body: '{"n":1}', complete: true });
    expect(s.connections()).toBe(1);
    expect(pool.connectionsOpened).toBe(1);
    expect(pool.requestsSent).toBe(5);
    expect(pool.pendingOutBytes).toBe(0);
    expect(seen[0]).toBe(`POST /mcp HTTP/1.1\r\nHost: ${s.url.host}\r\nX-Test: yes\r\nContent-Length: 10\r\n\r\n{"a":"é"}`);
  });

  it('sends a request again, once, on a fresh connection when a reused connection ends before any byte of its answer', async () => {
    const s = await serve((socket, _request, i) => {
      // The second request meets a connection the server is closing (its keep-alive timeout).
      if (i === 1) socket.destroy();
      else socket.write(ok(`{"i":${i}}`));
    });
    const pool = newPool(s.url);
    expect(await send(pool, s.url)).toMatchObject({ status: 200, body: '{"i":0}' });
    expect(await send(pool, s.url)).toMatchObject({ status: 200, body: '{"i":2}', complete: true });
    expect(pool.connectionsOpened).toBe(2);
    expect(pool.requestsSent).toBe(3);
  });

  it('sends a request that failed on a fresh connection only once more', async () => {
    const s = await serve((socket, _request, i) => {
      if (i === 0) socket.write(ok('{}'));
      else socket.destroy();
    });
    const pool = newPool(s.url);
    await send(pool, s.url);
    expect(await send(pool, s.url)).toEqual({ error: 'ECONNRESET' });
    expect(pool.requestsSent).toBe(3);
  });

  it('does not send again a request the server began answering, and ends it as cut', async () => {
    const s = await serve((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"partial"');
    });
    const pool = newPool(s.url);
    expect(await send(pool, s.url)).toMatchObject({ status: 200, complete: false, body: '{"partial"' });
    expect(s.connections()).toBe(1);
  });

  it('hands over pieces of an answer read in many reads that stay intact until its end (a reader may keep them that long)', async () => {
    const body = JSON.stringify({ items: Array.from({ length: 40_000 }, (_, i) => `item-${i}`) });
    const s = await serve((socket, _request, i) => {
      const text = ok(i === 0 ? body : '{"after":true}');
      // Written in slices with pauses, so the client reads the answer over many reads.
      let at = 0;
      const next = (): void => {
        if (at >= text.length) return;
        socket.write(text.slice(at, (at += 50_000)));
        setTimeout(next, 2);
      };
      next();
    });
    const pool = newPool(s.url);
    const kept: Buffer[] = [];
    const whole = await new Promise<string>((resolve) => {
      pool.request(s.url, 'POST', {}, '{}', {
        onResponse: (res) => res.read({ onData: (c) => kept.push(c), onEnd: () => resolve(Buffer.concat(kept).toString('utf8')) }),
        onError: (err) => resolve(String(err)),
      });
    });
    expect(kept.length).toBeGreaterThan(3);
    expect(whole).toBe(body);
    // The connection goes on to the next answer, its read buffer reused.
    expect(await send(pool, s.url)).toMatchObject({ body: '{"after":true}' });
  });

  it('opens a new connection after an answer with Connection: close, and reads answers split across writes', async () => {
    const s = await serve((socket, _request, i) => {
      const text = ok(`{"i":${i}}`, i === 0 ? 'Connection: close\r\n' : '');
      socket.write(text.slice(0, 7));
      setTimeout(() => (i === 0 ? socket.end(text.slice(7)) : socket.write(text.slice(7))), 5);
    });
    const pool = newPool(s.url);
    expect(await send(pool, s.url)).toMatchObject({ status: 200, body: '{"i":0}' });
    expect(await send(pool, s.url)).toMatchObject({ status: 200, body: '{"i":1}' });
    expect(s.connections()).toBe(2);
  });

  it('counts request bytes not yet handed to the kernel while the server stops reading (backpressure), and settles them once written', async () => {
    const paused: net.Socket[] = [];
    const server = net.createServer((socket) => {
      socket.pause();
      paused.push(socket);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/mcp`);
    const pool = newPool(url);
    const body = 'x'.repeat(4 * 1024 * 1024);
    for (let i = 0; i < 4; i++) pool.request(url, 'POST', {}, body, { onResponse() {}, onError() {} });
    // All four connections held by the server first: on a loaded machine some were still
    // connecting after two seconds (their bytes all still in the client), and a socket accepted
    // after the resume below stayed paused for good.
    for (let i = 0; i < 500 && paused.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(paused).toHaveLength(4);
    // 16 MiB cannot all fit in the socket buffers of a server that reads nothing.
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.pendingOutBytes).toBeGreaterThan(1024 * 1024);
    // Once the server reads, the writes complete and the count falls back to 0.
    for (const socket of paused) socket.resume();
    for (let i = 0; i < 500 && pool.pendingOutBytes > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pool.pendingOutBytes).toBe(0);
  });

  it('refuses header values node:http refuses (a CR LF would inject a field), through onError', async () => {
    const s = await serve((socket) => socket.write(ok('{}')));
    const pool = newPool(s.url);
    expect(await send(pool, s.url, { 'Mcp-Session-Id': 'abc\r\nX-Injected: 1' })).toEqual({ error: 'ERR_INVALID_CHAR' });
    expect(await send(pool, s.url, { 'Bad Name': 'x' })).toEqual({ error: 'ERR_INVALID_CHAR' });
    expect(s.connections()).toBe(0);
  });

  it('reports a refused connection through onError, and nothing at all for an aborted request or after destroy()', async () => {
    const s = await serve((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'));
    const closed = new URL(s.url);
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closed.port = String((probe.address() as net.AddressInfo).port);
    await new Promise((r) => probe.close(r));
    expect(await send(newPool(closed), closed)).toEqual({ error: 'ECONNREFUSED' });

    const pool = newPool(s.url);
    const events: string[] = [];
    const handle = pool.request(s.url, 'POST', {}, '{}', {
      onResponse(res) {
        res.read({ onData: (c) => { events.push(`data ${c.toString()}`); handle.abort(); }, onEnd: (complete) => events.push(`end ${complete}`) });
      },
      onError: () => events.push('error'),
    });
    const queued = newPool(s.url);
    queued.request(s.url, 'POST', {}, '{}', { onResponse: () => events.push('destroyed pool answered'), onError: () => events.push('destroyed pool error') });
    queued.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual(['data hello', 'end false']);
    expect(queued.pendingOutBytes).toBe(0);
    expect(pool.pendingOutBytes).toBe(0);
  });
});
