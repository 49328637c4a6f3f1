import { describe, expect, it } from 'vitest';
import { LiveWindow, TOOL_ROWS } from '../../src/proxy/liveWindow.js';

/** A window on a fake clock: `at(ms)` moves the clock and ticks, as the proxy's 100 ms timer would. */
function fakeWindow(windowS: number): { w: LiveWindow; at: (ms: number) => void } {
  let now = 0;
  const w = new LiveWindow(windowS, () => now);
  return { w, at: (ms) => { now = ms; w.tick(); } };
}

/** `n` requests answered with this latency, ms (all of it service time). */
function answer(w: LiveWindow, n: number, ms: number, tool: string | null = null, outcome: 'result' | 'tool_error' | 'jsonrpc_error' = 'result'): void {
  for (let i = 0; i < n; i++) {
    w.received('tools/call', tool);
    w.answered('tools/call', tool, outcome, 0, ms / 1000);
  }
}

describe('LiveWindow: seconds in, seconds out', () => {
  it('counts a second until it leaves the window, then forgets it', () => {
    const { w, at } = fakeWindow(3);
    at(500);
    answer(w, 5, 10);
    expect(w.figures()).toMatchObject({ received: 5, finished: 5 });
    at(2_999); // seconds 0, 1, 2: still in
    expect(w.figures().received).toBe(5);
    at(3_000); // seconds 1, 2, 3: second 0 is out
    expect(w.figures()).toMatchObject({ received: 0, finished: 0, latencyMs: null });
  });

  it('reuses a slot when its second comes round again, emptied first', () => {
    const { w, at } = fakeWindow(2);
    at(0);
    answer(w, 3, 10);
    at(2_100); // the same slot of the ring as second 0
    answer(w, 1, 10);
    expect(w.figures()).toMatchObject({ received: 1, latencyMs: { n: 1 } });
  });

  it('counts requests in the slot of the last tick, not of a clock read per request', () => {
    let now = 0;
    const w = new LiveWindow(2, () => now);
    now = 1_500; // no tick yet: still second 0's slot
    answer(w, 2, 10);
    now = 2_500;
    expect(w.figures().received).toBe(0); // second 0 has left the window [1, 2]
  });

  it('gives requests per second over the time it covers, at least a second', () => {
    const { w, at } = fakeWindow(10);
    at(0);
    answer(w, 3, 1);
    at(2_500);
    answer(w, 2, 1);
    expect(w.figures()).toMatchObject({ windowS: 10, spanS: 2.5, received: 5, rps: 2 });
    at(30_500); // seconds 21 to 30, the last half gone
    answer(w, 38, 1);
    expect(w.figures()).toMatchObject({ spanS: 9.5, received: 38, rps: 4 });
    const fresh = fakeWindow(10);
    fresh.at(0);
    answer(fresh.w, 1, 1);
    expect(fresh.w.figures().rps).toBe(1);
  });
});

describe('LiveWindow: percentiles of the seconds merged', () => {
  it('merges the histograms of every second in the window, within 0.8 %', () => {
    const { w, at } = fakeWindow(5);
    at(0);
    answer(w, 90, 1);
    at(1_000);
    answer(w, 10, 100);
    const lat = w.figures().latencyMs!;
    expect(lat.n).toBe(100);
    expect(lat.p50).toBeCloseTo(1, 1);
    expect(Math.abs(lat.p95 - 100) / 100).toBeLessThan(0.008);
    expect(lat.max).toBe(100);
    expect(lat.mean).toBeCloseTo((90 * 1 + 10 * 100) / 100, 6);
    at(5_500); // second 0 is out: only the slow second is left
    expect(w.figures().latencyMs).toMatchObject({ n: 10, max: 100, mean: 100 });
    expect(Math.abs(w.figures().latencyMs!.p50 - 100) / 100).toBeLessThan(0.008);
  });

  it('never reports a percentile above the largest sample', () => {
    const { w, at } = fakeWindow(1);
    at(0);
    answer(w, 1, 12.345);
    const lat = w.figures().latencyMs!;
    expect(lat.max).toBe(12.345);
    expect(lat.p99).toBeLessThanOrEqual(12.345);
  });

  it('adds queue wait to service time', () => {
    const { w, at } = fakeWindow(1);
    at(0);
    w.answered('tools/call', 'a', 'result', 0.02, 0.03);
    expect(w.figures().latencyMs!.max).toBe(50);
  });
});

describe('LiveWindow: errors, cache, gauges, tools', () => {
  it('counts errors by class; a cancellation is a class but not an error', () => {
    const { w, at } = fakeWindow(10);
    at(0);
    answer(w, 6, 5, 'a');
    answer(w, 1, 5, 'a', 'tool_error');
    answer(w, 1, 5, 'b', 'jsonrpc_error');
    w.failed('tools/call', 'b', 'timeout');
    w.failed('tools/call', 'b', 'cancelled');
    w.cacheEvent('tools/list', 'hit', 2);
    w.cacheEvent('tools/list', 'miss', 1);
    w.cacheEvent('tools/list', 'coalesced', 1);
    w.cacheEvent('tools/list', 'stored', 1);
    const f = w.figures();
    expect(f.byClass).toEqual({ tool_error: 1, jsonrpc_error: 1, timeout: 1, cancelled: 1 });
    expect(f.errors).toBe(3);
    expect(f.finished).toBe(8 + 2 + 2 + 1); // answered, failed, hits, coalesced
    expect(f.cache).toEqual({ hits: 2, misses: 1, coalesced: 1 });
    expect(f.tools.find((t) => t.tool === 'b')).toMatchObject({ errors: 2 });
  });

  it('reports in-flight, queue depth and sessions as last told', () => {
    const { w } = fakeWindow(10);
    w.inflight(3);
    w.queueDepth(7);
    w.sessions(2);
    w.ambiguousRelay();
    expect(w.figures()).toMatchObject({ inflight: 3, queueDepth: 7, sessions: 2 });
  });

  it(`lists the ${TOOL_ROWS} tools with the most requests, with a p95 each within 6.25 %`, () => {
    const { w, at } = fakeWindow(10);
    at(0);
    for (let k = 0; k < TOOL_ROWS + 5; k++) answer(w, k + 1, 10 * (k + 1), `tool-${k}`);
    w.received('tools/call', 'never-answered');
    at(1_000);
    answer(w, 100, 40, 'tool-0');
    const tools = w.figures().tools;
    expect(tools).toHaveLength(TOOL_ROWS);
    expect(tools[0]).toMatchObject({ tool: 'tool-0', requests: 101, errors: 0 });
    expect(tools[1]!.tool).toBe(`tool-${TOOL_ROWS + 4}`);
    expect(tools.map((t) => t.requests)).toEqual([...tools.map((t) => t.requests)].sort((a, b) => b - a));
    expect(Math.abs(tools[0]!.p95Ms! - 40) / 40).toBeLessThanOrEqual(0.0625);
    const top = tools[1]!;
    expect(Math.abs(top.p95Ms! - 10 * (TOOL_ROWS + 5)) / (10 * (TOOL_ROWS + 5))).toBeLessThanOrEqual(0.0625);
    expect(tools.some((t) => t.tool === 'never-answered')).toBe(false);
  });

  it('gives a tool no p95 when no instance answered it', () => {
    const { w, at } = fakeWindow(10);
    at(0);
    w.received('tools/call', 'refused');
    w.failed('tools/call', 'refused', 'unknown_tool');
    expect(w.figures().tools).toEqual([{ tool: 'refused', requests: 1, errors: 1, p95Ms: null }]);
  });
});
