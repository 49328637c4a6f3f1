import { describe, expect, it } from 'vitest';
import { distributionOf } from '../../../src/measure/histogram.js';
import type { LatencySection, OperationLatency } from '../../../src/result/analyzeResult.js';
import { noLatencySuccess } from '../../../src/runners/analyze/index.js';

const op = (name: string, okSamples: number, errors: Record<string, number>): OperationLatency => ({
  op: name, sequential: okSamples ? distributionOf(Array.from({ length: okSamples }, () => 100), 'us') : distributionOf([], 'us'),
  concurrent: null, requests: okSamples + Object.values(errors).reduce((a, b) => a + b, 0), errors, args: null, note: null,
});
const section = (ops: OperationLatency[]): LatencySection => ({ operations: ops, concurrency: 4, errorRatePct: 0 });

describe('noLatencySuccess (analyze exits 3 when it holds)', () => {
  it('holds when every latency-phase request failed', () => {
    expect(noLatencySuccess(section([op('ping', 0, { 'jsonrpc:-32603': 40 }), op('tools/list', 0, { timeout: 3 })]))).toBe(true);
  });

  it('does not hold when one operation had a success, or when nothing was sent', () => {
    expect(noLatencySuccess(section([op('ping', 1, {}), op('tools/call:x', 0, { isError: 80 })]))).toBe(false);
    expect(noLatencySuccess(section([]))).toBe(false);
  });
});
