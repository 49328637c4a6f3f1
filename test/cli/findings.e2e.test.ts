/**
 * Each fixture server with a known fault makes the CLI report the finding for that fault (and a
 * healthy server reports none of them). Fast settings; real processes; no leftovers.
 */
import { describe, expect, it } from 'vitest';
import { FAST, findingIds, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/** `analyze <fixture> --json --no-save` with fast settings plus `extra`. */
async function analyzeFixture(name: string, env: Record<string, string> = {}, extra: string[] = []) {
  const run = await runCli(['analyze', fixturePath(name), ...FAST, '--no-save', '--json', ...extra], { env });
  expect(run.code, run.stderr).toBe(0);
  await noLeftovers(run.testId);
  return { run, r: parseResult(run.stdout) };
}

/** The default cold-start target of findings (DEFAULT_BUDGETS: coldStart.ready.p50<400ms), µs. */
const COLD_START_TARGET_US = 400_000;

describe('findings from fixture servers', () => {
  it('minimal: no lookup, stdout or EOF finding, and a cold-start finding only if start-up really took > 400 ms', async () => {
    const { r } = await analyzeFixture('minimal.mjs');
    const ids = findingIds(r);
    expect(ids).not.toContain('lookup-linear');
    expect(ids).not.toContain('stdout-pollution');
    expect(ids).not.toContain('no-exit-on-eof');
    // minimal answers in ~0.3 s on an idle machine, under the 400 ms target. With two test files
    // and their servers sharing two cores it can go over, and then the finding is right; so assert
    // the rule, not the machine: a cold-start finding appears exactly when ready p50 is over target.
    const slow = r.coldStart!.stages.ready.p50 > COLD_START_TARGET_US;
    expect(ids.includes('slow-start-before-initialize') || ids.includes('cold-start-slow')).toBe(slow);
  });

  it('slow-start (600 ms of work before reading stdin): handshake ≥ 600 ms and slow-start-before-initialize', async () => {
    const { r } = await analyzeFixture('slow-start.mjs', { SLOW_START_MS: '600' });
    expect(r.coldStart!.stages.handshake.min).toBeGreaterThanOrEqual(600_000);
    const f = r.findings.find((x) => x.id === 'slow-start-before-initialize');
    expect(f, JSON.stringify(r.findings)).toBeDefined();
    expect(f!.severity).toBe('warning');
  });

  it('stdout-logger: stdout-pollution (critical), counted lines and the banner as excerpt', async () => {
    const { r } = await analyzeFixture('stdout-logger.mjs');
    const f = r.findings.find((x) => x.id === 'stdout-pollution');
    expect(f?.severity).toBe('critical');
    expect(r.hygiene!.nonJsonLines).toBeGreaterThan(0);
    expect(r.hygiene!.excerpts['non-json-stdout']!.some((e) => e.includes('Server starting on stdio'))).toBe(true);
  });

  it('pretty-json: embedded-newlines', async () => {
    const { r } = await analyzeFixture('pretty-json.mjs');
    expect(r.hygiene!.violations['embedded-newlines']).toBeGreaterThan(0);
    expect(findingIds(r)).toContain('embedded-newlines');
  });

  it('leaky (256 KiB kept per echo call): memory-growth as a warning', async () => {
    // --samples 100: ~200 echo calls, ~50 MiB kept, well clear of the 20 MiB threshold.
    const { r } = await analyzeFixture('leaky.mjs', { LEAK_KB: '256' }, ['--samples', '100']);
    const f = r.findings.find((x) => x.id === 'memory-growth');
    expect(f, JSON.stringify(r.resources)).toBeDefined();
    expect(f!.severity).toBe('warning');
    expect(r.resources!.rssGrowthBytes).toBeGreaterThan(20 * 1024 * 1024);
  });

  it('minimal ignoring stdin EOF: every run signalled, no-exit-on-eof, nothing left running', async () => {
    const { r } = await analyzeFixture('minimal.mjs', { IGNORE_EOF: '1' });
    expect(r.hygiene!.signalledStops).toBe(r.config.runs);
    expect(r.coldStart!.samples.every((s) => s.escalation !== 'none' && s.eofToExitMs === null)).toBe(true);
    expect(findingIds(r)).toContain('no-exit-on-eof');
  }, 30_000);
});
