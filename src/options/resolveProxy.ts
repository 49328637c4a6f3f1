/**
 * Flags + config ("proxy" section) → frozen ProxyOptions. Everything is checked before any
 * instance starts: a bad value exits 2 with the flag named.
 */
import { parseAlert, type ResolvedAlert } from '../budgets/alertMetrics.js';
import { UsageError } from '../errors.js';
import { BALANCES, type Balance } from '../util/balancer.js';
import { FlagReader, resolveCommandTarget, type CommandInputs } from './commandInputs.js';
import { parseDurationMs, parseSizeBytes } from './parse.js';
import { resolve } from 'node:path';
import { validateToolPattern } from '../util/toolNames.js';
import { AFFINITIES, MAX_WINDOW_S, PROXY_DEFAULTS, type Affinity, type ListenAddress, type ProxyOptions } from './proxyOptions.js';

/** Keys of the config's "proxy" section (the flags' names in camelCase). */
export const PROXY_CONFIG_KEYS: readonly string[] = [
  'pool', 'maxInflightPerInstance', 'queue', 'queueTimeout', 'requestTimeout', 'balance', 'affinity', 'timeout',
  'healthInterval', 'healthTimeout', 'recycleAfter', 'maxRss', 'drainTimeout', 'listen', 'metrics', 'allowOrigin', 'era', 'logFormat',
  'cache', 'listTtl', 'cacheSize', 'allowTools', 'denyTools', 'passUnknownTools', 'compressAbove', 'cacheTool', 'force', 'serveStaleOnError', 'cacheDir',
  'dashboard', 'alert', 'alertDegrades', 'window',
];

/** Resolve proxy's options. */
export async function resolveProxyOptions(i: CommandInputs): Promise<ProxyOptions> {
  const r = new FlagReader(i, 'proxy', PROXY_CONFIG_KEYS);
  const d = PROXY_DEFAULTS;
  const spec = await resolveCommandTarget(i);
  if (spec.kind === 'http' && r.raw('maxRss') !== undefined) {
    throw new UsageError('--max-rss bounds the memory of server processes the proxy starts; an http(s):// upstream runs elsewhere, so there is nothing of it to measure. Drop --max-rss, or give the command that starts the server.');
  }
  const balance = String(r.raw('balance') ?? d.balance) as Balance;
  if (!BALANCES.includes(balance)) throw new UsageError(`--balance must be one of ${BALANCES.join(', ')}, not "${balance}".`);
  const affinity = String(r.raw('affinity') ?? d.affinity) as Affinity;
  if (!AFFINITIES.includes(affinity)) throw new UsageError(`--affinity must be one of ${AFFINITIES.join(', ')}, not "${affinity}".`);
  const era = String(r.raw('era') ?? d.era);
  if (era !== 'legacy' && era !== 'modern') throw new UsageError(`--era must be legacy or modern, not "${era}": the proxy's instances serve one era.`);
  const maxRss = r.raw('maxRss');
  const compressAbove = r.raw('compressAbove');
  const logFormat = String(r.raw('logFormat') ?? d.logFormat);
  if (logFormat !== 'text' && logFormat !== 'json') throw new UsageError(`--log-format must be text or json, not "${logFormat}".`);
  const listen = listenAddress(r.raw('listen'), '--listen', true);
  const metrics = observabilityAddress(r, listen !== null);
  const allowOrigins = r.strings('allowOrigin', 'allowOrigin');
  for (const o of allowOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(o)) throw new UsageError(`--allow-origin "${o}" is not an origin: write scheme://host[:port], e.g. --allow-origin https://app.example.com.`);
  }
  return Object.freeze({
    spec,
    pool: r.int('pool', d.pool, 1, 256),
    maxInflightPerInstance: r.int('maxInflightPerInstance', d.maxInflightPerInstance, 0, 1_000_000),
    queue: r.int('queue', d.queue, 0, 10_000_000),
    queueTimeoutMs: r.durationMs('queueTimeout', d.queueTimeoutMs),
    requestTimeoutMs: offOrDuration(r, 'requestTimeout', d.requestTimeoutMs),
    balance,
    affinity,
    startTimeoutMs: r.durationMs('timeout', d.startTimeoutMs),
    healthIntervalMs: offOrDuration(r, 'healthInterval', d.healthIntervalMs),
    healthTimeoutMs: r.durationMs('healthTimeout', d.healthTimeoutMs),
    recycleAfter: r.int('recycleAfter', d.recycleAfter, 0, 1_000_000_000),
    maxRssBytes: maxRss === undefined ? d.maxRssBytes : parseSizeBytes(String(maxRss), '--max-rss'),
    drainTimeoutMs: r.durationMs('drainTimeout', d.drainTimeoutMs, true),
    listen,
    metrics,
    ...alertOptions(r, i.flags['alert'] !== undefined),
    allowOrigins,
    era,
    logFormat,
    compressMinBytes: compressAbove === undefined ? d.compressMinBytes : compressAbove === 'off' ? 0 : parseSizeBytes(String(compressAbove), '--compress-above'),
    tools: Object.freeze({ allow: toolPatterns(r, 'allowTools', '--allow-tools'), deny: toolPatterns(r, 'denyTools', '--deny-tools'), refuseUnknown: r.raw('passUnknownTools') !== true }),
    cache: Object.freeze({
      enabled: r.raw('cache') !== false,
      listTtlMs: offOrDuration(r, 'listTtl', d.listTtlMs),
      maxBytes: r.raw('cacheSize') === undefined ? d.cacheBytes : parseSizeBytes(String(r.raw('cacheSize')), '--cache-size'),
      toolTtlMs: cacheTools(r),
      force: r.raw('force') === true,
      serveStale: r.raw('serveStaleOnError') === true,
      dir: r.raw('cacheDir') === undefined ? null : resolve(i.cwd, String(r.raw('cacheDir'))),
    }),
  });
}

