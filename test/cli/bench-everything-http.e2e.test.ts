/**
 * bench against the real server-everything over Streamable HTTP (its `streamableHttp` mode, an
 * SDK-built Express server): the open loop through mcp-opt's engine and the closed loop through
 * autocannon both load it without errors, and its session is closed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchJson, waitFor } from '../helpers/cli.js';
import { alive, processesWithTestId, repoRoot } from '../helpers/fixtures.js';

const EVERYTHING = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const testId = randomUUID();
let child: ChildProcess;
let url = '';

/** Start server-everything's Streamable HTTP server on a free port (it takes the port from PORT). */
async function start(): Promise<void> {
  for (let attempt = 0; attempt < 5 && !url; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port), MCPOPT_TEST_ID: testId }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const up = await waitFor(() => /listening on port/.test(stderr) || /in use|Failed/.test(stderr) || child.exitCode !== null, 15_000);
    if (up && /listening on port/.test(stderr)) url = `http://127.0.0.1:${port}/mcp`;
    else child.kill('SIGKILL');
  }
  if (!url) throw new Error('server-everything did not start in streamableHttp mode');
}

beforeAll(start, 40_000);
afterAll(async () => {
  child?.kill('SIGTERM');
  await waitFor(() => child.pid === undefined || !alive(child.pid), 5000);
  expect(processesWithTestId(testId)).toEqual([]);
});

describe('bench server-everything over Streamable HTTP', () => {
  it('open loop (mcp-opt engine): the rate is held and every ping answered', async () => {
    const { run, result: r } = await runBenchJson([url, '--rps', '200', '--duration', '2s', '--warmup', '500ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.server!.name).toBe('mcp-servers/everything');
    expect(r.config.httpClient).toBe('mcp-opt');
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBe(r.requests.sent);
    expect(Math.abs(r.throughput.sentRps - 200) / 200).toBeLessThan(0.02);
    expect(r.pool.instances[0]!.connections!.opened).toBeGreaterThan(0);
  });

  it('closed loop (autocannon): echo calls answered and folded into the histograms', async () => {
    const { run, result: r } = await runBenchJson([url, '--concurrency', '8', '--duration', '2s', '--warmup', '500ms', '--call', 'echo={"message":"hi"}', '--http-client', 'autocannon']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.config.httpClient).toBe('autocannon');
    expect(r.pool.autocannon!.connections).toBe(8);
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBeGreaterThan(100);
    expect(r.latency!.n).toBe(r.requests.succeeded);
    expect(r.byOperation.map((o) => o.op)).toEqual(['tools/call:echo']);
  });
});
