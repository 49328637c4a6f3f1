// One `mcp-opt bench … --no-save --json` as its own process, with its whole-process CPU
// (processCpu.mjs): what the generator benchmarks divide by the requests it completed (warm-up
// included, from the result's timeline), as autocannon's CPU is divided by its own total.
import { fileURLToPath } from 'node:url';
import { runCounted } from './processCpu.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcp-opt.js', import.meta.url));

/** Run `mcp-opt bench <args…> --no-save --json`; resolves with { result, cpuUs, completed }; throws when it fails. */
export async function runMcpOptBench(args) {
  const all = ['bench', ...args];
  const dash = all.indexOf('--');
  all.splice(dash === -1 ? all.length : dash, 0, '--no-save', '--json');
  const r = await runCounted([bin, ...all], { cwd: root });
  if (r.code !== 0 || r.cpuUs === null) throw new Error(`mcp-opt ${all.join(' ')} exited ${r.code}:\n${r.stderr}`);
  const result = JSON.parse(r.stdout);
  return { result, cpuUs: r.cpuUs, completed: result.timeline.reduce((n, s) => n + s.completed, 0) };
}
