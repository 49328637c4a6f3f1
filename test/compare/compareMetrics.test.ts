import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { compareResults } from '../../src/compare/compareMetrics.js';
import { benchResult, lognormalUs } from '../helpers/benchResults.js';

const files = { baseline: 'base.json', current: 'cur.json' };
const LATENCY = ['latency.p50', 'latency.p95', 'latency.p99', 'service.p50', 'service.p95', 'service.p99', 'tools/call:search.p95'];
const baseline = benchResult({ latencyUs: lognormalUs(20_000, 1), seed: 1 });

function verdicts(report: ReturnType<typeof compareResults>): Record<string, string> {
  return Object.fromEntries(report.metrics.map((m) => [m.metric, m.verdict]));
}

describe('compareResults (bench)', () => {
  it('finds every metric unchanged between two runs of the same distribution', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2 });
    const report = compareResults(baseline, current, { failOnRegressionPct: 10, files });
    const v = verdicts(report);
    for (const m of LATENCY) expect(v[m]).toBe('unchanged');
    expect(report.counts.unchanged).toBe(report.metrics.length);
    expect(report.failed).toBe(false);
    const p95 = report.metrics.find((m) => m.metric === 'latency.p95')!;
    expect(p95.test).toBe('bootstrap-hdr');
    expect(p95.baseline).toBe(baseline.latency!.p95);
    expect(p95.ci![0]).toBeLessThan(1);
    expect(p95.ci![1]).toBeGreaterThan(1);
  });

  it('finds a 2× slower run regressed and failing --fail-on-regression 10', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 2, 2_000, 0.6, 2), seed: 2 });
    const report = compareResults(baseline, current, { failOnRegressionPct: 10, files });
    for (const m of report.metrics.filter((x) => LATENCY.includes(x.metric))) {
      expect(m.verdict, m.metric).toBe('regressed');
      expect(m.failing, m.metric).toBe(true);
      expect(m.ratio!).toBeGreaterThan(1.8);
      expect(m.effectSize!).toBeGreaterThan(0);
    }
    expect(verdicts(report)['throughput.succeededRps']).toBe('unchanged');
    expect(report.failed).toBe(true);
  });

  it('lets a 3 % shift pass: unchanged under --min-effect 5, regressed but not failing under --min-effect 1', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 1, 2_000, 0.6, 1.03), seed: 2 });
    const five = compareResults(baseline, current, { failOnRegressionPct: 10, minEffectPct: 5, files });
    expect(verdicts(five)['latency.p50']).toBe('unchanged');
    expect(five.failed).toBe(false);
    const one = compareResults(baseline, current, { failOnRegressionPct: 10, minEffectPct: 1, files });
    const p50 = one.metrics.find((m) => m.metric === 'latency.p50')!;
    expect(p50.verdict).toBe('regressed');
    expect(p50.failing).toBe(false);
    expect(one.failed).toBe(false);
  });

  it('judges throughput on per-second successes, error rates by a two-proportion test, memory not at all', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2, rps: 800, failed: 400, rssPeakBytes: 90_000_000 });
    const report = compareResults(baseline, current, { failOnRegressionPct: 10, files });
    const by = (id: string) => report.metrics.find((m) => m.metric === id)!;
    expect(by('throughput.succeededRps')).toMatchObject({ test: 'bootstrap-samples', better: 'higher', verdict: 'regressed', failing: true });
    expect(by('errors.ratePct')).toMatchObject({ test: 'two-proportion', baseline: 0, verdict: 'regressed', failing: true, ratio: null });
    expect(by('memory.rssPeakBytes')).toMatchObject({ test: 'none', verdict: 'unchanged', note: 'one value per run: no test' });
  });

  it('repeats the same report for the same files and seed', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 2, 2_000, 0.6, 1.1), seed: 2 });
    expect(compareResults(baseline, current, { failOnRegressionPct: 10, files, seed: 4 }))
      .toEqual(compareResults(baseline, current, { failOnRegressionPct: 10, files, seed: 4 }));
  });

  it('notes an operation only one side ran (a different workload: compared under --force)', () => {
    const current = benchResult({ latencyUs: lognormalUs(20_000, 2), operations: ['tools/call:search', 'tools/call:fetch'] });
    current.byOperation[1]!.latency = current.latency;
    const m = compareResults(baseline, current, { failOnRegressionPct: 10, files, force: true }).metrics.find((x) => x.metric === 'tools/call:fetch.p95')!;
    expect(m).toMatchObject({ verdict: 'unchanged', baseline: null, note: 'missing in the baseline' });
  });

  it('judges a percentile on its own interval: a tail that doubles regresses though the median and Mann-Whitney U barely move', () => {
    // The body of the distribution is unchanged; the slowest 10 % take 2.5× longer (a lock
    // convoy, a GC pause): p95 rises, p50 does not, and U over the whole sample hardly shifts.
    const body = lognormalUs(2_000, 11);
    const cut = [...body].sort((x, y) => x - y)[1_800]!;
    const base = benchResult({ latencyUs: lognormalUs(2_000, 10), seed: 1 });
    const tail = benchResult({ latencyUs: body.map((v) => (v > cut ? Math.round(v * 2.5) : v)), seed: 2 });
    const report = compareResults(base, tail, { failOnRegressionPct: 10, files });
    const by = (id: string) => report.metrics.find((m) => m.metric === id)!;
    const p95 = by('service.p95');
    expect(p95.ratio!).toBeGreaterThan(1.8);
    expect(p95.ci![0]).toBeGreaterThan(1);
    expect(p95.pValue!).toBeGreaterThan(0.01); // the old rule (CI and U together) called this "unchanged"
    expect(p95).toMatchObject({ verdict: 'regressed', failing: true });
    expect(by('latency.p95').verdict).toBe('regressed');
    expect(by('latency.p50').verdict).toBe('unchanged');
  });

  it('gives no verdict on a percentile whose own interval spans 1, however small Mann-Whitney p is', () => {
    // 5 % faster body (U sees it over 20,000 samples), p99 held where it was: p99 is unchanged.
    const fast = lognormalUs(20_000, 2, 2_000, 0.6, 0.95);
    const p99Base = baseline.latency!.p99;
    const current = benchResult({ latencyUs: fast.map((v) => (v > p99Base * 0.95 ? Math.round(v / 0.95) : v)), seed: 2 });
    const m = compareResults(baseline, current, { failOnRegressionPct: 10, files }).metrics.find((x) => x.metric === 'latency.p99')!;
    expect(m.pValue!).toBeLessThan(0.01);
    expect(m.ci![0]).toBeLessThan(1);
    expect(m.ci![1]).toBeGreaterThan(1);
    expect(m.verdict).toBe('unchanged');
  });

  it('when the generator was the bottleneck, corrected latency fails the gate only together with service time, and says so', () => {
    // Only the corrected latency's tail moved (the generator sent late): regressed, not failing.
    const late = benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2 });
    late.latency = benchResult({ latencyUs: lognormalUs(20_000, 2, 2_000, 0.6, 2), seed: 2 }).latency;
    late.byOperation[0]!.latency = late.latency;
    late.generator = { ...late.generator, bottleneck: true, reason: 'its scheduler woke 7.4 ms late (p99)' };
    const lateReport = compareResults(baseline, late, { failOnRegressionPct: 10, files });
    const by = (r: typeof lateReport, id: string) => r.metrics.find((m) => m.metric === id)!;
    for (const id of ['latency.p95', 'tools/call:search.p95']) {
      expect(by(lateReport, id)).toMatchObject({ verdict: 'regressed', failing: false });
      expect(by(lateReport, id).note).toContain('the load generator was the bottleneck in the current run');
    }
    expect(by(lateReport, 'service.p95').verdict).toBe('unchanged');
    expect(lateReport.failed).toBe(false);
    // The server itself 2× slower: service time fails, so the corrected latency fails with it.
    const slow = benchResult({ latencyUs: lognormalUs(20_000, 2, 2_000, 0.6, 2), seed: 2 });
    slow.generator = { ...slow.generator, bottleneck: true, reason: 'its scheduler woke 7.4 ms late (p99)' };
    const slowReport = compareResults(baseline, slow, { failOnRegressionPct: 10, files });
    expect(by(slowReport, 'service.p95')).toMatchObject({ verdict: 'regressed', failing: true, note: null });
    expect(by(slowReport, 'latency.p95')).toMatchObject({ verdict: 'regressed', failing: true });
  });

  it('gives no verdict on a tail percentile with fewer than 10 samples beyond it on a side, and says so', () => {
    // 300 requests: p99 rests on 3 samples, p95 on 15. A doubled tail is judged at p95 only.
    const small = benchResult({ latencyUs: lognormalUs(300, 1), seed: 1 });
    const slowTail = benchResult({ latencyUs: lognormalUs(300, 2).map((v, i) => (i % 10 === 0 ? v * 3 : v)), seed: 2 });
    const report = compareResults(small, slowTail, { failOnRegressionPct: 10, files });
    const p99 = report.metrics.find((m) => m.metric === 'service.p99')!;
    expect(p99).toMatchObject({ verdict: 'unchanged', failing: false, ci: null, note: '3 samples beyond p99 on the smaller side (300 in all): too few for a test of p99 (10 needed)' });
    expect(p99.baseline).not.toBeNull();
    expect(report.metrics.find((m) => m.metric === 'service.p95')!.note).toBeNull();
  });

  it('refuses a verdict between a closed-loop and an open-loop run unless forced, and says how they differ', () => {
    const closed = benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2 });
    closed.config = { ...closed.config, mode: 'closed', rps: null, arrival: null, concurrency: 8 };
    expect(() => compareResults(baseline, closed, { failOnRegressionPct: 10, files }))
      .toThrow(/No verdict: cur\.json \(current\) and base\.json \(baseline\) were not measured the same way \(load model: baseline open loop at 1000 req\/s \(uniform arrivals\), current closed loop at concurrency 8\)\..*--force/);
    const forced = compareResults(baseline, closed, { failOnRegressionPct: 10, files, force: true });
    expect(forced.differences).toEqual([{ what: 'load model', baseline: 'open loop at 1000 req/s (uniform arrivals)', current: 'closed loop at concurrency 8' }]);
    expect(forced.metrics.length).toBeGreaterThan(0);
  });

  it('refuses a different rate, workload or target, naming each; the same settings compare with no difference', () => {
    const other = benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2, targetRps: 500, operations: ['tools/list'], display: 'node other.js' });
    let message = '';
    try {
      compareResults(baseline, other, { failOnRegressionPct: 10, files });
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      message = (err as Error).message;
    }
    expect(message).toContain('target: baseline node server.js, current node other.js');
    expect(message).toContain('rate: baseline 1000 req/s, current 500 req/s');
    expect(message).toContain('workload: baseline tools/call:search, current tools/list');
    expect(compareResults(baseline, benchResult({ latencyUs: lognormalUs(20_000, 2), seed: 2 }), { failOnRegressionPct: 10, files }).differences).toEqual([]);
  });

  it('refuses results of different kinds', () => {
    const analyze = { ...baseline, kind: 'analyze' } as unknown as AnalyzeResult;
    expect(() => compareResults(analyze, baseline, { failOnRegressionPct: 10, files })).toThrow(UsageError);
    expect(() => compareResults(analyze, baseline, { failOnRegressionPct: 10, files })).toThrow(/bench result \(cur\.json\) with a analyze result|same command/);
  });
});

