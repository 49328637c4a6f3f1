// npm run bench:proxy — `mcp-opt proxy` beside what it stands in front of, measured side by side in
// one run on this machine (issue 12). Every figure is measured here; the script exits 0 either way.
//   1. Overhead: fixtures/servers/minimal-raw.mjs (~1 µs of server CPU per request) direct vs through
//      `mcp-opt proxy --pool 1` (its stdio front), 1 and 64 requests in flight, ping and tools/call
//      echo: added p50/p99, and the proxy process's own CPU per request (utime+stime of its pid in
//      /proc/<pid>/stat over the measured window: its instance is another process and not counted).
//      Goals, on tools/call echo (the proxy answers a client's ping itself, so ping rows show its
//      front alone and are not judged): ≤ 50 µs added p50 one request at a time (at 64 in flight
//      p50 is queueing, ~64 ÷ throughput, and is printed only); proxy CPU ≤ 10 µs per request at 64.
//   2. Pooling: fixtures/servers/relay.mjs with SERIAL=1 SERVICE_MS=10 (one `work` call at a time,
//      10 ms each) direct vs `proxy --pool 4 --affinity none`, 16 in flight: goal ≥ 3.6× the throughput.
//   3. Bridging: minimal-raw over Streamable HTTP, 32 in flight, tools/call echo (every bridge
//      forwards it to the server): the proxy's HTTP front (--listen) vs supergateway 4.0.0
//      (--stateful: one child per session; stateless spawns one per request) and mcp-proxy 6.7.19
//      (npm), each bridging the same server: goal ≥ 5× supergateway's throughput and a lower p99. Those two are installed once, pinned, into
//      bench/.deps (gitignored), not into package.json: they would pull express & co into every `npm ci`.
//   4. Caching (issue 13): fixtures/servers/zod-tools.mjs, 1,000 tools with zod schemas on the SDK's
//      McpServer (which converts every schema again for each tools/list): tools/list p50 one at a
//      time direct vs through the proxy (cached until list_changed): goal ≥ 20× faster. Then
//      cacheable.mjs (1,000 tools, counts what reaches it): the list's bytes over the HTTP front
//      with and without compression (Accept-Encoding br, gzip); 64 HTTP sessions asking the same
//      tools/list at once (BUILD_MS=100): server hits with the cache (coalesced: goal 1) and with
//      --no-cache (64); a tool opted in with --cache-tool, called with a Zipf argument mix
//      ({{zipf 1000}}): hit ratio and p50 beside the same calls uncached.
// Load generator: parts 1 and 2 run bench's load engine (runEngine, closed loop: what `mcp-opt bench
// --concurrency C` runs) in this process, so the proxy's CPU is read around exactly the measured
// requests, after a warm-up run; direct and proxied runs alternate over rounds and medians are
// printed. Part 3 runs `mcp-opt bench <url> --era legacy --call echo=… --concurrency 32 --json` as a
// user would (autocannon over one session). Env: BENCH_ROUNDS (3), BENCH_SECONDS (1.5, per measured
// run of parts 1-2), BENCH_PARTS (1,2,3), BENCH_BIN (another build's bin/mcp-opt.js to run the proxy
// from, e.g. to compare before and after a change).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'mcp-opt.js');
const proxyBin = process.env.BENCH_BIN ?? bin;
const fixture = (name) => join(root, 'fixtures', 'servers', name);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const PARTS = (process.env.BENCH_PARTS ?? '1,2,3,4').split(',').map(Number);
/** USER_HZ: /proc/<pid>/stat times are in 1/100 s on every mainstream Linux build. */
const US_PER_TICK = 10_000;

const { openTarget } = await import('../dist/target/target.js');
const { Lane } = await import('../dist/runners/bench/lanes.js');
const { runEngine } = await import('../dist/runners/bench/engine.js');
const { readStat } = await import('../dist/target/procfs.js');

