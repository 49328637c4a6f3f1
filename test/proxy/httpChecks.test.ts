/**
 * The HTTP front's checks, as pure functions: Origin, protocol versions, batches, the 2026-07-28
 * header/body validation (basic/transports/streamable-http, "Server Validation") and the HTTP
 * status of a modern error answer.
 */
import { describe, expect, it } from 'vitest';
import {
  batchAllowed, checkModernRequest, isModernPost, modernErrorStatus, originAllowed, refusalBody, unsupportedVersion,
} from '../../src/proxy/httpChecks.js';
import { decodeHeaderValue, encodeHeaderValue } from '../../src/target/http/wire.js';
import type { JsonRpcMessage } from '../../src/target/protocol.js';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
const callEcho: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', _meta: META } };
const good = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };

describe('originAllowed', () => {
  const allowed = new Set(['https://app.example.com']);
  it('lets requests without Origin, from loopback origins and from listed ones through; refuses the rest', () => {
    expect(originAllowed(undefined, allowed)).toBe(true);
    for (const o of ['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080', 'https://app.example.com']) expect(originAllowed(o, allowed), o).toBe(true);
    for (const o of ['https://evil.example', 'https://app.example.com:8443', 'null', 'file://', 'http://127.0.0.1.evil.example']) expect(originAllowed(o, allowed), o).toBe(false);
  });
});

describe('protocol versions and batches', () => {
  it('takes a legacy version it knows or none; refuses an unknown one with 400', () => {
    expect(unsupportedVersion(undefined)).toBeNull();
    expect(unsupportedVersion('2025-06-18')).toBeNull();
    expect(unsupportedVersion('1999-01-01')).toMatchObject({ status: 400, code: -32600 });
  });
  it('allows batches only up to 2025-03-26', () => {
    expect(batchAllowed('2025-03-26')).toBe(true);
    expect(batchAllowed('2025-06-18')).toBe(false);
    expect(batchAllowed('2026-07-28')).toBe(false);
  });
  it('tells a 2026-07-28 POST by its header or its _meta', () => {
    expect(isModernPost('2026-07-28', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe(true);
    expect(isModernPost(undefined, callEcho)).toBe(true);
    expect(isModernPost('2025-11-25', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe(false);
  });
});

describe('checkModernRequest', () => {
  it('accepts headers that match the body, Mcp-Name Base64-wrapped or not', () => {
    expect(checkModernRequest(good, callEcho)).toBeNull();
    expect(checkModernRequest({ ...good, 'mcp-name': encodeHeaderValue('=?base64?x?=') }, { ...callEcho, params: { name: '=?base64?x?=', _meta: META } })).toBeNull();
    const read: JsonRpcMessage = { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///a b', _meta: META } };
    expect(checkModernRequest({ ...good, 'mcp-method': 'resources/read', 'mcp-name': encodeHeaderValue('file:///a b') }, read)).toBeNull();
  });
  it('refuses (400, -32020) a missing or different version, method or name', () => {
    for (const h of [
      { 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
      { ...good, 'mcp-protocol-version': '2025-11-25' },
      { ...good, 'mcp-method': undefined },
      { ...good, 'mcp-method': 'tools/list' },
      { ...good, 'mcp-name': undefined },
      { ...good, 'mcp-name': 'add' },
      { ...good, 'mcp-name': '=?base64?***?=' },
    ]) {
      expect(checkModernRequest(h, callEcho), JSON.stringify(h)).toMatchObject({ status: 400, code: -32020 });
    }
  });
  it('refuses a version it does not serve with -32022, listing the ones it does', () => {
    const future = { ...callEcho, params: { name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } };
    expect(checkModernRequest({ ...good, 'mcp-protocol-version': '2099-01-01' }, future)).toMatchObject({
      status: 400, code: -32022, data: { supported: expect.arrayContaining(['2026-07-28', '2025-11-25']), requested: '2099-01-01' },
    });
  });
});

describe('answers', () => {
  it('maps 2026-07-28 error codes to HTTP statuses', () => {
    expect(modernErrorStatus(-32601)).toBe(404);
    expect(modernErrorStatus(-32022)).toBe(400);
    expect(modernErrorStatus(-32020)).toBe(400);
    expect(modernErrorStatus(-32602)).toBe(200);
  });
  it('writes a refusal as a JSON-RPC error, id null when unknown', () => {
    expect(JSON.parse(refusalBody({ status: 403, code: -32600, message: 'no', data: { a: 1 } }, undefined))).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'no', data: { a: 1 } } });
  });
  it('decodes what encodeHeaderValue wrote', () => {
    for (const v of ['plain', 'Hello, 世界', ' padded ', 'line1\nline2', '=?base64?literal?=']) expect(decodeHeaderValue(encodeHeaderValue(v))).toBe(v);
  });
});
