import { describe, expect, it } from 'vitest';
import { distributionOf, type Distribution } from '../../../src/measure/histogram.js';
import type { AnalyzeOptions } from '../../../src/options/analyzeOptions.js';
import { parseBudget } from '../../../src/budgets/spec.js';
import type { AnalyzeResult, ColdStartRun, OperationLatency } from '../../../src/result/analyzeResult.js';
import { SEVERITY_ORDER, type Finding } from '../../../src/result/finding.js';
import { resolveBudgets } from '../../../src/budgets/analyzeBudgets.js';
import {
  RSS_GROWTH_WARN_BYTES, RSS_LEAK_BYTES_PER_REQUEST,
  TOOL_LIST_TOKENS_WARN,
  computeFindings,
} from '../../../src/runners/analyze/findings.js';
import { emptyResult } from '../../../src/runners/analyze/sections.js';
import { SDK_DEFAULT_REQUEST_TIMEOUT_MS } from '../../../src/target/protocol.js';

const MiB = 1024 * 1024;
/** A distribution whose every sample is `us`. */
const flat = (us: number): Distribution => distributionOf([us], 'us')!;
const ms = (n: number): Distribution => flat(n * 1000);

const fakeOptions = {
  spec: { kind: 'stdio', launch: { command: '/usr/bin/node', args: ['server.js'], cwd: '/', env: {} }, origin: 'test', configuredEnvNames: [] },
  runs: 10, warmupRuns: 1, timeoutMs: 10_000, era: 'auto', calls: [], noCalls: false, concurrency: 4,
} as unknown as AnalyzeOptions;

const run = (i: number, escalation: ColdStartRun['escalation'] = 'none'): ColdStartRun => ({
  run: i, firstByteMs: 40, handshakeMs: 60, readyMs: 80, firstCallMs: null, peakRssBytes: 40 * MiB,
  eofToExitMs: escalation === 'none' ? 5 : null, escalation, outlier: false,
});

const op = (name: string, sequential: Distribution | null, errors: Record<string, number> = {}): OperationLatency => ({
  op: name, sequential, concurrent: null, requests: 200, errors, args: null, note: null,
});

/** A fully measured result with every figure comfortably within every target: no findings. */
function cleanResult(): AnalyzeResult {
  const r = emptyResult(fakeOptions, new Date(0));
  r.coldStart = {
    mode: 'process',
    stages: { firstByte: ms(40), handshake: ms(60), ready: ms(80), firstCall: null },
    firstCallTool: null, peakRss: distributionOf([40 * MiB], 'bytes'),
    samples: Array.from({ length: 10 }, (_, i) => run(i + 1)), runner: null,
  };
  r.tools = {
    count: 5, pages: 1, listLatency: ms(2), bytes: 4000,
    bytesPerTool: { mean: 800, p50: 800, max: 1200 }, tokens: 900,
    tokenizer: { library: 'gpt-tokenizer', version: '0', encoding: 'o200k_base', note: '' },
    largest: [{ name: 'search', bytes: 1200, tokens: 300, schemaBytes: 800, descriptionBytes: 400 }],
    callable: ['search'], skipped: [],
  };
  r.lookup = {
    method: 'm', baseline: { request: 'ping', latency: ms(1) }, unknown: { latency: ms(1.05) },
    registryUs: { value: 50, low: 20, high: 80, level: 0.95 },
    positions: null, slopeUsPerPosition: null, positionCorrelation: null, linear: false,
  };
  r.latency = { operations: [op('ping', ms(1)), op('tools/call:search', ms(5))], concurrency: 4, errorRatePct: 0 };
  r.resources = {
    idleRssBytes: 50 * MiB, afterRssBytes: 51 * MiB, rssGrowthBytes: 1 * MiB, rssBytesPerRequest: 2600, requestsBetween: 400,
    cpuUsPerRequest: 30, processCount: 1, stderrBytes: 200, stderrLines: 4,
  };
  r.hygiene = {
    nonJsonLines: 0, violations: {}, excerpts: {}, unexpectedErrors: {}, serverRequests: {},
    lateResponses: 0, eofToExit: ms(5), signalledStops: 0,
  };
  return r;
}

const defaults = resolveBudgets([]);
const ids = (r: AnalyzeResult, budgets = defaults): string[] => computeFindings(r, budgets).map((f) => f.id);
const find = (r: AnalyzeResult, id: string, budgets = defaults): Finding | undefined => computeFindings(r, budgets).find((f) => f.id === id);