const goals = [];
const goal = (ok, text) => { goals.push({ ok, text }); console.log(`  goal ${text}: ${ok ? 'met' : 'NOT met'}`); };
const us = (x) => `${x.toFixed(0)} µs`;
const openOpts = { era: 'legacy', startTimeoutMs: 20_000, requestTimeoutMs: 30_000, client: { name: 'bench-proxy', version: '0' } };
const stdio = (args, env = {}) => ({
  kind: 'stdio', launch: { command: process.execPath, args, cwd: root, env: { ...process.env, ...env } }, origin: 'bench', configuredEnvNames: [],
});
const proxied = (flags, server) => [proxyBin, 'proxy', ...flags, '--', process.execPath, server];
const ping = { op: 'ping', method: 'ping', weight: 1, params: () => undefined, argsSource: 'none' };
const call = (name, args) => ({ op: `tools/call:${name}`, method: 'tools/call', name, weight: 1, params: () => JSON.stringify({ name, arguments: args }), argsSource: 'given' });
const echo = call('echo', { message: 'hi' });

/** One closed-loop run of bench's engine over `target`: `requests` or `seconds`. */
function engineRun(target, op, concurrency, { requests = null, seconds = null }) {
  return runEngine({
    lanes: [new Lane(0, target)], balance: 'round-robin', nextOp: () => op, opLabels: [op.op], loop: { kind: 'closed', concurrency },
    warmupMs: 0, durationMs: seconds === null ? null : seconds * 1000, requests, timeoutMs: 30_000, bailout: null, keepGoing: false, seed: 1,
    signal: new AbortController().signal, onSecond: () => {},
  });
}

/** Warm up, then measure; with `cpuPid`, that process's CPU over the measured run, µs per request. */
async function measure(target, op, concurrency, seconds, cpuPid) {
  await engineRun(target, op, concurrency, { requests: concurrency === 1 ? 2_000 : 20_000 });
  const before = cpuPid ? readStat(cpuPid).cpuTicks : 0;
  const o = await engineRun(target, op, concurrency, { seconds });
  const after = cpuPid ? readStat(cpuPid).cpuTicks : 0;
  if (o.total.failed > 0) throw new Error(`${op.op}: ${o.total.failed} requests failed (${JSON.stringify(o.total.errors)})`);
  const n = o.total.requests;
  return { rps: n / (o.measuredMs / 1000), p50: o.total.service.percentile(50), p99: o.total.service.percentile(99), cpuUs: cpuPid ? ((after - before) * US_PER_TICK) / n : null };
}

/** Each side's runs alternating over ROUNDS, order rotating; medians of each figure, by side name. */
async function sideBySide(sides, op, concurrency, seconds) {
  const res = Object.fromEntries(sides.map((x) => [x.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(k + r) % sides.length];
      res[side.name].push(await measure(side.target, op, concurrency, seconds, side.cpuPid));
    }
  }
  const med = (runs) => Object.fromEntries(['rps', 'p50', 'p99', 'cpuUs'].map((k) => [k, runs[0][k] === null ? null : median(runs.map((x) => x[k]))]));
  return Object.fromEntries(Object.entries(res).map(([name, runs]) => [name, med(runs)]));
}

console.log(`bench:proxy — ${proxyBin === bin ? '' : `proxy from ${proxyBin}, `}node ${process.version}, load average ${loadavg()[0].toFixed(2)} on the way in; ${ROUNDS} rounds × ${SECONDS} s per side (parts 1-2), medians`);

if (PARTS.includes(1)) await overhead();
if (PARTS.includes(2)) await pooling();
// 3. Bridging.
if (PARTS.includes(3)) {
  console.log('\n3. bridging: minimal-raw.mjs over Streamable HTTP, tools/call echo, 32 in flight, `mcp-opt bench <url> --era legacy --call echo=… --concurrency 32`');
  await bridging();
}

if (PARTS.includes(4)) await caching();

