/**
 * mcp-opt's own client measuring server-everything (SDK v1, legacy era) through `mcp-opt proxy`
 * over its stdio front: its tools and a clean wire (a file of its own, so the suite's workers share
 * the two slow proxy-era files).
 */
import { describe, expect, it } from 'vitest';
import { CLI_BIN, FAST, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const EVERYTHING = `${repoRoot}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
const viaProxy = (era: string, ...server: string[]): string[] => ['--', process.execPath, CLI_BIN, 'proxy', '--pool', '1', '--era', era, '--', process.execPath, ...server];

describe('server-everything measured through the proxy', () => {
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

});
