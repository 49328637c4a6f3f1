// npm run bench:generator — what mcp-opt's load generator costs on each path, side by side in one
// run (issue 14). Every figure is whole-process CPU of the `mcp-opt bench` process itself (start-up
// included, the server excluded: bench/lib/processCpu.mjs), as `/usr/bin/time` would count it,
// divided by the requests it completed (warm-up included; bench/lib/mcpOptBench.mjs), or a share of one core.
//   1. stdio open loop at 1k, 10k and 50k req/s on minimal-raw.mjs (no SDK, ~1.3 µs per request:
//      never the bottleneck): CPU per request, achieved rate, p99 send lateness. Goals: ≤ 20
//      µs/request at 10k/s, 50k/s sustained, p99 send lateness < 1 ms at 10k/s; and at 200 req/s
//      mcp-opt uses ≤ 3 % of a core (the difference between a 5 s and a 15 s run, so start-up
//      cancels out).
//   2. Streamable HTTP beside the autocannon CLI: bench/generatorHttp.mjs (run here as its own
//      process; `node bench/generatorHttp.mjs` runs it alone).
//   3. The closed stdio loop must not regress: ≤ 6 µs/request and ≥ 2.5× the SDK Client's
//      throughput (bench/clientWorker.mjs, as bench:client measures it).
// BENCH_ROUNDS (3) runs of each point, medians; BENCH_PARTS=1,2,3 picks parts.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { goal, median } from './lib/figures.mjs';
import { runMcpOptBench } from './lib/mcpOptBench.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = fileURLToPath(new URL('../fixtures/servers/minimal-raw.mjs', import.meta.url));
const worker = fileURLToPath(new URL('./clientWorker.mjs', import.meta.url));
const floorClient = fileURLToPath(new URL('./lib/minimalPipeClient.mjs', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTS = new Set((process.env.BENCH_PARTS ?? '1,2,3').split(','));

/** One `mcp-opt bench` run on the stdio server as its own process: its result JSON and its whole-process CPU. */
const benchRun = (args) => runMcpOptBench([...args, '--', process.execPath, server]);

let ok = true;
console.log(`bench:generator — node ${process.version}, ${ROUNDS} rounds per point (medians), server fixtures/servers/minimal-raw.mjs`);

if (PARTS.has('1')) {
  console.log('\n1. stdio open loop (uniform arrivals, 1 s warm-up + 10 s measured):');
  console.log('   rate      achieved   CPU µs/request   p99 send lateness   generator bottleneck');
  const rows = {};
  for (const rps of [1000, 10_000, 50_000]) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await benchRun(['--rps', String(rps), '--warmup', '1s', '--duration', '10s']));
    const row = {
      achieved: median(runs.map((x) => x.result.throughput.sentRps)),
      cpu: median(runs.map((x) => x.cpuUs / x.completed)),
      lateP99Ms: median(runs.map((x) => x.result.sendLateness.p99 / 1000)),
      sustained: runs.filter((x) => x.result.throughput.sustained && x.result.requests.dropped === 0).length,
      bottleneck: runs.filter((x) => x.result.generator.bottleneck).length,
    };
    rows[rps] = row;
    console.log(`   ${String(rps).padStart(6)}/s ${row.achieved.toFixed(0).padStart(9)}/s ${row.cpu.toFixed(1).padStart(12)}   ${row.lateP99Ms.toFixed(3).padStart(13)} ms   ${row.bottleneck} of ${runs.length} runs` +
      `   (sustained in ${row.sustained} of ${runs.length})`);
  }
  // At 200 req/s: the share of a core, start-up cancelled by differencing a short and a long run;
  // beside it the floor, a process that only writes a ping per interval and counts the answers.
  const shares = [];
  const own = [];
  const floors = [];
  for (let i = 0; i < ROUNDS; i++) {
    const short = await benchRun(['--rps', '200', '--warmup', '1s', '--duration', '5s']);
    const long = await benchRun(['--rps', '200', '--warmup', '1s', '--duration', '15s']);
    shares.push(((long.cpuUs - short.cpuUs) / 1000 / 10_000) * 100);
    own.push(long.result.generator.cpuPct);
    floors.push(JSON.parse(execFileSync(process.execPath, [floorClient, '200', '10', server], { encoding: 'utf8' })).corePct);
  }
  const share = median(shares);
  console.log(`   at 200 req/s: ${share.toFixed(2)} % of a core (15 s run − 5 s run, whole process; the result's own generator.cpuPct ${median(own).toFixed(1)} %)`);
  console.log(`     floor: a process that only writes a ping every 5 ms and counts the answers (bench/lib/minimalPipeClient.mjs): ${median(floors).toFixed(2)} % of a core`);
  ok = goal(rows[10_000].cpu <= 20, '≤ 20 µs CPU/request at 10k/s') && ok;
  ok = goal(rows[50_000].sustained === ROUNDS, '50k/s sustained (every run, nothing dropped)') && ok;
  ok = goal(rows[10_000].lateP99Ms < 1, 'p99 send lateness < 1 ms at 10k/s') && ok;
  ok = goal(share <= 3, '≤ 3 % of a core at 200 req/s') && ok;
}

if (PARTS.has('2')) {
  console.log('\n2. Streamable HTTP (bench/generatorHttp.mjs):');
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./generatorHttp.mjs', import.meta.url))], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  ok = r.status === 0 && ok;
}

if (PARTS.has('3')) {
  console.log('\n3. closed stdio loop, ping, 64 in flight (bench/clientWorker.mjs, 200,000 requests after 20,000 of warm-up):');
  const run = (impl) => JSON.parse(execFileSync(process.execPath, [worker, impl, 'ping', '200000', '64', server], { encoding: 'utf8' }).trim().split('\n').at(-1));
  const engine = [];
  const sdk = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate, so drift of the machine hits both alike.
    engine.push(run('engine'));
    sdk.push(run('sdk'));
  }
  const e = { rps: median(engine.map((x) => x.rps)), cpu: median(engine.map((x) => x.cpuUsPerRequest)) };
  const s = { rps: median(sdk.map((x) => x.rps)), cpu: median(sdk.map((x) => x.cpuUsPerRequest)) };
  console.log(`   mcp-opt engine ${e.rps.toFixed(0).padStart(8)} req/s  ${e.cpu.toFixed(2).padStart(6)} µs CPU/request`);
  console.log(`   SDK Client     ${s.rps.toFixed(0).padStart(8)} req/s  ${s.cpu.toFixed(2).padStart(6)} µs CPU/request   (engine: ${(e.rps / s.rps).toFixed(2)}× the throughput)`);
  ok = goal(e.cpu <= 6, 'engine ≤ 6 µs CPU/request') && ok;
  ok = goal(e.rps >= 2.5 * s.rps, 'engine ≥ 2.5× the SDK Client\'s throughput') && ok;
}
process.exitCode = ok ? 0 : 1;