const missed = goals.filter((g) => !g.ok);
console.log(`\n${goals.length - missed.length} of ${goals.length} goals met${missed.length ? `; not met: ${missed.map((g) => g.text).join('; ')}` : ''} (load average ${loadavg()[0].toFixed(2)} on the way out)`);
process.exitCode = 0;

/** 1. Overhead: minimal-raw direct vs through `proxy --pool 1`. */
async function overhead() {
  console.log('\n1. overhead: fixtures/servers/minimal-raw.mjs direct vs `mcp-opt proxy --pool 1 -- node minimal-raw.mjs` (stdio front), closed loop (bench\'s engine)');
  const server = fixture('minimal-raw.mjs');
  const direct = await openTarget(stdio([server]), openOpts);
  const proxy = await openTarget(stdio(proxied(['--pool', '1'], server)), openOpts);
  const pipe = await openTarget(stdio([join(root, 'bench', 'pipeRelay.mjs'), server]), openOpts);
  try {
    console.log('  (ping is answered by the proxy itself, as a client\'s liveness is the proxy\'s: its rows show the front alone)');
    console.log('  operation        in flight   direct req/s  p50     p99     | proxied req/s  p50     p99     | added p50  added p99  proxy CPU/req');
    for (const op of [ping, echo]) {
      for (const c of [1, 64]) {
        const sides = [{ name: 'direct', target: direct }, { name: 'proxy', target: proxy, cpuPid: proxy.process.pid }];
        // The floor, for forwarded requests: a Node process that only pipes bytes (bench/pipeRelay.mjs).
        if (op !== ping) sides.push({ name: 'pipe', target: pipe, cpuPid: pipe.process.pid });
        const { direct: d, proxy: p, pipe: f } = await sideBySide(sides, op, c, SECONDS);
        console.log(`  ${op.op.padEnd(16)} ${String(c).padStart(9)}   ${d.rps.toFixed(0).padStart(12)}  ${us(d.p50).padEnd(7)} ${us(d.p99).padEnd(7)} | ${p.rps.toFixed(0).padStart(13)}  ${us(p.p50).padEnd(7)} ${us(p.p99).padEnd(7)} | ${us(p.p50 - d.p50).padStart(9)}  ${us(p.p99 - d.p99).padStart(9)}  ${p.cpuUs.toFixed(2).padStart(8)} µs`);
        if (op === ping) continue;
        console.log(`${'    floor: a Node process piping bytes'.padEnd(61)}| ${f.rps.toFixed(0).padStart(13)}  ${us(f.p50).padEnd(7)} ${us(f.p99).padEnd(7)} | ${us(f.p50 - d.p50).padStart(9)}  ${us(f.p99 - d.p99).padStart(9)}  ${f.cpuUs.toFixed(2).padStart(8)} µs`);
        if (c === 1) goal(p.p50 - d.p50 <= 50, `${op.op}, 1 in flight: added p50 ≤ 50 µs (${(p.p50 - d.p50).toFixed(0)} µs)`);
        else goal(p.cpuUs <= 10, `${op.op}, 64 in flight: proxy CPU ≤ 10 µs/request (${p.cpuUs.toFixed(2)} µs)`);
      }
    }
  } finally {
    await Promise.all([direct.close(), proxy.close(), pipe.close()]);
  }
}

