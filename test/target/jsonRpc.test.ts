/** JSON-RPC serialisation by concatenation: what it writes parses back to the message meant. */
import { describe, expect, it } from 'vitest';
import { encodeError, encodeNotification, encodeRequest, encodeResult } from '../../src/target/jsonRpc.js';

describe('encodeRequest', () => {
  it('writes a request, merging the 2026-07-28 envelope into params first', () => {
    expect(encodeRequest(3, '"ping"', undefined, undefined)).toBe('{"jsonrpc":"2.0","id":3,"method":"ping"}');
    expect(JSON.parse(encodeRequest(3, '"tools/list"', undefined, '{"v":1}'))).toEqual({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: { v: 1 } } });
    expect(JSON.parse(encodeRequest(3, '"tools/list"', '{}', '{"v":1}')).params).toEqual({ _meta: { v: 1 } });
    expect(JSON.parse(encodeRequest(3, '"tools/call"', '{"name":"a"}', '{"v":1}')).params).toEqual({ _meta: { v: 1 }, name: 'a' });
    expect(JSON.parse(encodeRequest(4, '"tools/call"', '{"name":"a"}', undefined))).toEqual({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'a' } });
  });
});

describe('encodeNotification', () => {
  it('writes a notification without an id, with or without params', () => {
    expect(encodeNotification('notifications/initialized')).toBe('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    expect(JSON.parse(encodeNotification('notifications/cancelled', { requestId: 5, reason: 'timeout' })))
      .toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5, reason: 'timeout' } });
  });
});

describe('encodeResult and encodeError', () => {
  it('answer a server request under its own id, whatever its type', () => {
    expect(JSON.parse(encodeResult('a"1', '{}'))).toEqual({ jsonrpc: '2.0', id: 'a"1', result: {} });
    expect(JSON.parse(encodeError(9, -32601, 'mcp-opt does not support sampling/createMessage')))
      .toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32601, message: 'mcp-opt does not support sampling/createMessage' } });
  });
});
