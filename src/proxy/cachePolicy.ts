/**
 * What the proxy may answer from its cache, for how long and for whom: the spec's rules, not
 * guesses (2026-07-28 server/utilities/caching).
 * - 2026-07-28 instances: results of server/discover, the four list methods and resources/read
 *   carry `ttlMs` and `cacheScope`. A positive `ttlMs` is kept that long (absent, 0 or negative:
 *   not kept); `public` is served to every client, `private` (or no scope) only within the client
 *   that fetched it (the spec: never across authorization contexts).
 * - Legacy instances (initialize): list results carry no hints. They are kept until the server's
 *   `list_changed` when it declared `listChanged` for that list (basic/lifecycle capabilities),
 *   else for --list-ttl; and only for the instance that served them (two instances of a server may
 *   hold different state), or the pool with affinity none (the operator said they are alike).
 * - Never kept: errors, `isError` results, interim results (resultType other than complete),
 *   requests that asked for progress (their client is waiting for notifications the cache cannot
 *   replay) or retry a multi round-trip request (`inputResponses`/`requestState`: inputs outside
 *   the key, basic/patterns/mrtr), and tools/call (not cacheable in the spec).
 * The key is the method, the client's protocol version and every parameter as sent (the spec: "the
 * request parameters that affect the result"; the proxy cannot tell which do, so it takes all).
 */
import type { JsonRpcMessage } from '../target/protocol.js';

/** The list methods and the capability that says whether their server announces changes. */
export const LIST_CAPABILITY: Readonly<Record<string, string>> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resources',
};

/** Methods whose results carry caching hints (2026-07-28 server/utilities/caching, "Cacheable Results"). */
const HINTED = new Set([...Object.keys(LIST_CAPABILITY), 'server/discover', 'resources/read']);

/** Which cached lists a server notification makes stale (resources/updated is handled by URI). */
export const INVALIDATES: Readonly<Record<string, readonly string[]>> = {
  'notifications/tools/list_changed': ['tools/list'],
  'notifications/prompts/list_changed': ['prompts/list'],
  'notifications/resources/list_changed': ['resources/list', 'resources/templates/list'],
};

/** Who may be served a cached answer: every client, the client that fetched it, or whoever its instance serves. */
export type CacheScope = 'public' | 'private' | 'instance';

/** How an answer may be kept. */
export interface Freshness {
  /** Who may be served it. */
  scope: CacheScope;
  /** How long it stays fresh, ms (Infinity: until a change notification). */
  ttlMs: number;
}

/** The cache key of a request, or null when its answer may never come from (or go into) the cache. `optedIn`: a tools/call of a --cache-tool tool. */
export function requestKey(method: string, params: unknown, version: string, optedIn = false): string | null {
  if (!HINTED.has(method) && !optedIn) return null;
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params)) return null;
    const p = params as { _meta?: { progressToken?: unknown }; inputResponses?: unknown; requestState?: unknown };
    if (p._meta?.progressToken !== undefined || p.inputResponses !== undefined || p.requestState !== undefined) return null;
  }
  return `${method}\n${version}\n${params === undefined ? '' : JSON.stringify(params)}`;
}

/**
 * True when `m` says fetching failed on the server's side (a JSON-RPC error other than a wrong
 * request: -32600 invalid request, -32601 method not found, -32602 invalid params say the request
 * itself is at fault, and an old answer would hide that), so an expired answer may stand in.
 */
export function fetchFailed(m: JsonRpcMessage): boolean {
  const code = m.error?.code;
  return typeof code === 'number' && code !== -32600 && code !== -32601 && code !== -32602;
}

/**
 * How long the answer `m` of a tool the operator opted in (--cache-tool, checked read-only and
 * closed-world at start) may be kept: `ttlMs`, for every client (the operator's call: the spec
 * makes no tool result cacheable); never an error, an isError or an interim result.
 */
export function optedInFreshness(m: JsonRpcMessage, ttlMs: number): Freshness | null {
  if (m.error !== undefined || !(ttlMs > 0)) return null;
  const r = m.result as { isError?: unknown; resultType?: unknown } | undefined;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return null;
  if (r.isError === true || (r.resultType !== undefined && r.resultType !== 'complete')) return null;
  return { scope: 'public', ttlMs };
}

/**
 * How long `m`, the answer to `method`, may be kept and for whom; null: not at all. `legacyCapabilities`
 * is the instances' initialize result's capabilities (legacy era), or null for 2026-07-28 instances.
 */
export function freshnessOf(method: string, m: JsonRpcMessage, legacyCapabilities: Record<string, unknown> | null, listTtlMs: number): Freshness | null {
  if (m.error !== undefined) return null;
  const r = m.result as { isError?: unknown; resultType?: unknown; ttlMs?: unknown; cacheScope?: unknown } | undefined;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return null;
  if (r.isError === true || (r.resultType !== undefined && r.resultType !== 'complete')) return null;
  if (legacyCapabilities === null) {
    if (typeof r.ttlMs !== 'number' || !(r.ttlMs > 0)) return null;
    return { scope: r.cacheScope === 'public' ? 'public' : 'private', ttlMs: r.ttlMs };
  }
  const capability = LIST_CAPABILITY[method];
  if (capability === undefined) return null;
  const announces = (legacyCapabilities[capability] as { listChanged?: unknown } | undefined)?.listChanged === true;
  if (!announces && listTtlMs <= 0) return null;
  return { scope: 'instance', ttlMs: announces ? Infinity : listTtlMs };
}
