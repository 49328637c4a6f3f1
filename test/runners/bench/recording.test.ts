import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/measure/stats.js';
import { OpStats, Timeline, failureClass, type TimelineSecond } from '../../../src/runners/bench/recording.js';
import type { Outcome, Reply } from '../../../src/target/session.js';

const reply = (outcome: Outcome, over: Partial<Reply> = {}): Reply => ({
  id: 1, method: 'tools/call', sentAt: 0, doneAt: 1, outcome, result: undefined, error: undefined, ...over,
});

describe('failureClass', () => {
  it('a result is a success unless it says isError: true', () => {
    expect(failureClass(reply('result', { result: { content: [] } }))).toBeNull();
    expect(failureClass(reply('result', { result: {} }))).toBeNull();
    expect(failureClass(reply('result', { result: null }))).toBeNull();
    expect(failureClass(reply('result', { result: { isError: false } }))).toBeNull();
    expect(failureClass(reply('result', { result: { isError: 'true' } }))).toBeNull();
    expect(failureClass(reply('result', { result: { isError: true, content: [] } }))).toBe('isError');
  });

  it('a JSON-RPC error is classed by its code', () => {
    expect(failureClass(reply('error', { error: { code: -32603, message: 'internal' } }))).toBe('jsonrpc:-32603');
    // Invalid params on a tools/call: the arguments were rejected, not a server failure (replyClass.test.ts).
    expect(failureClass(reply('error', { error: { code: -32602, message: 'bad params' } }))).toBe('argument-rejected');
    expect(failureClass(reply('error', { error: { code: -32000, message: 'x', data: { detail: 1 } } }))).toBe('jsonrpc:-32000');
  });

  it('an error carrying data.httpStatus (a number) is classed by the HTTP status', () => {
    expect(failureClass(reply('error', { error: { code: -32000, message: 'x', data: { httpStatus: 503 } } }))).toBe('http:503');
    expect(failureClass(reply('error', { error: { code: -32000, message: 'x', data: { httpStatus: '503' } } }))).toBe('jsonrpc:-32000');
  });

  it.each(['timeout', 'closed', 'cancelled'] as const)('%s is its own class', (outcome) => {
    expect(failureClass(reply(outcome))).toBe(outcome);
  });
});

describe('OpStats', () => {
  it('starts empty', () => {
    const s = new OpStats();
    expect({ requests: s.requests, succeeded: s.succeeded, failed: s.failed, errors: s.errors }).toEqual({ requests: 0, succeeded: 0, failed: 0, errors: {} });
    expect(s.corrected.toDistribution()).toBeNull();
  });
});

/** A timeline starting at t0 = 10 000 ms, warm-up until `warmupEndsAt`, with its closed seconds collected. */
function timeline(warmupEndsAt = 10_000): { t: Timeline; closed: TimelineSecond[] } {
  const closed: TimelineSecond[] = [];
  return { t: new Timeline(10_000, warmupEndsAt, (s) => closed.push({ ...s })), closed };
}

