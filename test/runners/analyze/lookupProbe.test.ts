/**
 * The lookup probe's pure parts: which answers to an unknown tool name count as a registry miss,
 * how the loop stops on the first answer that does not, the position verdict (a linear registry
 * seen from positions alone, and a baseline that scans too), and the low-sample mark.
 */
import { describe, expect, it } from 'vitest';
import type { Session, Reply } from '../../../src/target/session.js';
import { positionVerdict } from '../../../src/runners/analyze/lookupPhase.js';
import { isLowSample, LOW_SAMPLE_N, sampleKinds } from '../../../src/runners/analyze/sampleLoop.js';
import { judgeUnknownToolAnswer, unmeasurableReason } from '../../../src/runners/analyze/unknownToolAnswer.js';

const result = (text: string, isError = true) =>
  ({ outcome: 'result' as const, result: { isError, content: [{ type: 'text', text }] }, error: undefined });

describe('judgeUnknownToolAnswer', () => {
  it('accepts a JSON-RPC error (spec: an unknown tool is a protocol error)', () => {
    expect(judgeUnknownToolAnswer({ outcome: 'error', result: undefined, error: { code: -32602, message: 'Unknown tool: x' } })).toBeNull();
  });

  it.each([
    'MCP error -32602: Tool mcp-opt-no-such-tool not found', // SDK v1 McpServer
    'Unknown tool: mcp-opt-no-such-tool', // python SDK / FastMCP wording
    'No such tool "x"', 'Tool x does not exist', 'tool x is not registered', 'Invalid tool name',
  ])('accepts an isError result saying the tool is unknown: %s', (text) => {
    expect(judgeUnknownToolAnswer(result(text))).toBeNull();
  });

  it('refuses an isError result that does not say the tool is unknown, keeping an excerpt', () => {
    expect(judgeUnknownToolAnswer(result('Browser launched; error: something failed'))).toEqual({
      kind: 'isError', excerpt: 'Browser launched; error: something failed',
    });
  });

  it('refuses a successful result, even one that says "not found"', () => {
    expect(judgeUnknownToolAnswer(result('Tool x not found', false))).toMatchObject({ kind: 'result' });
  });

  it('refuses timeouts, and strips control characters and cuts long texts in excerpts', () => {
    expect(judgeUnknownToolAnswer({ outcome: 'timeout', result: undefined, error: undefined })).toEqual({ kind: 'other', excerpt: 'timeout' });
    const v = judgeUnknownToolAnswer(result(`a\u001b[31m${'x'.repeat(500)}`))!;
    expect(v.excerpt).not.toContain('\u001b');
    expect(v.excerpt.length).toBeLessThanOrEqual(161);
  });

  it('says why in the reason: the answer, and that the server may act before the lookup', () => {
    const why = unmeasurableReason('nope', { kind: 'isError', excerpt: 'Browser launched' });
    expect(why).toMatch(/unknown tool \("nope"\) with an isError result that does not say the tool is unknown \("Browser launched"\): it may act before looking the name up/);
  });
});

/** A session answering every request at once with `answer`, counting what was sent. */
function fakeSession(answer: Pick<Reply, 'outcome' | 'result' | 'error'>): { session: Session; sent: () => number } {
  let sent = 0;
  const session = {
    closeInfo: null,
    send(method: string, _params: string | undefined, cb: (r: Reply) => void): void {
      sent++;
      const now = performance.now();
      queueMicrotask(() => cb({ id: sent, method, sentAt: now, doneAt: now + 0.1, ...answer }));
    },
  } as unknown as Session;
  return { session, sent: () => sent };
}

describe('sampleKinds stopAfterErrors', () => {
  it('stops sending at the first answer classified as an error', async () => {
    const { session, sent } = fakeSession(result('Browser launched'));
    const kind = { method: 'tools/call', paramsJson: '{"name":"x"}' };
    const [k] = await sampleKinds(session, [kind], {
      perKind: 2000, inflight: 1, capMs: 3000, signal: new AbortController().signal, stopAfterErrors: 1,
      classify: (r) => (judgeUnknownToolAnswer(r) ? 'not-unknown-tool' : null),
    });
    expect(sent()).toBe(1);
    expect(k!.errors).toEqual({ 'not-unknown-tool': 1 });
  });

  it('without it, samples every accepted answer up to perKind', async () => {
    const { session, sent } = fakeSession(result('Tool x not found'));
    const [k] = await sampleKinds(session, [{ method: 'tools/call', paramsJson: '{}' }], {
      perKind: 30, inflight: 1, capMs: 3000, signal: new AbortController().signal, stopAfterErrors: 1,
      classify: (r) => (judgeUnknownToolAnswer(r) ? 'bad' : null),
    });
    expect(sent()).toBe(30);
    expect(k!.samplesUs).toHaveLength(30);
  });
});

