// npm run bench:profile — what `--profile` costs the server it samples (issue 15), measured side by
// side in one run on this machine: `mcp-opt bench <fixture> --call echo --concurrency 64` without
// the profiler, with it at the default interval (1 ms) and at 100 µs, in alternating rounds;
// medians of throughput, latency p50/p99 and the server tree's CPU per request (the result's
// resources: utime+stime of the server's processes over the measured window). Fixtures:
// fixtures/servers/minimal.mjs (SDK v1, ~20 µs of server CPU per request) and minimal-raw.mjs
// (~1.5 µs: the worst case, where a sampler's fixed cost weighs most). Every figure is measured
// here; the script exits 0 either way.
// The figure that answers "what does the profiler cost the server" is its CPU per request; on
// minimal-raw, 64 in flight is bound by the generator, not the server, so its throughput and
// latency move with noise more than with the profiler.
// Env: BENCH_ROUNDS (5), BENCH_SECONDS (3, measured length of each run).
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/figures.mjs';
import { runMcpOptBench } from './lib/mcpOptBench.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const fixture = (name) => fileURLToPath(new URL(`../fixtures/servers/${name}`, import.meta.url));

const MODES = [
  { label: 'no profiler', args: [] },
  { label: '--profile (1 ms)', args: ['--profile'] },
  { label: '--profile-interval 100us', args: ['--profile', '--profile-interval', '100us'] },
];

async function one(file, mode) {
  const { result } = await runMcpOptBench([file, '--call', 'echo={"message":"hi"}', '--concurrency', '64', '--duration', `${SECONDS}s`, '--warmup', '1s', ...mode.args]);
  // --no-save keeps the profiles in a temporary folder (named in the result): this script only reads the summary.
  for (const f of result.profile?.files ?? []) rmSync(dirname(f.path), { recursive: true, force: true });
  const ok = result.requests.succeeded;
  const res = result.resources;
  const serverCpuUs = res ? (res.cpuPctMean / 100) * result.throughput.measuredSeconds * 1e6 : null;
  return {
    rps: result.throughput.succeededRps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerReq: serverCpuUs === null || ok === 0 ? null : serverCpuUs / ok,
    samples: result.profile?.summary?.samples ?? null,
  };
}

const fmt = (v, d = 1) => (v === null || v === undefined ? '–' : v.toFixed(d));
for (const name of ['minimal.mjs', 'minimal-raw.mjs']) {
  const file = fixture(name);
  const runs = MODES.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, mode] of MODES.entries()) runs[i].push(await one(file, mode));
  }
  console.log(`\n${name}: tools/call echo, 64 in flight, ${SECONDS} s measured, median of ${ROUNDS} rounds`);
  console.log(`  ${'mode'.padEnd(26)} ${'req/s'.padStart(9)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'server CPU µs/req'.padStart(18)} ${'samples'.padStart(8)}`);
  const med = runs.map((rs) => ({
    rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
    cpuPerReq: rs.every((r) => r.cpuPerReq !== null) ? median(rs.map((r) => r.cpuPerReq)) : null,
    samples: rs.every((r) => r.samples !== null) ? median(rs.map((r) => r.samples)) : null,
  }));
  for (const [i, m] of med.entries()) {
    console.log(`  ${MODES[i].label.padEnd(26)} ${fmt(m.rps, 0).padStart(9)} ${fmt(m.p50, 0).padStart(8)} ${fmt(m.p99, 0).padStart(8)} ${fmt(m.cpuPerReq, 2).padStart(18)} ${fmt(m.samples, 0).padStart(8)}`);
  }
  for (const i of [1, 2]) {
    const base = med[0];
    const m = med[i];
    const cpu = base.cpuPerReq && m.cpuPerReq ? `server CPU per request ×${(m.cpuPerReq / base.cpuPerReq).toFixed(2)} (+${(m.cpuPerReq - base.cpuPerReq).toFixed(2)} µs)` : 'server CPU not sampled';
    console.log(`  cost of ${MODES[i].label}: ${cpu}; throughput ${(((m.rps - base.rps) / base.rps) * 100).toFixed(1)} %, p50 ×${(m.p50 / base.p50).toFixed(2)}`);
  }
}
