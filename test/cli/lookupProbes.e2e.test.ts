/**
 * The tool-lookup measurement on servers that break its assumptions, end to end with real fixture
 * processes: a server that acts on every tools/call before looking the name up (acting-probe.mjs,
 * whose CALL_LOG records every tools/call, nameless and unknown ones included), and a server so slow that analyze's
 * time caps leave a handful of samples (many-tools DELAY_MS).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST, findingIds, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { PROBE_CHECKS } from '../../src/runners/analyze/lookupPhase.js';

/** `analyze <fixture> --json --no-save` with `extra` flags; returns the run, its result and the fixture's tools/call log. */
async function analyze(name: string, env: Record<string, string>, extra: string[], timeoutMs?: number) {
  const log = tmpFile('calls.jsonl');
  const run = await runCli(['analyze', fixturePath(name), '--no-save', '--json', ...extra], { env: { CALL_LOG: log, ...env }, timeoutMs });
  await noLeftovers(run.testId);
  expect(run.code, run.stderr).toBe(0);
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { name: string | null }).name)
    : [];
  return { run, r: parseResult(run.stdout), calls };
}

describe('probes that act (acting-probe.mjs logs every tools/call)', () => {
  it('--no-calls sends no tools/call at all: the log stays empty, and the lookup is reported not measured', async () => {
    const { run, r, calls } = await analyze('acting-probe.mjs', {}, [...FAST, '--no-calls']);
    expect(calls).toEqual([]);
    expect(r.config).toMatchObject({ calls: false, probes: false });
    expect(r.lookup!.registryUs).toBeNull();
    expect(r.lookup!.notMeasured).toMatch(/--no-calls: no tools\/call was sent/);
    expect(run.stderr).toMatch(/lookup: registry cost not measured/);
  });

  it('by default the probe stops after a handful of calls and reports the lookup not measurable, with the answer', async () => {
    const { r, calls } = await analyze('acting-probe.mjs', {}, [...FAST]);
    const probes = calls.filter((n) => n !== 'snapshot');
    // One nameless call to choose the baseline, then at most PROBE_CHECKS unknown names: not ~2,000.
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.length).toBeLessThanOrEqual(1 + PROBE_CHECKS);
    expect(probes.length).toBeLessThanOrEqual(5);
    const l = r.lookup!;
    expect(l.registryUs).toBeNull();
    expect(l.notMeasured).toMatch(/isError result that does not say the tool is unknown \("Browser launched; error: something failed"\): it may act before looking the name up/);
    expect(r.warnings.some((w) => w.startsWith('Tool lookup not measured:'))).toBe(true);
    expect(findingIds(r).filter((id) => id.startsWith('lookup'))).toEqual([]);
    // The safe tool is still measured.
    expect(r.latency!.operations.map((o) => o.op)).toContain('tools/call:snapshot');
  });

  it('--no-probes sends no probe but still calls the safe tool', async () => {
    const { r, calls } = await analyze('acting-probe.mjs', {}, [...FAST, '--no-probes']);
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls)).toEqual(new Set(['snapshot']));
    expect(r.config).toMatchObject({ calls: true, probes: false });
    expect(r.lookup!.notMeasured).toMatch(/^--no-probes:/);
  });

  it('the SDK v1 McpServer answer to an unknown tool (isError "MCP error -32602: Tool x not found") is a measurement', async () => {
    const { r } = await analyze('unsafe-tools.mjs', {}, [...FAST]);
    const l = r.lookup!;
    expect(l.notMeasured).toBeNull();
    expect(l.registryUs).not.toBeNull();
    expect(l.unknown!.latency.n).toBeGreaterThanOrEqual(20);
  });
});

describe('a slow server: tiny samples are marked and nothing contradicts (many-tools DELAY_MS=200)', () => {
  it('warns per operation with its n, marks lowSample, and neither lookup-slow nor the lookup budget fire on an interval that includes 0', async () => {
    const { r } = await analyze('many-tools.mjs', { REGISTRY: 'map', TOOL_COUNT: '3', DELAY_MS: '200' },
      ['--runs', '2', '--warmup', '0', '--samples', '40', '--lookup-samples', '50', '--budget', 'lookup<5ms'], 120_000);
    for (const o of r.latency!.operations) {
      expect(o.lowSample, o.op).toBe(true);
      const n = o.sequential!.n;
      expect(r.warnings.some((w) => w.startsWith(`${o.op}: only ${n} sequential`)), `${o.op} n=${n}: ${r.warnings.join(' | ')}`).toBe(true);
    }
    const l = r.lookup!;
    if (l.registryUs) {
      expect(l.lowSample).toBe(true);
      expect(r.warnings.some((w) => w.startsWith(`Tool lookup: only ${l.baseline!.latency.n} + ${l.unknown!.latency.n} samples`))).toBe(true);
      const budget = r.budgets.find((b) => b.metric === 'lookup' && b.source === 'flag')!;
      if (l.registryUs.low <= 0) {
        expect(findingIds(r)).not.toContain('lookup-slow');
        expect(budget).toMatchObject({ actual: 0, pass: true });
      } else {
        expect(budget.pass).toBe(!findingIds(r).includes('lookup-slow'));
      }
    } else {
      expect(l.notMeasured).toMatch(/too few to estimate/);
    }
  }, 150_000);
});
