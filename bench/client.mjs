// npm run bench:client — mcp-opt's measuring client against the official SDK Client, side by side in
// one run, against fixtures/servers/minimal.mjs with 64 requests in flight. Each client runs in its
// own process (so CPU accounting is its own) and the two alternate over several rounds; medians are
// printed with the ratio. Goal (issue #2): mcp-opt's client CPU per request at most half the SDK's.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const worker = fileURLToPath(new URL('./clientWorker.mjs', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 64);
const methods = (process.env.BENCH_METHODS ?? 'ping,echo').split(',');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const run = (impl, method) => JSON.parse(execFileSync(process.execPath, [worker, impl, method, String(REQUESTS), String(INFLIGHT)], { encoding: 'utf8' }).trim().split('\n').at(-1));

console.log(`bench:client — ${REQUESTS} requests × ${ROUNDS} rounds per client, ${INFLIGHT} in flight, server fixtures/servers/minimal.mjs, node ${process.version}`);
let failed = false;
for (const method of methods) {
  const res = { 'mcp-opt': [], sdk: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order each round so drift of the machine hits both alike.
    for (const impl of r % 2 ? ['sdk', 'mcp-opt'] : ['mcp-opt', 'sdk']) res[impl].push(run(impl, method));
  }
  const row = (impl) => ({ rps: median(res[impl].map((x) => x.rps)), cpu: median(res[impl].map((x) => x.cpuUsPerRequest)) });
  const ours = row('mcp-opt');
  const sdk = row('sdk');
  const cpuRatio = ours.cpu / sdk.cpu;
  console.log(`\n${method === 'ping' ? 'ping' : 'tools/call echo'}:`);
  console.log(`  client       req/s (median)   client CPU µs/request (median)`);
  console.log(`  mcp-opt   ${ours.rps.toFixed(0).padStart(12)}   ${ours.cpu.toFixed(2).padStart(12)}`);
  console.log(`  SDK Client${sdk.rps.toFixed(0).padStart(12)}   ${sdk.cpu.toFixed(2).padStart(12)}`);
  console.log(`  ratio: mcp-opt uses ${(cpuRatio * 100).toFixed(0)}% of the SDK's CPU per request; throughput ${(ours.rps / sdk.rps).toFixed(2)}× the SDK's`);
  const ok = cpuRatio <= 0.5;
  console.log(`  goal (CPU/request ≤ 50% of SDK): ${ok ? 'met' : 'NOT met'}`);
  if (!ok) failed = true;
}
process.exitCode = failed ? 1 : 0;