/** --metrics or --dashboard (the same server: /metrics, /healthz, /readyz, /dashboard) beside a stdio front. */
function observabilityAddress(r: FlagReader, withListen: boolean): ListenAddress | null {
  const metrics = listenAddress(r.raw('metrics'), '--metrics', false);
  const dashboard = listenAddress(r.raw('dashboard'), '--dashboard', false);
  if (withListen && (metrics || dashboard)) {
    const flag = metrics ? '--metrics' : '--dashboard';
    throw new UsageError(`${flag} serves /metrics and /dashboard beside a stdio front; with --listen the HTTP front serves /metrics, /healthz, /readyz and /dashboard itself: drop ${flag}.`);
  }
  if (metrics && dashboard && (metrics.host !== dashboard.host || metrics.port !== dashboard.port)) {
    throw new UsageError(`--metrics and --dashboard name one server (each serves /metrics, /healthz, /readyz and /dashboard): give one of them, not ${metrics.host}:${metrics.port} and ${dashboard.host}:${dashboard.port}.`);
  }
  return metrics ?? dashboard;
}

/** --alert (repeatable, in the bench budgets' syntax), --alert-degrades and --window. */
function alertOptions(r: FlagReader, fromFlags: boolean): { alerts: ResolvedAlert[]; alertDegrades: boolean; windowS: number } {
  const where = fromFlags ? '--alert' : `config "proxy.alert"`;
  const alerts = r.strings('alert', 'alert').map((e) => parseAlert(e, where));
  const seen = new Set<string>();
  for (const a of alerts) {
    if (seen.has(a.spec.expression)) throw new UsageError(`${where} "${a.spec.expression}" is given twice: keep one (each alert is one /metrics series, named by its expression).`);
    seen.add(a.spec.expression);
  }
  const alertDegrades = r.bool('alertDegrades');
  if (alertDegrades && alerts.length === 0) throw new UsageError("--alert-degrades makes /readyz answer 503 while an alert fires, but no --alert is given: add one, e.g. --alert 'p95<100ms'.");
  const windowMs = r.durationMs('window', PROXY_DEFAULTS.windowS * 1000);
  if (windowMs % 1000 !== 0 || windowMs < 1000 || windowMs > MAX_WINDOW_S * 1000) {
    throw new UsageError(`--window ${windowMs} ms: the window is counted in whole seconds, from 1s to ${MAX_WINDOW_S}s (e.g. --window 10s).`);
  }
  return { alerts, alertDegrades, windowS: windowMs / 1000 };
}

/** --cache-tool NAME=TTL (repeatable): how long each tool's answers are kept, ms. */
function cacheTools(r: FlagReader): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of r.strings('cacheTool', 'cacheTool')) {
    const eq = spec.lastIndexOf('=');
    const name = eq > 0 ? spec.slice(0, eq).trim() : '';
    const ttlMs = eq > 0 ? parseDurationMs(spec.slice(eq + 1).trim(), `--cache-tool ${name}`) : NaN;
    if (name === '' || !(ttlMs > 0)) throw new UsageError(`--cache-tool "${spec.slice(0, 80)}" is not NAME=TTL: give a tool and how long its answers stay fresh, e.g. --cache-tool lookup=30s.`);
    out[name] = ttlMs;
  }
  return out;
}

/** Tool names or globs, comma-separated and repeatable (toolNames.ts makeToolFilter). */
function toolPatterns(r: FlagReader, key: string, flag: string): string[] {
  const out = r.strings(key, key).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const p of out) {
    const bad = validateToolPattern(p);
    if (bad !== null) throw new UsageError(`${flag} "${p.slice(0, 60)}": ${bad}. Give tool names or globs (* and ?), comma-separated, e.g. ${flag} 'search_*,get_doc'.`);
  }
  return out;
}

/** A duration, or 0 for 'off' / 0. */
function offOrDuration(r: FlagReader, key: string, fallback: number): number {
  const v = r.raw(key);
  if (v === 'off' || v === 0 || v === '0') return 0;
  return r.durationMs(key, fallback);
}

/**
 * `http://HOST:PORT/PATH`, `HOST:PORT` or a bare port (loopback). A host that is not loopback is
 * refused: the proxy starts servers on behalf of whoever connects (the spec's Streamable HTTP
 * security warning: bind to localhost).
 */
export function listenAddress(raw: unknown, flag: string, withPath: boolean): ListenAddress | null {
  if (raw === undefined || raw === null || raw === false) return null;
  const text = String(raw).trim();
  let url: URL;
  try {
    url = new URL(/^\d+$/.test(text) ? `http://127.0.0.1:${text}` : /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new UsageError(`${flag} "${text}" is not an address: write http://127.0.0.1:PORT${withPath ? '/mcp' : ''} (port 0 lets the OS pick one).`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`${flag} ${text}: only http:// is served (put a TLS terminator in front for https).`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) && !host.startsWith('127.')) {
    throw new UsageError(`${flag} ${text}: the proxy listens on loopback only (127.0.0.1, ::1 or localhost), since whoever reaches it can run the server's tools.`);
  }
  const port = url.port === '' ? 0 : Number(url.port);
  const path = withPath ? (url.pathname === '/' ? '/mcp' : url.pathname) : '/metrics';
  return { host, port, path };
}