/** 2. Pooling: a serial server direct vs `--pool 4 --affinity none`. */
async function pooling() {
  console.log('\n2. pooling: fixtures/servers/relay.mjs SERIAL=1 SERVICE_MS=10 (one `work` at a time, 10 ms each), tools/call work, 16 in flight');
  const server = fixture('relay.mjs');
  const env = { SERIAL: '1', SERVICE_MS: '10' };
  const work = call('work', {});
  const direct = await openTarget(stdio([server], env), openOpts);
  const pool = await openTarget(stdio(proxied(['--pool', '4', '--affinity', 'none'], server), env), openOpts);
  try {
    const seconds = Math.max(2, SECONDS);
    const d = [];
    const p = [];
    for (let r = 0; r < 2; r++) {
      // Warm-up of 64 requests: long enough for the instances' JIT, short at 10 ms per call.
      for (const [t, out] of r % 2 === 0 ? [[direct, d], [pool, p]] : [[pool, p], [direct, d]]) {
        await engineRun(t, work, 16, { requests: 64 });
        const o = await engineRun(t, work, 16, { seconds });
        if (o.total.failed > 0) throw new Error(`work: ${o.total.failed} requests failed`);
        out.push({ rps: o.total.requests / (o.measuredMs / 1000), p50: o.total.service.percentile(50) });
      }
    }
    const dr = median(d.map((x) => x.rps));
    const pr = median(p.map((x) => x.rps));
    console.log(`  direct (one instance)                    ${dr.toFixed(1).padStart(7)} req/s  p50 ${(median(d.map((x) => x.p50)) / 1000).toFixed(1)} ms`);
    console.log(`  proxy --pool 4 --affinity none           ${pr.toFixed(1).padStart(7)} req/s  p50 ${(median(p.map((x) => x.p50)) / 1000).toFixed(1)} ms`);
    console.log(`  ratio ${(pr / dr).toFixed(2)}×`);
    goal(pr >= 3.6 * dr, `pool of 4 ≥ 3.6× the throughput (${(pr / dr).toFixed(2)}×)`);
  } finally {
    await Promise.all([direct.close(), pool.close()]);
  }
}

