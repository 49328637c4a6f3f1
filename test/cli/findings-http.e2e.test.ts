/**
 * Findings say what was measured on the transport. Over HTTP a cold start is a fresh session on a
 * running server (connect and the initialize round trip), so a slow start-up finding there speaks
 * of session setup and initialize, never of stdin, spawning or imports (a real case: behind a
 * bridge, 1 s of initialize per session was reported as "before the server reads stdin").
 * Real Streamable HTTP fixture whose session setup takes INIT_DELAY_MS; the CLI as users run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { FAST, TWO_RUNS, noLeftovers, parseResult, runCli, type CliResult } from '../helpers/cli.js';
import { startHttpFixture, type HttpFixture } from '../target/httpFixture.js';

/** Each new session's setup in the fixture, ms: well over the default 400 ms cold-start target. */
const INIT_DELAY_MS = 1000;

describe('analyze of an HTTP server with a slow initialize', () => {
  let fx: HttpFixture;
  let run: CliResult;
  let r: AnalyzeResult;

  beforeAll(async () => {
    fx = await startHttpFixture('streamable', { INIT_DELAY_MS: String(INIT_DELAY_MS) });
    run = await runCli(['analyze', fx.url, ...FAST, ...TWO_RUNS, '--json', '--no-save'], { timeoutMs: 90_000 });
    r = parseResult(run.stdout);
  }, 100_000);

  afterAll(async () => {
    await fx?.stop();
  });

  it('times fresh sessions, each paying the slow initialize', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(r.coldStart!.mode).toBe('session');
    for (const s of r.coldStart!.samples) expect(s.handshakeMs).toBeGreaterThanOrEqual(INIT_DELAY_MS);
    // Probe, two cold starts and the warm session each initialized a session of their own.
    expect((await fx.stats())['initializes']).toBeGreaterThanOrEqual(3);
    await noLeftovers(run.testId);
  });

  it('reports slow session setup in initialize, with advice for HTTP and none for a launched process', () => {
    const f = r.findings.find((x) => x.id === 'slow-session-setup');
    expect(f, JSON.stringify(r.findings.map((x) => x.id))).toBeDefined();
    expect(r.findings.map((x) => x.id)).not.toContain('slow-start-before-initialize');
    expect(f!.title).toMatch(/^A new HTTP session takes \d+ ms \(p50\) to be ready, over 400 ms, mostly answering initialize$/);
    expect(f!.evidence).toMatch(/connect → initialize answered p50 \d+ ms/);
    expect(f!.recommendation).toContain('setting up each session');
    expect(`${f!.title} ${f!.evidence} ${f!.recommendation}`).not.toMatch(/stdin|stdout|spawn|import|bundle/i);
  });
});
