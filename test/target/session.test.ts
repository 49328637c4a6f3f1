import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Hygiene } from '../../src/target/hygiene.js';
import type { JsonRpcMessage } from '../../src/target/protocol.js';
import { Session, type Reply } from '../../src/target/session.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../../src/target/transport.js';

/** An in-memory wire: records what the session sends; the test plays the server. */
class MemoryTransport implements Transport {
  readonly hygiene = new Hygiene();
  readonly pendingOutBytes = 0;
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  onclose?: (info: CloseInfo) => void;
  /** Every message sent, raw and parsed. */
  readonly sent: Array<{ json: string; info: OutgoingInfo; msg: JsonRpcMessage & Record<string, unknown> }> = [];
  closeCalls = 0;

  send(json: string, info: OutgoingInfo): void {
    this.sent.push({ json, info, msg: JSON.parse(json) as JsonRpcMessage & Record<string, unknown> });
  }
  async close(): Promise<void> {
    this.closeCalls++;
    this.onclose?.({ reason: 'closed by the test' });
  }
  /** Deliver a message from the "server". */
  reply(message: Record<string, unknown>, at = performance.now()): void {
    this.onmessage!({ jsonrpc: '2.0', ...message } as JsonRpcMessage, at);
  }
  /** Messages sent with this method. */
  method(name: string): Array<JsonRpcMessage & Record<string, unknown>> {
    return this.sent.map((s) => s.msg).filter((m) => m.method === name);
  }
}

let t: MemoryTransport;
let s: Session;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
  t = new MemoryTransport();
  s = new Session(t, { timeoutMs: 1000 });
});
afterEach(async () => {
  await s.close();
  vi.useRealTimers();
});

describe('Session: requests and replies', () => {
  it('issues increasing numeric ids and valid JSON-RPC requests', () => {
    void s.request('ping');
    void s.request('tools/list', { cursor: 'c1' });
    void s.request('tools/call', { name: 'echo', arguments: { m: 'é' } });
    expect(t.sent.map((x) => x.msg)).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { cursor: 'c1' } },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { m: 'é' } } },
    ]);
    expect(t.sent.map((x) => x.info)).toEqual([
      { method: 'ping', id: 1 },
      { method: 'tools/list', id: 2 },
      { method: 'tools/call', id: 3, name: 'echo' },
    ]);
    expect(s.inflight).toBe(3);
  });

  it('resolves with "result" or "error", timing the reply by its arrival time', async () => {
    const ok = s.request('tools/list');
    const bad = s.request('tools/call', { name: 'x' });
    const sentAt = performance.now();
    t.reply({ id: 1, result: { tools: [] } }, sentAt + 3);
    t.reply({ id: 2, error: { code: -32602, message: 'bad params' } }, sentAt + 5);
    const a = await ok;
    const b = await bad;
    expect(a).toMatchObject({ id: 1, method: 'tools/list', outcome: 'result', result: { tools: [] }, error: undefined });
    expect(a.doneAt - a.sentAt).toBe(3);
    expect(b).toMatchObject({ id: 2, outcome: 'error', result: undefined, error: { code: -32602, message: 'bad params' } });
    expect(s.inflight).toBe(0);
  });

  it('matches replies that arrive out of order by id', async () => {
    const replies = [s.request('a'), s.request('b'), s.request('c')];
    t.reply({ id: 3, result: 'third' });
    t.reply({ id: 1, result: 'first' });
    t.reply({ id: 2, result: 'second' });
    expect((await Promise.all(replies)).map((r) => [r.method, r.result])).toEqual([['a', 'first'], ['b', 'second'], ['c', 'third']]);
  });

  it('send() runs its callback exactly once', () => {
    const seen: Reply[] = [];
    const id = s.send('ping', undefined, (r) => seen.push({ ...r }));
    t.reply({ id, result: {} });
    t.reply({ id, result: {} });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.outcome).toBe('result');
  });

  it('counts error codes of every reply', async () => {
    const rs = [s.request('a'), s.request('b'), s.request('c'), s.request('d')];
    t.reply({ id: 1, error: { code: -32601, message: 'nope' } });
    t.reply({ id: 2, error: { code: -32601, message: 'nope' } });
    t.reply({ id: 3, error: { code: -32602, message: 'bad' } });
    t.reply({ id: 4, result: {} });
    await Promise.all(rs);
    expect(s.errorCodes).toEqual({ '-32601': 2, '-32602': 1 });
  });
});