async function bridging() {
  const help = execFileSync(process.execPath, [proxyBin, 'proxy', '--help'], { encoding: 'utf8' });
  if (!help.includes('--listen')) {
    console.log('  skipped: no HTTP front in this build');
    return;
  }
  const deps = join(root, 'bench', '.deps');
  const pinned = { supergateway: '4.0.0', 'mcp-proxy': '6.7.19' };
  const installed = (name) => {
    try {
      return JSON.parse(readFileSync(join(deps, 'node_modules', name, 'package.json'), 'utf8')).version === pinned[name];
    } catch {
      return false;
    }
  };
  if (!Object.keys(pinned).every(installed)) {
    const specs = Object.entries(pinned).map(([n, v]) => `${n}@${v}`);
    console.log(`  installing ${specs.join(' and ')} into bench/.deps (once): npm install --prefix bench/.deps --no-audit --no-fund ${specs.join(' ')}`);
    const r = spawnSync('npm', ['install', '--prefix', deps, '--no-audit', '--no-fund', ...specs], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) {
      console.log('  skipped: the npm install failed (see above)');
      return;
    }
  }
  const server = fixture('minimal-raw.mjs');
  // supergateway runs its --stdio command through a shell: quote the paths.
  const shellQuote = (x) => `'${x.replaceAll("'", "'\\''")}'`;
  const serverCmd = `${shellQuote(process.execPath)} ${shellQuote(server)}`;
  const bridges = [
    {
      name: 'mcp-opt proxy --listen (HTTP front)',
      start: () => startBridge([proxyBin, 'proxy', '--listen', 'http://127.0.0.1:0/mcp', '--pool', '1', '--', process.execPath, server], /serving Streamable HTTP at (http:\/\/[^\s,;)]*[^\s,;).])/),
    },
    {
      name: `supergateway ${pinned.supergateway}`,
      start: async () => {
        const port = await freePort();
        return startBridge([join(deps, 'node_modules', 'supergateway', 'dist', 'index.js'), '--stdio', serverCmd, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port), '--logLevel', 'none'],
          null, `http://127.0.0.1:${port}/mcp`);
      },
    },
    {
      name: `mcp-proxy ${pinned['mcp-proxy']}`,
      start: async () => {
        const port = await freePort();
        return startBridge([join(deps, 'node_modules', 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs'), '--port', String(port), '--host', '127.0.0.1', '--server', 'stream', '--', process.execPath, server],
          null, `http://127.0.0.1:${port}/mcp`);
      },
    },
  ];
  const rows = [];
  for (const b of bridges) {
    const bridge = await b.start();
    try {
      const r = spawnSync(process.execPath, [bin, 'bench', bridge.url, '--era', 'legacy', '--call', 'echo={"message":"hi"}', '--concurrency', '32', '--warmup', '1s', '--duration', '4s', '--json', '--no-save'],
        { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
      if (!r.stdout.trim()) throw new Error(`mcp-opt bench ${bridge.url} (${b.name}) exited ${r.status}:\n${r.stderr.slice(-2000)}`);
      const res = JSON.parse(r.stdout);
      rows.push({ name: b.name, rps: res.throughput.succeededRps, p50: res.latency?.p50 ?? NaN, p99: res.latency?.p99 ?? NaN, failed: res.requests.failed });
    } finally {
      await bridge.stop();
    }
  }
  console.log('  bridge                                   req/s      p50        p99        failed');
  for (const r of rows) console.log(`  ${r.name.padEnd(38)} ${r.rps.toFixed(0).padStart(7)}  ${(r.p50 / 1000).toFixed(2).padStart(7)} ms ${(r.p99 / 1000).toFixed(2).padStart(7)} ms ${String(r.failed).padStart(8)}`);
  const [ours, sg, mp] = rows;
  console.log(`  mcp-opt vs supergateway: ${(ours.rps / sg.rps).toFixed(1)}× throughput, p99 ${(ours.p99 / 1000).toFixed(2)} vs ${(sg.p99 / 1000).toFixed(2)} ms; vs mcp-proxy: ${(ours.rps / mp.rps).toFixed(1)}×`);
  goal(ours.rps >= 5 * sg.rps, `≥ 5× supergateway's throughput (${(ours.rps / sg.rps).toFixed(1)}×)`);
  goal(ours.p99 < sg.p99, 'a lower p99 than supergateway\'s');
}

/** 4. Caching and coalescing: cacheable.mjs direct vs through the proxy. */
async function caching() {
  console.log('\n4. caching: fixtures/servers/zod-tools.mjs (1,000 zod tools on the SDK\'s McpServer, which builds tools/list afresh each time), tools/list one at a time');
  console.log('  (a raw stdio client: latency to the answer\'s last byte, as wrk and autocannon measure; then the client\'s own JSON.parse of it, the same either way)');
  const direct = rawStdio([process.execPath, fixture('zod-tools.mjs')]);
  const proxy = rawStdio([process.execPath, ...proxied(['--pool', '1'], fixture('zod-tools.mjs'))]);
  try {
    await Promise.all([direct.initialize(), proxy.initialize()]);
    const d = [];
    const p = [];
    for (let r = 0; r < ROUNDS; r++) {
      d.push(await direct.listTimes(5, 20));
      p.push(await proxy.listTimes(20, 500));
    }
    const row = (name, runs) => {
      const [arrive, parse] = [median(runs.map((x) => x.arriveMs)), median(runs.map((x) => x.parseMs))];
      console.log(`  ${name.padEnd(40)} answer p50 ${arrive.toFixed(3).padStart(8)} ms   + parse ${parse.toFixed(2)} ms   (${(runs[0].bytes / 1024).toFixed(0)} KiB)`);
      return { arrive, parse };
    };
    const dm = row('direct', d);
    const pm = row('proxy (cached until list_changed)', p);
    console.log(`  cached: ${(dm.arrive / pm.arrive).toFixed(0)}× faster to the last byte; ${((dm.arrive + dm.parse) / (pm.arrive + pm.parse)).toFixed(0)}× with the client's parse`);
    goal(dm.arrive >= 20 * pm.arrive, `cached tools/list ≥ 20× faster than direct (${(dm.arrive / pm.arrive).toFixed(0)}×, to the last byte)`);
  } finally {
    direct.close();
    proxy.close();
  }
  await cachedTool();
  // Bytes of a 1,000-tool list over the HTTP front, and 64 sessions asking it at once (cacheable.mjs, which counts them).
  const server = fixture('cacheable.mjs');
  const env = { TOOL_COUNT: '1000' };
  for (const [label, flags, buildMs] of [['with the cache', [], '100'], ['--no-cache', ['--no-cache'], '100']]) {
    const front = await startBridge([proxyBin, 'proxy', '--listen', 'http://127.0.0.1:0/mcp', '--pool', '2', '--affinity', 'none', ...flags, '--', process.execPath, server],
      /serving Streamable HTTP at (http:\/\/[^\s,;)]*[^\s,;).])/, null, { ...env, BUILD_MS: buildMs });
    try {
      const sessions = await Promise.all(Array.from({ length: 64 }, () => httpSession(front.url)));
      if (label === 'with the cache') {
        const sizes = [];
        for (const enc of ['identity', 'gzip', 'br']) {
          const res = await httpPost(front.url, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { ...sessions[0], 'accept-encoding': enc });
          // fetch undoes br and gzip: what was sent is the Content-Length (the front sets it on compressed answers).
          const body = await res.arrayBuffer();
          const sent = res.headers.get('content-encoding') === null ? body.byteLength : Number(res.headers.get('content-length'));
          sizes.push(`${enc} ${(sent / 1024).toFixed(1)} KiB`);
        }
        console.log(`  tools/list over the HTTP front, bytes sent (Content-Length): ${sizes.join(', ')}`);
      }
      const before = await serverCalls(front.url, sessions[0]);
      await Promise.all(sessions.map((h, k) => httpPost(front.url, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: { burst: 1 } } }, h).then((r) => r.arrayBuffer()).then(() => k)));
      const hits = (await serverCalls(front.url, sessions[0])) - before;
      console.log(`  64 sessions, the same tools/list at once, ${label.padEnd(15)} server tools/list calls: ${hits}`);
      if (label === 'with the cache') goal(hits === 1, `64 identical concurrent reads reach the server once (${hits})`);
    } finally {
      await front.stop();
    }
  }
}

