/**
 * The lookup position test on registries whose cost is known by design (many-tools.mjs): a
 * linear registry is found, a map is not, and a linear one whose nameless baseline scans too is
 * found from position evidence alone. These verdicts rest on measured latencies (a rank
 * correlation over list positions), so this file runs with the measuring tests, one at a time.
 * The linear registries hold 400 tools: a full scan then costs ~2 ms against a ~0.2 ms round trip
 * (ten times the noise), and a run takes half the time it takes with the default 1000.
 */
import { describe, expect, it } from 'vitest';
import { FAST, findingIds, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const LINEAR_400 = { REGISTRY: 'linear', TOOL_COUNT: '400' };

/** `analyze <fixture> --json --no-save` with fast settings plus `extra`. */
async function analyzeFixture(name: string, env: Record<string, string> = {}, extra: string[] = [], timeoutMs?: number) {
  const run = await runCli(['analyze', fixturePath(name), ...FAST, '--no-save', '--json', ...extra], { env, timeoutMs });
  expect(run.code, run.stderr).toBe(0);
  await noLeftovers(run.testId);
  return { run, r: parseResult(run.stdout) };
}

describe('lookup growth with list position (many-tools.mjs)', () => {
  it('many-tools with a linear registry: lookup.linear and lookup-linear', async () => {
    const { r } = await analyzeFixture('many-tools.mjs', LINEAR_400, ['--lookup-samples', '150']);
    expect(r.tools!.count).toBe(400);
    expect(r.lookup!.linear).toBe(true);
    expect(findingIds(r)).toContain('lookup-linear');
  });

  it('many-tools with a map registry: not linear, no lookup-linear', async () => {
    const { r } = await analyzeFixture('many-tools.mjs', { REGISTRY: 'map' }, ['--lookup-samples', '300']);
    expect(r.tools!.count).toBe(1000);
    expect(r.lookup!.linear === false || r.lookup!.linear === null).toBe(true);
    expect(findingIds(r)).not.toContain('lookup-linear');
  });

});

describe('a linear registry whose nameless baseline scans too (many-tools NAMELESS_SCANS=1)', () => {
  it('position evidence alone gives lookup-linear; the baseline is called not lookup-free and the cost is estimated from the slope', async () => {
    const { r } = await analyzeFixture('many-tools.mjs', { ...LINEAR_400, NAMELESS_SCANS: '1' }, ['--lookup-samples', '150'], 90_000);
    const l = r.lookup!;
    expect(l.positionCorrelation!).toBeGreaterThanOrEqual(0.9);
    expect(l.linear).toBe(true);
    expect(findingIds(r)).toContain('lookup-linear');
    // slope × tool count (both rounded to 0.001 µs in the result).
    expect(Math.abs(l.scanEstimateUs! - l.slopeUsPerPosition! * 400)).toBeLessThan(1);
    // Both probe kinds scan the whole list, so their difference shows no registry cost; when it
    // does not (noise), the baseline is what the verdict says it is.
    expect(l.baselineScans).toBe(l.registryUs!.low <= 0);
    if (l.baselineScans) {
      const f = r.findings.find((x) => x.id === 'lookup-linear')!;
      expect(f.evidence).toMatch(/is not lookup-free/);
      expect(f.evidence).toMatch(/a full scan of 400 tools costs ≈/);
      expect(r.warnings.some((w) => /the baseline is not lookup-free/.test(w))).toBe(true);
    }
  }, 120_000);
});

