// npm run bench:tune — does `mcp-opt tune` find the designed optimum every time, and what does the
// search cost beyond the measuring itself? Runs `tune fixtures/servers/tunable.mjs --call work
// --knob env:WORKERS=1,2,4,8` (throughput peaks at WORKERS = 4 by design: USL κ = 1/16) BENCH_RUNS
// times (default 3) with the default point length (1 s warm-up + 5 s), and prints each run's curve,
// choice and fit, then the overhead: wall time against the time spent inside the points' loads.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcp-opt.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/servers/tunable.mjs', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const picks = [];
const overheads = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'tune', fixture, '--call', 'work', '--knob', 'env:WORKERS=1,2,4,8', '--json', '--no-save'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t;
  if (r.status !== 0) { console.error(r.stderr); throw new Error(`tune exited ${r.status}`); }
  const result = JSON.parse(r.stdout);
  const curve = result.points.map((p) => `${p.settings['env:WORKERS']}: ${p.summary.succeededRps.toFixed(0)} req/s (${p.runs.length} run${p.runs.length > 1 ? 's' : ''})`).join(', ');
  const runsMeasured = result.points.reduce((n, p) => n + p.runs.length, 0);
  const loadMs = runsMeasured * (result.config.pointWarmupMs + result.config.pointDurationMs);
  const m = result.model;
  const pick = result.recommendation?.settings['env:WORKERS'];
  picks.push(pick);
  overheads.push(wallMs / loadMs);
  console.log(`run ${i + 1}: ${curve} → WORKERS=${pick}; USL σ ${m?.sigma?.toFixed(3)} κ ${m?.kappa?.toFixed(4)} peak N ${m?.peakN?.toFixed(2)} R² ${m?.r2?.toFixed(3)}; wall ${(wallMs / 1000).toFixed(1)} s for ${(loadMs / 1000).toFixed(0)} s of load (×${(wallMs / loadMs).toFixed(2)})`);
}
const right = picks.filter((p) => p === 4).length;
console.log(`bench:tune — designed optimum WORKERS=4 chosen in ${right} of ${runs} runs; wall time per unit of load time: ${overheads.map((o) => `×${o.toFixed(2)}`).join(', ')} (relaunch, era probe and handshake per point)`);
process.exitCode = right === runs ? 0 : 1;
