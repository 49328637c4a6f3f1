// CPU of the proxy's sliding window (src/proxy/liveWindow.ts) per request, for the README's
// "Dashboard and alerts": what the router reports per answered tools/call (received + answered +
// the in-flight gauge twice), to PromMetrics alone and to PromMetrics and the window together
// (metricsTee.ts), as the proxy runs with --listen, --metrics, --dashboard or --alert; and the cost
// of reading the window's figures (once a second per dashboard and for the alerts). Run after a build:
//   node bench/liveWindowCost.mjs
const { PromMetrics } = await import('../dist/proxy/metrics.js');
const { LiveWindow } = await import('../dist/proxy/liveWindow.js');
const { teeMetrics } = await import('../dist/proxy/metricsTee.js');
const N = 2_000_000;
const TOOLS = ['search', 'get_doc', 'list_files', 'read_file'];

const perRequest = (m) => (i) => {
  const tool = TOOLS[i & 3];
  m.received('tools/call', tool);
  m.inflight(i & 63);
  m.answered('tools/call', tool, 'result', 0.000002, 0.00005 + (i & 1023) * 1e-6);
  m.inflight(i & 63);
};
const nsPerRequest = (f) => {
  for (let i = 0; i < 200_000; i++) f(i);
  const t = process.cpuUsage();
  for (let i = 0; i < N; i++) f(i);
  const c = process.cpuUsage(t);
  return ((c.user + c.system) * 1000) / N;
};
const window = new LiveWindow(10);
const runs = { PromMetrics: perRequest(new PromMetrics(() => null)), 'PromMetrics + LiveWindow': perRequest(teeMetrics(new PromMetrics(() => null), window)) };
for (const [name, f] of Object.entries(runs)) {
  const xs = [0, 1, 2].map(() => nsPerRequest(f));
  console.log(`${name.padEnd(26)} ${Math.min(...xs).toFixed(0).padStart(5)} ns per request (best of 3 × ${N / 1e6} M)`);
}
const t = performance.now();
for (let i = 0; i < 100; i++) window.figures();
console.log(`figures() of a 10 s window with ${TOOLS.length} tools: ${((performance.now() - t) / 100).toFixed(2)} ms`);
