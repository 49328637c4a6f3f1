/** The engine's HTTP/1.1 response parser: the same responses whatever the socket's splits, chunked bodies, several responses in one read. */
import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, ResponseParser, type ResponseHead } from '../../../src/target/http/responseParser.js';

interface Seen {
  status: number;
  keepAlive: boolean;
  framing: ResponseHead['framing'];
  mediaType: string;
  body: string;
  ended: boolean;
  head: ResponseHead;
}

/** A parser recording what it reports; `bodyless` marks the next responses as answers to HEAD. */
function recorder() {
  const seen: Seen[] = [];
  const bodies: Buffer[][] = [];
  const parser = new ResponseParser({
    onHead(head) {
      seen.push({ status: head.status, keepAlive: head.keepAlive, framing: head.framing, mediaType: head.mediaType, body: '', ended: false, head });
      bodies.push([]);
    },
    onBody(chunk) {
      bodies.at(-1)!.push(Buffer.from(chunk));
    },
    onEnd() {
      const s = seen.at(-1)!;
      s.body = Buffer.concat(bodies.at(-1)!).toString('utf8');
      s.ended = true;
    },
  });
  return { parser, seen };
}

/** Feed `text` cut at the given positions. */
function feed(parser: ResponseParser, bytes: Buffer, cuts: number[]): void {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > at) parser.execute(bytes.subarray(at, cut));
    at = Math.max(at, cut);
  }
}

const JSON_BODY = '{"jsonrpc":"2.0","id":7,"result":{"text":"héllo"}}';
const json = `HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nMcp-Session-Id: abc\r\nContent-Length: ${Buffer.byteLength(JSON_BODY)}\r\n\r\n${JSON_BODY}`;
const SSE_EVENT = `event: message\ndata: ${JSON_BODY}\n\n`;
const sse = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n' +
  `5;ext=1\r\n${SSE_EVENT.slice(0, 5)}\r\n${Buffer.byteLength(SSE_EVENT.slice(5)).toString(16)}\r\n${SSE_EVENT.slice(5)}\r\n0\r\nX-Trailer: t\r\n\r\n`;

describe('ResponseParser', () => {
  it('reads a Content-Length response the same whatever splits the socket makes, a UTF-8 character split included', () => {
    const bytes = Buffer.from(json);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { parser, seen } = recorder();
      feed(parser, bytes, [cut]);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ status: 200, keepAlive: true, framing: Buffer.byteLength(JSON_BODY), mediaType: 'application/json', body: JSON_BODY, ended: true });
      expect(seen[0]!.head.header('mcp-session-id')).toBe('abc');
      expect(parser.idle).toBe(true);
    }
  });

  it('reads a chunked SSE body (chunk extensions, trailers) split at every byte, and a byte at a time', () => {
    const bytes = Buffer.from(sse);
    const splits = [...Array.from({ length: bytes.length + 1 }, (_, i) => [i]), Array.from({ length: bytes.length }, (_, i) => i)];
    for (const cuts of splits) {
      const { parser, seen } = recorder();
      feed(parser, bytes, cuts);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ status: 200, framing: 'chunked', mediaType: 'text/event-stream', body: SSE_EVENT, ended: true });
      expect(parser.idle).toBe(true);
    }
  });

  it('reads several responses arriving in one read (pipelined), interim 1xx responses skipped', () => {
    const { parser, seen } = recorder();
    const bytes = Buffer.from(`HTTP/1.1 100 Continue\r\n\r\n${json}${sse}HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n\r\n${json}`);
    feed(parser, bytes, []);
    expect(seen.map((s) => [s.status, s.body])).toEqual([[200, JSON_BODY], [200, SSE_EVENT], [202, ''], [200, JSON_BODY]]);
    expect(seen.every((s) => s.ended)).toBe(true);
  });

  it('has no body for 204, 304 and answers to HEAD, whatever the headers say', () => {
    const { parser, seen } = recorder();
    feed(parser, Buffer.from('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n'), []);
    parser.bodyless = true;
    feed(parser, Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), []);
    expect(seen.map((s) => [s.status, s.framing, s.ended])).toEqual([[204, 0, true], [304, 0, true], [200, 0, true]]);
  });

  it('reads a body without length to the end of the connection, and says when a connection ends mid-response', () => {
    const untilClose = recorder();
    feed(untilClose.parser, Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":'), []);
    feed(untilClose.parser, Buffer.from('1}'), []);
    expect(untilClose.seen[0]).toMatchObject({ keepAlive: false, framing: 'close', ended: false });
    expect(untilClose.parser.finish()).toBe('complete');
    expect(untilClose.seen[0]).toMatchObject({ body: '{"a":1}', ended: true });

    for (const partial of [json.slice(0, 20), json.slice(0, json.length - 3), sse.slice(0, sse.length - 4)]) {
      const cut = recorder();
      feed(cut.parser, Buffer.from(partial), []);
      expect(cut.parser.finish()).toBe('cut');
      expect(cut.seen.every((s) => !s.ended)).toBe(true);
    }
    const between = recorder();
    feed(between.parser, Buffer.from(json), []);
    expect(between.parser.finish()).toBe('complete');
  });

  it('follows Connection and the HTTP version for keep-alive, and LF-only line ends', () => {
    const { parser, seen } = recorder();
    feed(parser, Buffer.from('HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n'), []);
    feed(parser, Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), []);
    feed(parser, Buffer.from('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'), []);
    feed(parser, Buffer.from('HTTP/1.1 404 Not Found\nContent-Type: Text/HTML\nContent-Length: 2\n\nno'), []);
    expect(seen.map((s) => [s.status, s.keepAlive])).toEqual([[200, false], [200, false], [200, true], [404, true]]);
    expect(seen[3]).toMatchObject({ mediaType: 'text/html', body: 'no' });
    expect(seen[3]!.head.header('content-type')).toBe('Text/HTML');
    expect(seen[3]!.head.header('location')).toBeUndefined();
  });

  it('stops with an error on bytes that are not a response, a bad length or chunk size, or an oversized head', () => {
    const cases = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
      `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`,
    ];
    for (const text of cases) {
      const { parser, seen } = recorder();
      expect(parser.execute(Buffer.from(text))).toBe(false);
      expect(parser.error).toMatch(/.+/);
      expect(seen.every((s) => !s.ended)).toBe(true);
    }
  });
});
