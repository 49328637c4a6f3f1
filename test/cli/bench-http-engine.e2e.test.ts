/**
 * bench's own HTTP engine (src/target/http/pool.ts) end to end on fixtures/servers/http-raw.mjs, a
 * server without an SDK: closed and open loops answered in full, JSON and chunked SSE answers,
 * connections the server closes after an answer, a session the server expires, and errors the
 * server sends, each counted in its class. The server's own counters say what reached it. These
 * check what happens, not how fast (bench/generatorHttp.mjs measures the engine).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchJson } from '../helpers/cli.js';
import { httpStats, startHttpFixture, stopHttpFixtures } from '../helpers/httpFixture.js';

/** Counters of http-raw.mjs's GET /_stats. */
interface RawStats {
  connections: number;
  requests: number;
  methods: Record<string, number>;
  sessionsOpened: number;
  deletes: number;
  unknownSession404s: number;
}

const raw = (env: Record<string, string> = {}) => startHttpFixture(env, 'http-raw.mjs');

afterAll(stopHttpFixtures);

describe('bench <url> --http-client mcp-opt on http-raw.mjs', () => {
  it('closed loop of 32: every request answered and classified, all on one session over at most 32 kept-alive connections', async () => {
    const fx = await raw();
    const { run, result: r } = await runBenchJson([fx.url, '--concurrency', '32', '--requests', '3000', '--warmup', '0s', '--http-client', 'mcp-opt']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.config.httpClient).toBe('mcp-opt');
    expect(r.server!.transport).toEqual({ kind: 'streamable-http', responses: 'json' });
    expect(r.requests).toMatchObject({ sent: 3000, succeeded: 3000, failed: 0, abandoned: 0, errors: {} });
    const s = await httpStats<RawStats>(fx);
    // The 3000 pings, and nothing lost on the way: the probe's discover, initialize and initialized besides.
    expect(s.methods.ping).toBe(3000);
    expect(s.sessionsOpened).toBe(1);
    expect(s.deletes).toBe(1);
    const c = r.pool.instances[0]!.connections!;
    expect(c.opened).toBeLessThanOrEqual(33);
    expect(c.requests).toBeGreaterThanOrEqual(3000);
  });

  it('open loop: every due request sent and answered, none dropped', async () => {
    const fx = await raw();
    const { run, result: r } = await runBenchJson([fx.url, '--rps', '500', '--duration', '1s', '--warmup', '0s', '--http-client', 'mcp-opt']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.requests.dropped).toBe(0);
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBe(r.requests.sent);
    expect(r.requests.sent).toBe(500);
    expect((await httpStats<RawStats>(fx)).methods.ping).toBe(500);
  });

  it('SSE=1, CLOSE_EVERY=7: chunked SSE answers and connections closed after an answer, every request answered', async () => {
    const fx = await raw({ SSE: '1', CLOSE_EVERY: '7' });
    const { run, result: r } = await runBenchJson([fx.url, '--concurrency', '8', '--requests', '700', '--warmup', '0s', '--call', 'echo={"message":"hé"}', '--http-client', 'mcp-opt']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.server!.transport).toEqual({ kind: 'streamable-http', responses: 'sse' });
    expect(r.requests).toMatchObject({ sent: 700, succeeded: 700, failed: 0 });
    const s = await httpStats<RawStats>(fx);
    expect(s.methods['tools/call']).toBe(700);
    // Every 7th answer closed its connection: the engine opened new ones rather than failing.
    expect(s.connections).toBeGreaterThan(700 / 7 - 10);
  });

  it('EXPIRE_SESSION_AFTER=200: the session is re-initialized once; only requests in flight at the expiry fail, as session_expired', async () => {
    const fx = await raw({ EXPIRE_SESSION_AFTER: '200' });
    const { run, result: r } = await runBenchJson([fx.url, '--concurrency', '4', '--requests', '1000', '--warmup', '0s', '--http-client', 'mcp-opt']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.pool.instances[0]!.sessionReinits).toBe(1);
    expect(Object.keys(r.requests.errors)).toEqual(r.requests.failed > 0 ? ['session_expired'] : []);
    expect(r.requests.failed).toBeLessThanOrEqual(4);
    expect(r.requests.succeeded + r.requests.failed).toBe(r.requests.sent);
    const s = await httpStats<RawStats>(fx);
    expect(s.sessionsOpened).toBe(2);
    expect(s.unknownSession404s).toBe(r.requests.failed);
  });

  it('errors the server sends are counted in their class, successes beside them: a bad tool call (-32602) beside pings', async () => {
    const fx = await raw();
    const { run, result: r } = await runBenchJson([fx.url, '--method', 'ping', '--call', 'echo={"message":1}', '--requests', '400', '--concurrency', '4', '--warmup', '0s', '--http-client', 'mcp-opt']);
    expect(r.requests.sent).toBe(400);
    expect(r.requests.succeeded + r.requests.failed).toBe(400);
    expect(r.requests.failed).toBeGreaterThan(0);
    expect(r.requests.succeeded).toBeGreaterThan(0);
    expect(Object.values(r.requests.errors).reduce((a, b) => a + b, 0)).toBe(r.requests.failed);
    const calls = r.byOperation.find((o) => o.op.startsWith('tools/call'))!;
    expect(calls.failed).toBe(calls.requests);
    expect(calls.succeeded).toBe(0);
    // The server's own -32602, read from its answer: rejected arguments (not counted in the error rate).
    expect(r.requests.errors).toEqual({ 'argument-rejected': r.requests.failed });
    expect(run.code, run.stderr).toBe(0);
  });
});
