/**
 * bench over HTTP, end to end, against fixtures/servers/http-server.mjs in each transport:
 * Streamable HTTP with SSE and with JSON responses, legacy HTTP+SSE, and the modern 2026-07-28 era.
 * `--connections 2` opens two sessions and spreads the load over both; every session is closed at
 * the end. A server that cuts SSE streams gets one outcome per request. These check what happens
 * (counts, sessions, classes), not how fast: they run with the behaviour tests (bench-loops.e2e
 * holds the open loop's rate to its target; bench-http-expiry.e2e, a measuring file, bounds the
 * requests a session expiry catches in flight).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchJson } from '../helpers/cli.js';
import { httpStats, startHttpFixture, stopHttpFixtures, TWO_SESSION_LOAD, type HttpFixture } from '../helpers/httpFixture.js';
import { procfsAvailable } from '../../src/target/procfs.js';

/** Counters of GET /_stats (those these tests read). */
interface FixtureStats {
  sessionsOpened: number;
  openSessions: number;
  sseDropped?: number;
}

const stats = (fx: HttpFixture): Promise<FixtureStats> => httpStats<FixtureStats>(fx);

/** Poll /_stats until `check` holds or `timeoutMs` passes; true when it held. */
async function pollStats(fx: HttpFixture, check: (s: FixtureStats) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (check(await stats(fx))) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(stopHttpFixtures);

describe('bench <url> --connections 2', () => {
  it.each([
    { mode: 'streamable', era: 'legacy', sessions: true, transport: { kind: 'streamable-http', responses: 'sse' } },
    { mode: 'json', era: 'legacy', sessions: true, transport: { kind: 'streamable-http', responses: 'json' } },
    { mode: 'sse', era: 'legacy', sessions: true, transport: { kind: 'sse', responses: 'sse' } },
    { mode: 'modern', era: 'modern', sessions: false, transport: { kind: 'streamable-http', responses: 'json' } },
  ])('MODE=$mode: every request succeeds over 2 sessions, $era era, transport recorded', async ({ mode, era, sessions, transport }) => {
    const fx = await startHttpFixture({ MODE: mode });
    const { run, result: r } = await runBenchJson([fx.url, ...TWO_SESSION_LOAD]);
    expect(run.code, run.stderr).toBe(0);
    expect(r.target.kind).toBe('http');
    expect(r.server!.era).toBe(era);
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBe(r.requests.sent);
    expect(r.throughput.targetRps).toBe(200);
    expect(r.requests.sent).toBeGreaterThan(100);
    expect(r.config.instances).toBe(2);
    expect(r.pool.instances).toHaveLength(2);
    for (const i of r.pool.instances) {
      expect(i.pid).toBeNull();
      expect(i.alive).toBe(true);
      expect(i.sent).toBeGreaterThan(0);
      // Keep-alive reuse: requests share connections. Alone on the machine the ~120 requests of a
      // session go over 2 or 3 sockets; when other work delays answers past the 10 ms between a
      // session's sends, requests overlap and more sockets open (~65 seen), each still reused.
      // Without keep-alive every request would open its own.
      expect(i.connections!.opened).toBeGreaterThan(0);
      expect(i.connections!.requests).toBeGreaterThanOrEqual(i.sent);
      expect(i.connections!.opened).toBeLessThan(i.connections!.requests);
      expect(i.sessionReinits).toBe(0);
    }
    expect(r.server!.transport).toEqual(transport);
    // The fixture owns the URL's port on this machine: its process is found and sampled.
    if (procfsAvailable) {
      expect(r.serverProcess).toEqual({ pids: [fx.child.pid], source: 'listening-port', unavailableReason: null });
      expect(r.resources!.rssStartBytes).toBeGreaterThan(1024 * 1024);
    }
    if (sessions) {
      const s = await stats(fx);
      expect(s.sessionsOpened).toBeGreaterThanOrEqual(2);
      // Every session mcp-opt opened is closed again (DELETE, or the SSE stream ended).
      const closed = await pollStats(fx, (st) => st.openSessions === 0, 3000);
      expect(closed, JSON.stringify(await stats(fx))).toBe(true);
    }
  });
});

// Before: autocannon kept its HTTP parser mid-response when the server cut a connection, so 160
// answered and 40 dropped read as ~121 ok and ~78 failed (`http:200` and `closed` for the same
// request), and the own engine classed a cut stream `http:200`.
describe.each(['autocannon', 'mcp-opt'])('a server that cuts every 5th SSE stream before its reply (DROP_SSE_EVERY=5), --http-client %s', (client) => {
  it('one request, one outcome: 160 ok and 40 closed of 200, nothing else', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable', DROP_SSE_EVERY: '5' });
    const { run, result: r } = await runBenchJson([
      fx.url, '--concurrency', '4', '--requests', '200', '--warmup', '0s', '--http-client', client, '--call', 'echo={"text":"hi"}',
    ]);
    // 20 % failed, but default budgets do not gate: exit 0.
    expect(run.code, run.stderr).toBe(0);
    const s = await stats(fx);
    const counts = JSON.stringify({ requests: r.requests, drops: s.sseDropped });
    expect(r.config.httpClient).toBe(client);
    expect(r.requests.sent, counts).toBe(200);
    expect(r.requests.succeeded + r.requests.failed, counts).toBe(200);
    expect(r.requests.abandoned, counts).toBe(0);
    // The server cut exactly every 5th call it received: with nothing sent past the 200, 40.
    expect(s.sseDropped, counts).toBe(r.requests.failed);
    expect(r.requests.failed, counts).toBe(40);
    expect(r.requests.errors, counts).toEqual({ closed: 40 });
    expect(r.requests.errorSamples!['closed']!.message).toMatch(/closed .*before the reply to tools\/call arrived/);
    expect(r.latency!.n).toBe(160);
  });
});
