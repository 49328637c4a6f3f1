// The floor under a stdio generator at a low rate: a process that does nothing but write one ping
// per interval (a plain setInterval) to a server's stdin and count the answers on its stdout. What
// it costs per second is what waking a sleeping process twice per request (the timer, then the
// answer) costs on this machine, before any measuring. Prints one JSON line: its own CPU over the
// measured seconds, as a share of one core.
// Usage: node bench/lib/minimalPipeClient.mjs <rps> <seconds> <server.mjs>
import { spawn } from 'node:child_process';

const [rps, seconds, server] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const child = spawn(process.execPath, [server], { stdio: ['pipe', 'pipe', 'inherit'] });
let id = 0;
let answered = 0;
child.stdout.on('data', (chunk) => {
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) answered++;
});
const send = (msg) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: id++, ...msg })}\n`);
send({ method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'floor', version: '0' } } });
await new Promise((r) => setTimeout(r, 1000));
const ping = '{"jsonrpc":"2.0","method":"ping","id":';
const timer = setInterval(() => child.stdin.write(`${ping}${id++}}\n`), 1000 / rps);
await new Promise((r) => setTimeout(r, 1000)); // warm-up
const c0 = process.cpuUsage();
const t0 = performance.now();
const a0 = answered;
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(c0);
const ms = performance.now() - t0;
clearInterval(timer);
console.log(JSON.stringify({ rps, answeredRps: ((answered - a0) / ms) * 1000, corePct: ((cpu.user + cpu.system) / 1000 / ms) * 100 }));
child.kill();
process.exit(0);
