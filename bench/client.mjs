// npm run bench:client — mcp-opt's measuring clients against the official SDK Client, side by side
// in one run, each in its own process (so its CPU accounting is its own), alternating over rounds;
// medians and ratios are printed with the goals they are held to:
//   - analyze's session:  client CPU per request ≤ 50 % of the SDK's (issue 2)
//   - bench's engine:     ≤ 6 µs CPU per request, and ≥ 2.5× the SDK's throughput on ping (issue 3)
//   - bench's open loop at 1000 req/s: p99 send lateness < 1 ms, achieved rate within 1 % (issue 3)
// Server: fixtures/servers/minimal-raw.mjs (no SDK, ~1.3 µs per request: never the bottleneck),
// 64 requests in flight. BENCH_SERVER=minimal.mjs runs against the SDK-built minimal server instead.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { goal, median } from './lib/figures.mjs';

const worker = fileURLToPath(new URL('./clientWorker.mjs', import.meta.url));
const server = fileURLToPath(new URL(`../fixtures/servers/${process.env.BENCH_SERVER ?? 'minimal-raw.mjs'}`, import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 64);
const methods = (process.env.BENCH_METHODS ?? 'ping,echo').split(',');

const run = (...args) => JSON.parse(execFileSync(process.execPath, [worker, ...args.map(String)], { encoding: 'utf8' }).trim().split('\n').at(-1));

console.log(`bench:client — ${REQUESTS} requests × ${ROUNDS} rounds per client, ${INFLIGHT} in flight, server ${server.split('/').slice(-3).join('/')}, node ${process.version}`);
let ok = true;
for (const method of methods) {
  const impls = ['engine', 'session', 'sdk'];
  const res = Object.fromEntries(impls.map((i) => [i, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order each round so drift of the machine hits every client alike.
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(k + r) % impls.length];
      res[impl].push(run(impl, method, REQUESTS, INFLIGHT, server));
    }
  }
  const row = (impl) => ({ rps: median(res[impl].map((x) => x.rps)), cpu: median(res[impl].map((x) => x.cpuUsPerRequest)) });
  const [engine, session, sdk] = impls.map(row);
  console.log(`\n${method === 'ping' ? 'ping' : 'tools/call echo'}:`);
  console.log('  client                    req/s (median)   client CPU µs/request (median)');
  console.log(`  mcp-opt bench engine  ${engine.rps.toFixed(0).padStart(14)}   ${engine.cpu.toFixed(2).padStart(10)}`);
  console.log(`  mcp-opt session       ${session.rps.toFixed(0).padStart(14)}   ${session.cpu.toFixed(2).padStart(10)}`);
  console.log(`  SDK Client            ${sdk.rps.toFixed(0).padStart(14)}   ${sdk.cpu.toFixed(2).padStart(10)}`);
  console.log(`  engine vs SDK: ${(engine.rps / sdk.rps).toFixed(2)}× throughput, ${((engine.cpu / sdk.cpu) * 100).toFixed(0)}% of its CPU per request; session: ${((session.cpu / sdk.cpu) * 100).toFixed(0)}% of its CPU`);
  ok = goal(engine.cpu <= 6, 'engine ≤ 6 µs CPU/request') && ok;
  ok = goal(session.cpu <= 0.5 * sdk.cpu, 'session CPU/request ≤ 50% of the SDK\'s') && ok;
  // The throughput goal is held on ping, the request that isolates the client. On tools/call echo
  // neither process is CPU-bound at 64 in flight (measured: mcp-opt ~60 %, server ~45 % of a core):
  // the pipe wake-ups between them bound it, so that ratio is printed, not judged.
  if (method === 'ping') ok = goal(engine.rps >= 2.5 * sdk.rps, 'engine ≥ 2.5× the SDK\'s throughput (ping)') && ok;
}

const opens = Array.from({ length: 3 }, () => run('open', 1000, 5, server));
const p99 = median(opens.map((o) => o.latenessP99Us)) / 1000;
const rateErr = median(opens.map((o) => Math.abs(o.rateErrorPct)));
console.log(`\nopen loop at --rps 1000 for 5 s (3 runs, medians): send lateness p50 ${(median(opens.map((o) => o.latenessP50Us)) / 1000).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms; achieved ${median(opens.map((o) => o.achievedRps)).toFixed(1)} req/s (error ${rateErr.toFixed(3)}%)`);
ok = goal(p99 < 1, 'p99 send lateness < 1 ms') && ok;
ok = goal(rateErr < 1, 'achieved-rate error < 1%') && ok;
process.exitCode = ok ? 0 : 1;