function analyze(readyMs: number[], tokens: number): AnalyzeResult {
  return {
    kind: 'analyze', createdAt: new Date(0).toISOString(), target: { display: 'node server.js' },
    coldStart: { samples: readyMs.map((ms, i) => ({ run: i + 1, readyMs: ms, handshakeMs: ms * 0.8, peakRssBytes: null })) },
    tools: { tokens }, latency: null, resources: null,
  } as unknown as AnalyzeResult;
}

describe('compareResults (analyze, tune)', () => {
  it('tests cold starts on the per-run samples and treats token counts as exact', () => {
    const ready = [310, 305, 322, 298, 315, 301, 330, 309, 312, 307];
    const report = compareResults(analyze(ready, 4_000), analyze(ready.map((x) => x * 1.4), 4_100), { failOnRegressionPct: 20, files });
    const by = (id: string) => report.metrics.find((m) => m.metric === id)!;
    expect(by('coldStart.ready.p50')).toMatchObject({ test: 'bootstrap-samples', unit: 'us', verdict: 'regressed', failing: true });
    expect(by('coldStart.handshake.p50').verdict).toBe('regressed');
    expect(by('tools.tokens')).toMatchObject({ verdict: 'regressed', failing: false, note: 'deterministic', delta: 100 });
  });

  it('gives no verdict on too few cold starts', () => {
    const report = compareResults(analyze([300, 310, 305], 1), analyze([600, 610, 605], 1), { failOnRegressionPct: 10, files });
    expect(report.metrics[0]).toMatchObject({ metric: 'coldStart.ready.p50', verdict: 'unchanged', note: '3 samples: too few for a test' });
  });

  it('reports the recommended throughput of two tunes without a test, naming the settings', () => {
    const tune = (rps: number, workers: string) => ({
      kind: 'tune', createdAt: new Date(0).toISOString(), target: { display: 'node server.js' },
      points: [{ index: 0, summary: { succeededRps: rps } }],
      recommendation: { pointIndex: 0, settings: { 'env:WORKERS': workers } },
    }) as unknown as TuneResult;
    const [m] = compareResults(tune(900, '2'), tune(1_200, '4'), { failOnRegressionPct: 10, files }).metrics;
    expect(m).toMatchObject({ metric: 'recommendation.throughput', baseline: 900, current: 1_200, verdict: 'unchanged', test: 'none' });
    expect(m!.note).toContain('env:WORKERS=4');
  });
});
