// One measured client in its own process, so process.cpuUsage() counts only that client's CPU.
// Usage: node bench/clientWorker.mjs <mcp-opt|sdk> <ping|echo> <requests> <inflight>
// Prints one JSON line: { impl, method, requests, elapsedMs, rps, cpuUsPerRequest }.
import { fileURLToPath } from 'node:url';

const [impl, method, requestsArg, inflightArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const inflight = Number(inflightArg);
const server = fileURLToPath(new URL('../fixtures/servers/minimal.mjs', import.meta.url));
const WARMUP = 20000;

/** Keep `inflight` requests outstanding until `n` have completed; `send(done)` issues one. */
function pipeline(n, send) {
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

async function mcpOpt() {
  const { openTarget } = await import('../dist/target/target.js');
  const spec = { kind: 'stdio', launch: { command: process.execPath, args: [server], cwd: process.cwd(), env: process.env }, origin: 'bench', configuredEnvNames: [] };
  const t = await openTarget(spec, { era: 'legacy', startTimeoutMs: 10000, requestTimeoutMs: 30000, client: { name: 'bench', version: '0' } });
  const params = method === 'ping' ? undefined : JSON.stringify({ name: 'echo', arguments: { message: 'hi' } });
  const m = method === 'ping' ? 'ping' : 'tools/call';
  const send = (done) => t.session.send(m, params, (r) => { if (r.outcome !== 'result') throw new Error(`request failed: ${r.outcome}`); done(); });
  return { send, close: () => t.close() };
}

async function sdk() {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [server], stderr: 'ignore' }));
  const call = method === 'ping'
    ? () => client.ping()
    : () => client.callTool({ name: 'echo', arguments: { message: 'hi' } });
  const send = (done) => call().then(done, (e) => { throw e; });
  return { send, close: () => client.close() };
}

const c = impl === 'sdk' ? await sdk() : await mcpOpt();
await pipeline(WARMUP, c.send);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await pipeline(requests, c.send);
const elapsedMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await c.close();
console.log(JSON.stringify({
  impl, method, requests, inflight, elapsedMs,
  rps: requests / (elapsedMs / 1000),
  cpuUsPerRequest: (cpu.user + cpu.system) / requests,
}));
process.exit(0);
