import { describe, expect, it } from 'vitest';
import { MIN_ALERT_SAMPLES, parseAlert, type AlertFigures } from '../../src/budgets/alertMetrics.js';
import { UsageError } from '../../src/errors.js';

const figures: AlertFigures = { latencyMs: { n: 50, p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, max: 6, mean: 1.5 }, finished: 200, errors: 3 };

/** The message of the UsageError `f` throws. */
function usage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no error thrown');
}

describe('parseAlert: bench budget syntax, proxy window metrics', () => {
  it('reads latency statistics in us, ms or s as ms, and errors in %', () => {
    expect(parseAlert('p95<100ms', '--alert')).toMatchObject({ threshold: 100, metric: { id: 'latency.p95', kind: 'time' }, spec: { op: '<', expression: 'p95<100ms' } });
    expect(parseAlert('p99 < 0.2s', '--alert').threshold).toBe(200);
    expect(parseAlert('mean<500us', '--alert').threshold).toBe(0.5);
    expect(parseAlert('latency.p50<=5', '--alert')).toMatchObject({ threshold: 5, metric: { id: 'latency.p50' } });
    expect(parseAlert('errors<1%', '--alert')).toMatchObject({ threshold: 1, metric: { id: 'errors', kind: 'pct' } });
  });

  it('reads each metric from the window, with the samples it rests on', () => {
    const p95 = parseAlert('p95<100ms', '--alert').metric;
    expect([p95.read(figures), p95.samples!(figures)]).toEqual([3, 50]);
    const errors = parseAlert('errors<1%', '--alert').metric;
    expect([errors.read(figures), errors.samples!(figures)]).toEqual([1.5, 200]);
    const empty: AlertFigures = { latencyMs: null, finished: 0, errors: 0 };
    expect([p95.read(empty), p95.samples!(empty), errors.read(empty)]).toEqual([null, 0, null]);
  });

  it('needs 20 samples, and a percentile beyond p95 its own floor', () => {
    expect(['p50<1', 'p95<1', 'mean<1', 'max<1', 'errors<1%'].map((e) => parseAlert(e, '--alert').metric.minSamples)).toEqual(Array(5).fill(MIN_ALERT_SAMPLES));
    expect(parseAlert('p99<1', '--alert').metric.minSamples).toBe(100);
    expect(parseAlert('p999<1', '--alert').metric.minSamples).toBe(1000);
  });

  it('refuses bad text, unknown metrics and units of another kind, naming the flag', () => {
    expect(usage(() => parseAlert('p95<<1ms', '--alert'))).toMatch(/^--alert "p95<<1ms" is not an alert\. .*--alert 'p95<100ms'/);
    expect(usage(() => parseAlert('rps>5', '--alert'))).toMatch(/^--alert "rps>5": unknown metric "rps"\. An alert knows: .*errors \(%\)/);
    expect(usage(() => parseAlert('errors<5ms', '--alert'))).toMatch(/^--alert "errors<5ms": errors is a percentage/);
    expect(usage(() => parseAlert('p95<1KB', '--alert'))).toMatch(/^--alert "p95<1KB": p95 is a time/);
    expect(usage(() => parseAlert('p95<1parsec', '--alert'))).toMatch(/unknown unit "parsec"/);
  });
});
