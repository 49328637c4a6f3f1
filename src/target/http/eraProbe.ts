/**
 * Which era an HTTP server speaks, decided by one throwaway POST of `server/discover` with the
 * 2026-07-28 envelope and headers (basic/versioning; "HTTP: look at the body of a
 * 400 before falling back"). It uses its own connection pool, destroyed afterwards, so the probe
 * warms nothing that a measured start would then reuse.
 *
 * - 2xx with a discover result listing 2026-07-28 → modern.
 * - An error (in a 2xx or non-2xx body) whose code exists only in 2026-07-28 (-32020 header
 *   mismatch, -32021 missing client capability) or a -32022 naming a modern version → modern:
 *   the server speaks the era and the handshake will say what it disliked.
 * - Any other JSON-RPC answer (400 "no session", -32601, a result without 2026-07-28) or silence →
 *   legacy. No single error code decides it (2026-07-28 transports: legacy servers vary).
 * - An HTTP error without JSON-RPC (an HTML 404 page, a plain-text 405) is not evidence of anything.
 *   A GET for a 2024-11-05 event stream decides: an `endpoint` event → legacy. A GET refused too
 *   (not an event stream) after a 404 or 405 means nothing MCP is served there → TargetError "no
 *   MCP endpoint" (a wrong path). Otherwise the era is assumed legacy and the handshake's
 *   initialize confirms it or fails.
 * - A 2xx without a reply → legacy (the server speaks HTTP POST, not this method).
 * - Unreachable, redirected, or 401/403 → TargetError: no era can be learned. Ctrl-C
 *   (options.signal) → InterruptedError.
 */
import { InterruptedError, TargetError } from '../../errors.js';
import { modernEnvelope, type EraProbe } from '../handshake.js';
import { Hygiene } from '../hygiene.js';
import { encodeRequest } from '../jsonRpc.js';
import { redactUrl, type HttpSpec } from '../launchSpec.js';
import { METHODS, MODERN_VERSION, isModernVersion, type Era, type JsonRpcErrorObject, type JsonRpcMessage } from '../protocol.js';
import type { OpenOptions } from '../openOptions.js';
import { BodyReader } from './body.js';
import { HttpPool, type HttpResponse } from './pool.js';
import { LegacySseTransport, NotLegacySseError } from './legacySse.js';
import {
  NO_ENDPOINT_STATUSES, httpSummary, noEndpointMessage, parseJsonRpcError, parseTargetUrl, readText,
  redirectMessage, unreachable,
} from './wire.js';

/** What the discover POST came back with. */
interface DiscoverAnswer {
  /** HTTP status; 0 when the probe timed out. */
  status: number;
  /** The JSON-RPC reply to the probe, when one was found (body or SSE). */
  reply: JsonRpcMessage | null;
  /** Body text of a non-2xx answer. */
  body: string;
  /** Content-Type of the answer ('' when none). */
  type: string;
  /** Location header of a redirect. */
  location?: string;
}

const PROBE_ID = 1;
/** Bytes of a JSON answer to the probe read before giving up on the rest. */
const PROBE_BODY_MAX_BYTES = 16 * 1024 * 1024;

/** Probe the era of an HTTP target (see the module comment for the rules). */
export async function probeHttpEra(spec: HttpSpec, options: Omit<OpenOptions, 'era'>): Promise<EraProbe> {
  const url = parseTargetUrl(spec.url);
  const started = performance.now();
  const done = (era: Era, evidence: string): EraProbe => ({ era, evidence, durationMs: performance.now() - started });
  // 2026-07-28 has no HTTP+SSE binding: a server configured as SSE is legacy by construction.
  if (spec.transport === 'sse') return done('legacy', 'HTTP+SSE (2024-11-05) transport configured');
  const a = await postDiscover(url, spec.headers, options);
  const where = redactUrl(url.href);
  if (a.status === 0) return done('legacy', `server/discover got no answer in ${options.startTimeoutMs} ms`);
  if (a.status === 401 || a.status === 403) {
    throw new TargetError(`${where} answered HTTP ${a.status}: it wants credentials. Pass them with --header 'Authorization: Bearer <token>', or add them to the server's "headers" in your MCP config.`);
  }
  if (a.status >= 300 && a.status < 400) {
    throw new TargetError(`${where} answered with a ${redirectMessage(a.status, a.location, url)}.`);
  }
  const ok = a.status >= 200 && a.status < 300;
  const error = a.reply?.error ?? (ok ? undefined : parseJsonRpcError(a.body)?.error);
  if (a.reply && a.reply.error === undefined) {
    const versions = (a.reply.result as { supportedVersions?: unknown } | null)?.supportedVersions;
    if (Array.isArray(versions) && versions.includes(MODERN_VERSION)) return done('modern', 'server/discover answered');
    return done('legacy', `server/discover answered without ${MODERN_VERSION}`);
  }
  const http_ = ok ? '' : `HTTP ${a.status} `;
  if (error && isModernError(error)) return done('modern', `${http_}error ${error.code} is a ${MODERN_VERSION} error`.trim());
  if (error) return done('legacy', `${http_}error ${error.code} to server/discover`.trim());
  if (ok) return done('legacy', `HTTP ${a.status} without a reply to server/discover`);
  // An HTTP error without JSON-RPC: look for a 2024-11-05 HTTP+SSE stream before concluding anything.
  const summary = httpSummary(a.status, a.type, a.body);
  const sse = await legacyStream(url, spec.headers, options);
  if (sse === null) return done('legacy', 'HTTP+SSE (2024-11-05) endpoint event on GET');
  if (sse.refused && NO_ENDPOINT_STATUSES.has(a.status)) throw new TargetError(`${noEndpointMessage(url, summary, sse.why)}.`);
  return done('legacy', `assumed: server/discover got ${summary} and GET no HTTP+SSE endpoint (${sse.why}); initialize decides`);
}

