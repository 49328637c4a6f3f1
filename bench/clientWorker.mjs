// One measured client in its own process, so process.cpuUsage() counts only that client's CPU.
// Usage: node bench/clientWorker.mjs <engine|session|sdk> <ping|echo> <requests> <inflight> [server]
//        node bench/clientWorker.mjs open <rps> <seconds> [server]      (open-loop scheduling error)
// Prints one JSON line.
import { fileURLToPath } from 'node:url';

const fixture = (name) => fileURLToPath(new URL(`../fixtures/servers/${name}`, import.meta.url));
const WARMUP = 20_000;
const spec = (server) => ({
  kind: 'stdio', launch: { command: process.execPath, args: [server], cwd: process.cwd(), env: process.env },
  origin: 'bench', configuredEnvNames: [],
});
const openOpts = { era: 'legacy', startTimeoutMs: 10_000, requestTimeoutMs: 30_000, client: { name: 'bench', version: '0' } };
const operation = (method) => method === 'ping'
  ? { op: 'ping', method: 'ping', weight: 1, params: () => undefined, argsSource: 'none' }
  : { op: 'tools/call:echo', method: 'tools/call', name: 'echo', weight: 1, params: () => '{"name":"echo","arguments":{"message":"hi"}}', argsSource: 'given' };

/** Keep `inflight` requests outstanding until `n` have completed; `send(done)` issues one. */
function pipeline(n, inflight, send) {
  return new Promise((resolve) => {
    let sent = 0;
    let completed = 0;
    const done = () => {
      completed++;
      if (completed === n) resolve();
      else if (sent < n) { sent++; send(done); }
    };
    for (; sent < Math.min(inflight, n); ) { sent++; send(done); }
  });
}

async function measure(run) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const requests = await run();
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { requests, elapsedMs, rps: requests / (elapsedMs / 1000), cpuUsPerRequest: (cpu.user + cpu.system) / requests };
}

const [impl, ...rest] = process.argv.slice(2);
let out;
if (impl === 'open') {
  // The engine's open loop at a fixed rate: how late sends leave, and the rate achieved.
  const [rps, seconds, server = fixture('minimal-raw.mjs')] = rest;
  const { openTarget } = await import('../dist/target/target.js');
  const { Lane } = await import('../dist/runners/bench/lanes.js');
  const { runEngine } = await import('../dist/runners/bench/engine.js');
  const t = await openTarget(spec(server), openOpts);
  const op = operation('ping');
  const o = await runEngine({
    lanes: [new Lane(0, t)], balance: 'round-robin', nextOp: () => op, opLabels: [op.op],
    loop: { kind: 'open', rps: Number(rps), arrival: 'uniform', maxInflight: null },
    warmupMs: 1000, durationMs: Number(seconds) * 1000, requests: null, timeoutMs: 30_000, bailout: null,
    keepGoing: false, seed: 1, signal: new AbortController().signal, onSecond: () => {},
  });
  await t.close();
  const achieved = o.total.requests / (o.measuredMs / 1000);
  out = {
    impl, rps: Number(rps), sent: o.total.requests, achievedRps: achieved, rateErrorPct: ((achieved - Number(rps)) / Number(rps)) * 100,
    latenessP50Us: o.lateness.percentile(50), latenessP99Us: o.lateness.percentile(99), latenessMaxUs: o.lateness.toDistribution()?.max ?? null,
  };
} else {
  const [method, requestsArg, inflightArg, server = fixture('minimal-raw.mjs')] = rest;
  const requests = Number(requestsArg);
  const inflight = Number(inflightArg);
  if (impl === 'sdk') {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const client = new Client({ name: 'bench', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [server], stderr: 'ignore' }));
    const call = method === 'ping' ? () => client.ping() : () => client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    const send = (done) => call().then(done, (e) => { throw e; });
    await pipeline(WARMUP, inflight, send);
    out = { impl, method, inflight, ...(await measure(async () => { await pipeline(requests, inflight, send); return requests; })) };
    await client.close();
  } else if (impl === 'session') {
    // analyze's measuring client: the bare session, callback per request.
    const { openTarget } = await import('../dist/target/target.js');
    const t = await openTarget(spec(server), openOpts);
    const op = operation(method);
    const send = (done) => t.session.send(op.method, op.params(0), (r) => { if (r.outcome !== 'result') throw new Error(r.outcome); done(); }, undefined, op.name);
    await pipeline(WARMUP, inflight, send);
    out = { impl, method, inflight, ...(await measure(async () => { await pipeline(requests, inflight, send); return requests; })) };
    await t.close();
  } else {
    // bench's load engine, closed loop: the whole hot path (mix, lanes, HDR recording, timeline).
    const { openTarget } = await import('../dist/target/target.js');
    const { Lane } = await import('../dist/runners/bench/lanes.js');
    const { runEngine } = await import('../dist/runners/bench/engine.js');
    const t = await openTarget(spec(server), openOpts);
    const op = operation(method);
    const run = (n, warmupRequests) => runEngine({
      lanes: [new Lane(0, t)], balance: 'round-robin', nextOp: () => op, opLabels: [op.op], loop: { kind: 'closed', concurrency: inflight },
      warmupMs: 0, durationMs: null, requests: n + warmupRequests, timeoutMs: 30_000, bailout: null, keepGoing: false, seed: 1,
      signal: new AbortController().signal, onSecond: () => {},
    });
    await run(WARMUP, 0);
    out = { impl, method, inflight, ...(await measure(async () => { const o = await run(requests, 0); if (o.total.failed) throw new Error('failures'); return o.total.requests; })) };
    await t.close();
  }
}
console.log(JSON.stringify(out));
process.exit(0);
