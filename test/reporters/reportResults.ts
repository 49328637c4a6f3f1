/**
 * Results and a comparison for the report reporters' tests (markdown, junit): realistic figures,
 * a fixed header (createdAt 2024-05-02, host fixed), histograms left empty (reporters never decode them).
 */
import type { Distribution } from '../../src/measure/histogram.js';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import type { BudgetResult } from '../../src/result/budgetResult.js';
import type { ComparisonReport, MetricComparison } from '../../src/result/comparison.js';
import type { ResultHeader } from '../../src/result/header.js';
import type { ReportInput } from '../../src/reporters/reportInput.js';

/** A distribution in µs around p50/p95/p99 (hdr empty). */
export function dist(p50: number, p95: number, p99: number, n: number): Distribution {
  return { unit: 'us', n, min: Math.round(p50 / 3), p50, p90: Math.round((p50 + p95) / 2), p95, p99, p999: Math.round(p99 * 1.4), max: Math.round(p99 * 2), mean: Math.round(p50 * 1.15), stddev: Math.round(p50 * 0.5), hdr: '' };
}

/** The machine every fixture was "measured" on. */
const HOST: ResultHeader<string>['host'] = { platform: 'linux', arch: 'x64', node: 'v20.12.2', cpus: 8, cpuModel: 'AMD EPYC 7763 64-Core Processor' };

/** `r` with the fixtures' host and tool version instead of this machine's and build's (tuneResults.ts uses newHeader). */
export function fixedHeader<T extends ResultHeader<string>>(r: T): T {
  return { ...r, tool: { name: 'mcp-opt', version: '0.1.0' }, host: { ...HOST } };
}

/** A header that does not depend on the machine running the tests. */
export function header<K extends string>(kind: K, createdAt: string, durationMs: number): ResultHeader<K> {
  return {
    schemaVersion: 1, kind, tool: { name: 'mcp-opt', version: '0.1.0' }, createdAt, durationMs, phaseDurationsMs: {},
    host: { ...HOST },
    incomplete: false, incompleteReason: null, warnings: [],
  };
}

/** A budget as evaluated. */
export function budget(expression: string, metric: string, op: BudgetResult['op'], threshold: number, unit: string, actual: number | null, source: BudgetResult['source'], note?: string): BudgetResult {
  const pass = actual !== null && (op === '<' ? actual < threshold : op === '<=' ? actual <= threshold : op === '>' ? actual > threshold : actual >= threshold);
  return { expression, metric, op, threshold, unit, actual, pass, source, ...(note ? { note } : {}) };
}

const SERVER = { era: 'legacy', protocolVersion: '2025-06-18', name: 'search-server', version: '1.4.0', title: null, capabilities: ['tools'], instructionsChars: 0, eraProbe: null } as const;