describe('computeFindings', () => {
  it('finds nothing in a clean result', () => {
    expect(computeFindings(cleanResult(), defaults)).toEqual([]);
  });

  it('finds nothing in a result where nothing was measured', () => {
    expect(computeFindings(emptyResult(fakeOptions, new Date(0)), defaults)).toEqual([]);
  });

  describe('stdout hygiene', () => {
    it('non-JSON lines on stdout are critical "stdout-pollution", quoting an excerpt', () => {
      const r = cleanResult();
      r.hygiene!.nonJsonLines = 2;
      r.hygiene!.violations = { 'non-json-stdout': 2 };
      r.hygiene!.excerpts = { 'non-json-stdout': ['Server listening on stdio'] };
      const f = find(r, 'stdout-pollution')!;
      expect(f).toMatchObject({ severity: 'critical', metric: 'stdout.noise', title: '2 non-JSON line(s) on stdout' });
      expect(f.evidence).toContain('"Server listening on stdio"');
      expect(ids(r)).toEqual(['stdout-pollution']);
    });

    it('pretty-printed messages are critical "embedded-newlines"', () => {
      const r = cleanResult();
      r.hygiene!.violations = { 'embedded-newlines': 3 };
      expect(find(r, 'embedded-newlines')).toMatchObject({ severity: 'critical', title: '3 message(s) printed across several lines' });
      expect(ids(r)).toEqual(['embedded-newlines']);
    });

    it('other violations are one "protocol-violations" warning listing each kind', () => {
      const r = cleanResult();
      r.hygiene!.violations = { 'unknown-id': 2, batch: 1, 'duplicate-response': 0 };
      r.hygiene!.excerpts = { 'unknown-id': ['id 99'] };
      const f = find(r, 'protocol-violations')!;
      expect(f.severity).toBe('warning');
      expect(f.evidence).toBe('unknown-id: 2 (e.g. "id 99"); batch: 1');
    });
  });

  describe('cold start', () => {
    const slow = (handshakeMs: number, readyMs: number): AnalyzeResult => {
      const r = cleanResult();
      r.coldStart!.stages.handshake = ms(handshakeMs);
      r.coldStart!.stages.ready = ms(readyMs);
      return r;
    };

    it('over the default 400 ms with ≥ 70 % before the handshake → "slow-start-before-initialize"', () => {
      const f = find(slow(500, 600), 'slow-start-before-initialize')!;
      expect(f).toMatchObject({ severity: 'warning', metric: 'coldStart.ready.p50' });
      expect(f.title).toContain('exceeds 400 ms');
      expect(ids(slow(500, 600))).not.toContain('cold-start-slow');
    });

    it('over 400 ms with the handshake quick → "cold-start-slow"', () => {
      const r = slow(100, 600);
      expect(find(r, 'cold-start-slow')).toMatchObject({ severity: 'warning', metric: 'coldStart.ready.p50' });
      expect(ids(r)).not.toContain('slow-start-before-initialize');
    });

    it('decides by the 70 % share of ready time', () => {
      expect(ids(slow(450, 600))).toContain('slow-start-before-initialize'); // 75 %
      expect(ids(slow(390, 600))).toContain('cold-start-slow'); // 65 %
    });

    it('below the threshold → no cold-start finding', () => {
      expect(ids(slow(300, 390))).toEqual([]);
    });

    it('a user budget raising the threshold suppresses it; one lowering it raises it', () => {
      expect(ids(slow(500, 600), resolveBudgets([parseBudget('coldStart.p50<1s', 'flag', '--budget')]))).toEqual([]);
      const lowered = resolveBudgets([parseBudget('coldStart.ready.p50<50ms', 'config', 'config budget')]);
      // Clean result: handshake 60 of ready 80 ms (75 %).
      expect(find(cleanResult(), 'slow-start-before-initialize', lowered)?.title).toContain('exceeds 50 ms');
    });

    describe('says what was timed on the transport', () => {
      /** Wording that belongs to a launched process, not to a session on a running HTTP server. */
      const STDIO_WORDS = /stdin|stdout|spawn|process start|import|bundle/i;
      const text = (f: Finding): string => `${f.title}\n${f.evidence}\n${f.recommendation}`;
      /** An HTTP result: fresh sessions, no first stdout byte, no process figures. */
      const httpSlow = (handshakeMs: number, readyMs: number): AnalyzeResult => {
        const r = cleanResult();
        r.coldStart = {
          ...r.coldStart!, mode: 'session', peakRss: null, runner: null,
          stages: { firstByte: null, handshake: ms(handshakeMs), ready: ms(readyMs), firstCall: null },
        };
        return r;
      };

      it('HTTP, slow initialize → "slow-session-setup" about session setup and initialize, nothing about stdin or spawning', () => {
        const f = find(httpSlow(1000, 1010), 'slow-session-setup')!;
        expect(f).toMatchObject({ severity: 'warning', metric: 'coldStart.ready.p50' });
        expect(f.title).toBe('A new HTTP session takes 1010 ms (p50) to be ready, over 400 ms, mostly answering initialize');
        expect(f.evidence).toContain('connect → initialize answered p50 1000 ms');
        expect(f.evidence).toContain('over 1 fresh sessions');
        expect(f.recommendation).toContain('setting up each session');
        expect(text(f)).not.toMatch(STDIO_WORDS);
        expect(ids(httpSlow(1000, 1010))).not.toContain('slow-start-before-initialize');
      });

      it('HTTP, slow first tools/list → "cold-start-slow" about the per-session tool list', () => {
        const f = find(httpSlow(50, 600), 'cold-start-slow')!;
        expect(f.title).toBe('A new HTTP session takes 600 ms (p50) to be ready, over 400 ms');
        expect(f.recommendation).toContain('first tools/list of each session');
        expect(text(f)).not.toMatch(STDIO_WORDS);
      });

      it('names server/discover for a 2026-07-28 server', () => {
        const r = httpSlow(1000, 1010);
        r.server = { era: 'modern', protocolVersion: '2026-07-28', name: 's', version: '1', title: null, capabilities: [], instructionsChars: 0, eraProbe: null };
        const f = find(r, 'slow-session-setup')!;
        expect(f.title).toContain('mostly answering server/discover');
        expect(f.evidence).toContain('connect → server/discover answered');
      });

      it('stdio keeps the process advice: spawn, loading before the server reads stdin', () => {
        const f = find(slow(500, 600), 'slow-start-before-initialize')!;
        expect(f.evidence).toContain('spawn → initialize answered p50 500 ms');
        expect(f.recommendation).toContain('before the server reads stdin');
      });

      it('a handshake past the SDK timeout is "a new HTTP session" over HTTP, "a cold start" over stdio', () => {
        const over = SDK_DEFAULT_REQUEST_TIMEOUT_MS + 1000;
        expect(find(httpSlow(over, over + 10), 'timeout-risk')!.evidence).toContain(`a new HTTP session took ${over} ms to answer initialize`);
        expect(find(slow(over, over + 10), 'timeout-risk')!.evidence).toContain(`a cold start took ${over} ms to answer initialize`);
      });
    });
  });

  it('package-runner overhead above 100 ms → "package-runner-overhead"', () => {
    const r = cleanResult();
    r.coldStart!.runner = { runner: 'npx', directDisplay: 'node /srv/index.js', directReady: ms(60), overheadMs: 250 };
    const f = find(r, 'package-runner-overhead')!;
    expect(f).toMatchObject({ severity: 'warning', metric: 'runner.overhead', title: 'npx adds 250 ms to every start' });
    expect(f.evidence).toContain('node /srv/index.js');
    r.coldStart!.runner.overheadMs = 100;
    expect(ids(r)).toEqual([]);
  });

  it(`a tool list over ${TOOL_LIST_TOKENS_WARN} tokens → "tool-list-large", not at exactly the limit`, () => {
    const r = cleanResult();
    r.tools!.tokens = TOOL_LIST_TOKENS_WARN + 1;
    expect(find(r, 'tool-list-large')).toMatchObject({ severity: 'warning', metric: 'tools.tokens' });
    expect(find(r, 'tool-list-large')!.evidence).toContain('search (1200 B, ~300 tokens)');
    r.tools!.tokens = TOOL_LIST_TOKENS_WARN;
    expect(ids(r)).toEqual([]);
  });

  describe('tool lookup', () => {
    it('lookup.linear true → "lookup-linear" with the positions as evidence', () => {
      const r = cleanResult();
      r.lookup!.positions = [
        { index: 0, name: 'a', latency: ms(1) },
        { index: 500, name: 'b', latency: ms(2) },
        { index: 999, name: 'c', latency: ms(3) },
      ];
      r.lookup!.slopeUsPerPosition = 2;
      r.lookup!.positionCorrelation = 1;
      r.lookup!.linear = true;
      const f = find(r, 'lookup-linear')!;
      expect(f).toMatchObject({ severity: 'warning', metric: 'lookup' });
      expect(f.evidence).toContain('#500 b');
      r.lookup!.linear = false;
      expect(ids(r)).toEqual([]);
    });

    it('registry cost above 5 ms → "lookup-slow"; at 5 ms none', () => {
      const r = cleanResult();
      r.lookup!.registryUs = { value: 6000, low: 5500, high: 6500, level: 0.95 };
      expect(find(r, 'lookup-slow')).toMatchObject({ severity: 'warning', title: 'Tool lookup costs 6.00 ms (target 5 ms)' });
      r.lookup!.registryUs.value = 5000;
      expect(ids(r)).toEqual([]);
    });

    it('a registry cost above the target whose 95 % interval includes 0 → no "lookup-slow" (noise, "≈ 0" in the report)', () => {
      const r = cleanResult();
      // The stateless-bridge case: 3 + 3 samples of ~470 ms each.
      r.lookup!.registryUs = { value: 24_000, low: -180_000, high: 210_000, level: 0.95 };
      r.lookup!.lowSample = true;
      expect(ids(r)).not.toContain('lookup-slow');
    });

    it('a distinguishable cost above the target from few samples → "lookup-slow" as info, saying it is rough', () => {
      const r = cleanResult();
      r.lookup!.registryUs = { value: 60_000, low: 30_000, high: 90_000, level: 0.95 };
      r.lookup!.lowSample = true;
      const f = find(r, 'lookup-slow')!;
      expect(f.severity).toBe('info');
      expect(f.evidence).toMatch(/Only 1 \+ 1 samples: a rough figure/);
    });

    it('a baseline that scans too: "lookup-linear" says so and gives the slope estimate; "lookup-slow" uses that estimate', () => {
      const r = cleanResult();
      r.tools!.count = 1000;
      r.lookup!.positions = [{ index: 0, name: 'a', latency: ms(0.2) }, { index: 750, name: 'b', latency: ms(8.1) }, { index: 999, name: 'c', latency: ms(10.7) }];
      r.lookup!.slopeUsPerPosition = 10.5;
      r.lookup!.positionCorrelation = 1;
      r.lookup!.linear = true;
      r.lookup!.registryUs = { value: 20, low: -300, high: 350, level: 0.95 };
      r.lookup!.baselineScans = true;
      r.lookup!.scanEstimateUs = 10_500;
      const linear = find(r, 'lookup-linear')!;
      expect(linear.evidence).toMatch(/costs no more than the baseline .* is not lookup-free.*a full scan of 1000 tools costs ≈ 11 ms \(slope × tool count\)/);
      expect(linear.evidence).not.toMatch(/more than the baseline \(a full scan\)/);
      expect(find(r, 'lookup-slow')).toMatchObject({ title: 'Tool lookup costs 11 ms (target 5 ms), estimated from list positions' });
    });

    it('lookup not measured (--no-calls, or answers that are not "unknown tool") → no lookup finding', () => {
      const r = cleanResult();
      r.lookup = {
        method: 'Not measured (--no-calls).', notMeasured: '--no-calls: …', baseline: null, unknown: null, registryUs: null,
        positions: null, slopeUsPerPosition: null, positionCorrelation: null, linear: null,
      };
      expect(ids(r)).toEqual([]);
    });
  });

  it('sequential p95 above 100 ms → "latency-p95" naming the slow operations only', () => {
    const r = cleanResult();
    r.latency!.operations.push(op('tools/call:slow', ms(150)));
    const f = find(r, 'latency-p95')!;
    expect(f).toMatchObject({ severity: 'warning', title: 'p95 latency above 100 ms for 1 operation(s)' });
    expect(f.evidence).toMatch(/^tools\/call:slow: p50 150 ms, p95 150 ms$/);
  });

  it('error rate above 1 % → "error-rate" (critical from 50 %), listing failures', () => {
    const r = cleanResult();
    r.latency!.errorRatePct = 2;
    r.latency!.operations[1]!.errors = { 'jsonrpc:-32603': 8 };
    const f = find(r, 'error-rate')!;
    expect(f).toMatchObject({ severity: 'warning', metric: 'errors' });
    expect(f.evidence).toBe('tools/call:search: jsonrpc:-32603×8');
    r.latency!.errorRatePct = 60;
    expect(find(r, 'error-rate')!.severity).toBe('critical');
    r.latency!.errorRatePct = 1;
    expect(ids(r)).toEqual([]);
  });

  describe('memory growth needs both the absolute and the relative condition', () => {
    const grown = (idle: number, growth: number, perRequest: number | null = null): AnalyzeResult => {
      const r = cleanResult();
      r.resources = { ...r.resources!, idleRssBytes: idle, rssGrowthBytes: growth, afterRssBytes: idle + growth, rssBytesPerRequest: perRequest };
      return r;
    };
    it('25 MiB on 80 MiB idle, modest slope → "memory-growth" as info (may be heap growth)', () => {
      const f = find(grown(80 * MiB, 25 * MiB, 4096), 'memory-growth');
      expect(f).toMatchObject({ severity: 'info', metric: 'memory.growth' });
      expect(f!.title).toContain('Memory grew 25.0 MiB over 400 requests');
      expect(f!.recommendation).toContain('longer run');
    });
    it('steady growth of at least RSS_LEAK_BYTES_PER_REQUEST → warning (a leak)', () => {
      expect(find(grown(80 * MiB, 25 * MiB, RSS_LEAK_BYTES_PER_REQUEST), 'memory-growth')).toMatchObject({ severity: 'warning' });
    });
    it('a falling trend after a step up: the title\'s per-request rate is end to end (positive, as the growth), the trend is in the evidence', () => {
      const f = find(grown(80 * MiB, 25 * MiB, -2_048), 'memory-growth')!;
      expect(f.title).toBe('Memory grew 25.0 MiB over 400 requests (64.0 KiB per request end to end)');
      expect(f.evidence).toContain('least-squares trend -2048 bytes per request');
      expect(f.severity).toBe('info');
    });
    it('without a slope, growth / requests stands in for it', () => {
      // 25 MiB over 400 requests = 64 KiB per request ≥ the leak threshold.
      expect(find(grown(80 * MiB, 25 * MiB), 'memory-growth')).toMatchObject({ severity: 'warning' });
    });
    it('25 MiB on 500 MiB idle (5 %) → none', () => {
      expect(ids(grown(500 * MiB, 25 * MiB))).toEqual([]);
    });
    it('15 MiB on 20 MiB idle (75 %, under the absolute threshold) → none', () => {
      expect(RSS_GROWTH_WARN_BYTES).toBe(20 * MiB);
      expect(ids(grown(20 * MiB, 15 * MiB))).toEqual([]);
    });
    it('unknown idle RSS → none', () => {
      const r = grown(100 * MiB, 25 * MiB);
      r.resources!.idleRssBytes = null;
      expect(ids(r)).toEqual([]);
    });
  });

  it('signalled stops → "no-exit-on-eof" counting them', () => {
    const r = cleanResult();
    r.hygiene!.signalledStops = 3;
    expect(find(r, 'no-exit-on-eof')!.evidence).toContain('In 3 of 10 stops');
  });

  it('timeouts → "timeout-risk" naming the operation and timeout', () => {
    const r = cleanResult();
    r.latency!.operations[1]!.errors = { timeout: 2 };
    expect(find(r, 'timeout-risk')!.evidence).toBe('timed out at 10000 ms: tools/call:search ×2');
  });

  it('a p99.9 beyond the SDK request timeout → "timeout-risk"', () => {
    const r = cleanResult();
    r.latency!.operations.push(op('tools/call:long', ms(SDK_DEFAULT_REQUEST_TIMEOUT_MS + 5000)));
    expect(find(r, 'timeout-risk')!.evidence).toContain("p99.9 above the SDK's default 60000 ms request timeout: tools/call:long");
  });

  it('heavy stderr logging → info "stderr-heavy"', () => {
    const r = cleanResult();
    r.resources!.stderrBytes = 1024 * 410; // 410 requests → 1024 bytes each
    expect(find(r, 'stderr-heavy')).toMatchObject({ severity: 'info', title: 'Heavy stderr logging (1024 bytes per request)' });
  });

  it('orders critical, then warning, then info', () => {
    const r = cleanResult();
    r.resources!.stderrBytes = 1024 * 410;
    r.tools!.tokens = 50_000;
    r.hygiene!.signalledStops = 1;
    r.hygiene!.nonJsonLines = 1;
    r.hygiene!.violations = { 'non-json-stdout': 1, 'embedded-newlines': 1 };
    const found = computeFindings(r, defaults);
    expect(found.map((f) => f.severity)).toEqual(['critical', 'critical', 'warning', 'warning', 'info']);
    const ranks = found.map((f) => SEVERITY_ORDER[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(found[0]!.id).toBe('stdout-pollution');
    expect(found.at(-1)!.id).toBe('stderr-heavy');
  });

  it('every finding says what to do', () => {
    const r = cleanResult();
    r.hygiene!.signalledStops = 1;
    r.tools!.tokens = 50_000;
    for (const f of computeFindings(r, defaults)) {
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.recommendation.length).toBeGreaterThan(20);
    }
  });
});
