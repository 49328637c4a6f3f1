import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import {
  checkBudgetTools,
  evaluateBudgets,
  resolveBudgets,
  thresholdOf,
  type ResolvedBudget,
} from '../../src/budgets/analyzeBudgets.js';
import { METRIC_HELP, resolveMetric } from '../../src/budgets/analyzeMetrics.js';
import { DEFAULT_BUDGETS } from '../../src/budgets/defaults.js';
import { parseBudget, type BudgetSpec } from '../../src/budgets/spec.js';
import { distributionOf, type Distribution } from '../../src/measure/histogram.js';
import type { AnalyzeOptions } from '../../src/options/analyzeOptions.js';
import type { AnalyzeResult, OperationLatency } from '../../src/result/analyzeResult.js';
import { emptyResult } from '../../src/runners/analyze/sections.js';

/** A distribution whose every sample is `us` (percentiles exact to 0.1 %, min/max/mean exact). */
/** A distribution of 20 samples at `us` (enough for a p95: budgets on fewer fail, budgets/gate.ts minSamplesFor). */
const flat = (us: number): Distribution => distributionOf(Array<number>(20).fill(us), 'us')!;

const fakeOptions = {
  spec: { kind: 'stdio', launch: { command: '/usr/bin/node', args: ['server.js'], cwd: '/', env: {} }, origin: 'test', configuredEnvNames: [] },
  runs: 10, warmupRuns: 1, timeoutMs: 10_000, era: 'auto', calls: [], noCalls: false, concurrency: 4,
} as unknown as AnalyzeOptions;

const op = (name: string, sequential: Distribution | null): OperationLatency => ({
  op: name, sequential, concurrent: null, requests: 100, errors: {}, args: null, note: null,
});

/** A result where every section is measured, with distinct, easily recognised figures. */
function measuredResult(): AnalyzeResult {
  const r = emptyResult(fakeOptions, new Date(0));
  r.coldStart = {
    mode: 'process',
    stages: { firstByte: flat(50_000), handshake: flat(120_000), ready: flat(300_000), firstCall: null },
    firstCallTool: null,
    peakRss: distributionOf([40_000_000, 60_000_000], 'bytes'),
    samples: [],
    runner: { runner: 'npx', directDisplay: 'node server.js', directReady: flat(100_000), overheadMs: 200 },
  };
  r.tools = {
    count: 12, pages: 2, listLatency: flat(4_000), bytes: 9_000,
    bytesPerTool: { mean: 750, p50: 700, max: 2_000 }, tokens: 2_500,
    tokenizer: { library: 'gpt-tokenizer', version: '0', encoding: 'o200k_base', note: '' },
    largest: [], callable: [], skipped: [],
  };
  r.lookup = {
    method: 'm', baseline: { request: 'ping', latency: flat(1_000) }, unknown: { latency: flat(1_800) },
    registryUs: { value: 800, low: 700, high: 900, level: 0.95 },
    positions: null, slopeUsPerPosition: null, positionCorrelation: null, linear: null,
  };
  r.latency = {
    operations: [op('ping', flat(2_000)), op('tools/list', flat(7_000)), op('tools/call:search.v2', flat(30_000)), op('tools/call:fs/read.file', flat(11_000))],
    concurrency: 4, errorRatePct: 0.5,
  };
  r.resources = {
    idleRssBytes: 50_000_000, afterRssBytes: 52_000_000, rssGrowthBytes: 2_000_000, rssBytesPerRequest: 5000, requestsBetween: 400,
    cpuUsPerRequest: 250, processCount: 1, stderrBytes: 0, stderrLines: 0,
  };
  r.hygiene = {
    nonJsonLines: 3, violations: { 'non-json-stdout': 3, batch: 2 }, excerpts: {}, unexpectedErrors: {},
    serverRequests: {}, lateResponses: 0, eofToExit: flat(15_000), signalledStops: 0,
  };
  return r;
}

const flag = (e: string): BudgetSpec => parseBudget(e, 'flag', '--budget');
const config = (e: string): BudgetSpec => parseBudget(e, 'config', 'config budget');

