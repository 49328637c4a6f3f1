/**
 * HTTP targets, end to end: the CLI measures a running server (fixtures/servers/http-server.mjs)
 * by URL, in each transport: Streamable HTTP (legacy era), the 2024-11-05 HTTP+SSE transport
 * (reached by auto-fallback) and the modern 2026-07-28 era. Cold start is then a fresh session,
 * not a fresh process, every session mcp-opt opens is closed again, and credentials in the URL
 * stay out of the output.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST, TWO_RUNS, noLeftovers, parseResult, runCli, waitFor } from '../helpers/cli.js';
import { alive, fixturePath, processesWithTestId, repoRoot, tmpFile } from '../helpers/fixtures.js';

/** A running http-server.mjs fixture. */
interface HttpFixture {
  url: string;
  child: ChildProcessWithoutNullStreams;
  testId: string;
}

const started: HttpFixture[] = [];

/** Start http-server.mjs in `mode` on a random port; resolves once it printed its URL. */
function startHttpServer(mode: string): Promise<HttpFixture> {
  const testId = randomUUID();
  const child = spawn(process.execPath, [fixturePath('http-server.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, MODE: mode, PORT: '0', MCPOPT_TEST_ID: testId },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`http-server ${mode} printed no URL in 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      const fx = { url: (JSON.parse(out.slice(0, nl)) as { url: string }).url, child, testId };
      started.push(fx);
      resolve(fx);
    });
    child.once('exit', (code) => reject(new Error(`http-server ${mode} exited with ${code}; stderr: ${stderr}`)));
  });
}

/** Counters the fixture keeps (GET /_stats). */
async function stats(fx: HttpFixture): Promise<{ sessionsOpened: number; openSessions: number }> {
  const res = await fetch(new URL('/_stats', fx.url));
  return (await res.json()) as { sessionsOpened: number; openSessions: number };
}

afterAll(async () => {
  for (const fx of started) {
    fx.child.kill('SIGTERM');
    fx.child.stdin.end();
  }
  for (const fx of started) {
    await waitFor(() => fx.child.pid === undefined || !alive(fx.child.pid), 3000);
    expect(processesWithTestId(fx.testId)).toEqual([]);
  }
});

/** `analyze <url>` with fast settings; expects exit 0 and nothing left running by the CLI. */
async function analyzeUrl(url: string) {
  const run = await runCli(['analyze', url, ...FAST, ...TWO_RUNS, '--no-save', '--json']);
  expect(run.code, run.stderr).toBe(0);
  await noLeftovers(run.testId);
  return parseResult(run.stdout);
}

describe('analyze an HTTP server by URL', () => {
  it('Streamable HTTP: fresh sessions as cold starts, legacy era, both tools, sessions closed', async () => {
    const fx = await startHttpServer('streamable');
    const r = await analyzeUrl(fx.url);
    expect(r.target.kind).toBe('http');
    expect(r.coldStart!.mode).toBe('session');
    expect(r.coldStart!.samples).toHaveLength(2);
    expect(r.server?.era).toBe('legacy');
    expect(r.tools!.count).toBe(2);
    const s = await stats(fx);
    expect(s.sessionsOpened).toBeGreaterThanOrEqual(3); // 2 cold starts + the warm session
    expect(s.openSessions).toBe(0);
  });

  it('legacy HTTP+SSE (2024-11-05): reached through auto-fallback', async () => {
    const fx = await startHttpServer('sse');
    const r = await analyzeUrl(fx.url);
    expect(r.coldStart!.mode).toBe('session');
    expect(r.server?.era).toBe('legacy');
    expect(r.tools!.count).toBe(2);
    expect((await stats(fx)).openSessions).toBe(0);
  });

  it('modern (2026-07-28) over HTTP: era modern', async () => {
    const fx = await startHttpServer('modern');
    const r = await analyzeUrl(fx.url);
    expect(r.coldStart!.mode).toBe('session');
    expect(r.server?.era).toBe('modern');
    expect(r.server?.protocolVersion).toBe('2026-07-28');
    expect(r.tools!.count).toBe(2);
  });

  it('a secret in the URL query (JSON-response mode) is used but never printed or saved', async () => {
    const fx = await startHttpServer('json');
    const canary = `canary-q-${randomUUID()}`;
    const out = tmpFile('http-secret.json');
    const run = await runCli(['analyze', `${fx.url}?token=${canary}`, ...FAST, '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const saved = readFileSync(out, 'utf8');
    expect(parseResult(saved).target.display).toContain('token=***');
    expect(run.stdout).not.toContain(canary);
    expect(run.stderr).not.toContain(canary);
    expect(saved).not.toContain(canary);
    await noLeftovers(run.testId);
  });
});

describe('a URL with the wrong path', () => {
  // The fixture answers unknown paths as Express does: an HTML 404 page ("Cannot POST /wrong").
  it('ends with exit 3 and "no MCP endpoint … check the path", the HTML summarised, not dumped, nor taken for a legacy server', async () => {
    const fx = await startHttpServer('streamable');
    const wrong = new URL('/wrong', fx.url).href;
    // --era auto stops in the era probe; --era legacy in the handshake (POST 404, then GET 404).
    for (const era of ['auto', 'legacy']) {
      const run = await runCli(['analyze', wrong, ...FAST, '--no-save', '--era', era]);
      const out = run.stdout + run.stderr;
      expect(run.code, out).toBe(3);
      expect(run.stderr).toMatch(/no MCP endpoint at http:\/\/127\.0\.0\.1:\d+\/wrong \(POST: HTTP 404 \(text\/html\): "Cannot POST \/wrong"; GET answered HTTP 404 \(text\/html\)\): check the path, e\.g\. \/mcp/);
      expect(out).not.toMatch(/<[a-z!/][^>]*>/i);
      expect(out).not.toContain('DOCTYPE');
      expect(out).not.toMatch(/legacy era/);
      await noLeftovers(run.testId);
    }
  });
});
