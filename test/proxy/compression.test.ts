/**
 * compression.ts: Accept-Encoding as RFC 9110 §12.5.3 reads it (q-values, q=0, `*`, identity,
 * case), and what encodeJson puts on the wire for a small, a large and a refused body.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, NO_COMPRESSION, compressBody, encodeJson, pickEncoding } from '../../src/proxy/compression.js';

describe('pickEncoding', () => {
  it.each<[string | undefined, 'br' | 'gzip' | null, string]>([
    [undefined, null, 'no header: identity'],
    ['', null, 'an empty value asks for no coding'],
    ['br', 'br', 'br alone'],
    ['gzip', 'gzip', 'gzip alone'],
    ['gzip, deflate, br', 'br', 'equal q: br over gzip, whatever the order'],
    ['gzip, deflate, br, zstd', 'br', 'what browsers send'],
    ['GZip;Q=0.8, BR;q=0.5', 'gzip', 'case-insensitive names and q; the higher q wins'],
    ['br;q=0.5, gzip;q=0.8', 'gzip', 'a higher q for gzip beats br'],
    ['br;q=0, gzip', 'gzip', 'q=0 refuses br'],
    ['br;q=0, gzip;q=0', null, 'both refused'],
    ['gzip;q=0.000', null, 'q=0.000 refuses too'],
    ['deflate', null, 'only codings the front does not offer'],
    ['*', 'br', '* accepts br'],
    ['*;q=0.5, br;q=0', 'gzip', '* accepts gzip with br refused; identity (also matched by *) ties it: compress'],
    ['gzip;q=0.4, *;q=0.2', 'gzip', 'explicit gzip over the rest'],
    ['*;q=0', null, '* at q=0 refuses everything not named'],
    ['*;q=0, gzip', 'gzip', 'a named coding overrides *;q=0'],
    ['identity', null, 'identity only'],
    ['identity, gzip;q=0.5', null, 'identity preferred to gzip'],
    ['identity;q=0.5, gzip', 'gzip', 'gzip preferred to identity'],
    ['gzip, identity', 'gzip', 'equal q: compress'],
    ['identity;q=0', null, 'identity refused and nothing else accepted: identity still goes (no 406)'],
    ['x-gzip', 'gzip', 'x-gzip is gzip (§8.4.1.3)'],
    ['br;q=2', null, 'a q above 1 is malformed: the entry is ignored'],
    ['br;q=abc, gzip;q=0.1', 'gzip', 'a malformed q drops that entry only'],
    [' br ; q=0.9 ,gzip ; q=0.9 ', 'br', 'spaces around names and parameters'],
    [', , br,', 'br', 'empty list elements'],
  ])('%j → %s (%s)', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});

describe('encodeJson', () => {
  const large = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: Array.from({ length: 50 }, (_, i) => ({ name: `tool_${i}`, description: 'Searches the index.' })) } });
  const small = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });

  it('leaves a body below the threshold as it is, with no Vary', () => {
    expect(Buffer.byteLength(small)).toBeLessThan(COMPRESS_MIN_BYTES);
    expect(encodeJson(small, { encoding: 'br', minBytes: COMPRESS_MIN_BYTES })).toEqual({ body: small, headers: {}, varies: false });
  });

  it('compresses a large body with the coding given, with its length; it decodes to the same text', () => {
    expect(Buffer.byteLength(large)).toBeGreaterThanOrEqual(COMPRESS_MIN_BYTES);
    const br = encodeJson(large, { encoding: 'br', minBytes: COMPRESS_MIN_BYTES });
    expect(br.headers).toEqual({ 'content-encoding': 'br', 'content-length': String(br.body.length) });
    expect(br.varies).toBe(true);
    expect(brotliDecompressSync(br.body as Buffer).toString('utf8')).toBe(large);
    const gz = encodeJson(large, { encoding: 'gzip', minBytes: COMPRESS_MIN_BYTES });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body as Buffer).toString('utf8')).toBe(large);
    expect(gz.body.length).toBeLessThan(Buffer.byteLength(large) / 4);
  });

  it('sends a large body as it is when the client accepts no coding, but says the form depended on Accept-Encoding (Vary)', () => {
    expect(encodeJson(large, { encoding: null, minBytes: COMPRESS_MIN_BYTES })).toEqual({ body: large, headers: {}, varies: true });
  });

  it('compresses nothing when minBytes is 0 (off)', () => {
    expect(encodeJson(large, NO_COMPRESSION)).toEqual({ body: large, headers: {}, varies: false });
    expect(encodeJson(large, { encoding: 'br', minBytes: 0 })).toEqual({ body: large, headers: {}, varies: false });
  });

  it('compressBody takes a Buffer as well as a string', () => {
    expect(gunzipSync(compressBody(Buffer.from(large), 'gzip')).toString('utf8')).toBe(large);
    expect(brotliDecompressSync(compressBody(Buffer.from(large), 'br')).toString('utf8')).toBe(large);
  });
});