/** An open-loop bench at 200 req/s, sustained, 12 timeouts; budgets: p95 fails (flag), error rate passes (config), a default target passes. */
export function benchWithBudgets(): BenchResult {
  const latency = dist(4_100, 61_200, 118_000, 11_988);
  return {
    ...header('bench', '2024-05-02T09:14:07.512Z', 66_400),
    config: { mode: 'open', rps: 200, arrival: 'poisson', maxInflight: null, concurrency: null, durationMs: 60_000, requests: null, warmupMs: 5_000, timeoutMs: 10_000,
      instances: 1, balance: 'round-robin', httpClient: 'mcp-opt', pipelining: 1, bailout: null, keepGoing: false, seed: 42, era: 'auto' },
    target: { kind: 'stdio', display: 'node dist/server.js', origin: 'package.json "main"', runner: null, envNames: [] },
    server: { ...SERVER, capabilities: [...SERVER.capabilities] },
    workload: { seed: 42, operations: [{ op: 'tools/call:search', weight: 1, argsSource: 'synthesised from inputSchema' }] },
    requests: { scheduled: 12_000, sent: 12_000, succeeded: 11_988, failed: 12, dropped: 0, lateSends: 3, abandoned: 0, errors: { timeout: 12 }, errorRatePct: 0.1 },
    throughput: { measuredSeconds: 60, targetRps: 200, sentRps: 200, succeededRps: 199.8, rateErrorPct: 0, sustained: true },
    latency, serviceTime: dist(3_900, 58_700, 112_500, 11_988), failedLatency: dist(10_000_000, 10_000_000, 10_000_000, 12), sendLateness: dist(40, 180, 420, 12_000),
    byOperation: [{ op: 'tools/call:search', requests: 12_000, succeeded: 11_988, failed: 12, errors: { timeout: 12 }, latency, serviceTime: dist(3_900, 58_700, 112_500, 11_988) }],
    timeline: [],
    pool: { balance: 'round-robin', instances: [{ index: 0, pid: 4242, sent: 12_000, succeeded: 11_988, failed: 12, serviceTime: null, alive: true, connections: null, sessionReinits: null }], autocannon: null },
    resources: null,
    generator: { cpuPct: 14, eventLoopDelayMs: { p50: 0.4, p99: 1.9, max: 6.2 }, bottleneck: false, reason: null },
    budgets: [
      budget('p95<50ms', 'latency.p95', '<', 50, 'ms', 61.2, 'flag'),
      budget('errors<1%', 'requests.errorRatePct', '<', 1, 'pct', 0.1, 'config'),
      budget('latency.p99<=1s', 'latency.p99', '<=', 1000, 'ms', 118, 'default'),
    ],
  };
}

/** An analyze of a stdio server: slow cold start, a large tool list, two findings, a default budget missed. */
export function analyzeWithFindings(): AnalyzeResult {
  const ready = dist(612_000, 840_000, 901_000, 10);
  return {
    ...header('analyze', '2024-05-02T08:55:31.004Z', 41_250),
    config: { runs: 10, warmupRuns: 1, timeoutMs: 30_000, calls: true, namedCalls: [], concurrency: 8, era: 'auto' },
    target: { kind: 'stdio', display: 'npx -y @acme/search-mcp', origin: 'argv', runner: 'npx', envNames: ['ACME_TOKEN'] },
    server: { ...SERVER, name: 'acme-search', version: '2.0.1', capabilities: ['tools', 'logging'] },
    coldStart: { mode: 'process', stages: { firstByte: null, handshake: dist(598_000, 822_000, 880_000, 10), ready, firstCall: null }, firstCallTool: null, peakRss: null, samples: [], runner: null },
    tools: { count: 48, pages: 1, listLatency: dist(2_300, 3_900, 5_100, 50), bytes: 61_440, bytesPerTool: { mean: 1280, p50: 1100, max: 6_020 }, tokens: 14_210,
      tokenizer: { library: 'gpt-tokenizer', version: '4.0.0', encoding: 'o200k_base', note: 'close to what OpenAI models count' }, largest: [], callable: ['search', 'ping_index'], skipped: [] },
    lookup: null,
    latency: { concurrency: 8, errorRatePct: 0.5, operations: [
      { op: 'ping', sequential: dist(180, 340, 510, 200), concurrent: dist(420, 900, 1_400, 200), requests: 400, errors: {}, args: null, note: null },
      { op: 'tools/list', sequential: dist(2_300, 3_900, 5_100, 200), concurrent: dist(6_000, 11_000, 14_000, 200), requests: 400, errors: {}, args: null, note: null },
      { op: 'tools/call:search', sequential: dist(8_800, 21_400, 33_000, 200), concurrent: dist(30_000, 64_000, 90_000, 196), requests: 400, errors: { isError: 4 }, args: 'synthesised from inputSchema', note: null },
    ] },
    resources: null,
    hygiene: null,
    findings: [
      { id: 'cold-start-slow', severity: 'critical', title: 'Cold start takes 612 ms before tools/list answers', evidence: 'ready p50 612 ms, p95 840 ms over 10 fresh processes; npx resolution adds most of it.',
        recommendation: 'Install the server and launch it with node directly, or bundle it; lazy-load the search index.', metric: 'coldStart.ready.p50' },
      { id: 'tool-list-large', severity: 'warning', title: 'Tool list costs ~14210 tokens', evidence: '48 tools, 60.0 KiB; the largest schema is 6020 B.', recommendation: 'Shorten descriptions and drop unused tools.', metric: 'tools.tokens' },
    ],
    budgets: [
      budget('coldStart.p50<400ms', 'coldStart.ready.p50', '<', 400, 'ms', 612, 'default'),
      budget('tools.tokens<20000', 'tools.tokens', '<', 20_000, 'count', 14_210, 'flag'),
      budget('firstCall.p50<1s', 'coldStart.firstCall.p50', '<', 1000, 'ms', null, 'default', 'no safe tool to call'),
    ],
  };
}

