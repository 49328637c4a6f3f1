/**
 * MCP protocol facts mcp-opt relies on: versions, method names, error codes and `_meta` keys for
 * both protocol eras. Legacy-era values are those of the official SDK (v1, `@modelcontextprotocol/sdk`)
 * and the 2026-07-28 (modern) ones are spelled from the spec
 * (`docs/specification/2026-07-28/basic/versioning.mdx`); both are written out here rather than
 * imported, because loading the SDK's types (and zod with every locale it has) cost ~130 ms of CPU
 * at every start of mcp-opt, a third of a bench run's start-up (bench:generator counts whole-process
 * CPU). test/target/protocol.test.ts keeps them equal to SDK v1's and SDK v2's.
 */
export type {
  Tool,
  ToolAnnotations,
  Implementation,
  ServerCapabilities,
  InitializeResult,
  ListToolsResult,
  CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';

/** Newest legacy-era (initialize handshake) version: SDK v1's LATEST_PROTOCOL_VERSION. */
export const LEGACY_LATEST_VERSION: string = '2025-11-25';
/** Legacy-era versions SDK v1 accepts (its SUPPORTED_PROTOCOL_VERSIONS), newest first. */
export const LEGACY_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
/** The 2026-07-28 revision: no initialize, no sessions, no ping; version in each request's _meta. */
export const MODERN_VERSION = '2026-07-28';
/** Modern revisions mcp-opt speaks. */
export const MODERN_VERSIONS: readonly string[] = [MODERN_VERSION];
/** The SDK's default per-request timeout (60 s); findings compare measured tails with it. */
export const SDK_DEFAULT_REQUEST_TIMEOUT_MS: number = 60_000;

/** `_meta` keys of the modern envelope (2026-07-28 basic/versioning). */
export const META_KEYS = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** JSON-RPC and MCP error codes used by mcp-opt. */
export const ERROR_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** 2026-07-28: HTTP headers and the body disagree, or a required header is missing (basic/transports/streamable-http). */
  headerMismatch: -32020,
  /** 2026-07-28: the request needs a client capability the client did not declare. */
  missingRequiredClientCapability: -32021,
  /** 2026-07-28: the server does not serve the requested revision. */
  unsupportedProtocolVersion: -32022,
} as const;

/** Method names. */
export const METHODS = {
  initialize: 'initialize',
  initialized: 'notifications/initialized',
  discover: 'server/discover',
  ping: 'ping',
  toolsList: 'tools/list',
  toolsCall: 'tools/call',
  cancelled: 'notifications/cancelled',
} as const;

/**
 * Every request method a client may send a server: the 2025-11-25 schema's ClientRequest (SDK v1's
 * ClientRequestSchema, checked by test/target/protocol.test.ts) and 2026-07-28's server/discover
 * and subscriptions/listen.
 */
export const CLIENT_REQUEST_METHODS: readonly string[] = [
  'initialize', 'ping', 'completion/complete', 'logging/setLevel', 'prompts/get', 'prompts/list',
  'resources/list', 'resources/templates/list', 'resources/read', 'resources/subscribe', 'resources/unsubscribe',
  'tools/call', 'tools/list', 'tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel',
  'server/discover', 'subscriptions/listen',
];

/** Which handshake family a server speaks. */
export type Era = 'legacy' | 'modern';

/** True when a version string belongs to the 2026-07-28 (or later) era. */
export function isModernVersion(version: string): boolean {
  return version >= MODERN_VERSION;
}

/** A JSON-RPC id as mcp-opt issues them (always numbers) or as servers may send them. */
export type JsonRpcId = number | string;

/** A JSON-RPC error object. */
export interface JsonRpcErrorObject {
  /** Error code (JSON-RPC's, or MCP's, e.g. -32601 method not found). */
  code: number;
  /** Short description from the server. */
  message: string;
  /** Anything else the server attached. */
  data?: unknown;
}

/** Any JSON-RPC message after parsing; fields are checked by the session before use. */
export interface JsonRpcMessage {
  /** Should be '2.0'; anything else is counted as not JSON-RPC. */
  jsonrpc?: unknown;
  /** Request or response id; absent for notifications. */
  id?: JsonRpcId | null;
  /** Method of a request or notification. */
  method?: unknown;
  /** Params of a request or notification. */
  params?: unknown;
  /** Result of a successful response. */
  result?: unknown;
  /** Error of a failed response. */
  error?: JsonRpcErrorObject;
}
