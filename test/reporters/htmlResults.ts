/**
 * Results for the HTML reporter's tests, with REAL encoded HDR histograms (recorded with Recorder
 * from seeded samples), so the spectra are drawn from decoded histograms as in production. The
 * headers, budgets and comparison come from reportResults.ts, shared with markdown and junit.
 */
import { Recorder, type Distribution } from '../../src/measure/histogram.js';
import { seededRandom } from '../../src/measure/stats.js';
import type { AnalyzeResult, ColdStartRun } from '../../src/result/analyzeResult.js';
import type { BenchResult, OperationFigures, TimelineEntry } from '../../src/result/benchResult.js';
import type { ReportInput } from '../../src/reporters/reportInput.js';
import { analyzeWithFindings, benchComparison, benchWithBudgets, budget } from './reportResults.js';

/** Log-normal latencies in µs around `medianUs` (a long right tail, like real servers), seeded. */
export function latencySamples(count: number, medianUs: number, sigma: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    // Box–Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return medianUs * Math.exp(sigma * z);
  });
}

/** A distribution with a real encoded histogram. */
export function recorded(samples: readonly number[]): Distribution {
  const r = new Recorder('us');
  for (const s of samples) r.record(s);
  return r.toDistribution()!;
}

/** A 30-second open-loop bench at 200 req/s over three operations, 3 s warm-up, real histograms. */
export function realBench(medianUs = 4_000, seed = 1): BenchResult {
  const base = benchWithBudgets();
  const ops = [{ op: 'ping', share: 0.2, med: medianUs / 8 }, { op: 'tools/list', share: 0.3, med: medianUs / 2 }, { op: 'tools/call:search', share: 0.5, med: medianUs }];
  const all: number[] = [];
  const service: number[] = [];
  const byOperation = ops.map((o, i): OperationFigures => {
    const n = Math.round(6_000 * o.share);
    const lat = latencySamples(n, o.med, 0.8, seed * 10 + i);
    // Service time excludes the queueing the corrected latency counts: a little shorter, less tail.
    const svc = lat.map((v, k) => v * (0.9 - 0.1 * ((k % 7) / 7)));
    all.push(...lat);
    service.push(...svc);
    return { op: o.op, requests: n + i, succeeded: n, failed: i, errors: i ? { timeout: i } : {}, latency: recorded(lat), serviceTime: recorded(svc) };
  });
  const rnd = seededRandom(seed + 99);
  const timeline: TimelineEntry[] = Array.from({ length: 33 }, (_, s) => {
    const sent = s < 3 ? 100 + s * 40 : 195 + Math.round(rnd() * 10);
    return { second: s, warmup: s < 3, sent, completed: sent - (s === 20 ? 3 : 0), errors: s === 20 ? 3 : 0, inflight: 2 + Math.round(rnd() * 3),
      p50Us: s === 12 ? null : Math.round(medianUs * (0.6 + rnd() * 0.2)), p99Us: s === 12 ? null : Math.round(medianUs * (5 + rnd() * 3)), rssBytes: 80e6 + s * 1e5, cpuPct: 35 + rnd() * 10 };
  });
  const failed = byOperation.reduce((a, o) => a + o.failed, 0);
  return {
    ...base,
    workload: { seed: 42, operations: ops.map((o) => ({ op: o.op, weight: o.share, argsSource: 'synthesised from inputSchema' })) },
    requests: { ...base.requests, scheduled: 6_003, sent: 6_003, succeeded: 6_000, failed, errors: { timeout: failed } },
    throughput: { ...base.throughput, measuredSeconds: 30 },
    latency: recorded(all),
    serviceTime: recorded(service),
    byOperation,
    timeline,
  };
}

/** An analyze result with ten cold starts (one an outlier), real histograms for each stage and latency. */
export function realAnalyze(): AnalyzeResult {
  const base = analyzeWithFindings();
  const ready = [612, 598, 640, 587, 603, 1180, 621, 609, 615, 599];
  const samples: ColdStartRun[] = ready.map((readyMs, i) => ({
    run: i + 1, firstByteMs: readyMs - 120, handshakeMs: readyMs - 14, readyMs, firstCallMs: readyMs + 22, peakRssBytes: 91e6 + i * 1e6,
    eofToExitMs: 12, escalation: 'none', outlier: readyMs > 1000,
  }));
  const ms = (pick: (s: ColdStartRun) => number | null): Distribution => recorded(samples.map((s) => pick(s)! * 1000));
  const op = (name: string, med: number, seed: number) => ({
    op: name, sequential: recorded(latencySamples(200, med, 0.5, seed)), concurrent: recorded(latencySamples(200, med * 3, 0.6, seed + 1)),
    requests: 400, errors: {}, args: null, note: null,
  });
  return {
    ...base,
    coldStart: { mode: 'process', firstCallTool: 'search', peakRss: null, runner: null, samples,
      stages: { firstByte: ms((s) => s.firstByteMs), handshake: ms((s) => s.handshakeMs), ready: ms((s) => s.readyMs), firstCall: ms((s) => s.firstCallMs) } },
    latency: { concurrency: 8, errorRatePct: 0, operations: [op('ping', 180, 1), op('tools/list', 2_300, 3), op('tools/call:search', 8_800, 5)] },
  };
}

/** A comparison as report builds it: results [current, baseline]; the baseline is faster. */
export function realComparison(): ReportInput {
  const current = realBench(4_000, 1);
  const baseline = { ...realBench(3_200, 2), createdAt: '2024-05-01T09:02:44.120Z' };
  return {
    results: [{ file: 'reports/bench-2024-05-02T09-14-07Z.json', result: current }, { file: 'reports/main/bench.json', result: baseline }],
    comparison: benchComparison(),
    gateBudgets: [[budget('throughput>150', 'throughput.succeededRps', '>', 150, 'count', 199.8, 'flag')], []],
  };
}

/** Strings a hostile server could send, each aimed at a different injection point. */
export const XSS = {
  tool: '<img src=x onerror=alert(1)>',
  server: '"><script>alert(2)</script>',
  finding: 'javascript:alert(3)',
} as const;

/** An analyze result carrying the hostile strings as tool name, server name, op name and finding. */
export function xssAnalyze(): AnalyzeResult {
  const r = realAnalyze();
  const op = `tools/call:${XSS.tool}`;
  return {
    ...r,
    server: { ...r.server!, name: XSS.server, title: XSS.server, version: `1.0 ${XSS.tool}` },
    target: { ...r.target, display: `node server.js '${XSS.server}'` },
    tools: { ...r.tools!, largest: [{ name: XSS.tool, bytes: 900, tokens: 210, schemaBytes: 700, descriptionBytes: 200 }], skipped: [{ name: XSS.tool, reason: XSS.finding }] },
    latency: { ...r.latency!, operations: r.latency!.operations.map((o, i) => (i === 2 ? { ...o, op, errors: { [`jsonrpc:${XSS.server}`]: 2 } } : o)) },
    findings: [{ id: 'hostile', severity: 'warning', title: XSS.finding, evidence: `tool ${XSS.tool} from ${XSS.server}`, recommendation: XSS.finding }, ...r.findings],
    warnings: [`server said: ${XSS.server}`],
  };
}
