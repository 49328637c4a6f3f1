/**
 * Each fixture server with a known fault makes the CLI report the finding for that fault (and a
 * healthy server reports none of them). Fast settings; real processes; no leftovers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST, findingIds, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

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

  it('leaky (1 MiB kept per echo call): memory-growth as a warning, the growth within ±20 % of what the server leaked', async () => {
    // --samples 50: ~100 echo calls, ~100 MiB kept: the heap the other ~400 requests use is a few % of it.
    const leakLog = tmpFile('leak.log');
    const { r } = await analyzeFixture('leaky.mjs', { LEAK_KB: '1024', LEAK_LOG: leakLog }, ['--samples', '50']);
    const f = r.findings.find((x) => x.id === 'memory-growth');
    expect(f, JSON.stringify(r.resources)).toBeDefined();
    expect(f!.severity).toBe('warning');
    // What the measured (warm) process says it kept: its last `<pid> <bytes>` line.
    const pid = r.serverProcess!.pids[0];
    const lines = readFileSync(leakLog, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number)).filter(([p]) => p === pid);
    expect(lines.length, 'every echo call of the latency phase leaked once').toBe(r.latency!.operations.find((o) => o.op === 'tools/call:echo')!.requests);
    const leakedBytes = lines.at(-1)![1]!;
    expect(r.resources!.rssGrowthBytes).toBeGreaterThan(leakedBytes * 0.8);
    expect(r.resources!.rssGrowthBytes).toBeLessThan(leakedBytes * 1.2);
  });

  it('minimal ignoring stdin EOF: every run signalled, no-exit-on-eof, nothing left running', async () => {
    const { r } = await analyzeFixture('minimal.mjs', { IGNORE_EOF: '1' });
    expect(r.hygiene!.signalledStops).toBe(r.config.runs);
    expect(r.coldStart!.samples.every((s) => s.escalation !== 'none' && s.eofToExitMs === null)).toBe(true);
    expect(findingIds(r)).toContain('no-exit-on-eof');
  }, 30_000);
});
