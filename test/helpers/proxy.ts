/**
 * Drive `mcp-opt proxy` as an MCP client would: a JSON-RPC client over the proxy's stdio front,
 * in-process (main() with a stdin stream, so coverage counts) or spawned (signals, SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { expect } from 'vitest';
import { CLI_BIN, killTestProcesses, noLeftovers } from './cli.js';
import { repoRoot } from './fixtures.js';

/** One JSON-RPC message as the tests see it. */
export interface Msg {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** A minimal MCP client over a line-delimited stream: requests by id, notifications kept, server requests answered. */
export class RpcClient {
  /** Notifications received, in order. */
  readonly notifications: Msg[] = [];
  /** Requests the server side sent, in order. */
  readonly serverRequests: Msg[] = [];
  /** Answer for a server's request (default: an error). */
  onRequest: (m: Msg) => { result?: unknown; error?: { code: number; message: string } } = () => ({ error: { code: -32601, message: 'not supported by the test client' } });
  private buffer = '';
  private nextId = 1;
  private readonly waiting = new Map<string, (m: Msg) => void>();
  /** Responses that arrived for no request (a proxy bug). */
  readonly strays: Msg[] = [];

  constructor(private readonly write: (line: string) => void) {}

  /** Feed output of the proxy. */
  feed(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() !== '') this.dispatch(JSON.parse(line) as Msg);
    }
  }

  /** Send a request and wait for its answer (the whole message). `id` defaults to the next number. */
  request(method: string, params?: Record<string, unknown>, id: string | number = this.nextId++): Promise<Msg> {
    const key = JSON.stringify(id);
    if (this.waiting.has(key)) throw new Error(`test client: id ${key} already waiting`);
    const answer = new Promise<Msg>((resolve) => this.waiting.set(key, resolve));
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return answer;
  }

  /** A tools/call; resolves with the whole answer. */
  call(name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>, id?: string | number): Promise<Msg> {
    return this.request('tools/call', { name, arguments: args, ...(meta ? { _meta: meta } : {}) }, id);
  }

  /** The text of a tools/call result (throws on an error answer). */
  static text(m: Msg): string {
    if (m.error) throw new Error(`error answer: ${m.error.code} ${m.error.message}`);
    return ((m.result!['content'] as Array<{ text: string }>)[0]!).text;
  }

  /** Send a notification. */
  notify(method: string, params?: Record<string, unknown>): void {
    this.send({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** The legacy handshake. */
  async initialize(): Promise<Msg> {
    const r = await this.request('initialize', { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'test', version: '1' } });
    this.notify('notifications/initialized');
    return r;
  }

  /** Requests sent and not answered. */
  get pending(): number {
    return this.waiting.size;
  }

  private send(m: Msg): void {
    this.write(`${JSON.stringify(m)}\n`);
  }

  private dispatch(m: Msg): void {
    if (m.method !== undefined && m.id !== undefined) {
      this.serverRequests.push(m);
      const a = this.onRequest(m);
      return this.send({ jsonrpc: '2.0', id: m.id, ...(a.error ? { error: a.error } : { result: a.result as Record<string, unknown> }) });
    }
    if (m.method !== undefined) return void this.notifications.push(m);
    const key = JSON.stringify(m.id);
    const w = this.waiting.get(key);
    if (!w) return void this.strays.push(m);
    this.waiting.delete(key);
    w(m);
  }
}

/** What every proxy under test has. */
interface ProxyProcess {
  /** What the proxy wrote on stderr so far. */
  stderr(): string;
  /** Its MCPOPT_TEST_ID (every server it starts carries it). */
  testId: string;
  /** Resolves with the exit code when the proxy exits. */
  exited: Promise<number | null>;
}

/** A proxy under test (stdio front). */
export interface ProxyRun extends ProxyProcess {
  client: RpcClient;
  /** Close the client's side (stdin EOF) and wait for the exit code. */
  end(): Promise<number | null>;
  /** The spawned CLI (spawned runs only). */
  child?: ChildProcess;
}

/** Wait until the proxy has logged `pattern` (e.g. its instances are ready). */
export async function logged(run: { stderr(): string }, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const m = pattern.exec(run.stderr());
    if (m) return m[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the proxy did not log ${pattern} within ${timeoutMs} ms; its stderr:\n${run.stderr()}`);
}

/** `mcp-opt proxy …args` in this process (main with a stdin stream); resolves once it serves. */
export async function startProxy(args: string[], env: Record<string, string> = {}): Promise<ProxyRun> {
  const testId = randomUUID();
  const stdin = new PassThrough();
  let err = '';
  const client = new RpcClient((line) => stdin.write(line));
  const stdout = new Writable({ write(chunk, _enc, done) { client.feed(String(chunk)); done(); } });
  const stderr = new Writable({ write(chunk, _enc, done) { err += String(chunk); done(); } });
  const io = { stdout, stderr, stdin, env: { ...process.env, ...env, MCPOPT_TEST_ID: testId }, cwd: repoRoot };
  const exited = main([process.execPath, CLI_BIN, 'proxy', ...args], io).catch((e: unknown) => {
    killTestProcesses(testId);
    throw e;
  });
  const run: ProxyRun = { client, testId, stderr: () => err, exited, end: async () => { stdin.end(); return exited; } };
  await Promise.race([logged(run, /serving on stdio|mcp-opt: /), exited]);
  return run;
}

/** `mcp-opt proxy …args` as a child process; resolves once it serves. */
export async function spawnProxy(args: string[], env: Record<string, string> = {}): Promise<ProxyRun & { child: ChildProcess }> {
  const testId = randomUUID();
  const child = spawn(process.execPath, [CLI_BIN, 'proxy', ...args], {
    cwd: repoRoot, env: { ...process.env, ...env, MCPOPT_TEST_ID: testId }, stdio: ['pipe', 'pipe', 'pipe'], shell: false,
  });
  let err = '';
  const client = new RpcClient((line) => child.stdin!.write(line));
  child.stdout!.setEncoding('utf8').on('data', (s: string) => client.feed(s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const run = { client, testId, child, stderr: () => err, exited, end: async () => { child.stdin!.end(); return exited; } };
  await Promise.race([logged(run, /serving on stdio/), exited]);
  return run;
}

/** A proxy serving Streamable HTTP (--listen), in this process. */
export interface HttpProxyRun extends ProxyProcess {
  /** The MCP endpoint it logged (the port the OS gave). */
  url: string;
  /** Stop it as SIGTERM would (drain) and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** `mcp-opt proxy --listen http://127.0.0.1:0/mcp …args` in this process; resolves once it serves, with its URL. */
export async function startHttpProxy(args: string[], env: Record<string, string> = {}): Promise<HttpProxyRun> {
  const testId = randomUUID();
  const stop = new AbortController();
  let err = '';
  const stdout = new Writable({ write(_chunk, _enc, done) { done(); } });
  const stderr = new Writable({ write(chunk, _enc, done) { err += String(chunk); done(); } });
  const io = { stdout, stderr, stdin: new PassThrough(), signal: stop.signal, env: { ...process.env, ...env, MCPOPT_TEST_ID: testId }, cwd: repoRoot };
  const exited = main([process.execPath, CLI_BIN, 'proxy', '--listen', 'http://127.0.0.1:0/mcp', ...args], io).catch((e: unknown) => {
    killTestProcesses(testId);
    throw e;
  });
  await Promise.race([logged({ stderr: () => err }, /serving Streamable HTTP at |mcp-opt: /), exited]);
  const url = /serving Streamable HTTP at (\S+)/.exec(err)?.[1];
  if (url === undefined) throw new Error(`the proxy did not start serving HTTP; its stderr:\n${err}`);
  return { url, testId, stderr: () => err, exited, stop: async () => { stop.abort(); return exited; } };
}

/** One in-process stdio proxy at a time: `stop()` (in afterEach, or mid-test) closes its input, expects exit 0 and nothing left running. */
export class StdioProxies {
  private current: ProxyRun | null = null;

  /** Start `mcp-opt proxy …args` in this process. */
  async start(args: string[], env: Record<string, string> = {}): Promise<ProxyRun> {
    this.current = await startProxy(args, env);
    return this.current;
  }

  /** End the running proxy, if any, and check it left nothing behind. */
  async stop(): Promise<void> {
    const r = this.current;
    this.current = null;
    if (!r) return;
    expect(await r.end(), r.stderr()).toBe(0);
    await noLeftovers(r.testId);
  }
}
