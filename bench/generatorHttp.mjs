// node bench/generatorHttp.mjs — mcp-opt's Streamable HTTP load generator beside the autocannon CLI
// on the same server, same session and same request body, side by side in one run (issue 14, part
// 2). Exits 1 when a goal is not met.
// Server: fixtures/servers/http-raw.mjs (plain `net`, no SDK, JSON answers), started once; one MCP
// session is initialized with a small fetch and both tools send on it.
// Each point runs as its own process, mcp-opt and autocannon alternating over BENCH_ROUNDS (3)
// rounds; medians are printed. CPU is whole-process (start-up included, the server excluded:
// bench/lib/processCpu.mjs, the same for both tools) divided by the requests the process completed
// (mcp-opt: warm-up and measured, from its result JSON's timeline; autocannon: its --json total).
//   closed loop: `mcp-opt bench <url> --concurrency 32 --duration 5s --warmup 1s --http-client mcp-opt`
//                beside `autocannon -c 32 -d 6`;
//   open loop:   `mcp-opt bench <url> --rps 5000 …` beside `autocannon -c 32 -d 6 -R 5000`.
// Goals: CPU per request ≤ autocannon's in both modes; closed-loop throughput ≥ autocannon's; 5k/s
// sustained with p99 send lateness < 1 ms. BENCH_CLIENT (mcp-opt) picks mcp-opt's --http-client,
// to compare against the autocannon path inside mcp-opt (BENCH_CLIENT=autocannon).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { goal, median } from './lib/figures.mjs';
import { runMcpOptBench } from './lib/mcpOptBench.mjs';
import { runCounted } from './lib/processCpu.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/servers/http-raw.mjs', import.meta.url));
const autocannonCli = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENT = process.env.BENCH_CLIENT ?? 'mcp-opt';
const RATE = 5000;
const BODY = '{"jsonrpc":"2.0","id":1,"method":"ping"}';

let ok = true;

/** Start the fixture; resolves with its URL and a stop function. */
async function startServer() {
  const child = spawn(process.execPath, [fixture], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`http-raw.mjs exited with ${code}`)));
  });
  return { url: JSON.parse(line).url, stop: () => { child.stdin.end(); child.kill('SIGTERM'); } };
}

/** A session on the server for autocannon: initialize (and initialized) by fetch; its id. */
async function openSession(url) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await fetch(url, {
    method: 'POST', headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench-generator-http', version: '0' } } }),
  });
  const sid = init.headers.get('mcp-session-id');
  await init.text();
  const note = await fetch(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': sid }, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' });
  await note.text();
  if (!sid) throw new Error('http-raw.mjs assigned no Mcp-Session-Id');
  return sid;
}

/** One `mcp-opt bench` process: its figures. */
async function mcpOpt(url, loopArgs) {
  // autocannon inside mcp-opt runs closed loops only: its open loop is mcp-opt's engine.
  const client = CLIENT === 'autocannon' && loopArgs[0] === '--rps' ? 'mcp-opt' : CLIENT;
  const { result: res, cpuUs, completed } = await runMcpOptBench([url, ...loopArgs, '--duration', '5s', '--warmup', '1s', '--http-client', client]);
  return {
    rps: res.throughput.succeededRps, cpuPerReq: cpuUs / completed, p99Ms: res.latency.p99 / 1000,
    lateP99Ms: res.sendLateness ? res.sendLateness.p99 / 1000 : null, sustained: res.throughput.sustained === true && res.requests.dropped === 0,
    failed: res.requests.failed, bottleneck: res.generator.bottleneck, reason: res.generator.reason, cpuPct: res.generator.cpuPct,
  };
}

/** One autocannon CLI process on the session `sid`: its figures. */
async function autocannon(url, sid, extra) {
  const args = [autocannonCli, '-c', '32', '-d', '6', ...extra, '-j', '-m', 'POST', '-H', 'content-type=application/json',
    '-H', 'accept=application/json, text/event-stream', '-H', `mcp-session-id=${sid}`, '-b', BODY, url];
  const r = await runCounted(args, { cwd: root });
  if (r.code !== 0 || r.cpuUs === null) throw new Error(`autocannon exited ${r.code}:\n${r.stderr}`);
  const res = JSON.parse(r.stdout);
  const completed = res.requests.total;
  return { rps: completed / (res.duration || 6), cpuPerReq: r.cpuUs / completed, p99Ms: res.latency.p99, lateP99Ms: null, non2xx: res.non2xx, errors: res.errors };
}

