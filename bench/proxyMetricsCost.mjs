// CPU of the proxy's per-request metric calls, for the comments in src/proxy/metrics.ts and
// latencyHistogram.ts: what the router reports per answered request (received + answered + the
// in-flight gauge twice), through PromMetrics (plain fields, read when scraped) against the same
// calls on prom-client metrics with label objects (the proxy's first version). Run after a build:
//   node bench/proxyMetricsCost.mjs
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const { PromMetrics } = await import('../dist/proxy/metrics.js');
const { LATENCY_BUCKETS_S } = await import('../dist/proxy/latencyHistogram.js');
const N = 2_000_000;

const registers = [new Registry()];
const requests = new Counter({ name: 'r', help: 'r', labelNames: ['method', 'tool'], registers });
const answers = new Counter({ name: 'a', help: 'a', labelNames: ['method', 'tool', 'outcome'], registers });
const queueWait = new Histogram({ name: 'q', help: 'q', labelNames: ['method'], buckets: [...LATENCY_BUCKETS_S], registers });
const service = new Histogram({ name: 's', help: 's', labelNames: ['method'], buckets: [...LATENCY_BUCKETS_S], registers });
const inflight = new Gauge({ name: 'i', help: 'i', registers });
const promClient = (i) => {
  requests.inc({ method: 'tools/call', tool: 'echo' });
  inflight.set(i & 63);
  answers.inc({ method: 'tools/call', tool: 'echo', outcome: 'result' });
  queueWait.observe({ method: 'tools/call' }, 0.000001);
  service.observe({ method: 'tools/call' }, 0.00005);
  inflight.set(i & 63);
};
const m = new PromMetrics(() => null);
const proxyMetrics = (i) => {
  m.received('tools/call', 'echo');
  m.inflight(i & 63);
  m.answered('tools/call', 'echo', 'result', 0.000001, 0.00005);
  m.inflight(i & 63);
};

const nsPerRequest = (f) => {
  for (let i = 0; i < 200_000; i++) f(i);
  const t = process.cpuUsage();
  for (let i = 0; i < N; i++) f(i);
  const c = process.cpuUsage(t);
  return ((c.user + c.system) * 1000) / N;
};
const runs = { 'prom-client with label objects': [], PromMetrics: [] };
for (let r = 0; r < 3; r++) {
  runs['prom-client with label objects'].push(nsPerRequest(promClient));
  runs.PromMetrics.push(nsPerRequest(proxyMetrics));
}
for (const [name, xs] of Object.entries(runs)) console.log(`${name.padEnd(32)} ${Math.min(...xs).toFixed(0).padStart(5)} ns per request (best of 3 × ${N / 1e6} M)`);