describe('sampleKinds shuffle', () => {
  it('sends every kind once per round, in varying order', async () => {
    const seen: string[] = [];
    const session = {
      closeInfo: null,
      send(method: string, params: string | undefined, cb: (r: Reply) => void): void {
        seen.push(params!);
        const now = performance.now();
        queueMicrotask(() => cb({ id: seen.length, method, sentAt: now, doneAt: now + 0.1, outcome: 'result', result: {}, error: undefined }));
      },
    } as unknown as Session;
    const kinds = ['a', 'b', 'c'].map((p) => ({ method: 'tools/call', paramsJson: p }));
    const out = await sampleKinds(session, kinds, { perKind: 50, inflight: 1, capMs: 3000, shuffle: true, signal: new AbortController().signal, classify: () => null });
    expect(out.map((k) => k.samplesUs.length)).toEqual([50, 50, 50]);
    const rounds = Array.from({ length: 50 }, (_, i) => seen.slice(i * 3, i * 3 + 3).join(''));
    for (const r of rounds) expect([...r].sort().join('')).toBe('abc');
    // 50 rounds all in one order has probability 6^-49 if shuffled.
    expect(new Set(rounds).size).toBeGreaterThan(1);
  });
});

describe('positionVerdict', () => {
  // The server: 0.2 ms at position 0 to 8.1 ms at 750 of 1000 tools, and a nameless call that scans too.
  const rising = { rho: 1, slopeUsPerPosition: 10.5, span: { value: 7900, low: 7700, high: 8100, level: 0.95 }, firstMedianUs: 200, toolCount: 1000 };

  it('strong position evidence with a miss cost indistinguishable from zero: linear, the baseline scans, cost from the slope', () => {
    const v = positionVerdict({ ...rising, miss: { value: 20, low: -300, high: 350, level: 0.95 } });
    expect(v).toEqual({ linear: true, baselineScans: true, scanEstimateUs: 10_500 });
  });

  it('a miss cost that agrees with the slope: linear, baseline lookup-free', () => {
    expect(positionVerdict({ ...rising, miss: { value: 9000, low: 8500, high: 9500, level: 0.95 } })).toEqual({ linear: true, baselineScans: false, scanEstimateUs: 10_500 });
  });

  it('no miss measured (--no-probes): linear from positions, nothing said about the baseline', () => {
    expect(positionVerdict({ ...rising, miss: null })).toMatchObject({ linear: true, baselineScans: false });
  });

  it('a small rise on a slow base without an agreeing miss cost is not a verdict (an O(1) registry drifting)', () => {
    const drift = { rho: 1, slopeUsPerPosition: 0.1, span: { value: 90, low: 60, high: 120, level: 0.95 }, firstMedianUs: 1000, toolCount: 1000 };
    expect(positionVerdict({ ...drift, miss: { value: 5, low: -20, high: 30, level: 0.95 } })).toEqual({ linear: false, baselineScans: false, scanEstimateUs: null });
  });

  it('no order (Spearman < 0.9) is not linear however large the span', () => {
    expect(positionVerdict({ ...rising, rho: 0.7, miss: null }).linear).toBe(false);
  });
});

describe('isLowSample', () => {
  it(`marks 1..${LOW_SAMPLE_N - 1} samples, not 0 (no figure) and not ${LOW_SAMPLE_N}`, () => {
    expect([0, 1, LOW_SAMPLE_N - 1, LOW_SAMPLE_N].map((n) => isLowSample(n, 200))).toEqual([false, true, true, false]);
  });
  it('holds a run to what it asked for (--samples 10 gives 10: not rough)', () => {
    expect(isLowSample(10, 10)).toBe(false);
    expect(isLowSample(9, 10)).toBe(true);
  });
});