/** Deterministic Fisher–Yates shuffle. */
function shuffled(values: number[], seed: number): number[] {
  const rand = seededRandom(seed);
  const a = [...values];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Nearest-rank percentile as Timeline defines it: sorted[floor(n·p)]. */
const exact = (values: readonly number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('Timeline', () => {
  it('closes seconds in order with sent, completed, errors and the in-flight count at the close', () => {
    const { t, closed } = timeline();
    t.sent(10_000, 1);
    t.sent(10_100, 2);
    t.sent(10_200, 3);
    t.done(10_500, 2, 5_000);
    t.done(10_900, 1, null);
    expect(closed).toEqual([]);
    t.sent(11_000, 2); // second 1 starts: second 0 closes
    t.done(11_400, 1, 7_000);
    t.roll(12_000, 1);
    expect(closed.map((s) => s.second)).toEqual([0, 1]);
    expect(closed[0]).toMatchObject({ second: 0, sent: 3, completed: 2, errors: 1, inflight: 2, p50Us: 5000, p99Us: 5000 });
    expect(closed[1]).toMatchObject({ second: 1, sent: 1, completed: 1, errors: 0, inflight: 1, p50Us: 7000, p99Us: 7000 });
    expect(t.seconds).toEqual(closed);
  });

  it('finish() closes the last partial second even when t0 + (s + 1)·1000 − t0 rounds below its end', () => {
    // 2022.925893 + 3000 − 2022.925893 is 2999.9999999999995 in doubles: rolling to that time floored
    // to second 2 and left it open, so a 3 s run's timeline lost its third second.
    const t0 = 2022.925893;
    const closed: TimelineSecond[] = [];
    const t = new Timeline(t0, t0, (s) => closed.push({ ...s }));
    for (let i = 0; i < 30; i++) t.sent(t0 + i * 100, 1);
    t.finish(0);
    expect(closed.map((s) => [s.second, s.sent])).toEqual([[0, 10], [1, 10], [2, 10]]);
    t.finish(0);
    expect(closed).toHaveLength(3);
  });

  it('calls onSecond exactly once per closed second, also when roll() is called repeatedly', () => {
    const { t, closed } = timeline();
    t.sent(10_001, 1);
    for (let now = 10_000; now <= 13_500; now += 50) t.roll(now, 0);
    t.roll(13_999, 0);
    expect(closed.map((s) => s.second)).toEqual([0, 1, 2]);
    t.roll(14_000, 0);
    expect(closed.map((s) => s.second)).toEqual([0, 1, 2, 3]);
  });

  it('closes empty seconds in a gap with zero counts and null percentiles', () => {
    const { t, closed } = timeline();
    t.done(10_100, 0, 3_000);
    t.done(13_200, 0, 4_000); // seconds 0, 1, 2 close here
    expect(closed).toHaveLength(3);
    expect(closed[0]).toMatchObject({ completed: 1, p50Us: 3000, p99Us: 3000 });
    for (const s of closed.slice(1)) expect(s).toMatchObject({ sent: 0, completed: 0, errors: 0, p50Us: null, p99Us: null });
    t.roll(14_000, 0);
    expect(closed[3]).toMatchObject({ second: 3, completed: 1, p50Us: 4000, p99Us: 4000 });
  });

  it('a second with only failures has null percentiles (failures never enter the latencies)', () => {
    const { t, closed } = timeline();
    t.done(10_100, 0, null);
    t.done(10_200, 0, null);
    t.roll(11_000, 0);
    expect(closed[0]).toMatchObject({ completed: 2, errors: 2, p50Us: null, p99Us: null });
  });

  it('marks seconds that end by warmupEndsAt as warm-up', () => {
    const { t, closed } = timeline(12_500); // warm-up: 2.5 s
    t.roll(15_000, 0);
    expect(closed.map((s) => s.warmup)).toEqual([true, true, false, false, false]);
    const edge = timeline(12_000); // ends exactly on a second boundary
    edge.t.roll(14_000, 0);
    expect(edge.closed.map((s) => s.warmup)).toEqual([true, true, false, false]);
    const none = timeline(10_000);
    none.t.roll(11_000, 0);
    expect(none.closed[0]!.warmup).toBe(false);
  });

  it('p50/p99 equal the exact percentiles with up to 4096 samples', () => {
    for (const n of [1, 2, 3, 10, 99, 100, 101, 1000, 4095, 4096]) {
      const values = shuffled(range(n).map((v) => v * 7), n);
      const { t, closed } = timeline();
      for (const v of values) t.done(10_500, 0, v);
      t.roll(11_000, 0);
      expect({ n, p50: closed[0]!.p50Us, p99: closed[0]!.p99Us }).toEqual({ n, p50: exact(values, 0.5), p99: exact(values, 0.99) });
    }
  });

  it('rounds the percentiles to whole µs', () => {
    const { t, closed } = timeline();
    t.done(10_500, 0, 1234.4);
    t.roll(11_000, 0);
    expect(closed[0]!.p50Us).toBe(1234);
  });

  it('starts each second with an empty reservoir', () => {
    const { t, closed } = timeline();
    for (const v of range(3000)) t.done(10_500, 0, 1_000_000 + v);
    for (const v of range(10)) t.done(11_500, 0, v);
    t.roll(12_000, 0);
    expect(closed[1]).toMatchObject({ completed: 10, p50Us: 6, p99Us: 10 });
  });

  /** Percentile rank (0–100) of `value` among 1..n. */
  const rank = (value: number, n: number): number => (value / n) * 100;

  it.each([
    ['shuffled', (vs: number[]) => shuffled(vs, 5)],
    ['ascending', (vs: number[]) => vs],
    ['descending', (vs: number[]) => [...vs].reverse()],
  ])('with 50 000 %s samples, p50/p99 from the reservoir are within a few percentile ranks', (_order, order) => {
    const n = 50_000;
    const { t, closed } = timeline();
    for (const v of order(range(n))) t.done(10_500, 0, v);
    t.roll(11_000, 0);
    const s = closed[0]!;
    expect(s.completed).toBe(n);
    expect(Math.abs(rank(s.p50Us!, n) - 50)).toBeLessThan(2.5);
    expect(Math.abs(rank(s.p99Us!, n) - 99)).toBeLessThan(0.75);
  });
});
