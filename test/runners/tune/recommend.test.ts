import { describe, expect, it } from 'vitest';
import type { TuneObjective } from '../../../src/result/tuneResult.js';
import { pointLine } from '../../../src/runners/tune/pointLine.js';
import { EDGE_WARNING_PREFIX, edgeWarnings } from '../../../src/runners/tune/recommend.js';
import { summaryOf } from '../../../src/runners/tune/tuneResultBuild.js';
import { knob, okPoint } from '../../reporters/tuneResults.js';

const space = (...knobs: ReturnType<typeof knob>[]) => ({ knobs, gridSize: 0, strategy: 'grid' as const, skipped: [] });

describe('edgeWarnings', () => {
  it('warns when the recommended value is the largest tried, with larger values to try', () => {
    const winner = okPoint(3, { concurrency: 16 }, { rps: 822, p50Ms: 5, p95Ms: 9, p99Ms: 12, meets: true });
    expect(edgeWarnings(space(knob('concurrency', [2, 4, 8, 16])), winner)).toEqual([
      `${EDGE_WARNING_PREFIX}the recommended concurrency is the largest tried (16): the best may lie beyond it; try larger values, e.g. --knob concurrency=16,32,64.`,
    ]);
  });

  it('warns at the smallest value tried above 1, never at 1 (nothing smaller to try)', () => {
    const at = (v: number) => okPoint(0, { 'env:WORKERS': v }, { rps: 400, p50Ms: 5, p95Ms: 9, p99Ms: 12, meets: true });
    expect(edgeWarnings(space(knob('env:WORKERS', [4, 8, 16])), at(4))).toEqual([
      `${EDGE_WARNING_PREFIX}the recommended env:WORKERS is the smallest tried (4): the best may lie below it; try smaller values, e.g. --knob env:WORKERS=1,2,4.`,
    ]);
    expect(edgeWarnings(space(knob('env:WORKERS', [1, 2, 4])), at(1))).toEqual([]);
  });

  it('says nothing for an interior winner, a knob with one value, or a non-numeric knob', () => {
    const winner = okPoint(1, { concurrency: 8, pool: 2, balance: 'least-loaded' }, { rps: 822, p50Ms: 5, p95Ms: 9, p99Ms: 12, meets: true });
    expect(edgeWarnings(space(knob('concurrency', [4, 8, 16]), knob('pool', [2]), knob('balance', ['round-robin', 'least-loaded'])), winner)).toEqual([]);
    expect(edgeWarnings(space(knob('concurrency', [4, 8])), undefined)).toEqual([]);
  });
});

describe('pointLine', () => {
  const objective: TuneObjective = { kind: 'max-throughput', slo: 'p95<100ms', sloThresholdMs: 100, sloSource: 'flag', sloStat: 'p95', maxErrorPct: 1, atRps: null };

  it('shows a first run as it is', () => {
    const p = okPoint(0, { concurrency: 4 }, { rps: 520, p50Ms: 4, p95Ms: 9.5, p99Ms: 12, meets: true });
    expect(pointLine(p, { objective })).toBe('520.0 req/s, p95 9.5 ms, errors 0.00%');
  });

  it("shows a repeat's own figures, then the median over the runs, each labelled", () => {
    const p = okPoint(0, { concurrency: 4 }, { rps: 500, p50Ms: 4, p95Ms: 9, p99Ms: 12, meets: true });
    p.runs.push({ ...p.runs[0]!, succeededRps: 560, latency: { ...p.runs[0]!.latency!, p95: 8_000 } });
    p.runs.push({ ...p.runs[0]!, succeededRps: 420, latency: { ...p.runs[0]!.latency!, p95: 14_000 } });
    p.summary = summaryOf(p, objective);
    // The running median is 500 req/s / 9 ms; the third run itself measured 420 req/s / 14 ms.
    expect(pointLine(p, { objective })).toBe('run 3: 420.0 req/s, p95 14.0 ms, errors 0.00%; median of 3 runs: 500.0 req/s, p95 9.0 ms, errors 0.00%');
  });
});
