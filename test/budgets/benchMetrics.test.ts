import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { BENCH_METRIC_HELP, resolveBenchMetric } from '../../src/budgets/benchMetrics.js';
import { BENCH_DEFAULT_BUDGETS } from '../../src/budgets/defaults.js';
import { evaluateBudgetSet, resolveBudgetSet } from '../../src/budgets/gate.js';
import { parseBudget } from '../../src/budgets/spec.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { benchResult, flatOf } from '../runners/bench/helpers.js';

const read = (name: string, r: BenchResult = benchResult()): number | null => resolveBenchMetric(name, '--budget').read(r);
const flags = (...exprs: string[]) => exprs.map((e) => parseBudget(e, 'flag', '--budget'));

describe('resolveBenchMetric: every pattern of BENCH_METRIC_HELP', () => {
  it('<stat> alone and latency.<stat> read the corrected latency, in ms', () => {
    for (const s of ['min', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']) {
      expect(resolveBenchMetric(s, 'w')).toMatchObject({ id: `latency.${s}`, kind: 'time' });
      expect(resolveBenchMetric(`latency.${s}`, 'w')).toMatchObject({ id: `latency.${s}`, kind: 'time' });
    }
    expect(read('p95')).toBeCloseTo(50, 1);
    expect(read('latency.max')).toBe(50);
  });

  it('service.<stat> reads the service time', () => {
    expect(resolveBenchMetric('service.p99', 'w')).toMatchObject({ id: 'service.p99', kind: 'time' });
    expect(read('service.p99')).toBeCloseTo(40, 1);
  });

  it('sendLateness.<stat> reads the send lateness', () => {
    expect(resolveBenchMetric('sendLateness.p99', 'w')).toMatchObject({ id: 'sendLateness.p99', kind: 'time' });
    expect(read('sendLateness.max')).toBe(0.3);
  });

  it('ping / tools/list / discover .<stat> read that operation, null when it was not in the mix', () => {
    expect(read('ping.p50')).toBeCloseTo(20, 1);
    for (const m of ['tools/list.p95', 'discover.p99']) {
      const ref = resolveBenchMetric(m, 'w');
      expect(ref).toMatchObject({ id: m, kind: 'time' });
      expect(ref.tool).toBeUndefined();
      expect(ref.read(benchResult())).toBeNull();
    }
  });

  it('tools/call:NAME.<stat> names the tool, even with dots and slashes in its name', () => {
    expect(resolveBenchMetric('tools/call:search.p95', 'w')).toMatchObject({ id: 'tools/call:search.p95', kind: 'time', tool: 'search' });
    const dotted = resolveBenchMetric('tools/call:my.tool.v2.p99', 'w');
    expect(dotted).toMatchObject({ id: 'tools/call:my.tool.v2.p99', tool: 'my.tool.v2' });
    expect(dotted.read(benchResult())).toBeCloseTo(70, 1);
    const slashed = resolveBenchMetric('tools/call:ns/read.file.mean', 'w');
    expect(slashed).toMatchObject({ tool: 'ns/read.file' });
    expect(slashed.read(benchResult())).toBe(90);
    // A tool named like a stat is still a tool.
    expect(resolveBenchMetric('tools/call:max.p50', 'w')).toMatchObject({ tool: 'max' });
  });

  it('the simple metrics: errors (%), rps, dropped, late, timeouts, memory.growth', () => {
    expect(resolveBenchMetric('errors', 'w')).toMatchObject({ id: 'errors', kind: 'pct' });
    expect(resolveBenchMetric('rps', 'w')).toMatchObject({ id: 'rps', kind: 'count' });
    expect(resolveBenchMetric('memory.growth', 'w')).toMatchObject({ id: 'memory.growth', kind: 'size' });
    const r = benchResult();
    r.requests.dropped = 7;
    expect([read('errors', r), read('rps', r), read('dropped', r), read('late', r), read('timeouts', r), read('memory.growth', r)])
      .toEqual([1, 99, 7, 3, 4, 3_000_000]);
  });

  it('unmeasured simple metrics read null (or 0 where a count is known)', () => {
    const r = benchResult();
    r.resources = null;
    r.requests.errors = {};
    expect(read('memory.growth', r)).toBeNull();
    expect(read('timeouts', r)).toBe(0);
    r.requests.succeeded = 0;
    r.requests.failed = 0;
    expect(read('errors', r)).toBeNull(); // nothing answered: no rate
    expect(read('rps', r)).toBeNull();
  });

  it.each(['foo', 'p42', 'latency.p42', 'latency', 'service', 'tools/call:search', 'resources/read.p50', 'memory', 'P95', 'errors.p50'])(
    'unknown metric %s is a UsageError that lists the valid ones',
    (name) => {
      let err: unknown;
      try {
        resolveBenchMetric(name, '--budget "x"');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(EXIT_CODES.USAGE);
      const msg = (err as Error).message;
      expect(msg).toContain(`--budget "x": unknown metric "${name}"`);
      expect(msg).toContain(BENCH_METRIC_HELP);
      expect(msg).toContain('min, p50, p90, p95, p99, p999, max, mean');
    },
  );
});

describe('resolveBudgetSet with bench metrics', () => {
  const resolveSet = (...exprs: string[]) => resolveBudgetSet<BenchResult>(flags(...exprs), BENCH_DEFAULT_BUDGETS, resolveBenchMetric);

  it('without user budgets, the defaults: p95 < 100 ms and errors < 1 %', () => {
    const set = resolveSet();
    expect(set.map((b) => [b.metric.id, b.spec.op, b.threshold, b.spec.source])).toEqual([
      ['latency.p95', '<', 100, 'default'],
      ['errors', '<', 1, 'default'],
    ]);
  });

  it('a user budget on the same metric and direction replaces the default; others add to it', () => {
    const set = resolveSet('latency.p95<20ms', 'p95>1ms', 'rps>=500', 'memory.growth<10MB', 'tools/call:a.b.p99<2s');
    expect(set.map((b) => [b.metric.id, b.spec.op, b.threshold, b.spec.source])).toEqual([
      ['errors', '<', 1, 'default'],
      ['latency.p95', '<', 20, 'flag'],
      ['latency.p95', '>', 1, 'flag'],
      ['rps', '>=', 500, 'flag'],
      ['memory.growth', '<', 10_000_000, 'flag'],
      ['tools/call:a.b.p99', '<', 2000, 'flag'],
    ]);
    expect(set.at(-1)!.metric.tool).toBe('a.b');
  });

  it('threshold units: µs and s become ms; a unit of the wrong kind is a usage error', () => {
    expect(resolveSet('service.p50<500us').at(-1)!.threshold).toBe(0.5);
    expect(() => resolveSet('errors<5ms')).toThrow(UsageError);
    expect(() => resolveSet('p95<5%')).toThrow(/time/);
    expect(() => resolveSet('rps>10KB')).toThrow(UsageError);
  });

  it('the same metric bounded twice in one direction is a usage error', () => {
    expect(() => resolveSet('p95<50ms', 'latency.p95<=60ms')).toThrow(/again/);
  });

  it('an unknown metric in a budget is a usage error naming the budget', () => {
    expect(() => resolveSet('coldStart.p50<400ms')).toThrow(/--budget "coldStart.p50<400ms": unknown metric "coldStart.p50"/);
  });
});

describe('evaluateBudgetSet against a bench result', () => {
  const evaluate = (r: BenchResult, ...exprs: string[]) =>
    evaluateBudgetSet(resolveBudgetSet<BenchResult>(flags(...exprs), [], resolveBenchMetric), r);

  it('passes and fails by the figures, reporting actual values in base units', () => {
    const out = evaluate(benchResult(), 'p95<100ms', 'p99<40ms', 'service.p50<=41ms', 'tools/call:my.tool.v2.p99<60ms', 'rps>=99', 'memory.growth<1MB', 'dropped<=0', 'late<1');
    expect(out.map((b) => [b.metric, b.pass])).toEqual([
      ['latency.p95', true],
      ['latency.p99', false],
      ['service.p50', true],
      ['tools/call:my.tool.v2.p99', false],
      ['rps', true],
      ['memory.growth', false],
      ['dropped', true],
      ['late', false],
    ]);
    expect(out[0]).toMatchObject({ expression: 'p95<100ms', op: '<', threshold: 100, unit: 'ms', source: 'flag' });
    expect(out[0]!.actual).toBeCloseTo(50, 1);
    expect(out[5]).toMatchObject({ unit: 'bytes', actual: 3_000_000, threshold: 1_000_000 });
  });

  it('the errors budget reads errorRatePct', () => {
    const r = benchResult();
    r.requests.errorRatePct = 0.5;
    expect(evaluate(r, 'errors<1%')[0]).toMatchObject({ actual: 0.5, pass: true, unit: 'pct' });
    r.requests.errorRatePct = 2.5;
    expect(evaluate(r, 'errors<1%')[0]).toMatchObject({ actual: 2.5, pass: false });
  });

  it('a run without a single success fails every latency budget and rps, as "not measured"', () => {
    const r = benchResult();
    Object.assign(r.requests, { succeeded: 0, failed: 1000, errorRatePct: 100 });
    r.throughput.succeededRps = 0;
    r.latency = null;
    r.serviceTime = null;
    r.byOperation = r.byOperation.map((o) => ({ ...o, succeeded: 0, latency: null, serviceTime: null }));
    const out = evaluate(r, 'p95<3600s', 'max<=100s', 'service.p50<1s', 'ping.p99<1s', 'tools/call:my.tool.v2.mean<1s', 'rps>=0', 'errors<=100%');
    for (const b of out.slice(0, 6)) {
      expect(b).toMatchObject({ actual: null, pass: false, note: 'not measured in this run' });
    }
    expect(out[6]).toMatchObject({ metric: 'errors', actual: 100, pass: true });
  });

  it('a run that sent nothing fails the errors budget too', () => {
    const r = benchResult();
    Object.assign(r.requests, { sent: 0, succeeded: 0, failed: 0, errorRatePct: 0 });
    expect(evaluate(r, 'errors<1%')[0]).toMatchObject({ actual: null, pass: false });
  });

  it('the default budgets pass on a healthy result and fail on a slow one', () => {
    const set = resolveBudgetSet<BenchResult>([], BENCH_DEFAULT_BUDGETS, resolveBenchMetric);
    const ok = benchResult();
    ok.requests.errorRatePct = 0;
    expect(evaluateBudgetSet(set, ok).map((b) => b.pass)).toEqual([true, true]);
    const slow = benchResult();
    slow.latency = flatOf(250_000, 990);
    expect(evaluateBudgetSet(set, slow).map((b) => [b.metric, b.pass, b.source])).toEqual([['latency.p95', false, 'default'], ['errors', false, 'default']]);
  });
});