/**
 * A newline-delimited JSON-RPC client of a spawned command, one request at a time, that times each
 * answer to its last byte (and its JSON.parse separately): bench's engine counts its parse in the
 * latency, which for a 470 KB list is most of a cached answer's time and no proxy can change.
 */
function rawStdio(argv) {
  const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
  let chunks = [];
  let waiting = null;
  child.stdout.on('data', (d) => {
    chunks.push(d);
    if (d[d.length - 1] !== 10 || waiting === null) return;
    const at = performance.now();
    const body = Buffer.concat(chunks);
    chunks = [];
    const w = waiting;
    waiting = null;
    w({ at, body });
  });
  let id = 0;
  const request = (method, params) => new Promise((resolve) => {
    waiting = resolve;
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })}\n`);
  });
  return {
    async initialize() {
      await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-proxy', version: '0' } });
      child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    },
    /** tools/list `n` times after `warm` unmeasured: p50 to the last byte and of the parse, ms. */
    async listTimes(warm, n) {
      for (let k = 0; k < warm; k++) await request('tools/list', {});
      const arrive = [];
      const parse = [];
      let bytes = 0;
      for (let k = 0; k < n; k++) {
        const t0 = performance.now();
        const { at, body } = await request('tools/list', {});
        arrive.push(at - t0);
        const p0 = performance.now();
        const m = JSON.parse(body.toString('utf8'));
        parse.push(performance.now() - p0);
        if (!Array.isArray(m.result?.tools)) throw new Error(`tools/list failed: ${body.toString('utf8').slice(0, 200)}`);
        bytes = body.length;
      }
      return { arriveMs: median(arrive), parseMs: median(parse), bytes };
    },
    close() {
      child.stdin.end();
    },
  };
}

/**
 * 4c. A read-only, closed-world tool opted in with --cache-tool, called with a Zipf-distributed
 * argument (bench's `{{zipf 1000}}` template: a few queries most of the time) with BUILD_MS-free
 * cacheable.mjs whose `search_docs` costs ~nothing; the server's calls counted by its stats tool.
 */
async function cachedTool() {
  const { compileCall } = await import('../dist/workload/templateFunctions.js');
  const zipf = compileCall('zipf 1000', (p) => new Error(p)).typed;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const search = { op: 'tools/call:search_docs', method: 'tools/call', name: 'search_docs', weight: 1, params: () => `{"name":"search_docs","arguments":{"q":"doc-${zipf(0, rand)}"}}`, argsSource: 'given' };
  const server = fixture('cacheable.mjs');
  console.log('  --cache-tool search_docs=1m, tools/call with q = "doc-{{zipf 1000}}" (Zipf, s = 1), 8 in flight, 20,000 calls');
  for (const flags of [[], ['--cache-tool', 'search_docs=1m']]) {
    const t = await openTarget(stdio(proxied(['--pool', '1', ...flags], server)), openOpts);
    try {
      const o = await engineRun(t, search, 8, { requests: 20_000 });
      if (o.total.failed > 0) throw new Error(`search_docs: ${o.total.failed} requests failed`);
      const reply = await t.session.request('tools/call', { name: 'stats', arguments: {} });
      const served = JSON.parse(reply.result.content[0].text).calls - 1;
      const hitRatio = 1 - served / 20_000;
      console.log(`  ${(flags.length ? 'proxy --cache-tool search_docs=1m' : 'proxy, no --cache-tool').padEnd(40)} p50 ${(o.total.service.percentile(50) / 1000).toFixed(3).padStart(7)} ms  ${(o.total.requests / (o.measuredMs / 1000)).toFixed(0).padStart(6)} req/s  server calls ${String(served).padStart(5)}  hit ratio ${(100 * hitRatio).toFixed(1)} %`);
    } finally {
      await t.close();
    }
  }
}

/** A legacy HTTP session with the proxy's front: its headers. */
async function httpSession(url) {
  const res = await httpPost(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } });
  await res.arrayBuffer();
  const headers = { 'mcp-session-id': res.headers.get('mcp-session-id'), 'mcp-protocol-version': '2025-06-18' };
  await (await httpPost(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).arrayBuffer();
  return headers;
}

function httpPost(url, body, headers = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
}

/** tools/list calls every instance of the pool served so far (cacheable.mjs's stats tool; asked until both pids answered). */
async function serverCalls(url, headers) {
  const seen = new Map();
  for (let k = 0; k < 40 && seen.size < 2; k++) {
    const res = await httpPost(url, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'stats', arguments: {} } }, headers);
    const s = JSON.parse((await res.json()).result.content[0].text);
    seen.set(s.pid, s.toolsList);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

/** A port free now (the OS picks it): for bridges that take a port rather than 0. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start a bridge in its own process group (so stopping it stops the server it spawned too); ready
 * when its log shows `urlPattern`, or, without one, when `url` accepts connections.
 */
async function startBridge(args, urlPattern, url = null, env = process.env) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
  let log = '';
  const onLog = (chunk) => { log += chunk; };
  child.stdout.on('data', onLog);
  child.stderr.on('data', onLog);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
    await exited;
    clearTimeout(timer);
    // Whatever it spawned into its group and left behind.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none */ }
  };
  const until = performance.now() + 20_000;
  let dead = false;
  void exited.then(() => { dead = true; });
  while (performance.now() < until && !dead) {
    if (urlPattern) {
      const m = urlPattern.exec(log);
      if (m) return { url: m[1], stop };
    } else if (await accepting(url)) {
      return { url, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${args.slice(0, 2).join(' ')} did not get ready${dead ? ' (it exited)' : ''}:\n${log.slice(-2000)}`);
}

/** True once something accepts TCP connections at `url` (no MCP request: a stateful bridge would start a server for it). */
function accepting(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