const server = await startServer();
try {
  const sid = await openSession(server.url);
  console.log(`generatorHttp — node ${process.version}, ${ROUNDS} rounds per point (medians), fixtures/servers/http-raw.mjs, ping, mcp-opt --http-client ${CLIENT}`);
  const rows = { closed: { ours: [], ac: [] }, open: { ours: [], ac: [] } };
  for (let i = 0; i < ROUNDS; i++) {
    rows.closed.ours.push(await mcpOpt(server.url, ['--concurrency', '32']));
    rows.closed.ac.push(await autocannon(server.url, sid, []));
    rows.open.ours.push(await mcpOpt(server.url, ['--rps', String(RATE)]));
    rows.open.ac.push(await autocannon(server.url, sid, ['-R', String(RATE)]));
  }
  const m = (runs, k) => median(runs.map((r) => r[k]));
  const fmt = (x, d = 1) => (x === null ? '–' : x.toFixed(d));
  console.log('\n  mode                      tool         req/s   CPU µs/request   p99 latency   p99 send lateness   bottleneck flagged');
  for (const [mode, label] of [['closed', 'closed loop, 32 in flight'], ['open', `open loop, ${RATE}/s`]]) {
    const { ours, ac } = rows[mode];
    const late = ours.every((r) => r.lateP99Ms === null) ? null : m(ours, 'lateP99Ms');
    console.log(`  ${label.padEnd(25)} mcp-opt ${fmt(m(ours, 'rps'), 0).padStart(10)} ${fmt(m(ours, 'cpuPerReq')).padStart(16)} ${fmt(m(ours, 'p99Ms'), 2).padStart(10)} ms ${(fmt(late, 3) + ' ms').padStart(19)}   ${ours.filter((r) => r.bottleneck).length} of ${ours.length}`);
    console.log(`  ${''.padEnd(25)} autocannon ${fmt(m(ac, 'rps'), 0).padStart(7)} ${fmt(m(ac, 'cpuPerReq')).padStart(16)} ${fmt(m(ac, 'p99Ms'), 2).padStart(10)} ms ${'–'.padStart(19)}`);
    for (const r of ours.filter((x) => x.bottleneck)) console.log(`  ! flagged: ${r.reason.split(':')[0]}`);
    const bad = ours.reduce((n, r) => n + r.failed, 0) + ac.reduce((n, r) => n + r.non2xx + r.errors, 0);
    if (bad > 0) console.log(`  ! ${bad} failed requests in ${label} (mcp-opt failed + autocannon non-2xx/errors)`);
  }
  console.log('');
  const { closed, open } = rows;
  ok = goal(m(closed.ours, 'cpuPerReq') <= m(closed.ac, 'cpuPerReq'), `closed loop CPU per request ≤ autocannon's (${fmt(m(closed.ours, 'cpuPerReq'))} vs ${fmt(m(closed.ac, 'cpuPerReq'))} µs)`) && ok;
  ok = goal(m(open.ours, 'cpuPerReq') <= m(open.ac, 'cpuPerReq'), `open loop CPU per request ≤ autocannon's (${fmt(m(open.ours, 'cpuPerReq'))} vs ${fmt(m(open.ac, 'cpuPerReq'))} µs)`) && ok;
  ok = goal(m(closed.ours, 'rps') >= m(closed.ac, 'rps'), `closed loop throughput ≥ autocannon's (${fmt(m(closed.ours, 'rps'), 0)} vs ${fmt(m(closed.ac, 'rps'), 0)} req/s)`) && ok;
  const sustained = open.ours.filter((r) => r.sustained).length;
  const lateMs = m(open.ours, 'lateP99Ms');
  ok = goal(sustained === open.ours.length && lateMs < 1, `${RATE}/s sustained with p99 send lateness < 1 ms (sustained in ${sustained} of ${open.ours.length} runs, p99 ${fmt(lateMs, 3)} ms)`) && ok;
} finally {
  server.stop();
}
process.exit(ok ? 0 : 1);
