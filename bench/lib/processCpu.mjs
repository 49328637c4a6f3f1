// Run a node program as its own process and report its whole-process CPU (start-up included,
// children excluded), as `/usr/bin/time` would for that one process: the figure the generator
// benchmarks hold mcp-opt and autocannon to, measured the same way for both.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const preload = fileURLToPath(new URL('./cpuAtExit.mjs', import.meta.url));

/**
 * Run `node <args…>`; resolves with { code, stdout, stderr, cpuUs, wallMs }. The process's
 * stdout and stderr are collected in memory.
 */
export function runCounted(args, { env = process.env, cwd = process.cwd() } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-cpu-'));
  const file = join(dir, 'cpu.json');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', preload, ...args], { cwd, env: { ...env, MCPOPT_CPU_OUT: file }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      let cpu = null;
      try { cpu = JSON.parse(readFileSync(file, 'utf8')); } catch { /* the process died before its exit handler */ }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), cpuUs: cpu?.cpuUs ?? null, wallMs });
    });
  });
}
