/**
 * One ProxyMetrics that tells two: the router reports each request once, and both /metrics
 * (metrics.ts) and the sliding window of the dashboard and alerts (liveWindow.ts) count it.
 */
import type { ProxyMetrics } from './metrics.js';

/** Metrics that forward every call to `a`, then `b`. */
export function teeMetrics(a: ProxyMetrics, b: ProxyMetrics): ProxyMetrics {
  return {
    received: (method, tool) => { a.received(method, tool); b.received(method, tool); },
    answered: (method, tool, outcome, queueWaitS, serviceS) => {
      a.answered(method, tool, outcome, queueWaitS, serviceS);
      b.answered(method, tool, outcome, queueWaitS, serviceS);
    },
    failed: (method, tool, cls) => { a.failed(method, tool, cls); b.failed(method, tool, cls); },
    inflight: (n) => { a.inflight(n); b.inflight(n); },
    queueDepth: (n) => { a.queueDepth(n); b.queueDepth(n); },
    sessions: (n) => { a.sessions(n); b.sessions(n); },
    ambiguousRelay: () => { a.ambiguousRelay(); b.ambiguousRelay(); },
    cacheEvent: (method, event, n) => { a.cacheEvent(method, event, n); b.cacheEvent(method, event, n); },
  };
}
