/**
 * mcp-opt's own client measuring servers through `mcp-opt proxy` (the proxy is the target
 * command): the 2026-07-28 era passes through (modern.mjs, SDK v2), natively and bridged, with
 * nothing broken on the wire, and a pool under a closed loop answers every request. The legacy era
 * against server-everything: everything.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CLI_BIN, FAST, noLeftovers, parseBench, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const viaProxy = (era: string, ...server: string[]): string[] => ['--', process.execPath, CLI_BIN, 'proxy', '--pool', '1', '--era', era, '--', process.execPath, ...server];

describe('servers measured through the proxy', () => {
  it('modern.mjs (2026-07-28): analyze --era modern works through a proxy with --era modern', async () => {
    const run = await runCli(['analyze', ...FAST, '--era', 'modern', '--no-save', '--json', ...viaProxy('modern', fixturePath('modern.mjs'))], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.server).toMatchObject({ era: 'modern' });
    expect(r.tools!.count).toBe(2);
    expect(r.hygiene!.violations).toEqual({});
    expect(r.hygiene!.nonJsonLines).toBe(0);
    await noLeftovers(run.testId);
  }, 90_000);

  it('modern.mjs behind a default (legacy) proxy: a 2026-07-28 client is bridged (the proxy answers server/discover from initialize)', async () => {
    const run = await runCli(['analyze', ...FAST, '--era', 'modern', '--no-save', '--json', ...viaProxy('legacy', fixturePath('modern.mjs'))], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.server).toMatchObject({ era: 'modern', name: 'fixture-modern' });
    expect(r.tools!.count).toBe(2);
    expect(r.hygiene!.violations).toEqual({});
    await noLeftovers(run.testId);
  }, 90_000);

  it('bench through a pool of 2 (affinity none): every request answered, none lost', async () => {
    const run = await runCli(['bench', '--call', 'work', '--concurrency', '16', '--duration', '1s', '--warmup', '300ms', '--json', '--no-save',
      '--', process.execPath, CLI_BIN, 'proxy', '--pool', '2', '--affinity', 'none', '--', process.execPath, fixturePath('relay.mjs')], { env: { SERVICE_MS: '5' } });
    const result = parseBench(run.stdout);
    expect(run.code, run.stderr).toBe(0);
    expect(result.requests.failed).toBe(0);
    expect(result.requests.succeeded).toBeGreaterThan(100);
    await noLeftovers(run.testId);
  });
});
