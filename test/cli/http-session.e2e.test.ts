/**
 * The Streamable HTTP session, end to end against http-server.mjs: its Mcp-Session-Id is a
 * credential and never reaches an output, even when the server quotes it; every session mcp-opt
 * opens is ended with DELETE, also on Ctrl-C, and a server that refuses DELETE (405) is not an
 * error; and mcp-opt's client caches nothing: every tools/list it issues reaches the server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { FAST, noLeftovers, parseResult, runCli, startCli, waitFor } from '../helpers/cli.js';
import { tmpFile } from '../helpers/fixtures.js';
import { httpStats, startHttpFixture, stopHttpFixtures } from '../helpers/httpFixture.js';

/** The counters of http-server.mjs these tests read. */
interface Stats {
  sessionsOpened: number;
  openSessions: number;
  posts: number;
  deletes: number;
  delete405s: number;
  sessionIds: string[];
  methodHeaders: Record<string, number>;
}

afterAll(stopHttpFixtures);

/** Analyze settings here: FAST without the lookup probes, which these tests do not look at. */
const QUICK = [...FAST, '--samples', '20', '--no-probes'];

describe('the session id is a secret', () => {
  it('QUOTE_SESSION_ID=1: ids the server quotes in errors are absent from stdout, stderr, saved results and reports', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable', QUOTE_SESSION_ID: '1' });
    const analyzeOut = tmpFile('analyze.json');
    const benchOut = tmpFile('bench.json');
    const analyze = await runCli(['analyze', fx.url, ...QUICK, '--out', analyzeOut]);
    expect(analyze.code, analyze.stderr).toBe(0);
    await noLeftovers(analyze.testId);
    const bench = await runCli(['bench', fx.url, '--call', 'echo={"text":"hi"}', '--call', 'add={"a":1,"b":2}', '--duration', '2s', '--warmup', '1s', '--out', benchOut]);
    expect(bench.code, bench.stderr).toBe(0);
    await noLeftovers(bench.testId);
    const texts: Array<[string, string]> = [
      ['analyze stdout', analyze.stdout], ['analyze stderr', analyze.stderr], ['bench stdout', bench.stdout], ['bench stderr', bench.stderr],
      ['analyze result', readFileSync(analyzeOut, 'utf8')], ['bench result', readFileSync(benchOut, 'utf8')],
    ];
    for (const [name, file] of [['analyze', analyzeOut], ['bench', benchOut]] as const) {
      const html = tmpFile(`${name}.html`);
      const md = tmpFile(`${name}.md`);
      const report = await runCli(['report', file, '--format', 'html', '--out', html, '--format', 'markdown', '--out', md]);
      expect(report.code, report.stderr).toBe(0);
      texts.push([`${name} HTML`, readFileSync(html, 'utf8')], [`${name} Markdown`, readFileSync(md, 'utf8')],
        [`${name} report stdout`, report.stdout], [`${name} report stderr`, report.stderr]);
    }

    const { sessionIds } = await httpStats<Stats>(fx);
    // Cold-start sessions, the warm session, the bench session.
    expect(sessionIds.length).toBeGreaterThanOrEqual(3);
    // The server did put them where mcp-opt reads (its errors) and in its own log...
    for (const id of sessionIds) expect(fx.stderr()).toContain(`session ${id} opened`);
    const saved = readFileSync(analyzeOut, 'utf8');
    expect(saved).toMatch(/session \*\*\* is over its quota|add is disabled for session \*\*\*/);
    // ...and none of them reached an output.
    for (const id of sessionIds) {
      for (const [name, text] of texts) expect(text.includes(id), `${name} holds session id ${id}`).toBe(false);
    }
  });
});

describe('DELETE at the end of a session', () => {
  it.each([
    ['the autocannon client (closed loop)', ['--http-client', 'autocannon']],
    ["mcp-opt's engine (closed loop)", []],
    ["mcp-opt's engine (open loop)", ['--rps', '50']],
  ])('SIGINT during bench with %s: exit 130, and the server saw the session DELETEd', async (_name, load) => {
    const fx = await startHttpFixture({ MODE: 'streamable' });
    const out = tmpFile('interrupted.json');
    const cli = startCli(['bench', fx.url, ...load, '--duration', '60s', '--warmup', '0s', '--out', out], { timeoutMs: 40_000 });
    let stderr = '';
    cli.child.stderr!.on('data', (s: string) => (stderr += s));
    expect(await waitFor(() => /✓ workload/.test(stderr), 25_000), `stderr so far:\n${stderr}`).toBe(true);
    // Interrupted once load is flowing (the server has taken 20 POSTs past the handshake), not
    // after a fixed time: a busy machine may not have had one measured answer by then.
    const atLoad = (await httpStats<Stats>(fx)).posts;
    let flowing = false;
    for (const deadline = performance.now() + 20_000; !flowing && performance.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      flowing = (await httpStats<Stats>(fx)).posts >= atLoad + 20;
    }
    expect(flowing, `stderr so far:\n${stderr}`).toBe(true);
    const before = await httpStats<Stats>(fx);
    expect(before.openSessions).toBeGreaterThanOrEqual(1);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code, run.stderr).toBe(130);
    await noLeftovers(run.testId);
    const after = await httpStats<Stats>(fx);
    expect(after.deletes).toBeGreaterThanOrEqual(before.deletes + before.openSessions);
    expect(after.openSessions).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    expect(saved.incomplete).toBe(true);
    expect(saved.requests.succeeded).toBeGreaterThan(0);
  });

  it('DELETE_405=1: a server that refuses DELETE is not an error; every session was asked, exit 0', async () => {
    const fx = await startHttpFixture({ MODE: 'streamable', DELETE_405: '1' });
    const run = await runCli(['analyze', fx.url, ...QUICK, '--no-save', '--json']);
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    const r = parseResult(run.stdout);
    const s = await httpStats<Stats>(fx);
    // Every session mcp-opt opened got its DELETE, refused, so the server still holds them all.
    expect(s.sessionsOpened).toBeGreaterThanOrEqual(r.config.runs + 1);
    expect(s.delete405s).toBe(s.sessionsOpened);
    expect(s.openSessions).toBe(s.sessionsOpened);
    expect(JSON.stringify(r.hygiene)).not.toMatch(/DELETE/);
    expect(run.stderr).not.toMatch(/DELETE|405/);
  });
});

describe('no client-side cache', () => {
  it('modern era: the server counts exactly the tools/list requests analyze issued', async () => {
    const fx = await startHttpFixture({ MODE: 'modern' });
    const run = await runCli(['analyze', fx.url, ...QUICK, '--no-save', '--json']);
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    const r = parseResult(run.stdout);
    expect(r.server?.era).toBe('modern');
    const { methodHeaders } = await httpStats<Stats>(fx);
    // One list per cold start (ready), the tools phase's first walk and its timed repeats (every
    // page each time), and the steady-latency tools/list operation: nothing answered from a cache.
    const issued = r.coldStart!.samples.length + (1 + r.tools!.listLatency!.n) * r.tools!.pages +
      r.latency!.operations.find((o) => o.op === 'tools/list')!.requests;
    expect(methodHeaders['tools/list']).toBe(issued);
  });
});
