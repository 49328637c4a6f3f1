/**
 * `mcp-opt proxy --listen` compresses a large JSON answer as the client's Accept-Encoding allows
 * (src/proxy/compression.ts): a tools/list of many-tools.mjs (600 tools, ~300 KB) comes br- or
 * gzip-encoded and decodes to the JSON sent without compression; identity, no header, a small
 * answer and an event stream go as they are. One proxy for the file. Raw node:http requests, as
 * fetch would decode the body itself and send an Accept-Encoding of its own.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES } from '../../src/proxy/compression.js';
import { fixturePath } from '../helpers/fixtures.js';
import { HttpProxyHarness, modernRequest, rawSession } from '../helpers/httpClient.js';
import type { HttpProxyRun } from '../helpers/proxy.js';

const MANY_TOOLS = fixturePath('many-tools.mjs');
const TOOL_COUNT = 600;
const proxies = new HttpProxyHarness();
let run: HttpProxyRun;
let session: Record<string, string>;

beforeAll(async () => {
  run = await proxies.start(['--pool', '1', '--', process.execPath, MANY_TOOLS], { TOOL_COUNT: String(TOOL_COUNT) });
  session = await rawSession(run.url);
});
afterAll(() => proxies.stop());

/** An answer as it came off the socket: status, headers, body bytes undecoded. */
interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** POST `message` with Accept: application/json and `headers`, through node:http (no Accept-Encoding of its own). */
function rawPost(message: unknown, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(run.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(message));
  });
}

const toolsList = (id: number): unknown => ({ jsonrpc: '2.0', id, method: 'tools/list' });

/** The result of a tools/list answer (the id aside, equal for every coding). */
const resultOf = (text: string): unknown => (JSON.parse(text) as { result: unknown }).result;

describe('mcp-opt proxy --listen: response compression', () => {
  it('answers a large tools/list br- or gzip-encoded as Accept-Encoding prefers; it decodes to the uncompressed JSON', async () => {
    const plain = await rawPost(toolsList(1), session);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(200_000);
    const expected = resultOf(plain.body.toString('utf8'));
    expect((expected as { tools: unknown[] }).tools).toHaveLength(TOOL_COUNT);

    const br = await rawPost(toolsList(2), { ...session, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-type']).toBe('application/json');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-length']).toBe(String(br.body.length));
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 10);
    expect(resultOf(brotliDecompressSync(br.body).toString('utf8'))).toEqual(expected);

    const gzip = await rawPost(toolsList(3), { ...session, 'accept-encoding': 'br;q=0.5, GZIP' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['content-length']).toBe(String(gzip.body.length));
    expect(gzip.headers['vary']).toMatch(/accept-encoding/i);
    expect(resultOf(gunzipSync(gzip.body).toString('utf8'))).toEqual(expected);
  });

  it('keeps Vary: Origin beside Vary: Accept-Encoding for a CORS request', async () => {
    const res = await rawPost(toolsList(4), { ...session, origin: 'http://localhost:5173', 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']!.toString().toLowerCase().split(/\s*,\s*/).sort()).toEqual(['accept-encoding', 'origin']);
  });

  it('answers the 2026-07-28 era compressed too', async () => {
    const m = modernRequest(5, 'tools/list');
    const res = await rawPost(m.body, { ...m.headers, 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect((resultOf(gunzipSync(res.body).toString('utf8')) as { tools: unknown[] }).tools).toHaveLength(TOOL_COUNT);
  });

  it('sends a large answer as it is for identity, a refused coding or no Accept-Encoding', async () => {
    for (const acceptEncoding of ['identity', 'br;q=0, gzip;q=0', undefined]) {
      const res = await rawPost(toolsList(6), { ...session, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) });
      expect(res.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect((resultOf(res.body.toString('utf8')) as { tools: unknown[] }).tools).toHaveLength(TOOL_COUNT);
    }
  });

  it('sends a small answer (initialize, ping) as it is, with no Vary: Accept-Encoding', async () => {
    const init = await rawPost({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }, { 'accept-encoding': 'br, gzip' });
    const ping = await rawPost({ jsonrpc: '2.0', id: 7, method: 'ping' }, { ...session, 'accept-encoding': 'br, gzip' });
    for (const res of [init, ping]) {
      expect(res.status).toBe(200);
      expect(res.body.length).toBeLessThan(COMPRESS_MIN_BYTES);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['vary'] ?? '').not.toMatch(/accept-encoding/i);
    }
    expect(JSON.parse(ping.body.toString('utf8'))).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });

  it('never compresses an event stream', async () => {
    const res = await rawPost({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: { progressToken: 'p' } } }, { ...session, accept: 'application/json, text/event-stream', 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toContain('"tool_0599"');
  });
});