describe('Session: the _meta envelope', () => {
  const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'mcp-opt', version: '0' } };

  it('merges the envelope into params, with and without params, as valid JSON', () => {
    s.setEnvelope(envelope);
    void s.request('tools/list');
    void s.request('ping', {});
    void s.request('tools/call', { name: 'echo', arguments: { a: [1, { b: '"}' }] } });
    s.send('tools/list', '{"cursor":"x"}', () => {});
    expect(t.sent.map((x) => x.msg.params)).toEqual([
      { _meta: envelope },
      { _meta: envelope },
      { _meta: envelope, name: 'echo', arguments: { a: [1, { b: '"}' }] } },
      { _meta: envelope, cursor: 'x' },
    ]);
  });

  it('accepts the envelope at construction and can clear it', () => {
    const t2 = new MemoryTransport();
    const s2 = new Session(t2, { timeoutMs: 1000, envelope });
    void s2.request('ping');
    s2.setEnvelope(undefined);
    void s2.request('ping');
    expect(t2.sent.map((x) => x.msg.params)).toEqual([{ _meta: envelope }, undefined]);
    void s2.close();
  });
});

describe('Session: timeouts and cancellation', () => {
  it('ends a request with "timeout" no earlier than its timeout', async () => {
    const p = s.request('tools/call', { name: 'slow' }, 100);
    vi.advanceTimersByTime(99);
    expect(s.inflight).toBe(1);
    vi.advanceTimersByTime(50);
    const r = await p;
    expect(r.outcome).toBe('timeout');
    expect(r.doneAt - r.sentAt).toBeGreaterThanOrEqual(100);
    expect(s.inflight).toBe(0);
  });

  it('uses the session timeout by default', async () => {
    const p = s.request('ping');
    vi.advanceTimersByTime(990);
    expect(s.inflight).toBe(1);
    vi.advanceTimersByTime(40);
    expect((await p).outcome).toBe('timeout');
  });

  it('does not tell the server about a timeout unless cancelOnTimeout is set', async () => {
    const p = s.request('ping', undefined, 50);
    vi.advanceTimersByTime(100);
    await p;
    expect(t.method('notifications/cancelled')).toEqual([]);
  });

  it('sends notifications/cancelled on timeout when cancelOnTimeout is set, never for initialize', async () => {
    const t2 = new MemoryTransport();
    const s2 = new Session(t2, { timeoutMs: 50, cancelOnTimeout: true });
    const init = s2.request('initialize', {});
    const call = s2.request('tools/call', { name: 'slow' });
    vi.advanceTimersByTime(100);
    expect((await init).outcome).toBe('timeout');
    expect((await call).outcome).toBe('timeout');
    expect(t2.method('notifications/cancelled')).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'timeout' } },
    ]);
    await s2.close();
  });

  it('counts a reply after a timeout as a late response, not a violation', async () => {
    const p = s.request('ping', undefined, 50);
    vi.advanceTimersByTime(100);
    await p;
    t.reply({ id: 1, result: {} });
    expect(t.hygiene.lateResponses).toBe(1);
    expect(t.hygiene.totalViolations).toBe(0);
  });

  it('cancel() ends the request with "cancelled", tells the server, and a later reply is late', async () => {
    const p = s.request('tools/call', { name: 'x' });
    s.cancel(1, 'user gave up');
    const r = await p;
    expect(r.outcome).toBe('cancelled');
    expect(t.method('notifications/cancelled')).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'user gave up' } },
    ]);
    t.reply({ id: 1, result: {} });
    expect(t.hygiene.lateResponses).toBe(1);
    expect(s.inflight).toBe(0);
  });

  it('cancel() of initialize sends nothing on the wire; cancel() of an unknown id does nothing', async () => {
    const p = s.request('initialize', {});
    s.cancel(1);
    expect((await p).outcome).toBe('cancelled');
    s.cancel(42);
    expect(t.method('notifications/cancelled')).toEqual([]);
  });
});

