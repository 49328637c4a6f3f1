import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Recorder, decodeHistogram } from '../../src/measure/histogram.js';
import { mergeBenchResults } from '../../src/result/merge.js';
import { benchResult } from '../helpers/benchResults.js';

const N = 50_000;
const all = Array.from({ length: N + 1 }, (_, i) => i);
const halves = [all.slice(0, N / 2), all.slice(N / 2)];

describe('mergeBenchResults', () => {
  it('merges latency histograms into exactly the histogram of all the samples', () => {
    const whole = new Recorder('us');
    for (const v of all) whole.record(v);
    const w = whole.toDistribution()!;
    const merged = mergeBenchResults(halves.map((h, i) => benchResult({ latencyUs: h, seed: i })), ['a.json', 'b.json']);
    const m = merged.latency!;
    expect({ n: m.n, p50: m.p50, p90: m.p90, p99: m.p99, max: m.max, min: m.min }).toEqual({ n: w.n, p50: w.p50, p90: w.p90, p99: w.p99, max: w.max, min: w.min });
    expect(decodeHistogram(m.hdr).totalCount).toBe(N + 1);
    expect(m.mean).toBeCloseTo(w.mean, 2);
    expect(m.stddev).toBeCloseTo(w.stddev, 2);
    expect(merged.byOperation[0]!.latency!.p99).toBe(w.p99);
  });

  it('adds responses matching no request when every run counted them, and leaves them out when one did not', () => {
    const a = benchResult({ latencyUs: halves[0]! });
    const b = benchResult({ latencyUs: halves[1]! });
    a.requests.strayResponses = { unknownId: 1, duplicate: 2, late: 3 };
    b.requests.strayResponses = { unknownId: 10, duplicate: 20, late: 30 };
    expect(mergeBenchResults([a, b], ['a.json', 'b.json']).requests.strayResponses).toEqual({ unknownId: 11, duplicate: 22, late: 33 });
    delete b.requests.strayResponses;
    expect(mergeBenchResults([a, b], ['a.json', 'b.json']).requests).not.toHaveProperty('strayResponses');
  });

  it('adds counts and rates over the shortest window, and records what was merged', () => {
    const a = benchResult({ latencyUs: halves[0]!, failed: 10, measuredSeconds: 20 });
    const b = benchResult({ latencyUs: halves[1]!, failed: 30, measuredSeconds: 19 });
    const merged = mergeBenchResults([a, b], ['a.json', 'b.json']);
    expect(merged.requests.succeeded).toBe(N + 1);
    expect(merged.requests.failed).toBe(40);
    expect(merged.requests.errors).toEqual({ timeout: 40 });
    expect(merged.throughput.succeededRps).toBeCloseTo(a.throughput.succeededRps + b.throughput.succeededRps, 9);
    expect(merged.throughput.targetRps).toBe(2_000);
    expect(merged.throughput.measuredSeconds).toBe(19);
    expect(merged.timeline[5]!.completed).toBe(a.timeline[5]!.completed + b.timeline[5]!.completed);
    expect(merged.pool.instances.map((i) => i.index)).toEqual([0, 1]);
    expect(merged.config.instances).toBe(2);
    expect(merged.budgets).toEqual([]);
    expect(merged.merged).toEqual({ files: ['a.json', 'b.json'], count: 2 });
    expect(merged.warnings).toEqual([]);
  });

  it('warns when the runs started further apart than they measured', () => {
    const a = benchResult({ latencyUs: halves[0]!, createdAt: new Date(0) });
    const b = benchResult({ latencyUs: halves[1]!, createdAt: new Date(60_000) });
    expect(mergeBenchResults([a, b], ['a.json', 'b.json']).warnings[0]).toMatch(/60\.0 s apart.*may not overlap/);
  });

  it('refuses different workloads, different targets and other kinds', () => {
    const a = benchResult({ latencyUs: [1_000, 2_000] });
    const other = benchResult({ latencyUs: [1_000], operations: ['tools/list'] });
    expect(() => mergeBenchResults([a, other], ['a.json', 'b.json'])).toThrow(/b\.json ran a different workload/);
    const elsewhere = benchResult({ latencyUs: [1_000], display: 'node other.js' });
    expect(() => mergeBenchResults([a, elsewhere], ['a.json', 'b.json'])).toThrow(UsageError);
    const analyze = { ...a, kind: 'analyze' } as unknown as typeof a;
    expect(() => mergeBenchResults([a, analyze], ['a.json', 'b.json'])).toThrow(/b\.json is a analyze result/);
  });
});
