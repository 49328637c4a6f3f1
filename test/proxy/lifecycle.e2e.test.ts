/**
 * `mcp-opt proxy` as a process: SIGTERM drains (the request in flight is answered) and stops
 * every instance, exit 130; SIGKILL of the proxy leaves no instance behind (they see their input
 * end); bad input exits 2 before anything starts; /metrics parses as Prometheus text and counts
 * what the client sent.
 */
import { describe, expect, it } from 'vitest';
import { noLeftovers, runCli, waitFor } from '../helpers/cli.js';
import { alive, fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';
import { logged, RpcClient, spawnProxy, startProxy } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');

describe('mcp-opt proxy as a process', () => {
  it('SIGTERM: the request in flight is answered, then every instance stops; exit 130', async () => {
    const pidFile = tmpFile('pids');
    const run = await spawnProxy(['--pool', '2', '--', process.execPath, RELAY], { FIXTURE_PID_FILE: pidFile });
    await run.client.initialize();
    const inFlight = run.client.call('slow', { ms: 800 });
    await new Promise((r) => setTimeout(r, 100));
    run.child.kill('SIGTERM');
    expect(RpcClient.text(await inFlight)).toBe('slept 800');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(/stopping: finishing the requests in flight/);
    expect(readPids(pidFile)).toHaveLength(2);
    expect(readPids(pidFile).filter(alive)).toEqual([]);
    await noLeftovers(run.testId);
  });

  it('SIGKILL of the proxy: its instances see their input end and exit', async () => {
    const pidFile = tmpFile('pids');
    const run = await spawnProxy(['--pool', '3', '--', process.execPath, RELAY], { FIXTURE_PID_FILE: pidFile });
    await run.client.initialize();
    expect(readPids(pidFile)).toHaveLength(3);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await waitFor(() => readPids(pidFile).every((p) => !alive(p)), 8000)).toBe(true);
    await noLeftovers(run.testId);
  });

  it('SIGKILL of the proxy whose instances ignore the end of their input: its reaper stops them', async () => {
    const pidFile = tmpFile('pids');
    const run = await spawnProxy(['--pool', '2', '--', process.execPath, RELAY], { FIXTURE_PID_FILE: pidFile, IGNORE_EOF: '1' });
    await run.client.initialize();
    expect(readPids(pidFile)).toHaveLength(2);
    run.child.kill('SIGKILL');
    await run.exited;
    // The reaper waits REAP_GRACE_S (2 s) for them to end on their own, then SIGTERM.
    await new Promise((r) => setTimeout(r, 1000));
    expect(readPids(pidFile).filter(alive), 'still running 1 s after the proxy died (within the grace)').toHaveLength(2);
    expect(await waitFor(() => readPids(pidFile).every((p) => !alive(p)), 8000)).toBe(true);
    await noLeftovers(run.testId);
  });

  it('exits 2 before starting anything on bad input: --max-rss for a URL upstream, a non-loopback --metrics, a bad --pool', async () => {
    const pidFile = tmpFile('pids');
    for (const [args, said] of [
      [['--max-rss', '1GiB', 'http://127.0.0.1:9/mcp'], /--max-rss bounds the memory of server processes the proxy starts/],
      [['--metrics', '0.0.0.0:9464', '--', process.execPath, RELAY], /loopback only/],
      [['--pool', '0', '--', process.execPath, RELAY], /--pool must be a whole number from 1 to 256/],
    ] as const) {
      const r = await runCli(['proxy', ...args], { env: { FIXTURE_PID_FILE: pidFile } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(said);
    }
    expect(readPids(pidFile)).toEqual([]);
  });

  it('a server that cannot start: exit 3 with its exit code and stderr; an upstream URL that does not answer: exit 3 saying so', async () => {
    const r = await runCli(['proxy', '--', process.execPath, fixturePath('crash-on-start.mjs')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/could not be started as a pool instance/);
    expect(r.stderr).toMatch(/The server exited with code 3\. Its last stderr lines:\n\s+Error: Cannot find module 'missing-dep'/);
    expect(r.stderr).not.toMatch(/respawning/);
    const url = await runCli(['proxy', 'http://127.0.0.1:9/mcp']);
    expect(url.code, url.stderr).toBe(3);
    expect(url.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\/mcp \(ECONNREFUSED\)/);
    expect(url.stderr).not.toMatch(/respawning/);
    await noLeftovers(r.testId);
  });

  it('/metrics parses as Prometheus text and counts exactly what the client sent', async () => {
    const run = await startProxy(['--pool', '2', '--affinity', 'none', '--metrics', '127.0.0.1:0', '--', process.execPath, RELAY]);
    const url = (await logged(run, /metrics at (http:\/\/\S+\/metrics)/)).replace(/^metrics at /, '');
    const c = run.client;
    await c.initialize();
    await Promise.all(Array.from({ length: 7 }, (_, k) => c.call('echo', { message: String(k) })));
    await c.call('nope');
    await c.request('tools/list', {});
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheus(await res.text());
    const value = (name: string, labels: Record<string, string>): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('mcpopt_proxy_requests_total', { method: 'tools/call', tool: 'echo' })).toBe(7);
    expect(value('mcpopt_proxy_requests_total', { method: 'tools/list' })).toBe(1);
    expect(value('mcpopt_proxy_answers_total', { method: 'tools/call', tool: 'echo', outcome: 'result' })).toBe(7);
    expect(value('mcpopt_proxy_answers_total', { method: 'tools/call', tool: 'nope', outcome: 'jsonrpc_error' })).toBe(1);
    expect(value('mcpopt_proxy_service_seconds_count', { method: 'tools/call' })).toBe(8);
    expect(value('mcpopt_proxy_instances', { state: 'ready' })).toBe(2);
    expect(value('mcpopt_proxy_inflight', {})).toBe(0);
    const base = url.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).text()).toMatch(/2 of 2 instances ready/);
    expect(await run.end()).toBe(0);
    await noLeftovers(run.testId);
  });
});

/** One sample of the Prometheus text format (exposition format 0.0.4). */
interface Sample { name: string; labels: Record<string, string>; value: number }

/** Parse the text format strictly: every line a comment (# HELP/# TYPE) or a sample; throws on anything else. */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(comment[3]);
        typed.add(comment[2]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus text line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const family = m[1]!.replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(m[1]!) || typed.has(family), `${m[1]} has a # TYPE`).toBe(true);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}
