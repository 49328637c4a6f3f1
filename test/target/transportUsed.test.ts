/** What a result records about the transport: its kind, and how HTTP replies came (JSON, SSE, both). */
import { describe, expect, it } from 'vitest';
import { Hygiene } from '../../src/target/hygiene.js';
import { transportUsed, type Transport } from '../../src/target/transport.js';
import { serverProcessText, transportText } from '../../src/reporters/serverLines.js';

function fake(extra: Partial<Transport>): Transport {
  return { send() {}, async close() {}, hygiene: new Hygiene(), pendingOutBytes: 0, ...extra };
}

describe('transportUsed', () => {
  it('stdio has no HTTP framing', () => {
    expect(transportUsed(fake({}))).toEqual({ kind: 'stdio', responses: null });
  });

  it('says json, sse or both from the replies counted, and null before any', () => {
    const http = (json: number, sse: number) => transportUsed(fake({ wire: 'streamable-http', replyFormats: { json, sse } }));
    expect(http(0, 0)).toEqual({ kind: 'streamable-http', responses: null });
    expect(http(3, 0).responses).toBe('json');
    expect(http(0, 3).responses).toBe('sse');
    expect(http(2, 1).responses).toBe('both');
    expect(transportUsed(fake({ wire: 'sse', replyFormats: { json: 0, sse: 5 } }))).toEqual({ kind: 'sse', responses: 'sse' });
  });
});

describe('terminal phrases', () => {
  it('name the transport, and say nothing for a result written before the field existed', () => {
    expect(transportText({ kind: 'streamable-http', responses: 'both' })).toBe('Streamable HTTP (JSON and SSE responses)');
    expect(transportText({ kind: 'sse', responses: 'sse' })).toBe('legacy HTTP+SSE (2024-11-05)');
    expect(transportText({ kind: 'stdio', responses: null })).toBe('stdio');
    expect(transportText(undefined)).toBeNull();
  });

  it('name the server process and how it was found, or why there is none', () => {
    expect(serverProcessText({ pids: [42], source: 'listening-port', unavailableReason: null })).toBe("pid 42, listening on the URL's port");
    expect(serverProcessText({ pids: [7, 8], source: 'launched', unavailableReason: null })).toBe('pids 7, 8, launched by mcp-opt');
    expect(serverProcessText({ pids: [], source: null, unavailableReason: 'remote host' })).toBe('not measured: remote host');
    expect(serverProcessText(undefined)).toBeNull();
  });
});