/**
 * GET the URL as a 2024-11-05 client would: null when an `endpoint` event came; else why not, and
 * whether the GET was refused outright (a status or type other than an event stream).
 */
async function legacyStream(
  url: URL, headers: Record<string, string>, options: Omit<OpenOptions, 'era'>,
): Promise<{ why: string; refused: boolean } | null> {
  if (options.signal?.aborted) throw new InterruptedError();
  try {
    const t = await LegacySseTransport.connect(url, headers, options.startTimeoutMs);
    await t.close();
    return null;
  } catch (err) {
    if (err instanceof NotLegacySseError) return { why: err.message, refused: err.status !== null };
    if (err instanceof TargetError) throw err;
    throw unreachable(url, err);
  }
}

/** Errors only a server of the 2026-07-28 era sends. */
function isModernError(error: JsonRpcErrorObject): boolean {
  if (error.code === -32020 || error.code === -32021) return true;
  if (error.code !== -32022) return false;
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  return Array.isArray(supported) && supported.some((v) => typeof v === 'string' && isModernVersion(v));
}

function postDiscover(url: URL, userHeaders: Record<string, string>, options: Omit<OpenOptions, 'era'>): Promise<DiscoverAnswer> {
  const pool = new HttpPool(url);
  const body = encodeRequest(PROBE_ID, JSON.stringify(METHODS.discover), undefined, JSON.stringify(modernEnvelope(options.client)));
  const headers: Record<string, string> = {
    ...userHeaders,
    Accept: 'application/json, text/event-stream',
    'Content-Type': 'application/json',
    'MCP-Protocol-Version': MODERN_VERSION,
    'Mcp-Method': METHODS.discover,
  };
  return new Promise<DiscoverAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (a: DiscoverAnswer | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', interrupted);
      pool.destroy();
      if (a instanceof Error) reject(a);
      else resolve(a);
    };
    const timer = setTimeout(() => finish({ status: 0, reply: null, body: '', type: '' }), options.startTimeoutMs);
    const interrupted = (): void => finish(new InterruptedError());
    if (options.signal?.aborted) return interrupted();
    options.signal?.addEventListener('abort', interrupted, { once: true });
    pool.request(url, 'POST', headers, body, {
      onResponse: (res) => {
        const status = res.status;
        const location = res.header('location');
        const type = res.header('content-type') ?? '';
        if (status < 200 || status >= 300) {
          void readText(res).then((text) => finish({ status, reply: null, body: text, type, location }));
          return;
        }
        readReply(res, (reply) => finish({ status, reply, body: '', type }));
      },
      onError: (err) => finish(unreachable(url, err)),
    });
  });
}

/** The probe's reply from a 2xx body (JSON or SSE); null when the body ends without it. */
function readReply(res: HttpResponse, found: (reply: JsonRpcMessage | null) => void): void {
  const hygiene = new Hygiene(); // the probe's wire problems are not the measured session's
  const take = (m: JsonRpcMessage): void => {
    if (m.id === PROBE_ID && m.method === undefined) found(m);
  };
  // Any body but an event stream is read as JSON: the probe looks for its reply wherever it is.
  const reader = new BodyReader(res.mediaType === 'text/event-stream' ? 'sse' : 'json', hygiene, take, PROBE_BODY_MAX_BYTES);
  res.read({
    onData: (c) => reader.push(c),
    onEnd: () => {
      reader.end();
      found(null);
    },
  });
}