function metric(m: Partial<MetricComparison> & Pick<MetricComparison, 'metric' | 'unit' | 'baseline' | 'current' | 'verdict'>): MetricComparison {
  const delta = m.baseline !== null && m.current !== null ? m.current - m.baseline : null;
  const ratio = m.baseline ? (m.current ?? 0) / m.baseline : null;
  return { better: 'lower', delta, ratio, ci: null, test: 'bootstrap-hdr', pValue: null, effectSize: null, failing: false, note: null, ...m };
}

/** The current bench against a baseline: p95 regressed beyond the 10 % gate, throughput improved, p50 unchanged. */
export function benchComparison(): ComparisonReport {
  return {
    schemaVersion: 1, kind: 'comparison',
    baseline: { file: 'reports/main/bench.json', kind: 'bench', createdAt: '2024-05-01T09:02:44.120Z', target: 'node dist/server.js' },
    current: { file: 'reports/bench-2024-05-02T09-14-07Z.json', kind: 'bench', createdAt: '2024-05-02T09:14:07.512Z', target: 'node dist/server.js' },
    failOnRegressionPct: 10, minEffectPct: 5, differences: [],
    metrics: [
      metric({ metric: 'latency.p50', unit: 'us', baseline: 4_050, current: 4_100, verdict: 'unchanged', ci: [0.98, 1.04], pValue: 0.41, effectSize: 0.02 }),
      metric({ metric: 'latency.p95', unit: 'us', baseline: 48_300, current: 61_200, verdict: 'regressed', failing: true, ci: [1.18, 1.36], pValue: 0.0001, effectSize: 0.31 }),
      metric({ metric: 'throughput.succeededRps', unit: 'rps', better: 'higher', baseline: 187.5, current: 199.8, verdict: 'improved', ci: [1.05, 1.08], test: 'bootstrap-samples', pValue: 0.002, effectSize: 0.4 }),
    ],
    counts: { improved: 1, regressed: 1, unchanged: 1 },
    failed: true,
  };
}

/** One result, no comparison, the gate's budgets (if any) under it. */
export function single(file: string, result: ReportInput['results'][number]['result'], gate: BudgetResult[] = []): ReportInput {
  return { results: [{ file, result }], comparison: null, gateBudgets: [gate] };
}

/** The bench comparison as report builds it: results [current, baseline], a gate budget on the current. */
export function compareInput(): ReportInput {
  const current = benchWithBudgets();
  const baseline = { ...benchWithBudgets(), createdAt: '2024-05-01T09:02:44.120Z' };
  return {
    results: [{ file: 'reports/bench-2024-05-02T09-14-07Z.json', result: current }, { file: 'reports/main/bench.json', result: baseline }],
    comparison: benchComparison(),
    gateBudgets: [[budget('throughput>150', 'throughput.succeededRps', '>', 150, 'count', 199.8, 'flag')], []],
  };
}
