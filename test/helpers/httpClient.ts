/**
 * Talking to an HTTP MCP endpoint in tests: the SDK v1 client (the legacy era as real clients
 * speak it), and raw POSTs with an SSE reader for what the SDK hides (framing, headers, statuses).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { noLeftovers } from './cli.js';
import { startHttpProxy, type HttpProxyRun, type Msg } from './proxy.js';

/** An SDK v1 client connected (initialized) to `url`, and its transport. */
export async function sdkClient(url: string, capabilities: Record<string, unknown> = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'proxy-test', version: '1.0.0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** The text of a tools/call result. */
export function resultText(r: unknown): string {
  return ((r as { content: Array<{ text: string }> }).content[0]!).text;
}

/** POST `body` (an object or raw text) with Accept for both answer types and `headers`; `signal` aborts it. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A legacy session opened by hand: initialize (declaring `capabilities`), then notifications/initialized; its headers. */
export async function rawSession(url: string, capabilities: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const res = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'raw', version: '1' } } });
  await res.text();
  const sid = res.headers.get('mcp-session-id');
  if (res.status !== 200 || sid === null) throw new Error(`initialize answered HTTP ${res.status} without a session id`);
  const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  const ack = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  if (ack.status !== 202) throw new Error(`notifications/initialized answered HTTP ${ack.status}`);
  return headers;
}

/** The JSON-RPC messages of an SSE body, as they arrive. */
export async function* sseMessages(res: Response): AsyncGenerator<Msg> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      buffer = buffer.slice(end + 2);
      if (data !== '') yield JSON.parse(data) as Msg;
    }
  }
}

/** Every message of an SSE body, once it ended. */
export async function allSseMessages(res: Response): Promise<Msg[]> {
  const out: Msg[] = [];
  for await (const m of sseMessages(res)) out.push(m);
  return out;
}

/** The 2026-07-28 headers and `_meta` (added to params._meta) of a request `method` (Mcp-Name from params.name). */
export function modernRequest(id: number, method: string, params: Record<string, unknown> = {}): { body: Msg; headers: Record<string, string> } {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const headers: Record<string, string> = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
  if (typeof params['name'] === 'string') headers['mcp-name'] = params['name'];
  return { body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...(params['_meta'] as object | undefined), ...meta } } }, headers };
}

/**
 * One HTTP proxy per test and the SDK clients opened on it: `stop()` (in afterEach) closes the
 * clients, stops the proxy as SIGTERM would (exit 130) and checks nothing it started is left.
 */
export class HttpProxyHarness {
  /** The running proxy, if any. */
  run: HttpProxyRun | null = null;
  private readonly closers: Array<() => Promise<void>> = [];

  /** Start `mcp-opt proxy --listen … args`. */
  async start(args: string[], env: Record<string, string> = {}): Promise<HttpProxyRun> {
    this.run = await startHttpProxy(args, env);
    return this.run;
  }

  /** An SDK client of the running proxy, closed by stop(). */
  async client(capabilities: Record<string, unknown> = {}): ReturnType<typeof sdkClient> {
    const c = await sdkClient(this.run!.url, capabilities);
    this.closers.push(() => c.client.close());
    return c;
  }

  /** The running proxy, which the test now stops itself. */
  take(): HttpProxyRun {
    const r = this.run!;
    this.run = null;
    return r;
  }

  /** Close the clients, stop the proxy, check for leftovers. */
  async stop(): Promise<void> {
    for (const close of this.closers.splice(0)) await close().catch(() => {});
    if (!this.run) return;
    const r = this.take();
    expect(await r.stop(), r.stderr()).toBe(130);
    await noLeftovers(r.testId);
  }
}
