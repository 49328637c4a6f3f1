/**
 * What both HTTP transports and the era probe share besides the pool (pool.ts): URL checks,
 * JSON-RPC decoding of bodies and SSE data, and the synthetic error responses that turn HTTP
 * failures into request outcomes, so a measurement counts them instead of waiting for a timeout.
 */
import { TargetError, UsageError } from '../../errors.js';
import type { Hygiene } from '../hygiene.js';
import { redactUrl } from '../launchSpec.js';
import type { JsonRpcErrorObject, JsonRpcMessage } from '../protocol.js';
import type { HttpResponse } from './pool.js';

/** Error code of synthetic error responses (JSON-RPC "server error" range, as the SDK uses). */
export const HTTP_ERROR_CODE = -32000;
/** Characters of visible text quoted from an error body that is not a JSON-RPC error. */
const VISIBLE_TEXT_CHARS = 100;
/** Bytes of an error body read before giving up on the rest. */
const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** Parse and check a target URL: http(s) only, errors name the URL (redacted). */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${redactUrl(raw)}" is not a valid URL. Give the server's full MCP endpoint, e.g. http://127.0.0.1:3000/mcp.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${redactUrl(raw)}: only http:// and https:// URLs can be measured over HTTP.`);
  }
  return url;
}

/** The TargetError for a server that cannot be reached at all. */
export function unreachable(url: URL, err: unknown): TargetError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const tls = certificateProblem(code);
  if (tls !== null) {
    return new TargetError(`Could not connect to ${redactUrl(url.href)}: ${tls}`, undefined, { cause: err });
  }
  return new TargetError(
    `Could not reach ${redactUrl(url.href)}: ${code ? `${code}, ` : ''}${(err as Error).message}. ` +
      'Check that the server is running and listening on that address, and that the URL is right.',
    undefined,
    { cause: err },
  );
}

/** Trusting a certificate is the user's decision, made the way Node offers; mcp-opt never skips the check. */
const TRUST_ADVICE = 'If you trust it (your own or your organisation\'s CA), put its CA certificate in ' +
  "mcp-opt's environment as NODE_EXTRA_CA_CERTS=/path/to/ca.pem; mcp-opt never turns certificate verification off.";

/** What Node's TLS error codes mean (OpenSSL verify codes as Node reports them), and what to do. */
const CERTIFICATE_PROBLEMS: Record<string, [problem: string, advice: string]> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: ["the server's TLS certificate is self-signed, so it is not trusted", TRUST_ADVICE],
  SELF_SIGNED_CERT_IN_CHAIN: ["the server's TLS certificate chain ends in a self-signed CA that is not trusted", TRUST_ADVICE],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ["the issuer of the server's TLS certificate is not trusted (or the server does not send its intermediate certificates)", TRUST_ADVICE],
  UNABLE_TO_GET_ISSUER_CERT: ["the issuer of the server's TLS certificate is unknown", TRUST_ADVICE],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ["the issuer of the server's TLS certificate is not among the trusted CAs", TRUST_ADVICE],
  CERT_HAS_EXPIRED: ["the server's TLS certificate has expired", 'Renew it on the server.'],
  CERT_NOT_YET_VALID: ["the server's TLS certificate is not valid yet", "Check the certificate's dates and this machine's clock."],
  ERR_TLS_CERT_ALTNAME_INVALID: ["the server's TLS certificate is not issued for this host name", 'Use a name the certificate lists, or fix the certificate.'],
  CERT_REVOKED: ["the server's TLS certificate has been revoked", 'The server needs a new one.'],
};

/**
 * A sentence naming the certificate (or TLS) problem behind an error code, with what to do, or null
 * for errors that are not about TLS (the caller then says the server may not be running).
 */
export function certificateProblem(code: string): string | null {
  const known = CERTIFICATE_PROBLEMS[code];
  if (known !== undefined) return `${known[0]} (${code}). ${known[1]}`;
  if (/^(CERT_|ERR_TLS_CERT)/.test(code)) return `the server's TLS certificate could not be verified (${code}). ${TRUST_ADVICE}`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return `the server did not answer in TLS (${code}): it may serve plain HTTP on that port; try http://.`;
  if (code.startsWith('ERR_SSL_')) return `the TLS handshake failed (${code}).`;
  return null;
}

/**
 * A JSON-RPC error response standing in for an HTTP failure of request `id`. Its `data` carries
 * `transportError: true` (plus `httpStatus`, `networkError` or `sessionExpired`) so callers can
 * tell a failed wire from an error the server chose to send.
 */
export function syntheticError(id: number, message: string, data: Record<string, unknown>, code = HTTP_ERROR_CODE): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error: { code, message, data: { ...data, transportError: true } } };
}

/**
 * The reply for request `id` from a non-2xx response. A body that is a JSON-RPC error for this
 * very id is the server's real answer (2026-07-28 maps errors onto statuses: unknown method is
 * 404 with -32601, bad headers 400 with -32020) and is delivered as is; anything else becomes a
 * synthetic error that summarises the answer (httpSummary), never quoting raw markup.
 */
export function errorReply(
  id: number, status: number, body: string, data: Record<string, unknown> = {}, contentType = '',
): { message: JsonRpcMessage; inBand: boolean } {
  const parsed = parseJsonRpcError(body);
  if (parsed && parsed.id === id) return { message: { jsonrpc: '2.0', id, error: parsed.error }, inBand: true };
  const message = httpSummary(status, contentType, body);
  return { message: syntheticError(id, message, { ...data, httpStatus: status }, parsed?.error.code ?? HTTP_ERROR_CODE), inBand: false };
}