describe('Session: unexpected replies', () => {
  it('counts a reply to an id never sent as "unknown-id"', () => {
    void s.request('ping');
    t.reply({ id: 99, result: {} });
    t.reply({ id: 'abc', result: {} });
    t.reply({ id: null, error: { code: -32700, message: 'parse error' } });
    expect(t.hygiene.counts['unknown-id']).toBe(3);
    expect(t.hygiene.excerpts['unknown-id']).toEqual(['id 99', 'id "abc"', 'id null']);
    expect(s.inflight).toBe(1);
  });

  it('counts a second reply to an answered id as "duplicate-response"', async () => {
    const p = s.request('ping');
    t.reply({ id: 1, result: {} });
    t.reply({ id: 1, result: {} });
    expect((await p).outcome).toBe('result');
    expect(t.hygiene.counts['duplicate-response']).toBe(1);
    expect(t.hygiene.counts['unknown-id']).toBeUndefined();
  });
});

describe('Session: messages from the server', () => {
  it('answers a server request it does not support with -32601 and the same id', () => {
    t.reply({ id: 'srv-1', method: 'sampling/createMessage', params: {} });
    t.reply({ id: 5, method: 'roots/list' });
    expect(t.sent.map((x) => x.msg)).toEqual([
      { jsonrpc: '2.0', id: 'srv-1', error: { code: -32601, message: 'mcp-opt does not support sampling/createMessage' } },
      { jsonrpc: '2.0', id: 5, error: { code: -32601, message: 'mcp-opt does not support roots/list' } },
    ]);
    expect(t.hygiene.serverRequests).toEqual({ 'sampling/createMessage': 1, 'roots/list': 1 });
  });

  it('keeps the error reply valid JSON when the method holds quotes or backslashes', () => {
    t.reply({ id: 1, method: 'evil"\\method' });
    expect(t.sent[0]!.msg).toMatchObject({ id: 1, error: { code: -32601 } });
  });

  it('answers a server ping with an empty result', () => {
    t.reply({ id: 7, method: 'ping' });
    expect(t.sent.map((x) => x.msg)).toEqual([{ jsonrpc: '2.0', id: 7, result: {} }]);
    expect(t.hygiene.serverRequests).toEqual({ ping: 1 });
  });

  it('counts notifications by method and does not answer them', () => {
    t.reply({ method: 'notifications/message', params: { level: 'info' } });
    t.reply({ method: 'notifications/message', params: { level: 'info' } });
    t.reply({ method: 'notifications/tools/list_changed', id: null });
    expect(t.hygiene.notifications).toEqual({ 'notifications/message': 2, 'notifications/tools/list_changed': 1 });
    expect(t.sent).toEqual([]);
  });

  it('notify() sends a notification with and without params', () => {
    s.notify('notifications/initialized');
    s.notify('notifications/roots/list_changed', { x: 1 });
    expect(t.sent.map((x) => x.msg)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed', params: { x: 1 } },
    ]);
  });
});

describe('Session: closing', () => {
  it('ends pending requests with "closed" when the transport closes, and tells close listeners', async () => {
    const closes: CloseInfo[] = [];
    s.onClose((info) => closes.push(info));
    const a = s.request('ping');
    const b = s.request('tools/list');
    t.onclose!({ reason: 'the server process exited', exit: { code: 1, signal: null } });
    expect((await a).outcome).toBe('closed');
    expect((await b).outcome).toBe('closed');
    expect(closes).toEqual([{ reason: 'the server process exited', exit: { code: 1, signal: null } }]);
    expect(s.closeInfo?.reason).toBe('the server process exited');
    expect(s.inflight).toBe(0);
  });

  it('ends later requests with "closed" at once, without sending them', async () => {
    await s.close();
    const before = t.sent.length;
    const r = await s.request('ping');
    expect(r.outcome).toBe('closed');
    expect(r.doneAt).toBe(r.sentAt);
    s.notify('notifications/initialized');
    expect(t.sent.length).toBe(before);
  });

  it('close() closes the transport and ends in-flight requests', async () => {
    const p = s.request('ping');
    await s.close();
    expect(t.closeCalls).toBe(1);
    expect((await p).outcome).toBe('closed');
  });

  it('onClose after closing runs at once', async () => {
    await s.close();
    const seen: string[] = [];
    s.onClose((info) => seen.push(info.reason));
    expect(seen).toEqual(['closed by the test']);
  });

  it('stops the timeout sweep when closed', async () => {
    void s.request('ping');
    expect(vi.getTimerCount()).toBe(1);
    await s.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
