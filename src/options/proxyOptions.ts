/**
 * `mcp-opt proxy`'s options, resolved once (resolveProxy.ts) from flags and the config's "proxy"
 * section, which `tune --apply` writes.
 */
import type { ResolvedAlert } from '../budgets/alertMetrics.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import type { Balance } from '../util/balancer.js';

/** How clients are matched to instances (--affinity). */
export type Affinity = 'none' | 'session' | 'client';
/** Every affinity mode. */
export const AFFINITIES: readonly Affinity[] = ['none', 'session', 'client'];

/** Defaults, in one place (README lists them). */
export const PROXY_DEFAULTS = {
  pool: 1,
  maxInflightPerInstance: 0,
  queue: 1024,
  queueTimeoutMs: 30_000,
  requestTimeoutMs: 0,
  balance: 'least-inflight' as Balance,
  affinity: 'session' as Affinity,
  startTimeoutMs: 10_000,
  healthIntervalMs: 10_000,
  healthTimeoutMs: 5_000,
  recycleAfter: 0,
  maxRssBytes: 0,
  drainTimeoutMs: 10_000,
  era: 'legacy' as 'legacy' | 'modern',
  logFormat: 'text' as 'text' | 'json',
  /** Legacy lists of a server that does not announce changes: kept this long (README "Caching"). */
  listTtlMs: 1_000,
  cacheBytes: 64 * 1024 * 1024,
  /** Below this a JSON answer gains less from compression than it costs (proxy/compression.ts COMPRESS_MIN_BYTES). */
  compressMinBytes: 1024,
  /** Seconds of the dashboard's and the alerts' sliding window (proxy/liveWindow.ts). */
  windowS: 10,
} as const;

/** Longest --window, seconds: bounds the memory of the window's per-tool histograms (proxy/secondBucket.ts TOOL_DIGITS). */
export const MAX_WINDOW_S = 60;

/** The proxy's read cache (--no-cache, --list-ttl, --cache-size; proxy/readCache.ts). */
export interface CacheSettings {
  /** False: nothing is cached or coalesced. */
  enabled: boolean;
  /** How long a legacy list is kept when its server does not announce changes, ms (0: not kept). */
  listTtlMs: number;
  /** Memory for cached answers, bytes. */
  maxBytes: number;
  /** Tools whose tools/call answers are kept, by name: how long, ms (--cache-tool NAME=TTL). */
  toolTtlMs: Readonly<Record<string, number>>;
  /** True: --cache-tool is taken without checking the tool's annotations (--force). */
  force: boolean;
  /** True: when fetching an expired answer again fails (server error, instance gone), the expired one is served (--serve-stale-on-error). */
  serveStale: boolean;
  /** Folder of the persistent level (--cache-dir; proxy/cacheDisk.ts), or null. */
  dir: string | null;
}

/** Which tools clients may call through the proxy (--allow-tools, --deny-tools, --pass-unknown-tools; proxy/toolGate.ts). */
export interface ToolSettings {
  /** Names or globs (* and ?) clients may see and call; empty: all. */
  allow: string[];
  /** Names or globs clients may not see or call (deny wins). */
  deny: string[];
  /** True: a call of a tool the instances do not list is answered by the proxy with suggestions. */
  refuseUnknown: boolean;
}

/** A loopback (or --allow-remote) address the proxy listens on. */
export interface ListenAddress {
  /** Host name or address to bind. */
  host: string;
  /** Port (0: one the OS picks; the proxy prints the one it got). */
  port: number;
  /** Path of the MCP endpoint (HTTP front), e.g. /mcp. */
  path: string;
}

/** Everything `mcp-opt proxy` needs, frozen. */
export interface ProxyOptions {
  /** The server to pool: a stdio command (instances are processes) or an http(s) upstream (instances are sessions with it). */
  spec: LaunchSpec;
  /** Warm instances. */
  pool: number;
  /** Requests in flight per instance at most (0: no cap). */
  maxInflightPerInstance: number;
  /** Requests waiting at most. */
  queue: number;
  /** Longest wait in the queue, ms. */
  queueTimeoutMs: number;
  /** Per-request timeout at the proxy, ms (0: none; clients keep their own). */
  requestTimeoutMs: number;
  /** Spreading over instances (affinity none). */
  balance: Balance;
  /** Affinity mode. */
  affinity: Affinity;
  /** Spawn → ready timeout per instance, ms. */
  startTimeoutMs: number;
  /** Health probe period, ms (0: none). */
  healthIntervalMs: number;
  /** Health probe timeout, ms. */
  healthTimeoutMs: number;
  /** Replace an instance after this many requests (0: never). */
  recycleAfter: number;
  /** Replace an instance over this RSS, bytes (0: never). */
  maxRssBytes: number;
  /** On SIGTERM or stdin EOF, how long requests in flight may finish, ms. */
  drainTimeoutMs: number;
  /** Streamable HTTP front, or null for the stdio front. */
  listen: ListenAddress | null;
  /** Where /metrics, /healthz, /readyz and /dashboard are served with a stdio front (--metrics or --dashboard; null: not served). */
  metrics: ListenAddress | null;
  /** Alerts judged every second over the window (--alert). */
  alerts: readonly ResolvedAlert[];
  /** A firing alert makes /readyz answer 503 (--alert-degrades). */
  alertDegrades: boolean;
  /** Seconds of the sliding window the dashboard shows and the alerts judge (--window). */
  windowS: number;
  /** Era the instances serve: 'legacy' (initialize; clients of 2024-11-05 … 2025-11-25) or 'modern' (2026-07-28). */
  era: 'legacy' | 'modern';
  /** Origins (scheme://host:port) the HTTP front accepts besides loopback ones. */
  allowOrigins: string[];
  /** stderr as text lines, or one JSON object per event (proxy/proxyLog.ts). */
  logFormat: 'text' | 'json';
  /** The read cache (--no-cache, --list-ttl, --cache-size; proxy/readCache.ts). */
  cache: CacheSettings;
  /** Tool filtering and unknown-tool answers. */
  tools: ToolSettings;
  /** HTTP front: JSON answers of at least this many bytes are compressed when the client accepts br or gzip (0: never). */
  compressMinBytes: number;
}
