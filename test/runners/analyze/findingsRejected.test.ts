import { describe, expect, it } from 'vitest';
import { distributionOf } from '../../../src/measure/histogram.js';
import type { AnalyzeOptions } from '../../../src/options/analyzeOptions.js';
import type { OperationLatency } from '../../../src/result/analyzeResult.js';
import { resolveBudgets } from '../../../src/budgets/analyzeBudgets.js';
import { computeFindings } from '../../../src/runners/analyze/findings.js';
import { emptyResult } from '../../../src/runners/analyze/sections.js';

const opts = {
  spec: { kind: 'stdio', launch: { command: '/usr/bin/node', args: ['s.js'], cwd: '/', env: {} }, origin: 'test', configuredEnvNames: [] },
  runs: 10, warmupRuns: 1, timeoutMs: 10_000, era: 'auto', calls: [], noCalls: false, concurrency: 4,
} as unknown as AnalyzeOptions;
const ok = distributionOf(Array.from({ length: 40 }, () => 200), 'us');

function op(name: string, over: Partial<OperationLatency>): OperationLatency {
  return { op: name, sequential: ok, concurrent: ok, requests: 81, errors: {}, args: 'synthesised from inputSchema', note: null, ...over };
}

function findingsOf(ops: OperationLatency[], errorRatePct = 0) {
  const r = emptyResult(opts, new Date(0));
  r.latency = { operations: ops, concurrency: 4, errorRatePct };
  return computeFindings(r, resolveBudgets([]));
}

describe('findings on rejected arguments and error-like results', () => {
  const rejected = { op: 'tools/call:read', message: 'Access denied - path outside allowed directories: /w/mcp-opt not in /srv', args: { path: 'mcp-opt' } };

  it('rejections accepted on a retry: info, with the text, the arguments and the accepted ones; no error-rate finding', () => {
    const f = findingsOf([op('tools/call:read', {
      errors: { 'argument-rejected': 1 }, errorSamples: { 'argument-rejected': rejected },
      retries: [{ why: 'a path inside the directory the server named', args: { path: '/srv' }, class: null }],
    })]);
    expect(f.map((x) => x.id)).toEqual(['arguments-rejected']);
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.evidence).toBe('tools/call:read: "Access denied - path outside allowed directories: /w/mcp-opt not in /srv" for {"path":"mcp-opt"}; ' +
      'accepted {"path":"/srv"} (a path inside the directory the server named). Every one was sampled with the accepted arguments.');
  });

  it('a tool left unmeasured (not sampled, or named and never accepted) makes it a warning', () => {
    const unsampled = op('tools/call:read', { sequential: null, concurrent: null, note: 'rejected', errors: { 'argument-rejected': 4 }, errorSamples: { 'argument-rejected': rejected } });
    expect(findingsOf([unsampled])[0]).toMatchObject({ id: 'arguments-rejected', severity: 'warning' });
    const named = op('tools/call:read', { sequential: distributionOf([], 'us'), args: 'given with --call', errors: { 'argument-rejected': 80 } });
    expect(findingsOf([named])[0]).toMatchObject({ id: 'arguments-rejected', severity: 'warning' });
  });

  it('error-rate lists server failures only, with the first message', () => {
    const f = findingsOf([op('tools/call:read', {
      errors: { 'argument-rejected': 3, 'jsonrpc:-32603': 5 },
      errorSamples: { 'jsonrpc:-32603': { op: 'tools/call:read', message: 'Internal error', args: null } },
    })], 6.3).find((x) => x.id === 'error-rate')!;
    expect(f.evidence).toBe('tools/call:read: jsonrpc:-32603×5 (first: "Internal error")');
  });

  it('successes that read like errors: error-text-results with a sample', () => {
    const f = findingsOf([op('tools/call:fetch', { errorLike: { count: 12, sample: { op: 'tools/call:fetch', message: 'Error: fetch failed', args: null } } })]);
    expect(f.find((x) => x.id === 'error-text-results')).toMatchObject({ severity: 'warning', title: '12 successful result(s) read like errors (heuristic)' });
    expect(f.find((x) => x.id === 'error-text-results')!.evidence).toContain('tools/call:fetch: 12 result(s), e.g. "Error: fetch failed"');
  });
});
