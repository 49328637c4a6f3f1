/** The one HTTP body reader: JSON and SSE bodies into JSON-RPC messages, chunked as sockets deliver them. */
import { describe, expect, it } from 'vitest';
import { BodyReader, framingOf } from '../../../src/target/http/body.js';
import { Hygiene } from '../../../src/target/hygiene.js';
import type { JsonRpcMessage } from '../../../src/target/protocol.js';

const reader = (framing: 'json' | 'sse' | 'other', maxBytes?: number) => {
  const got: JsonRpcMessage[] = [];
  const hygiene = new Hygiene();
  return { r: new BodyReader(framing, hygiene, (m) => got.push(m), maxBytes), got, hygiene };
};

describe('framingOf', () => {
  it('sorts media types into JSON, SSE and other', () => {
    expect(framingOf('application/json')).toBe('json');
    expect(framingOf('text/event-stream')).toBe('sse');
    expect(framingOf('text/html')).toBe('other');
    expect(framingOf('')).toBe('other');
  });
});

describe('BodyReader', () => {
  it('delivers each SSE message as its event completes, across chunk splits, skipping priming and other events', () => {
    const { r, got, hygiene } = reader('sse');
    r.push(Buffer.from('id: 1\ndata:\n\nevent: ping\ndata: x\n\ndata: {"jsonrpc":"2.0","met'));
    expect(got).toHaveLength(0);
    r.push(Buffer.from('hod":"notifications/message"}\n\ndata: {"jsonrpc":"2.0","id":7,"result":{}}\r\n'));
    expect(got.map((m) => m.method ?? m.id)).toEqual(['notifications/message']);
    r.push(Buffer.from('\r\n'));
    expect(got.map((m) => m.method ?? m.id)).toEqual(['notifications/message', 7]);
    expect(r.end()).toEqual({ cutMidEvent: false, otherText: '' });
    expect(hygiene.totalViolations).toBe(0);
  });

  it('says when an SSE stream ended in the middle of an event, and drops that event', () => {
    const { r, got } = reader('sse');
    r.push('data: {"jsonrpc":"2.0","id":1,"result":{}}\n');
    expect(r.end().cutMidEvent).toBe(true);
    expect(got).toHaveLength(0);
  });

  it('decodes a JSON body at its end, counting what is not JSON-RPC', () => {
    const { r, got } = reader('json');
    r.push(Buffer.from('{"jsonrpc":"2.0",'));
    r.push(Buffer.from('"id":3,"result":{}}'));
    expect(got).toHaveLength(0);
    r.end();
    expect(got).toEqual([{ jsonrpc: '2.0', id: 3, result: {} }]);
    const bad = reader('json');
    bad.r.push('<html>oops</html>');
    bad.r.end();
    expect(bad.got).toHaveLength(0);
    expect(bad.hygiene.totalViolations).toBe(1);
  });

  it('hands back the text of a body that is neither JSON nor SSE, undecoded', () => {
    const { r, got, hygiene } = reader('other');
    r.push(Buffer.from('plain text'));
    expect(r.end()).toEqual({ cutMidEvent: false, otherText: 'plain text' });
    expect(got).toHaveLength(0);
    expect(hygiene.totalViolations).toBe(0);
  });

  it('reads a whole body at once as push then end would', () => {
    const { r, got } = reader('sse');
    expect(r.readAll('data: {"jsonrpc":"2.0","id":1,"result":{}}\n\ndata: {"jsonrpc":"2.0",')).toEqual({ cutMidEvent: true, otherText: '' });
    expect(got.map((m) => m.id)).toEqual([1]);
    const json = reader('json');
    json.r.readAll('{"jsonrpc":"2.0","id":2,"result":{}}');
    expect(json.got.map((m) => m.id)).toEqual([2]);
    expect(reader('other').r.readAll('x')).toEqual({ cutMidEvent: false, otherText: 'x' });
  });

  it('keeps no more of a JSON body than its byte cap', () => {
    const { r, got, hygiene } = reader('json', 4);
    r.push(Buffer.from('{"jsonrpc":'));
    r.push(Buffer.from('"2.0","id":1,"result":{}}'));
    r.end();
    expect(got).toHaveLength(0);
    expect(hygiene.totalViolations).toBe(1);
  });
});
