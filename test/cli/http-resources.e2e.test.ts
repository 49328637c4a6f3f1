/**
 * A server reached by URL on this machine, end to end: mcp-opt finds the process that owns the
 * URL's listening port (or takes --pid) and measures its tree's RSS and CPU as for a stdio server,
 * saying which pid and how it was found; and it records the transport used (Streamable HTTP with
 * SSE or JSON responses, legacy HTTP+SSE) in the result and the terminal report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import { procfsAvailable } from '../../src/target/procfs.js';
import { FAST, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { startHttpFixture, type HttpFixture } from '../target/httpFixture.js';

const started: HttpFixture[] = [];
afterEach(async () => {
  for (const fx of started.splice(0)) await fx.stop();
});

async function fixture(mode: string): Promise<HttpFixture> {
  const fx = await startHttpFixture(mode);
  started.push(fx);
  return fx;
}

describe.runIf(procfsAvailable)('resources of a server reached by URL', () => {
  it('analyze: the owner of the listening port is the fixture; RSS, CPU and process count measured; transport shown', async () => {
    const fx = await fixture('streamable');
    const out = tmpFile('http-res.json');
    const run = await runCli(['analyze', fx.url, ...FAST, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(readFileSync(out, 'utf8'));
    expect(r.serverProcess).toEqual({ pids: [fx.child.pid], source: 'listening-port', unavailableReason: null });
    expect(r.resources!.idleRssBytes).toBeGreaterThan(1024 * 1024);
    expect(r.resources!.afterRssBytes).toBeGreaterThan(1024 * 1024);
    expect(r.resources!.cpuUsPerRequest).not.toBeNull();
    expect(r.resources!.cpuUsPerRequest!).toBeGreaterThan(0); // hundreds of requests cost the server some CPU ticks
    expect(r.resources!.processCount).toBe(1);
    expect(r.server!.transport).toEqual({ kind: 'streamable-http', responses: 'sse' });
    expect(run.stdout).toContain(`Resources (server pid ${fx.child.pid}, listening on the URL's port)`);
    expect(run.stdout).toMatch(/server http-fixture 1\.0\.0 · legacy era · protocol [\d-]+ · Streamable HTTP \(SSE responses\)/);
    await noLeftovers(run.testId);
  });

  it('analyze --pid: that process is measured; a pid that does not exist, or --pid with a stdio server, is exit 2', async () => {
    const fx = await fixture('json');
    const run = await runCli(['analyze', fx.url, ...FAST, '--no-save', '--json', '--pid', String(fx.child.pid)]);
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.serverProcess).toEqual({ pids: [fx.child.pid], source: '--pid', unavailableReason: null });
    expect(r.resources!.idleRssBytes).toBeGreaterThan(1024 * 1024);
    expect(r.server!.transport).toEqual({ kind: 'streamable-http', responses: 'json' });

    let gone = 4_194_000;
    while (existsSync(`/proc/${gone}`)) gone--;
    const bad = await runCli(['analyze', fx.url, ...FAST, '--no-save', '--pid', String(gone)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--pid ${gone}: no such process`);
    const stdio = await runCli(['analyze', fixturePath('minimal.mjs'), ...FAST, '--no-save', '--pid', String(fx.child.pid)]);
    expect(stdio.code).toBe(2);
    expect(stdio.stderr).toMatch(/--pid names the process of a server reached by URL/);
  });

  it('legacy HTTP+SSE: transport sse, and the server process found the same way', async () => {
    const fx = await fixture('sse');
    const run = await runCli(['analyze', fx.url, ...FAST, '--no-save', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.server!.transport).toEqual({ kind: 'sse', responses: 'sse' });
    expect(r.serverProcess?.pids).toEqual([fx.child.pid]);
    expect(r.resources!.cpuUsPerRequest).not.toBeNull();
  });

  it('bench: samples the port owner\'s RSS and CPU during the load', async () => {
    const fx = await fixture('streamable');
    const run = await runCli(['bench', fx.url, '--duration', '2s', '--warmup', '0s', '--concurrency', '2', '--no-save', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as BenchResult;
    expect(r.serverProcess).toEqual({ pids: [fx.child.pid], source: 'listening-port', unavailableReason: null });
    expect(r.resources).not.toBeNull();
    expect(r.resources!.rssStartBytes).toBeGreaterThan(1024 * 1024);
    expect(r.resources!.cpuPctMax).toBeGreaterThan(0); // a server answering a closed loop for 2 s is busy
    expect(r.resources!.processCount).toBe(1);
    expect(r.server!.transport?.kind).toBe('streamable-http');
    await noLeftovers(run.testId);
  });
});
