import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { parseBudget, parseBudgetList, passes, thresholdIn, type BudgetSpec, type MetricKind } from '../../src/budgets/spec.js';

/** Run `fn`, expect a UsageError (exit 2), and return it. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(EXIT_CODES.USAGE);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseBudget', () => {
  const valid: Array<[string, Partial<BudgetSpec>]> = [
    ['coldStart.p50<400ms', { metric: 'coldStart.p50', op: '<', value: 400, unit: 'ms' }],
    ['errors<1%', { metric: 'errors', op: '<', value: 1, unit: '%' }],
    ['tools.bytes<=64KB', { metric: 'tools.bytes', op: '<=', value: 64, unit: 'KB' }],
    ['latency.tools/call:search.v2.p95<50ms', { metric: 'latency.tools/call:search.v2.p95', op: '<', value: 50, unit: 'ms' }],
    ['  coldStart.p50  <  400  ms  ', { metric: 'coldStart.p50', op: '<', value: 400, unit: 'ms', expression: 'coldStart.p50  <  400  ms' }],
    ['coldStart.p50<.5s', { value: 0.5, unit: 's' }],
    ['tools.count>=3', { op: '>=', value: 3, unit: '' }],
    ['tools.tokens>1e3', { op: '>', value: 1000, unit: '' }],
    ['lookup<250µs', { value: 250, unit: 'µs' }],
    ['tools.bytes<2MiB', { value: 2, unit: 'MiB' }],
    ['tools.bytes<+2mb', { value: 2, unit: 'mb' }],
  ];
  for (const [expr, want] of valid) {
    it(`parses ${JSON.stringify(expr)}`, () => {
      const spec = parseBudget(expr, 'flag', '--budget');
      expect(spec).toMatchObject({ expression: expr.trim(), source: 'flag', ...want });
    });
  }

  it('records where the budget came from', () => {
    expect(parseBudget('errors<1%', 'config', 'config budget').source).toBe('config');
    expect(parseBudget('errors<1%', 'default', 'default budget').source).toBe('default');
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['no operator', 'coldStart.p50 400ms', /is not a budget/],
    ['no metric', '<400ms', /is not a budget/],
    ['no number', 'coldStart.p50<ms', /is not a budget/],
    ['"=" alone', 'coldStart.p50=400ms', /is not a budget/],
    ['"=="', 'errors==1%', /is not a budget/],
    ['negative', 'coldStart.p50<-5ms', /non-negative/],
    ['NaN', 'coldStart.p50<NaNms', /is not a budget/],
    ['Infinity by overflow', 'coldStart.p50<1e999ms', /non-negative/],
    ['unknown unit', 'coldStart.p50<400hours', /unknown unit "hours"/],
    ['trailing text', 'coldStart.p50<400ms or so', /is not a budget/],
    ['empty', '', /is not a budget/],
  ];
  for (const [what, expr, message] of invalid) {
    it(`rejects ${what} with a usage error quoting the expression and the flag`, () => {
      const err = usageError(() => parseBudget(expr, 'flag', '--budget'));
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`"${expr}"`);
      expect(err.message).toContain('--budget');
    });
  }
});

describe('thresholdIn', () => {
  const at = (expr: string, kind: MetricKind): number => thresholdIn(parseBudget(expr, 'flag', '--budget'), kind, '--budget');

  it('converts times to ms', () => {
    expect(at('x<2s', 'time')).toBe(2000);
    expect(at('x<.5s', 'time')).toBe(500);
    expect(at('x<400ms', 'time')).toBe(400);
    expect(at('x<250us', 'time')).toBeCloseTo(0.25, 12);
    expect(at('x<250µs', 'time')).toBeCloseTo(0.25, 12);
    expect(at('x<3MS', 'time')).toBe(3);
  });

  it('converts sizes to bytes (decimal and binary prefixes, any case)', () => {
    expect(at('x<100B', 'size')).toBe(100);
    expect(at('x<64KB', 'size')).toBe(64_000);
    expect(at('x<64KiB', 'size')).toBe(65_536);
    expect(at('x<64kib', 'size')).toBe(65_536);
    expect(at('x<3MB', 'size')).toBe(3_000_000);
    expect(at('x<3MiB', 'size')).toBe(3 * 1024 * 1024);
    expect(at('x<1GB', 'size')).toBe(1e9);
    expect(at('x<1GiB', 'size')).toBe(1024 ** 3);
  });

  it('takes percent for rates', () => {
    expect(at('x<1.5%', 'pct')).toBe(1.5);
  });

  it('reads a bare number in the base unit of every kind', () => {
    expect(at('x<400', 'time')).toBe(400);
    expect(at('x<4096', 'size')).toBe(4096);
    expect(at('x<7', 'count')).toBe(7);
    expect(at('x<2', 'pct')).toBe(2);
  });

  const mismatches: Array<[string, MetricKind, RegExp]> = [
    ['coldStart.p50<4KB', 'time', /is a time \(in ms\), but "KB" is a unit of size/],
    ['tools.bytes<10ms', 'size', /is a size \(in bytes\), but "ms" is a unit of time/],
    ['errors<1s', 'pct', /is a percentage \(in pct\), but "s" is a unit of time/],
    ['tools.count<5%', 'count', /is a count \(in count\), but "%" is a unit of percentage/],
  ];
  for (const [expr, kind, message] of mismatches) {
    it(`rejects ${expr} for a ${kind} metric, naming both kinds`, () => {
      const err = usageError(() => at(expr, kind));
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`"${expr}"`);
    });
  }
});

describe('passes', () => {
  it('compares with each operator, including the boundary', () => {
    expect(passes(399, '<', 400)).toBe(true);
    expect(passes(400, '<', 400)).toBe(false);
    expect(passes(400, '<=', 400)).toBe(true);
    expect(passes(401, '<=', 400)).toBe(false);
    expect(passes(401, '>', 400)).toBe(true);
    expect(passes(400, '>', 400)).toBe(false);
    expect(passes(400, '>=', 400)).toBe(true);
    expect(passes(399, '>=', 400)).toBe(false);
  });
});

describe('parseBudgetList', () => {
  it('reads a list of expressions and an object of metric → condition, as config budgets', () => {
    const fromList = parseBudgetList(['p95<100ms', 'errors<1%'], 'config c.json');
    expect(fromList.map((b) => [b.metric, b.op, b.value, b.unit, b.source])).toEqual([['p95', '<', 100, 'ms', 'config'], ['errors', '<', 1, '%', 'config']]);
    const fromObject = parseBudgetList({ 'coldStart.p50': '<=400ms' }, 'config c.json');
    expect(fromObject.map((b) => b.expression)).toEqual(['coldStart.p50<=400ms']);
  });

  it('names the file for a wrong shape and `at` for a wrong budget', () => {
    expect(usageError(() => parseBudgetList(['p95<1ms', 5], 'config c.json')).message).toBe('config c.json: "budgets" entries must be strings like "p95<100ms".');
    expect(usageError(() => parseBudgetList('p95<1ms', 'config c.json')).message).toMatch(/^config c\.json: "budgets" must be an array of expressions or an object/);
    expect(usageError(() => parseBudgetList(null, 'config c.json')).message).toMatch(/^config c\.json: "budgets" must be an array/);
    expect(usageError(() => parseBudgetList(['p95~1ms'], 'config c.json', 'config c.json budget')).message).toMatch(/^config c\.json budget "p95~1ms" is not a budget/);
  });
});
