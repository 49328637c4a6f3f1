/**
 * Compression of the HTTP front's complete JSON answers: which content coding a client accepts
 * (Accept-Encoding, RFC 9110 §12.5.3), and the compressed body. Event streams are never compressed
 * (httpReply.ts says why).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A content coding the front compresses with. */
export type Encoding = 'br' | 'gzip';

/**
 * Bodies smaller than this go as they are, bytes. Below ~1 KB the bytes saved are fewer than one
 * TCP segment (MSS ~1460 on Ethernet), so the answer takes as many packets either way while the
 * compressor still costs CPU and the headers grow (Content-Encoding, Vary); the `compression`
 * middleware of Express picks the same threshold ('1kb'). Initialize, ping and most tools/call
 * answers stay below it; a large tools/list does not.
 */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli quality of the front: 4, the low-latency end (zlib's default 11 is for assets compressed
 * once). Measured on ~300 KB tools/list answers, 2-core dev machine, Node 20, median per call
 * (`npm run build && node bench/compressionCost.mjs`): varied text: br q4 2.9 ms → 8.4 %, gzip 6
 * 3.3 ms → 9.3 %, br q11 536 ms → 6.8 %; many-tools.mjs (repetitive): br q4 0.8 ms → 0.7 %, gzip 6
 * 1.0 ms → 1.9 %. The async zlib calls took as long (2.4–3.0 ms; 0.9–1.5 ms): sync is kept, so an
 * answer is written in the same turn it is complete, for one pause of the event loop of a few ms
 * per large answer (a client lists tools once per session).
 */
export const BROTLI_QUALITY = 4;

/** Gzip level (zlib's default balance of size and speed). */
export const GZIP_LEVEL = 6;

/** How the JSON answers of one POST are written. */
export interface JsonCompression {
  /** The coding the client accepts best (pickEncoding), null for none. */
  encoding: Encoding | null;
  /** Smallest body compressed, bytes; 0 turns compression off. */
  minBytes: number;
}

/** Leave every answer as it is. */
export const NO_COMPRESSION: JsonCompression = Object.freeze({ encoding: null, minBytes: 0 });

/** The qvalue grammar of RFC 9110 §12.4.2: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The coding to answer with given a request's Accept-Encoding: br or gzip when the client accepts
 * it (explicitly or through `*`) with q > 0 and not below what it gives `identity`; br over gzip
 * at equal q (smaller and, at quality 4, faster). No header or an empty one: null (an empty value
 * asks for no coding, §12.5.3; with none, sending identity is what every client reads). `x-gzip`
 * counts as gzip (§8.4.1.3). An entry with a malformed q is ignored, as a coding the client did not
 * clearly accept.
 */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (acceptEncoding === undefined) return null;
  const q = new Map<string, number>();
  for (const entry of acceptEncoding.split(',')) {
    const [name, ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0 || p.slice(0, eq).trim() !== 'q') continue;
      const v = p.slice(eq + 1).trim();
      weight = QVALUE.test(v) ? Number(v) : NaN;
    }
    if (Number.isNaN(weight)) continue;
    const coding = name === 'x-gzip' ? 'gzip' : name;
    q.set(coding, Math.max(weight, q.get(coding) ?? 0));
  }
  const star = q.get('*');
  const of = (c: string): number => q.get(c) ?? star ?? 0;
  const best: Encoding = of('br') >= of('gzip') ? 'br' : 'gzip';
  // identity competes only when named (or matched by `*`): unnamed, it is the fallback.
  const identity = q.get('identity') ?? star ?? 0;
  return of(best) > 0 && of(best) >= identity ? best : null;
}

/** `body` compressed with `encoding`, whole (the caller knows the complete answer). */
export function compressBody(body: Buffer | string, encoding: Encoding): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (encoding === 'gzip') return gzipSync(bytes, { level: GZIP_LEVEL });
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/**
 * A JSON answer as it goes on the wire: the bytes, and the headers they need. `varies` is true
 * when the body was large enough that Accept-Encoding decided its form, compressed or not: the
 * answer then carries Vary: Accept-Encoding (RFC 9110 §12.5.5).
 */
export function encodeJson(json: string, c: JsonCompression): { body: Buffer | string; headers: Record<string, string>; varies: boolean } {
  if (c.minBytes <= 0 || Buffer.byteLength(json, 'utf8') < c.minBytes) return { body: json, headers: {}, varies: false };
  if (c.encoding === null) return { body: json, headers: {}, varies: true };
  const body = compressBody(json, c.encoding);
  return { body, headers: { 'content-encoding': c.encoding, 'content-length': String(body.length) }, varies: true };
}
