/**
 * 2026-07-28 clients of instances the proxy initialized (legacy era). The proxy warms every
 * instance with `initialize`, and a dual-era stdio server keeps the era of its first message for
 * the life of the process (SDK v2 serveStdio pins it), so its instances cannot answer
 * `server/discover`. The proxy answers it itself, from what initialize said, and marks the results
 * of such clients' requests complete (2026-07-28 basic: servers MUST send `resultType`; clients
 * treat an absent one as "complete"). The requests themselves go through unchanged, their `_meta`
 * included, which a legacy server ignores.
 */
import { LEGACY_VERSIONS, META_KEYS, MODERN_VERSION, type JsonRpcMessage } from '../target/protocol.js';

/** A DiscoverResult (2026-07-28 server/discover) built from an instance's initialize result. */
export function discoverFromInitialize(init: Record<string, unknown>): Record<string, unknown> {
  return {
    resultType: 'complete',
    supportedVersions: [MODERN_VERSION, ...LEGACY_VERSIONS],
    capabilities: init['capabilities'] ?? {},
    ...(typeof init['instructions'] === 'string' ? { instructions: init['instructions'] } : {}),
    ...(init['serverInfo'] !== undefined ? { _meta: { [META_KEYS.serverInfo]: init['serverInfo'] } } : {}),
  };
}

/** Give a successful answer `resultType: "complete"` when the server did not say. */
export function markComplete(m: JsonRpcMessage): void {
  const r = m.result;
  if (r !== null && typeof r === 'object' && !Array.isArray(r) && (r as { resultType?: unknown }).resultType === undefined) {
    (r as { resultType?: string }).resultType = 'complete';
  }
}
