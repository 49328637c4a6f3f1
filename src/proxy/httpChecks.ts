/**
 * What the HTTP front checks before a message reaches the router: the Origin (DNS rebinding), the
 * protocol version a POST claims, whether a batch is allowed, and the 2026-07-28 request headers
 * against the body. Pure functions of headers and messages (test/proxy/httpChecks.test.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { decodeHeaderValue } from '../target/http/wire.js';
import { encodeError } from '../target/jsonRpc.js';
import { isLoopbackHost } from '../target/serverPid.js';
import {
  ERROR_CODES, LEGACY_VERSIONS, META_KEYS, MODERN_VERSIONS, isModernVersion, type JsonRpcId, type JsonRpcMessage,
} from '../target/protocol.js';

/** A POST refused before the router sees it: an HTTP status and the JSON-RPC error of its body. */
export interface Refusal {
  /** HTTP status (400, 403, 404…). */
  status: number;
  /** JSON-RPC error code. */
  code: number;
  /** One sentence: what was wrong and what to do. */
  message: string;
  /** Error data (e.g. the supported versions of -32022). */
  data?: unknown;
}

/** The version a Streamable HTTP request without MCP-Protocol-Version is assumed to speak (2025-11-25 basic/transports). */
export const VERSION_WITHOUT_HEADER = '2025-03-26';

/** Every protocol version the front accepts, newest first. */
export const FRONT_VERSIONS: readonly string[] = [...MODERN_VERSIONS, ...LEGACY_VERSIONS];

/** Methods whose 2026-07-28 POST must carry Mcp-Name, and the params field it mirrors. */
const NAMED: Readonly<Record<string, 'name' | 'uri'>> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/**
 * True when a request may be served: no Origin (not a browser), a loopback origin, or one listed
 * with --allow-origin. A web page's origin elsewhere gets 403 (basic/transports, security warning:
 * DNS rebinding lets a remote page reach a loopback server).
 */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return isLoopbackHost(url.hostname) || allowed.has(url.origin);
}

/** A header's single value (the first of repeated ones). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The protocol version in a message's 2026-07-28 `_meta`, if any. */
export function metaVersion(m: JsonRpcMessage): string | undefined {
  const meta = (m.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const v = meta?.[META_KEYS.protocolVersion];
  return typeof v === 'string' ? v : undefined;
}

/** True when a POST speaks the 2026-07-28 era: its MCP-Protocol-Version header or its body's `_meta` names a modern version. */
export function isModernPost(headerVersion: string | undefined, m: JsonRpcMessage): boolean {
  if (headerVersion !== undefined && isModernVersion(headerVersion)) return true;
  const v = metaVersion(m);
  return v !== undefined && isModernVersion(v);
}

/** A legacy POST's MCP-Protocol-Version header, when it names a version the front does not speak (2025-11-25: 400). */
export function unsupportedVersion(headerVersion: string | undefined): Refusal | null {
  if (headerVersion === undefined || FRONT_VERSIONS.includes(headerVersion)) return null;
  return {
    status: 400, code: ERROR_CODES.invalidRequest,
    message: `mcp-opt proxy: MCP-Protocol-Version ${headerVersion.slice(0, 40)} is not supported; use one of ${FRONT_VERSIONS.join(', ')}.`,
  };
}

/** True when JSON-RPC batches may be sent at `version`: 2025-03-26 allowed them, 2025-06-18 removed them. */
export function batchAllowed(version: string): boolean {
  return version <= VERSION_WITHOUT_HEADER;
}

/**
 * A 2026-07-28 request's headers checked against its body (basic/transports/streamable-http,
 * "Server Validation"): MCP-Protocol-Version equal to the `_meta` version and one the front speaks,
 * Mcp-Method equal to the method, Mcp-Name (Base64 sentinel decoded) equal to params.name or
 * params.uri where required. Null when they agree.
 */
export function checkModernRequest(headers: IncomingHttpHeaders, m: JsonRpcMessage): Refusal | null {
  const mismatch = (what: string): Refusal => ({ status: 400, code: ERROR_CODES.headerMismatch, message: `Header mismatch: ${what}` });
  const version = header(headers, 'mcp-protocol-version');
  const bodyVersion = metaVersion(m);
  if (version === undefined) return mismatch('the MCP-Protocol-Version header is required');
  if (version !== bodyVersion) return mismatch(`MCP-Protocol-Version ${version.slice(0, 40)} does not match the body's _meta version ${String(bodyVersion).slice(0, 40)}`);
  if (!MODERN_VERSIONS.includes(version)) {
    return { status: 400, code: ERROR_CODES.unsupportedProtocolVersion, message: 'Unsupported protocol version', data: { supported: FRONT_VERSIONS, requested: version } };
  }
  const method = String(m.method);
  const mcpMethod = header(headers, 'mcp-method');
  if (mcpMethod === undefined) return mismatch('the Mcp-Method header is required');
  if (mcpMethod !== method) return mismatch(`Mcp-Method ${mcpMethod.slice(0, 80)} does not match the body's method ${method.slice(0, 80)}`);
  const field = NAMED[method];
  if (field === undefined) return null;
  const raw = header(headers, 'mcp-name');
  if (raw === undefined) return mismatch(`the Mcp-Name header is required for ${method}`);
  const name = decodeHeaderValue(raw);
  if (name === null) return mismatch('Mcp-Name holds a malformed Base64 value');
  const bodyName = (m.params as Record<string, unknown> | undefined)?.[field];
  if (name !== bodyName) return mismatch(`Mcp-Name does not match the body's params.${field}`);
  return null;
}

/** The HTTP status of a 2026-07-28 error answer in a JSON body: 404 for an unknown method, 400 for the era's own refusals, else 200. */
export function modernErrorStatus(code: number): number {
  if (code === ERROR_CODES.methodNotFound) return 404;
  if (code === ERROR_CODES.unsupportedProtocolVersion || code === ERROR_CODES.headerMismatch || code === ERROR_CODES.missingRequiredClientCapability) return 400;
  return 200;
}

/** The JSON-RPC body of a refusal (no id when the message had none, as the spec allows). */
export function refusalBody(r: Refusal, id: JsonRpcId | null | undefined): string {
  return encodeError(id ?? null, r.code, r.message, r.data);
}
