/** Reading JSON-RPC replies out of complete HTTP answers (the autocannon path). */
import { describe, expect, it } from 'vitest';
import { contentTypeOf, replyFor, responsesIn, type HttpAnswer } from '../../../src/target/http/answer.js';
import { failureClass } from '../../../src/runners/bench/recording.js';
import { Hygiene } from '../../../src/target/hygiene.js';
import type { JsonRpcMessage } from '../../../src/target/protocol.js';
import type { Reply } from '../../../src/target/session.js';

const read = (a: HttpAnswer, id = 7, session = true): { m: JsonRpcMessage; hygiene: Hygiene } => {
  const hygiene = new Hygiene();
  return { m: replyFor(id, 'tools/call', a, responsesIn(a, hygiene), session), hygiene };
};
const cls = (m: JsonRpcMessage): string | null =>
  failureClass({ id: 7, method: 'tools/call', sentAt: 0, doneAt: 1, outcome: m.error ? 'error' : 'result', result: m.result, error: m.error } as Reply);

describe('replyFor', () => {
  it('finds the reply in an SSE stream past priming events, comments and notifications', () => {
    const body = 'id: 1\ndata:\n\n: keep-alive\n\n' +
      'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\n' +
      'data: {"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"ok"}]}}\r\n\r\n';
    const { m, hygiene } = read({ status: 200, contentType: 'text/event-stream', body });
    expect(m).toEqual({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'ok' }] } });
    expect(cls(m)).toBeNull();
    expect(hygiene.totalViolations).toBe(0);
  });

  it('reads JSON bodies, and classes isError and JSON-RPC errors as the engine does', () => {
    expect(cls(read({ status: 200, contentType: 'application/json', body: '{"jsonrpc":"2.0","id":7,"result":{"isError":true}}' }).m)).toBe('isError');
    expect(cls(read({ status: 200, contentType: 'application/json', body: '{"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"bad"}}' }).m)).toBe('jsonrpc:-32603');
    // Invalid params on a tools/call: the arguments were rejected (replyClass.ts).
    expect(cls(read({ status: 200, contentType: 'application/json', body: '{"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"bad"}}' }).m)).toBe('argument-rejected');
  });

  it('turns answers without the reply into errors: a cut SSE stream is closed, other answers http:<status>', () => {
    expect(read({ status: 200, contentType: 'text/event-stream', body: ': nothing\n\n' }).m.error?.message).toMatch(/SSE stream closed before the reply/);
    expect(cls(read({ status: 200, contentType: 'text/event-stream', body: '' }).m)).toBe('closed');
    expect(cls(read({ status: 200, contentType: 'application/json', body: '' }).m)).toBe('http:200');
    expect(cls(read({ status: 202, contentType: '', body: '' }).m)).toBe('http:202');
    expect(cls(read({ status: 500, contentType: 'text/plain', body: 'boom' }).m)).toBe('http:500');
  });

  it('keeps the server\'s own error from a non-2xx body for this id (2026-07-28: unknown method is 404 + -32601)', () => {
    const m = read({ status: 404, contentType: 'application/json', body: '{"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"nope"}}' }, 7, false).m;
    expect(m.error).toEqual({ code: -32601, message: 'nope' });
  });

  it('marks a 404 on a request that carried a session id as an expired session', () => {
    const body = '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}';
    expect(read({ status: 404, contentType: 'application/json', body }).m.error?.data).toMatchObject({ sessionExpired: true, httpStatus: 404 });
    expect(read({ status: 404, contentType: 'application/json', body }, 7, false).m.error?.data).not.toHaveProperty('sessionExpired');
  });
});

describe('contentTypeOf', () => {
  it('finds the header whatever its case, without parameters', () => {
    expect(contentTypeOf({ 'Content-Type': 'Text/Event-Stream; charset=utf-8' })).toBe('text/event-stream');
    expect(contentTypeOf({ 'content-type': ['application/json'] })).toBe('application/json');
    expect(contentTypeOf({})).toBe('');
  });
});
