// npm run bench:startup — how much `mcp-opt --version` costs over bare `node -e 0`, measured side by
// side (alternating, 30 runs each, medians). Goal (DEVELOPERS brief): within ~100 ms of bare node.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './lib/figures.mjs';

const bin = fileURLToPath(new URL('../bin/mcp-opt.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const time = (args) => { const t = performance.now(); execFileSync(process.execPath, args, { stdio: 'ignore' }); return performance.now() - t; };

const bare = [];
const ours = [];
const help = [];
for (let i = 0; i < 3; i++) { time(['-e', '0']); time([bin, '--version']); }
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '0']));
  ours.push(time([bin, '--version']));
  help.push(time([bin, 'analyze', '--help']));
}
const b = median(bare);
const o = median(ours);
const h = median(help);
console.log(`bench:startup — ${RUNS} runs each, alternating, medians (node ${process.version})`);
console.log(`  node -e 0               ${b.toFixed(1)} ms`);
console.log(`  mcp-opt --version       ${o.toFixed(1)} ms   (+${(o - b).toFixed(1)} ms)`);
console.log(`  mcp-opt analyze --help  ${h.toFixed(1)} ms   (+${(h - b).toFixed(1)} ms)`);
const ok = o - b <= 100;
console.log(`  goal (--version within 100 ms of bare node): ${ok ? 'met' : 'NOT met'}`);
process.exitCode = ok ? 0 : 1;
