/**
 * mcp-opt's own client measuring servers through `mcp-opt proxy` (the proxy is the target
 * command): both protocol eras pass through — server-everything (SDK v1, legacy era) and
 * modern.mjs (SDK v2, 2026-07-28) — with nothing broken on the wire, and a pool under a closed loop
 * answers every request.
 */
import { describe, expect, it } from 'vitest';
import { CLI_BIN, FAST, noLeftovers, parseBench, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const EVERYTHING = `${repoRoot}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
const viaProxy = (era: string, ...server: string[]): string[] => ['--', process.execPath, CLI_BIN, 'proxy', '--pool', '2', '--era', era, '--', process.execPath, ...server];

describe('servers measured through the proxy', () => {
  it('server-everything (legacy era): analyze sees its tools and a clean wire', async () => {
    const run = await runCli(['analyze', ...FAST, '--era', 'legacy', '--no-save', '--json', ...viaProxy('legacy', EVERYTHING)], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.server).toMatchObject({ era: 'legacy', name: expect.stringMatching(/everything/i) });
    expect(r.tools!.count).toBeGreaterThanOrEqual(10);
    expect(r.hygiene!.violations).toEqual({});
    expect(r.hygiene!.nonJsonLines).toBe(0);
    await noLeftovers(run.testId);
  }, 90_000);

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
