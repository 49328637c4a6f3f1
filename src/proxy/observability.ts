/**
 * /metrics (Prometheus text), /healthz (the proxy is alive), /readyz (at least one instance is
 * ready, and with --alert-degrades no alert fires) and the live dashboard (/dashboard, polling
 * /dashboard.json), served on the HTTP front, or on their own loopback port beside a stdio front
 * (--metrics or --dashboard).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../options/proxyOptions.js';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboardPage.js';
import type { LiveView } from './liveView.js';
import type { PromMetrics } from './metrics.js';
import type { Pool } from './pool.js';

/** What the observability paths read. */
export interface Observed {
  /** /metrics. */
  metrics: PromMetrics;
  /** The instances, for /readyz and the dashboard. */
  pool: Pool;
  /** The sliding window and the alerts, for the dashboard and /readyz. */
  live: LiveView;
}

/** Headers of the dashboard's answers: never cached, never sniffed, never framed, no referrer. */
const DASHBOARD_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** Answer an observability path; false when `req` is not one (the caller goes on). */
export function serveObservability(req: IncomingMessage, res: ServerResponse, o: Observed): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0];
  const body = (text: string): string | undefined => (req.method === 'HEAD' ? undefined : text);
  if (path === '/metrics') {
    void o.metrics.text().then((text) => {
      res.writeHead(200, { 'content-type': o.metrics.contentType });
      res.end(body(text));
    }, (err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`metrics failed: ${(err as Error).message}\n`);
    });
    return true;
  }
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body('ok\n'));
    return true;
  }
  if (path === '/readyz') {
    const ready = o.pool.readyCount;
    const degraded = o.live.degradedBy();
    res.writeHead(ready > 0 && degraded.length === 0 ? 200 : 503, { 'content-type': 'text/plain' });
    const instances = `${ready} of ${o.pool.slots.length} instances ready`;
    res.end(body(degraded.length > 0 ? `degraded: ${degraded.join(', ')} (--alert-degrades); ${instances}\n` : `${instances}\n`));
    return true;
  }
  if (path === '/dashboard') {
    // Sent as a header too: unlike the page's meta, it can forbid framing (frame-ancestors).
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `${DASHBOARD_CSP}; frame-ancestors 'none'`, ...DASHBOARD_HEADERS });
    res.end(body(DASHBOARD_HTML));
    return true;
  }
  if (path === '/dashboard.json') {
    res.writeHead(200, { 'content-type': 'application/json', ...DASHBOARD_HEADERS });
    res.end(body(JSON.stringify(o.live.dashboard(o.pool))));
    return true;
  }
  return false;
}

/** Listen on `at` for the observability paths only; resolves with the server and its URL. */
export async function startObservabilityServer(at: ListenAddress, o: Observed): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!serveObservability(req, res, o)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /dashboard, /metrics, /healthz or /readyz\n');
    }
  });
  await listen(server, at);
  return { server, url: urlOf(server, '') };
}

/** Listen on `at`; rejects with the OS's reason (e.g. the port is taken). */
export function listen(server: Server, at: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** http://host:port + path of a listening server. */
export function urlOf(server: Server, path: string): string {
  const a = server.address();
  if (a === null || typeof a === 'string') return String(a);
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}${path}`;
}

/** Close a server and every connection it holds. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
