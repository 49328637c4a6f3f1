/**
 * The bytes of an HTTP/1.1 request head (RFC 9112 §3, §5) for the HTTP engine (pool.ts): request
 * line, Host, the caller's header fields, Content-Length. Header sets are serialised and checked
 * once per object (a WeakMap keyed by it): the transports hand the same object for every request
 * of one kind (streamable.ts caches them per method while the session's id and version stay), so
 * a request costs one string concatenation, not a header object and a validation pass.
 *
 * Checked as node:http checks them: a field name must be a token, a value must not hold control
 * characters (CR or LF would let a server-chosen session id or a user header inject fields). A bad
 * set throws InvalidHeaderError, which the pool reports to the request's onError.
 */

/** Header fields of a request, by name as they go on the wire; arrays are repeated fields. */
export type RequestHeaders = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** A header field name or value node:http would refuse. */
export class InvalidHeaderError extends Error {
  /** As node:http names it. */
  readonly code = 'ERR_INVALID_CHAR';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Fields the engine writes itself. */
const OWN = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** Serialised header blocks, by the object they were made from. */
const blocks = new WeakMap<RequestHeaders, { fields: string; host: boolean }>();

/** The header lines of `headers` (each ending in CRLF) and whether it names its own Host; throws InvalidHeaderError. */
export function headerBlock(headers: RequestHeaders): { fields: string; host: boolean } {
  const known = blocks.get(headers);
  if (known !== undefined) return known;
  let fields = '';
  let host = false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (!TOKEN.test(name)) throw new InvalidHeaderError(`Invalid HTTP token in header name ["${name.replace(/[^\x20-\x7e]/g, '?')}"]`);
    const lower = name.toLowerCase();
    if (lower === 'host') host = true;
    else if (OWN.has(lower)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const text = String(v);
      if (BAD_VALUE.test(text)) throw new InvalidHeaderError(`Invalid character in header content ["${name}"]`);
      fields += `${name}: ${text}\r\n`;
    }
  }
  const block = { fields, host };
  blocks.set(headers, block);
  return block;
}

/** The request's first line for `url` (origin-form target: path and query); the pool adds Host. */
export function requestLine(method: string, url: URL): string {
  return `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
}
