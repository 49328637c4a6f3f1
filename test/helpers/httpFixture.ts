/**
 * Start fixtures/servers/http-server.mjs for a test and stop it again: it listens on a random
 * port, prints its URL, and keeps counters at GET /_stats. Every fixture started here is stopped
 * by stopHttpFixtures() (call it in afterAll), which also checks that none outlived its stop.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { waitFor } from './cli.js';
import { alive, fixturePath, processesWithTestId, repoRoot } from './fixtures.js';

/** A running http-server.mjs. */
export interface HttpFixture {
  /** The MCP endpoint it printed. */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** MCPOPT_TEST_ID of the fixture process (not of the CLI runs against it). */
  testId: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

const started: HttpFixture[] = [];

/** bench's open-loop load on the fixture: two sessions sharing 200 req/s (100 each) for 1 s after 0.2 s, echo calls. */
export const TWO_SESSION_LOAD: readonly string[] = ['--rps', '200', '--duration', '1s', '--warmup', '200ms', '--connections', '2', '--call', 'echo={"text":"hi"}'];

/** Start http-server.mjs (or `script`, another fixture that prints its URL so: http-raw.mjs) with `env` (MODE…) on a random port; resolves once it printed its URL. */
export function startHttpFixture(env: Record<string, string>, script = 'http-server.mjs'): Promise<HttpFixture> {
  const testId = randomUUID();
  const child = spawn(process.execPath, [fixturePath(script)], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ...env, MCPOPT_TEST_ID: testId },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} printed no URL in 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      const fx = { url: (JSON.parse(out.slice(0, nl)) as { url: string }).url, child, testId, stderr: () => stderr };
      started.push(fx);
      resolve(fx);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}; stderr: ${stderr}`)));
  });
}

/** The fixture's counters (GET /_stats; see http-server.mjs). */
export async function httpStats<T = Record<string, unknown>>(fx: HttpFixture): Promise<T> {
  return (await (await fetch(new URL('/_stats', fx.url))).json()) as T;
}

/** Stop every fixture started here and check that none is left. */
export async function stopHttpFixtures(): Promise<void> {
  for (const fx of started) {
    fx.child.kill('SIGTERM');
    fx.child.stdin.end();
  }
  for (const fx of started.splice(0)) {
    await waitFor(() => fx.child.pid === undefined || !alive(fx.child.pid), 3000);
    expect(processesWithTestId(fx.testId)).toEqual([]);
  }
}
