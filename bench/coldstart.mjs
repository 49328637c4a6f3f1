// npm run bench:coldstart — does mcp-opt's cold start agree with a minimal independent client?
// Stage compared: handshake (spawn → `initialize` answered), p50. mcp-opt's figures are the
// per-run `coldStart.samples[].handshakeMs` of `mcp-opt analyze --runs N --json`; the independent
// client spawns the same command with node:child_process, writes `initialize` at once, times the
// first answer line and kills the server. Runs are interleaved: each round runs one analyze
// (N measured starts after its warm-up) and N independent starts (after one warm-up), the order
// alternating between rounds, on a bare fixture and on the real server-everything.
// Goal (issue 9): mcp-opt's p50 within ±10 % of the independent client's on both.
// Env: BENCH_ROUNDS (8), BENCH_RUNS (3), BENCH_BIN (another build's bin/mcp-opt.js, e.g. to compare
// before and after a change).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/figures.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = process.env.BENCH_BIN ?? join(root, 'bin', 'mcp-opt.js');
const everything = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOLERANCE = 0.1;
const TARGETS = [
  { name: 'minimal.mjs (bare SDK fixture)', argv: [process.execPath, join(root, 'fixtures/servers/minimal.mjs')] },
  { name: 'server-everything stdio', argv: [process.execPath, everything, 'stdio'] },
];
const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench-coldstart', version: '0' } },
})}\n`;


/** One independent start: spawn → first stdout line (the initialize answer), ms; then kill and reap. */
function independentStart(argv) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdin.on('error', () => {});
    child.stdin.write(INITIALIZE);
    let answeredMs = null;
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      if (answeredMs !== null) return;
      buffered += chunk;
      if (!buffered.includes('\n')) return;
      answeredMs = performance.now() - startedAt;
      child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () => (answeredMs === null ? reject(new Error(`${argv.join(' ')} exited before answering initialize`)) : resolve(answeredMs)));
  });
}

const outDir = mkdtempSync(join(tmpdir(), 'bench-coldstart-'));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

/**
 * One `mcp-opt analyze` as a user runs it (era probe, 1 warm-up, RUNS measured starts, result saved
 * after each); short later phases, which run after the cold starts. The per-run handshake times, ms.
 */
function mcpOptStarts(argv) {
  const args = [bin, 'analyze', '--runs', String(RUNS), '--warmup', '1', '--samples', '10', '--lookup-samples', '10',
    '--json', '--out', join(outDir, 'analyze.json'), '--', ...argv];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`mcp-opt analyze exited ${r.status}:\n${r.stderr}`);
  const cs = JSON.parse(r.stdout).coldStart;
  return { runs: cs.samples.map((s) => s.handshakeMs), p50: cs.stages.handshake.p50 / 1000 };
}

console.log(`bench:coldstart — stage compared: handshake (spawn → initialize answered), p50; ${ROUNDS} rounds × ${RUNS} starts each side, interleaved (node ${process.version}; load average ${loadavg()[0].toFixed(2)} on the way in)`);
let allOk = true;
for (const target of TARGETS) {
  const ours = [];
  const theirs = [];
  /** p50 ratio within each round: load that drifts between rounds cancels out of it. */
  const roundRatios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const mine = [];
    const other = [];
    const independent = async () => {
      await independentStart(target.argv);
      for (let i = 0; i < RUNS; i++) other.push(await independentStart(target.argv));
    };
    const analyze = () => mine.push(...mcpOptStarts(target.argv).runs);
    if (round % 2 === 0) { analyze(); await independent(); } else { await independent(); analyze(); }
    ours.push(...mine);
    theirs.push(...other);
    roundRatios.push(median(mine) / median(other));
  }
  const a = median(ours);
  const b = median(theirs);
  const ratio = a / b;
  const ok = Math.abs(ratio - 1) <= TOLERANCE;
  allOk &&= ok;
  console.log(`  ${target.name}`);
  console.log(`    mcp-opt analyze      p50 ${a.toFixed(1)} ms  (n ${ours.length}, range ${Math.min(...ours).toFixed(1)}–${Math.max(...ours).toFixed(1)})`);
  console.log(`    independent client   p50 ${b.toFixed(1)} ms  (n ${theirs.length}, range ${Math.min(...theirs).toFixed(1)}–${Math.max(...theirs).toFixed(1)})`);
  console.log(`    median of the ${ROUNDS} per-round ratios ${median(roundRatios).toFixed(3)} (drift between rounds cancels out)`);
  console.log(`    ratio ${ratio.toFixed(3)} (${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %): ${ok ? 'PASS' : 'FAIL'} (within ±${TOLERANCE * 100} %)`);
}
console.log(`  load average ${loadavg()[0].toFixed(2)} on the way out${allOk ? '' : '; on a busy machine, re-run when it is quieter'}`);
process.exitCode = allOk ? 0 : 1;
