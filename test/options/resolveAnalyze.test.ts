import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { LoadedConfig } from '../../src/options/configFile.js';
import { resolveAnalyzeOptions, type AnalyzeInputs } from '../../src/options/resolveAnalyze.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const inputs = (over: Partial<AnalyzeInputs> = {}): AnalyzeInputs => ({
  target: fixturePath('minimal.mjs'), command: undefined, flags: {}, config: null, cwd: repoRoot, env: {},
  stdoutTTY: false, stderrTTY: false, ...over,
});
const config = (data: Record<string, unknown>): LoadedConfig => ({ path: join(repoRoot, 'mcp-opt.config.json'), data });

describe('resolveAnalyzeOptions', () => {
  it('defaults: 10 runs, 1 warm-up, 10 s timeout, era probe, the four default budgets, frozen', async () => {
    const o = await resolveAnalyzeOptions(inputs());
    expect(o).toMatchObject({ runs: 10, warmupRuns: 1, timeoutMs: 10_000, era: 'auto', concurrency: 4, noCalls: false });
    expect(o.budgets.map((b) => b.spec.source)).toEqual(['default', 'default', 'default', 'default']);
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('flags win over the config file; config numbers and durations are read', async () => {
    const o = await resolveAnalyzeOptions(inputs({
      flags: { runs: '3' },
      config: config({ analyze: { runs: 20, warmup: 2, timeout: '5s', concurrency: 8 } }),
    }));
    expect(o).toMatchObject({ runs: 3, warmupRuns: 2, timeoutMs: 5000, concurrency: 8 });
  });

  it('colour needs a terminal, no NO_COLOR and no --no-color', async () => {
    expect((await resolveAnalyzeOptions(inputs({ stdoutTTY: true }))).output.color).toBe(true);
    expect((await resolveAnalyzeOptions(inputs({ stdoutTTY: true, env: { NO_COLOR: '1' } }))).output.color).toBe(false);
    expect((await resolveAnalyzeOptions(inputs({ stdoutTTY: true, flags: { color: false } }))).output.color).toBe(false);
    expect((await resolveAnalyzeOptions(inputs({ stdoutTTY: false }))).output.color).toBe(false);
  });

  it('spinners need a terminal of known width on stderr, and not --json', async () => {
    expect((await resolveAnalyzeOptions(inputs({ stderrTTY: true, stderrColumns: 120 }))).output.spinners).toBe(true);
    expect((await resolveAnalyzeOptions(inputs({ stderrTTY: true, stderrColumns: 0 }))).output.spinners).toBe(false);
    expect((await resolveAnalyzeOptions(inputs({ stderrTTY: true }))).output.spinners).toBe(false);
    expect((await resolveAnalyzeOptions(inputs({ stderrTTY: true, stderrColumns: 120, flags: { json: true } }))).output.spinners).toBe(false);
  });

  it('--no-calls with --call is a usage error', async () => {
    await expect(resolveAnalyzeOptions(inputs({ flags: { calls: false, call: ['echo'] } }))).rejects.toThrow(UsageError);
  });

  it('--no-probes (or config noProbes) skips the lookup probes only; it combines with --call', async () => {
    expect((await resolveAnalyzeOptions(inputs())).noProbes).toBe(false);
    expect(await resolveAnalyzeOptions(inputs({ flags: { probes: false, call: ['echo'] } }))).toMatchObject({ noProbes: true, noCalls: false });
    expect((await resolveAnalyzeOptions(inputs({ config: config({ analyze: { noProbes: true } }) }))).noProbes).toBe(true);
    await expect(resolveAnalyzeOptions(inputs({ config: config({ analyze: { noProbes: 'yes' } }) }))).rejects.toThrow(/noProbes" must be true or false/);
  });

  it('--out naming a directory is a usage error before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-out-'));
    await expect(resolveAnalyzeOptions(inputs({ flags: { out: dir } }))).rejects.toThrow(/is a directory/);
  });

  it('the config target resolves relative to the config file', async () => {
    const o = await resolveAnalyzeOptions(inputs({ target: undefined, config: config({ target: 'fixtures/servers/minimal.mjs' }) }));
    expect(o.spec.kind === 'stdio' && o.spec.launch.args).toEqual([fixturePath('minimal.mjs')]);
  });
});
