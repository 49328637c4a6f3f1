/**
 * /metrics (Prometheus text), /healthz (the proxy is alive) and /readyz (at least one instance is
 * ready), served on the HTTP front, or on their own loopback port beside a stdio front (--metrics).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../options/proxyOptions.js';
import type { PromMetrics } from './metrics.js';
import type { Pool } from './pool.js';

/** Answer an observability path; false when `req` is not one (the caller goes on). */
export function serveObservability(req: IncomingMessage, res: ServerResponse, metrics: PromMetrics, pool: Pool): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics') {
    void metrics.text().then((text) => {
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(req.method === 'HEAD' ? undefined : text);
    }, (err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`metrics failed: ${(err as Error).message}\n`);
    });
    return true;
  }
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return true;
  }
  if (path === '/readyz') {
    const ready = pool.readyCount;
    res.writeHead(ready > 0 ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(`${ready} of ${pool.slots.length} instances ready\n`);
    return true;
  }
  return false;
}

/** Listen on `at` for the observability paths only; resolves with the server and its URL. */
export async function startObservabilityServer(at: ListenAddress, metrics: PromMetrics, pool: Pool): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!serveObservability(req, res, metrics, pool)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /metrics, /healthz or /readyz\n');
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