/**
 * One line about an HTTP answer: status, media type and the start of its visible text, e.g.
 * `HTTP 404 (text/html): "Cannot POST /wrong"`. An HTML error page (Express, nginx, a framework's
 * 404) would otherwise fill the terminal with markup.
 */
export function httpSummary(status: number, contentType: string, body: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = visibleText(body);
  return `HTTP ${status}${type ? ` (${type})` : ''}: ${text ? `"${text}"` : '(no text)'}`;
}

/**
 * The visible text at the start of a body: HTML head, scripts, styles, comments and tags removed,
 * control and bidi-override characters removed, whitespace collapsed, cut at a word near `max`
 * characters. `&lt;`/`&gt;` stay escaped so no tag can reappear.
 */
export function visibleText(body: string, max = VISIBLE_TEXT_CHARS): string {
  let t = body
    .replace(/<(head|script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<[^>]*(>|$)/g, ' ')
    .replace(/&(amp|quot|#39|nbsp);/g, (_m, e: string) => ({ amp: '&', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (t.length > max) {
    const cut = t.lastIndexOf(' ', max);
    t = `${t.slice(0, cut > max / 2 ? cut : max)}…`;
  }
  return t;
}

/**
 * Statuses of a refused POST that, with a GET that opens no HTTP+SSE stream either, mean nothing
 * MCP is served at the URL: the path is wrong (a Streamable HTTP endpoint accepts POST, 2025-11-25
 * basic/transports, and a 2024-11-05 one answers GET with an event stream).
 */
export const NO_ENDPOINT_STATUSES: ReadonlySet<number> = new Set([404, 405]);

/** What to say when neither transport answers at `url`: `post` and `get` summarise the two refusals. */
export function noEndpointMessage(url: URL, post: string, get: string): string {
  const hint = url.pathname === '/' || url.pathname === '' ? 'add the path, e.g. /mcp' : 'check the path, e.g. /mcp';
  return `no MCP endpoint at ${redactUrl(url.href)} (POST: ${post}; ${get}): ${hint}`;
}

/** The reply for request `id` when the server could not be reached at all. */
export function networkErrorReply(id: number, url: URL, err: NodeJS.ErrnoException): JsonRpcMessage {
  const what = err.code ?? err.message;
  const tls = certificateProblem(err.code ?? '');
  const message = tls !== null
    ? `mcp-opt could not connect to ${redactUrl(url.href)}: ${tls}`
    : `mcp-opt could not reach ${redactUrl(url.href)} (${what}): check the server is running`;
  return syntheticError(id, message, { networkError: what });
}

/** What to say about a redirect: mcp-opt never follows one (headers may hold credentials). */
export function redirectMessage(status: number, location: string | undefined, base: URL): string {
  let to = '(no Location)';
  try {
    if (location) to = redactUrl(new URL(location, base).href);
  } catch {
    /* unparsable Location */
  }
  return `HTTP ${status} redirect to ${to}; mcp-opt does not follow redirects, so give it the final URL`;
}

/** The JSON-RPC error in a body, if the body is a JSON-RPC error response. */
export function parseJsonRpcError(body: string): { id: unknown; error: JsonRpcErrorObject } | null {
  const c = body.trimStart().charCodeAt(0);
  if (c !== 123) return null;
  try {
    const v = JSON.parse(body) as JsonRpcMessage;
    if (v && typeof v === 'object' && v.error && typeof v.error.code === 'number') return { id: v.id, error: v.error };
  } catch {
    /* not JSON */
  }
  return null;
}

/**
 * Decode one JSON text (an application/json body or one SSE `data`) into messages, counting what
 * is wrong the way the stdio decoder does: arrays as 'batch' (removed in 2025-06-18), non-JSON-RPC
 * values as 'not-jsonrpc', unparsable text as 'http'.
 */
export function decodeJson(text: string, hygiene: Hygiene, deliver: (m: JsonRpcMessage) => void): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    hygiene.violation('http', `body or SSE data is not JSON: ${visibleText(text, 120)}`);
    return;
  }
  const one = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || (v as JsonRpcMessage).jsonrpc !== '2.0') {
      hygiene.violation('not-jsonrpc', JSON.stringify(v)?.slice(0, 120) ?? String(v));
      return;
    }
    hygiene.messagesIn++;
    deliver(v as JsonRpcMessage);
  };
  if (Array.isArray(value)) {
    hygiene.violation('batch', text.slice(0, 120));
    for (const v of value) one(v);
  } else {
    one(value);
  }
}

/** Read a (small) body as text, up to a cap; never rejects (a cut body resolves with what arrived). */
export function readText(res: HttpResponse, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    res.read({
      onData(c) {
        if (n < maxBytes) chunks.push(c);
        n += c.length;
      },
      onEnd() {
        resolve(Buffer.concat(chunks).toString('utf8'));
      },
    });
  });
}

/** A header value as the server wants it: Mcp-Name with non-ASCII is Base64-wrapped (SEP-2243 sentinel). */
export function encodeHeaderValue(value: string): string {
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.startsWith('=?base64?')) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The value an encodeHeaderValue produced (a Base64 sentinel is decoded); null when it is malformed Base64. */
export function decodeHeaderValue(value: string): string | null {
  const m = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/.exec(value);
  if (m === null) return value.startsWith('=?base64?') ? null : value;
  return Buffer.from(m[1]!, 'base64').toString('utf8');
}
