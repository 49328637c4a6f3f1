// npm run bench:analyze — wall time of `mcp-opt analyze` with default settings on the real
// @modelcontextprotocol/server-everything (launched by its file path). Goal (issue #2): under 15 s.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const everything = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const bin = fileURLToPath(new URL('../bin/mcp-opt.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const times = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'analyze', everything, '--json', '--no-save'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) { console.error(r.stderr); throw new Error(`analyze exited ${r.status}`); }
  const result = JSON.parse(r.stdout);
  times.push(s);
  console.log(`run ${i + 1}: ${s.toFixed(2)} s wall (analyze's own durationMs ${result.durationMs} ms; cold start ready p50 ${(result.coldStart.stages.ready.p50 / 1000).toFixed(1)} ms; ${result.tools.count} tools; ${result.findings.length} findings)`);
}
const worst = Math.max(...times);
console.log(`bench:analyze — server-everything with defaults: worst ${worst.toFixed(2)} s of ${runs}; goal < 15 s: ${worst < 15 ? 'met' : 'NOT met'}`);
process.exitCode = worst < 15 ? 0 : 1;
