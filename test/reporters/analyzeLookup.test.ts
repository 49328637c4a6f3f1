/**
 * How the terminal and HTML reports show tool lookup: measured, not measured (with the reason),
 * estimated from list positions when the baseline scans too, rough from few samples, and an
 * older result without the newer fields.
 */
import { describe, expect, it } from 'vitest';
import { distributionOf } from '../../src/measure/histogram.js';
import type { AnalyzeOptions } from '../../src/options/analyzeOptions.js';
import type { AnalyzeResult, LookupSection } from '../../src/result/analyzeResult.js';
import { renderAnalyzeTable } from '../../src/reporters/analyzeTable.js';
import { renderAnalyze } from '../../src/reporters/html/analyze.js';
import { emptyResult } from '../../src/runners/analyze/sections.js';

const fakeOptions = {
  spec: { kind: 'stdio', launch: { command: '/usr/bin/node', args: ['server.js'], cwd: '/', env: {} }, origin: 'test', configuredEnvNames: [] },
  runs: 10, warmupRuns: 1, timeoutMs: 10_000, era: 'auto', calls: [], noCalls: false, noProbes: false, concurrency: 4,
} as unknown as AnalyzeOptions;
const flat = (us: number, n = 1) => distributionOf(Array.from({ length: n }, () => us), 'us')!;

function withLookup(l: LookupSection): AnalyzeResult {
  const r = emptyResult(fakeOptions, new Date(0));
  r.lookup = l;
  return r;
}
const table = (r: AnalyzeResult): string => renderAnalyzeTable(r, { color: false });
const base = (): LookupSection => ({
  method: 'm', baseline: { request: 'ping', latency: flat(1000, 200) }, unknown: { latency: flat(1800, 200) },
  registryUs: { value: 800, low: 700, high: 900, level: 0.95 },
  positions: null, slopeUsPerPosition: null, positionCorrelation: null, linear: null,
});

describe('lookup in the reports', () => {
  it('an older result without notMeasured/lowSample renders the measured figures', () => {
    const out = table(withLookup(base()));
    expect(out).toMatch(/registry cost 800 µs|registry cost 0\.80 ms/);
    expect(out).not.toMatch(/not measured|rough/);
  });

  it('not measured: the terminal and the HTML say so with the reason', () => {
    const l: LookupSection = { ...base(), baseline: null, unknown: null, registryUs: null, notMeasured: 'The server answered <b>x</b>: it may act before looking the name up' };
    const r = withLookup(l);
    expect(table(r)).toContain('registry cost not measured: The server answered <b>x</b>: it may act before looking the name up');
    const html = renderAnalyze(r, []);
    expect(html).toContain('not measured: The server answered &lt;b&gt;x&lt;/b&gt;');
  });

  it('few samples: marked rough', () => {
    const l: LookupSection = { ...base(), baseline: { request: 'ping', latency: flat(470_000, 3) }, unknown: { latency: flat(470_000, 3) }, lowSample: true };
    expect(table(withLookup(l))).toMatch(/n=3\), baseline .*n=3\) · few samples: rough/);
  });

  it('a baseline that scans too: the estimate from list positions, and why', () => {
    const r = withLookup({
      ...base(), registryUs: { value: 20, low: -300, high: 350, level: 0.95 }, linear: true, baselineScans: true, scanEstimateUs: 10_500,
      slopeUsPerPosition: 10.5, positionCorrelation: 1,
      positions: [{ index: 0, name: 'a', latency: flat(200) }, { index: 750, name: 'b', latency: flat(8100) }, { index: 999, name: 'c', latency: flat(10_700) }],
    });
    r.tools = {
      count: 1000, pages: 1, listLatency: null, bytes: 500_000, bytesPerTool: { mean: 500, p50: 500, max: 520 }, tokens: 100_000,
      tokenizer: { library: 'gpt-tokenizer', version: '0', encoding: 'o200k_base', note: '' }, largest: [], callable: [], skipped: [],
    };
    const out = table(r);
    expect(out).toMatch(/registry cost ≈ 0 \(median difference 20/);
    expect(out).toMatch(/estimated from list positions: a full scan of 1000 tools ≈ 10\.5 ms \(slope × tool count\); the baseline is not lookup-free/);
    expect(renderAnalyze(r, [])).toMatch(/the baseline is not lookup-free/);
  });
});
