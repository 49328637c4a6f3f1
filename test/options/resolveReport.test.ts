/**
 * report's flags: formats pair with --out in order, documents never share stdout, percentages and
 * budgets are checked before any file is read.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveReportOptions } from '../../src/options/resolveReport.js';

const base = { paths: [], config: null, budgetFiles: [], cwd: '/work', env: {}, stdoutTTY: false };

function resolveWith(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return resolveReportOptions({ ...base, flags, env });
}

function refusal(flags: Record<string, unknown>): string {
  try {
    resolveWith(flags);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('resolveReportOptions', () => {
  it('defaults to a table on stdout, 5 % minimum effect, no gate', () => {
    const o = resolveWith({});
    expect(o.outputs).toEqual([{ format: 'table', out: '-' }]);
    expect(o.minEffectPct).toBe(5);
    expect(o.failOnRegressionPct).toBeNull();
    expect(o.budgets).toEqual([]);
  });

  it('takes --force only with --compare', () => {
    expect(resolveWith({}).force).toBe(false);
    expect(resolveWith({ compare: 'base.json', force: true }).force).toBe(true);
    expect(refusal({ force: true })).toMatch(/--force lets --compare judge runs measured differently: give the baseline with --compare FILE/);
  });

  it('pairs each --out with the --format before it; the rest go to stdout', () => {
    const o = resolveWith({ format: ['html', 'markdown', 'table'], out: ['r.html', '-'] });
    expect(o.outputs).toEqual([{ format: 'html', out: '/work/r.html' }, { format: 'markdown', out: '-' }, { format: 'table', out: '-' }]);
  });

  it('takes GITHUB_STEP_SUMMARY as where markdown is appended too', () => {
    expect(resolveWith({}, { GITHUB_STEP_SUMMARY: '/tmp/summary' }).stepSummary).toBe('/tmp/summary');
  });

  it.each([
    [{ format: ['pdf'] }, /--format must be one of table, markdown, html, json, junit/],
    [{ format: ['html'], out: ['a.html', 'b.html'] }, /2 --out for 1 --format/],
    [{ format: ['json', 'junit'] }, /would all go to stdout/],
    [{ failOnRegression: '10%' }, /--compare/],
    [{ compare: 'b.json', failOnRegression: 'ten' }, /--fail-on-regression must be a percentage/],
    [{ budget: ['p95 < fast'] }, /is not a budget/],
  ])('refuses %j', (flags, message) => {
    expect(refusal(flags)).toMatch(message);
  });

  it('reads --fail-on-regression as a percentage', () => {
    expect(resolveWith({ compare: 'b.json', failOnRegression: '12.5%' }).failOnRegressionPct).toBe(12.5);
  });
});
