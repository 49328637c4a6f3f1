import { describe, expect, it } from 'vitest';
import { Hygiene } from '../../src/target/hygiene.js';
import type { JsonRpcMessage } from '../../src/target/protocol.js';
import { StdioDecoder } from '../../src/target/stdioDecoder.js';

/** A decoder with its hygiene counters and everything it delivered. */
function decoder(maxMessageBytes?: number): { d: StdioDecoder; h: Hygiene; got: JsonRpcMessage[] } {
  const h = new Hygiene();
  const got: JsonRpcMessage[] = [];
  const d = maxMessageBytes === undefined ? new StdioDecoder(h, (m) => got.push(m)) : new StdioDecoder(h, (m) => got.push(m), maxMessageBytes);
  return { d, h, got };
}

const msg = (id: number, extra: Record<string, unknown> = {}): JsonRpcMessage => ({ jsonrpc: '2.0', id, result: { n: id, ...extra } });
const line = (m: unknown): string => `${JSON.stringify(m)}\n`;
const feed = (d: StdioDecoder, ...chunks: Array<string | Buffer>): void => {
  for (const c of chunks) d.push(typeof c === 'string' ? Buffer.from(c) : c);
};

describe('StdioDecoder', () => {
  const unicode = msg(1, { text: 'café 😀 naïve' });
  const bytes = Buffer.from(line(unicode));

  it('decodes a message split in two at every byte position, including inside multi-byte characters', () => {
    // "é" is 2 bytes and "😀" 4 bytes in UTF-8: some cuts fall inside them.
    expect(bytes.length).toBeGreaterThan(line(unicode).length);
    for (let i = 0; i <= bytes.length; i++) {
      const { d, h, got } = decoder();
      feed(d, bytes.subarray(0, i), bytes.subarray(i));
      expect(got, `cut at ${i}`).toEqual([unicode]);
      expect(h.totalViolations).toBe(0);
      expect(h.messagesIn).toBe(1);
    }
  });

  it('decodes a message split in three at every pair of positions', () => {
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { d, got } = decoder();
        feed(d, bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j));
        expect(got, `cuts at ${i}, ${j}`).toEqual([unicode]);
      }
    }
  });

  it('decodes messages fed one byte at a time', () => {
    const { d, h, got } = decoder();
    const all = Buffer.from(line(msg(1)) + line(unicode) + line(msg(3)));
    for (let i = 0; i < all.length; i++) d.push(all.subarray(i, i + 1));
    expect(got).toEqual([msg(1), unicode, msg(3)]);
    expect(h.bytesIn).toBe(all.length);
  });

  it('delivers several messages from one chunk, in order, keeping a trailing partial for the next chunk', () => {
    const { d, got } = decoder();
    const third = line(msg(3));
    feed(d, line(msg(1)) + line(msg(2)) + third.slice(0, 5));
    expect(got).toEqual([msg(1), msg(2)]);
    feed(d, third.slice(5));
    expect(got).toEqual([msg(1), msg(2), msg(3)]);
  });

  it('accepts CRLF line endings, also with the CR and LF in different chunks', () => {
    const { d, h, got } = decoder();
    const a = JSON.stringify(msg(1));
    feed(d, `${a}\r\n${JSON.stringify(msg(2))}\r`, '\n');
    expect(got).toEqual([msg(1), msg(2)]);
    expect(h.totalViolations).toBe(0);
  });

  it('skips blank lines silently', () => {
    const { d, h, got } = decoder();
    feed(d, `\n\n   \n\t\n${line(msg(1))}\r\n\n`);
    expect(got).toEqual([msg(1)]);
    expect(h.totalViolations).toBe(0);
    expect(h.noiseBytes).toBe(0);
  });

  it('counts banner lines as "non-json-stdout" with excerpts and noise bytes, and still decodes messages', () => {
    const { d, h, got } = decoder();
    feed(d, 'Server started on stdio\n', line(msg(1)), 'café ready\n');
    expect(got).toEqual([msg(1)]);
    expect(h.counts['non-json-stdout']).toBe(2);
    expect(h.excerpts['non-json-stdout']).toEqual(['Server started on stdio', 'café ready']);
    expect(h.noiseBytes).toBe(Buffer.byteLength('Server started on stdio\n') + Buffer.byteLength('café ready\n'));
  });

  it('strips ANSI escape sequences from excerpts', () => {
    const { d, h } = decoder();
    feed(d, '\u001b[32m✔\u001b[0m \u001b[1mready\u001b[22m on \u001b]8;;http://x\u0007link\u001b]8;;\u0007\n');
    expect(h.excerpts['non-json-stdout']).toEqual(['✔ ready on link']);
  });

  const pretty = msg(7, { tools: [{ name: 'a' }, { name: 'b' }] });

  it('reassembles a pretty-printed message over many lines, delivers it once and counts "embedded-newlines"', () => {
    const { d, h, got } = decoder();
    feed(d, `${JSON.stringify(pretty, null, 2)}\n`);
    expect(got).toEqual([pretty]);
    expect(h.counts['embedded-newlines']).toBe(1);
    expect(h.counts['non-json-stdout']).toBeUndefined();
    expect(h.messagesIn).toBe(1);
  });

  it('reassembles a pretty-printed message with CRLF endings split into chunks at every position', () => {
    const text = Buffer.from(`${JSON.stringify(pretty, null, '\t').replace(/\n/g, '\r\n')}\r\n`);
    for (let i = 0; i <= text.length; i++) {
      const { d, h, got } = decoder();
      feed(d, text.subarray(0, i), text.subarray(i));
      expect(got, `cut at ${i}`).toEqual([pretty]);
      expect(h.counts['embedded-newlines']).toBe(1);
    }
  });

  it('delivers a pretty-printed object and then a normal message, in order', () => {
    const { d, h, got } = decoder();
    feed(d, `${JSON.stringify(pretty, null, 2)}\n${line(msg(8))}`);
    expect(got).toEqual([pretty, msg(8)]);
    expect(h.counts['embedded-newlines']).toBe(1);
    expect(h.totalViolations).toBe(1);
  });

  it('counts an unfinished multi-line candidate as noise when a real message follows', () => {
    const { d, h, got } = decoder();
    feed(d, '{\n  "jsonrpc": "2.0",\n', line(msg(1)));
    expect(got).toEqual([msg(1)]);
    expect(h.counts['non-json-stdout']).toBe(2);
  });

  it('delivers a pretty-printed message that follows a "[…]" log line', () => {
    const { d, h, got } = decoder();
    feed(d, '[info] server ready\n', `${JSON.stringify(pretty, null, 2)}\n`);
    expect(got).toEqual([pretty]);
    expect(h.counts['non-json-stdout']).toBe(1);
  });

  it('delivers each element of a batch array and counts "batch" once', () => {
    const { d, h, got } = decoder();
    feed(d, line([msg(1), msg(2), { jsonrpc: '2.0', method: 'notifications/progress' }]));
    expect(got).toEqual([msg(1), msg(2), { jsonrpc: '2.0', method: 'notifications/progress' }]);
    expect(h.counts['batch']).toBe(1);
    expect(h.messagesIn).toBe(3);
  });

  it('counts JSON that is not JSON-RPC 2.0 as "not-jsonrpc" and delivers nothing', () => {
    const { d, h, got } = decoder();
    feed(d, '{"foo":1}\n{"jsonrpc":"1.0","id":1,"result":{}}\n[1]\n');
    expect(got).toEqual([]);
    expect(h.counts['not-jsonrpc']).toBe(3);
    expect(h.counts['batch']).toBe(1);
    expect(h.excerpts['not-jsonrpc']![0]).toBe('{"foo":1}');
    expect(h.messagesIn).toBe(0);
  });

  it('discards a line that grows past maxMessageBytes across chunks, counts "oversized", and decodes the next message', () => {
    const { d, h, got } = decoder(100);
    const big = JSON.stringify(msg(1, { pad: 'x'.repeat(300) }));
    feed(d, big.slice(0, 60), big.slice(60, 130), big.slice(130, 250), `${big.slice(250)}\n${line(msg(2))}`);
    expect(got).toEqual([msg(2)]);
    expect(h.counts['oversized']).toBe(1);
    expect(h.excerpts['oversized']?.[0]).toMatch(/over the 100-byte limit\) was discarded/);
  });

  it('knows the whole size of a discarded line and says it, with the limit, in the note an error carries', () => {
    const { d, h } = decoder(100);
    const big = JSON.stringify(msg(1, { pad: 'x'.repeat(300) }));
    expect(h.discardNote()).toBe('');
    feed(d, big.slice(0, 150), big.slice(150, 250), `${big.slice(250)}\n`);
    expect(h.discardedMessages).toBe(1);
    expect(h.largestDiscardedBytes).toBe(big.length);
    expect(h.discardNote()).toContain(`(${big.length} bytes, over mcp-opt's 100-byte limit`);
    expect(h.discardNote()).toMatch(/was discarded: it was probably the answer/);
  });

  it('counts each invalid UTF-8 sequence, still delivers the messages, and does not count a U+FFFD the server wrote', () => {
    const { d, h, got } = decoder();
    const head = Buffer.from('{"jsonrpc":"2.0","id":1,"result":{"text":"a');
    const tail = Buffer.from('b"}}\n');
    // 0xFF is never valid; 0x80 is a continuation byte without a lead: two invalid sequences.
    const bad = Buffer.concat([head, Buffer.from([0xff]), Buffer.from('-'), Buffer.from([0x80]), tail]);
    const honest = Buffer.from(line(msg(2, { text: 'replacement \uFFFD written on purpose' })));
    // The bad line split inside its invalid bytes, then a line of valid text.
    feed(d, bad.subarray(0, head.length + 1), Buffer.concat([bad.subarray(head.length + 1), honest]));
    expect(got.map((m) => m.id)).toEqual([1, 2]);
    expect(h.counts['invalid-utf8']).toBe(2);
    expect(h.excerpts['invalid-utf8']![0]).toContain('"text":"a\uFFFD-\uFFFDb"');
    const clean = decoder();
    feed(clean.d, honest, bytes);
    expect(clean.h.counts['invalid-utf8']).toBeUndefined();
  });

  it('recovers after an oversized line when the newline ends a chunk', () => {
    const { d, h, got } = decoder(100);
    feed(d, 'y'.repeat(150), 'y'.repeat(10) + '\n', line(msg(3)));
    expect(got).toEqual([msg(3)]);
    expect(h.counts['oversized']).toBe(1);
    expect(h.counts['non-json-stdout']).toBeUndefined();
  });

  it('counts "oversized" for a line over maxMessageBytes that arrives in one chunk', () => {
    const { d, h, got } = decoder(100);
    feed(d, line(msg(1, { pad: 'x'.repeat(300) })) + line(msg(2)));
    expect(h.counts['oversized']).toBe(1);
    expect(got).toEqual([msg(2)]);
  });

  it('end() flushes a final line without a newline', () => {
    const { d, h, got } = decoder();
    feed(d, line(msg(1)), JSON.stringify(msg(2)));
    expect(got).toEqual([msg(1)]);
    d.end();
    expect(got).toEqual([msg(1), msg(2)]);
    expect(h.totalViolations).toBe(0);
  });

  it('end() counts an unfinished final line and multi-line candidate as noise', () => {
    const { d, h, got } = decoder();
    feed(d, '{\n  "jsonrpc": "2.0"\n', 'bye');
    d.end();
    expect(got).toEqual([]);
    expect(h.counts['non-json-stdout']).toBe(3);
    expect(h.excerpts['non-json-stdout']).toEqual(['{', '  "jsonrpc": "2.0"', 'bye']);
  });

  it('end() with nothing pending delivers nothing', () => {
    const { d, h, got } = decoder();
    feed(d, line(msg(1)));
    d.end();
    expect(got).toEqual([msg(1)]);
    expect(h.totalViolations).toBe(0);
  });
});
