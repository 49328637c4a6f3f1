/**
 * analyze through a real package runner: `npx --yes --offline <local package folder>` installs the
 * folder into a private npm cache (no dependencies, so no registry) and runs its bin, as npx runs a
 * published server. analyze must find the real server process behind npx, time its direct launch,
 * and report what npx costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupCommand } from '../../src/target/resolve/which.js';
import { FAST, TWO_RUNS, findingIds, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const hasNpx = lookupCommand('npx', { baseDir: '/', pathVar: process.env.PATH }).kind === 'found';
const cache = mkdtempSync(join(tmpdir(), 'mcp-opt-npx-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe.skipIf(!hasNpx || process.platform !== 'linux')('analyze -- npx <package>', () => {
  it('reports the runner, its direct launch, and what npx costs per start', async () => {
    const pkg = join(repoRoot, 'fixtures', 'packages', 'npx-minimal');
    const run = await runCli(['analyze', ...FAST, ...TWO_RUNS, '--warmup', '1', '--json', '--no-save', '--', 'npx', '--yes', '--offline', pkg], {
      env: { npm_config_cache: cache, npm_config_update_notifier: 'false' },
      timeoutMs: 90_000,
    });
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.target.runner).toBe('npx');
    const runner = r.coldStart!.runner!;
    expect(runner.runner).toBe('npx');
    expect(runner.directDisplay).toMatch(/_npx\/[0-9a-f]+\/node_modules\/\.bin\/mcp-opt-fixture-npx-minimal$/);
    expect(runner.directReady.n).toBe(2);
    // The overhead is the difference of the two measured medians (of 2 runs each: their means), as reported.
    const viaRunner = r.coldStart!.samples.map((s) => s.readyMs);
    const directMedianMs = (runner.directReady.min + runner.directReady.max) / 2 / 1000;
    expect(runner.overheadMs).toBeCloseTo((viaRunner[0]! + viaRunner[1]!) / 2 - directMedianMs, 0);
    // npx resolves its cache and spawns a shell and node on every start: well over 100 ms here.
    if (runner.overheadMs > 100) expect(findingIds(r)).toContain('package-runner-overhead');
    else expect(findingIds(r)).not.toContain('package-runner-overhead');
  });
});