describe('resolveMetric', () => {
  const r = measuredResult();
  // [written name, canonical id, kind, value read from measuredResult() in the base unit]
  const cases: Array<[string, string, string, number]> = [
    ['coldStart.p50', 'coldStart.ready.p50', 'time', 300],
    ['coldStart.max', 'coldStart.ready.max', 'time', 300],
    ['coldStart.firstByte.p95', 'coldStart.firstByte.p95', 'time', 50],
    ['coldStart.handshake.mean', 'coldStart.handshake.mean', 'time', 120],
    ['coldStart.ready.p99', 'coldStart.ready.p99', 'time', 300],
    ['coldStart.peakRss', 'coldStart.peakRss.max', 'size', 60_000_000],
    ['coldStart.peakRss.min', 'coldStart.peakRss.min', 'size', 40_000_000],
    ['runner.overhead', 'runner.overhead', 'time', 200],
    ['tools.count', 'tools.count', 'count', 12],
    ['tools.pages', 'tools.pages', 'count', 2],
    ['tools.bytes', 'tools.bytes', 'size', 9_000],
    ['tools.tokens', 'tools.tokens', 'count', 2_500],
    ['tools.list.p90', 'tools.list.p90', 'time', 4],
    ['lookup', 'lookup', 'time', 0.8],
    ['lookup.unknown.p50', 'lookup.unknown.p50', 'time', 1.8],
    ['latency.p95', 'latency.p95', 'time', 30],
    ['latency.ping.p50', 'latency.ping.p50', 'time', 2],
    ['latency.tools/list.p999', 'latency.tools/list.p999', 'time', 7],
    ['latency.tools/call:search.v2.p95', 'latency.tools/call:search.v2.p95', 'time', 30],
    ['latency.tools/call:fs/read.file.min', 'latency.tools/call:fs/read.file.min', 'time', 11],
    ['errors', 'errors', 'pct', 0.5],
    ['memory.idle', 'memory.idle', 'size', 50_000_000],
    ['memory.growth', 'memory.growth', 'size', 2_000_000],
    ['cpu.perRequest', 'cpu.perRequest', 'time', 0.25],
    ['stdout.noise', 'stdout.noise', 'count', 3],
    ['violations', 'violations', 'count', 5],
    ['exit.eof.p50', 'exit.eof.p50', 'time', 15],
  ];
  for (const [name, id, kind, value] of cases) {
    it(`resolves ${name} to ${id} (${kind}) and reads it`, () => {
      const m = resolveMetric(name, '--budget');
      expect(m.id).toBe(id);
      expect(m.kind).toBe(kind);
      const read = m.read(r)!;
      expect(Math.abs(read - value) / value, `${name}: read ${read}, want ${value}`).toBeLessThanOrEqual(0.001);
    });
  }

  it('names the tool of latency.tools/call:<name>.<stat>, keeping dots and slashes', () => {
    expect(resolveMetric('latency.tools/call:search.v2.p95', 'x').tool).toBe('search.v2');
    expect(resolveMetric('latency.tools/call:fs/read.file.p50', 'x').tool).toBe('fs/read.file');
    expect(resolveMetric('latency.tools/call:p95.p95', 'x').tool).toBe('p95');
    expect(resolveMetric('latency.ping.p95', 'x').tool).toBeUndefined();
  });

  it('reads null for sections and stages that were not measured', () => {
    const empty = emptyResult(fakeOptions, new Date(0));
    for (const [name] of cases) expect(resolveMetric(name, 'x').read(empty), name).toBeNull();
    expect(resolveMetric('coldStart.firstCall.p50', 'x').read(measuredResult())).toBeNull();
    expect(resolveMetric('latency.tools/call:absent.p50', 'x').read(measuredResult())).toBeNull();
  });

  it('reads a negative registry cost as 0 ms', () => {
    const res = measuredResult();
    res.lookup!.registryUs = { value: -40, low: -90, high: 10, level: 0.95 };
    expect(resolveMetric('lookup', 'x').read(res)).toBe(0);
  });

  it('reads a registry cost whose 95 % interval includes 0 as 0 ms, so lookup<5ms passes on noise', () => {
    const res = measuredResult();
    res.lookup!.registryUs = { value: 24_000, low: -180_000, high: 210_000, level: 0.95 };
    expect(resolveMetric('lookup', 'x').read(res)).toBe(0);
    const [b] = evaluateBudgets(resolveBudgets([parseBudget('lookup<5ms', 'flag', '--budget')]).filter((x) => x.spec.source === 'flag'), res);
    expect(b).toMatchObject({ actual: 0, pass: true });
  });

  it('reads the slope estimate when the baseline scans too, and nothing (fails as not measured) when lookup was not measured', () => {
    const res = measuredResult();
    res.lookup!.registryUs = { value: 20, low: -300, high: 350, level: 0.95 };
    res.lookup!.linear = true;
    res.lookup!.baselineScans = true;
    res.lookup!.scanEstimateUs = 10_500;
    expect(resolveMetric('lookup', 'x').read(res)).toBe(10.5);
    res.lookup = { ...res.lookup!, registryUs: null, baseline: null, unknown: null, linear: null, baselineScans: false, scanEstimateUs: null, notMeasured: '--no-calls' };
    expect(resolveMetric('lookup', 'x').read(res)).toBeNull();
    expect(resolveMetric('lookup.unknown.p50', 'x').read(res)).toBeNull();
  });

  for (const name of ['coldStart.p42', 'coldStart.stddev', 'coldStart.boot.p50', 'tools', 'tools.list', 'latency.foo.p50', 'latency.tools/call:x', 'memory', 'coldStart.ready.p50.x', '']) {
    it(`rejects ${JSON.stringify(name)} listing the known metrics and stats`, () => {
      let err: unknown;
      try {
        resolveMetric(name, '--budget "x"');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      const msg = (err as UsageError).message;
      expect(msg).toContain(`--budget "x": unknown metric "${name}"`);
      expect(msg).toContain(METRIC_HELP);
      expect(msg).toContain('min, p50, p90, p95, p99, p999, max, mean');
    });
  }
});

describe('resolveBudgets', () => {
  it('without user budgets gives the product defaults, source "default"', () => {
    const budgets = resolveBudgets([]);
    expect(budgets.map((b) => b.spec.expression)).toEqual([...DEFAULT_BUDGETS]);
    expect(budgets.every((b) => b.spec.source === 'default')).toBe(true);
    expect(budgets.map((b) => [b.metric.id, b.threshold])).toEqual([
      ['coldStart.ready.p50', 400], ['lookup', 5], ['latency.p95', 100], ['errors', 1],
    ]);
  });

  it('a user budget on the same metric and direction replaces the default', () => {
    const budgets = resolveBudgets([flag('coldStart.p50<1s')]);
    const cold = budgets.filter((b) => b.metric.id === 'coldStart.ready.p50');
    expect(cold).toHaveLength(1);
    expect(cold[0]!.spec.source).toBe('flag');
    expect(cold[0]!.threshold).toBe(1000);
    expect(budgets).toHaveLength(DEFAULT_BUDGETS.length);
  });

  it('a user lower bound on a defaulted metric keeps the default upper bound', () => {
    const budgets = resolveBudgets([flag('lookup>0.1ms')]);
    expect(budgets.filter((b) => b.metric.id === 'lookup').map((b) => `${b.spec.op}${b.threshold}`)).toEqual(['<5', '>0.1']);
  });

  it('rejects the same metric bounded twice in one direction, naming both budgets and their origins', () => {
    const err = (() => {
      try {
        resolveBudgets([flag('errors<2%'), config('errors<=3%')]);
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected a UsageError');
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(EXIT_CODES.USAGE);
    expect(err.message).toContain('"errors<=3%" (config budget) bounds errors again after "errors<2%" (--budget)');
  });

  it('treats coldStart.p50 and coldStart.ready.p50 as the same metric', () => {
    expect(() => resolveBudgets([flag('coldStart.p50<300ms'), flag('coldStart.ready.p50<500ms')])).toThrow(/bounds coldStart\.ready\.p50 again/);
  });

  it('allows an upper and a lower bound on one metric', () => {
    const budgets = resolveBudgets([flag('tools.count<100'), flag('tools.count>=1')]);
    expect(budgets.filter((b) => b.metric.id === 'tools.count')).toHaveLength(2);
  });

  it('rejects unknown metrics and unit mismatches with the flag named', () => {
    expect(() => resolveBudgets([flag('nope<1')])).toThrow(/--budget "nope<1": unknown metric "nope"/);
    expect(() => resolveBudgets([flag('tools.bytes<5ms')])).toThrow(/--budget "tools.bytes<5ms": tools.bytes is a size/);
  });
});

describe('checkBudgetTools', () => {
  const budgets = resolveBudgets([flag('latency.tools/call:search.v2.p95<50ms')]);

  it('accepts a budget on a listed tool', () => {
    expect(() => checkBudgetTools(budgets, new Set(['search.v2', 'other']))).not.toThrow();
  });

  it('rejects a budget on a tool the server does not list, naming it and the listed tools', () => {
    expect(() => checkBudgetTools(budgets, new Set(['search', 'fetch']))).toThrow(
      new UsageError('Budget "latency.tools/call:search.v2.p95<50ms" names tool "search.v2", which the server does not list. Its tools: search, fetch.'),
    );
    expect(() => checkBudgetTools(budgets, new Set())).toThrow(/Its tools: \(none\)/);
  });
});

describe('evaluateBudgets', () => {
  it('passes and fails by comparing the measured value with the threshold in the base unit', () => {
    const budgets = resolveBudgets([flag('coldStart.p50<0.5s'), config('tools.bytes<=8KB'), flag('tools.count>=12')]);
    const results = evaluateBudgets(budgets, measuredResult());
    const by = (metric: string) => results.find((x) => x.metric === metric)!;
    expect(by('coldStart.ready.p50')).toMatchObject({ expression: 'coldStart.p50<0.5s', op: '<', threshold: 500, unit: 'ms', pass: true, source: 'flag' });
    expect(by('coldStart.ready.p50').actual).toBeCloseTo(300, 0);
    expect(by('tools.bytes')).toEqual({ expression: 'tools.bytes<=8KB', metric: 'tools.bytes', op: '<=', threshold: 8000, unit: 'bytes', actual: 9000, pass: false, source: 'config' });
    expect(by('tools.count')).toMatchObject({ actual: 12, pass: true, unit: 'count' });
    expect(by('errors')).toMatchObject({ actual: 0.5, pass: true, unit: 'pct', source: 'default' });
    expect(results).toHaveLength(budgets.length);
  });

  it('fails an unmeasured metric with a note', () => {
    const results = evaluateBudgets(resolveBudgets([flag('memory.growth<1MB')]), emptyResult(fakeOptions, new Date(0)));
    for (const b of results) {
      expect(b.actual).toBeNull();
      expect(b.pass).toBe(false);
      expect(b.note).toBe('not measured in this run');
    }
  });

  it('adds no note to a measured metric', () => {
    const [b] = evaluateBudgets(resolveBudgets([]), measuredResult());
    expect(b).not.toHaveProperty('note');
  });
});

describe('thresholdOf', () => {
  it('gives the default upper bound, or the user\'s when it replaced it', () => {
    expect(thresholdOf(resolveBudgets([]), 'coldStart.ready.p50')).toBe(400);
    expect(thresholdOf(resolveBudgets([flag('coldStart.p50<2s')]), 'coldStart.ready.p50')).toBe(2000);
  });

  it('ignores lower bounds and unknown metrics', () => {
    const budgets: ResolvedBudget[] = resolveBudgets([flag('tools.count>3')]);
    expect(thresholdOf(budgets, 'tools.count')).toBeUndefined();
    expect(thresholdOf(budgets, 'no.such')).toBeUndefined();
  });
});
