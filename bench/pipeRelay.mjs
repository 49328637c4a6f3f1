// The floor of any stdio proxy written in Node, for `npm run bench:proxy`: the server's stdin and
// stdout piped through this process byte for byte, nothing parsed. What it adds to a round trip
// is the cost of one more process in the path (two pipe hops and two wake-ups) on this machine.
// Usage: node bench/pipeRelay.mjs <server.mjs>
import { spawn } from 'node:child_process';

const child = spawn(process.execPath, [process.argv[2]], { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
child.on('exit', (code) => process.exit(code ?? 1));
