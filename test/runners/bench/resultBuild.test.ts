import { ErrorLog } from '../../../src/runners/replyClass.js';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/measure/histogram.js';
import type { BenchResult, GeneratorHealth } from '../../../src/result/benchResult.js';
import type { LoopMode } from '../../../src/options/benchOptions.js';
import type { EngineOutcome } from '../../../src/runners/bench/engine.js';
import { Lane } from '../../../src/runners/bench/lanes.js';
import { ResourceSampler } from '../../../src/runners/bench/resourceSampler.js';
import { SUSTAINED_RATE_TOLERANCE_PCT, buildFigures, warningsOf } from '../../../src/runners/bench/resultBuild.js';
import { OpStats, type TimelineSecond } from '../../../src/runners/bench/recording.js';
import type { Target } from '../../../src/target/target.js';
import { benchOptions, benchResult, stubLane } from './helpers.js';

const ORIGIN = 10_000;
const open = (rps: number, maxInflight: number | null = null): LoopMode => ({ kind: 'open', rps, arrival: 'uniform', maxInflight });
const healthy: GeneratorHealth = { cpuPct: 12.5, eventLoopDelayMs: { p50: 0, p99: 0.4, max: 1 }, bottleneck: false, reason: null };

/** Fill `s` with `ok` successes (corrected 20–30 ms, service 10–15 ms) and `failed` failures. */
function fill(s: OpStats, ok: number, failed: Record<string, number>): OpStats {
  s.requests += ok;
  for (let i = 0; i < ok; i++) {
    s.corrected.record(20_000 + (i % 11) * 1000);
    s.service.record(10_000 + (i % 6) * 1000);
    s.succeeded++;
  }
  for (const [cls, n] of Object.entries(failed)) {
    s.requests += n;
    s.failed += n;
    s.errors[cls] = (s.errors[cls] ?? 0) + n;
    for (let i = 0; i < n; i++) s.failedLatency.record(1_000_000);
  }
  return s;
}

const second = (n: number, over: Partial<TimelineSecond> = {}): TimelineSecond => ({
  second: n, warmup: false, sent: 100, completed: 95, errors: 5, inflight: 2, p50Us: 21_000, p99Us: 30_000, ...over,
});

/** 200 measured requests over 2 s (190 ok, 10 failed) on one operation, timeline of 4 seconds. */
function outcome(over: Partial<EngineOutcome> = {}): EngineOutcome {
  const total = fill(new OpStats(), 190, { timeout: 4, 'jsonrpc:-32000': 6 });
  const lateness = new Recorder('us');
  for (const us of [100, 200, 300, 2500]) lateness.record(us);
  return {
    total, byOp: new Map([['ping', total]]), lateness, lateSends: 1, lateBeyondBound: 0, wakeLateness: new Recorder('us'), dropped: 0,
    measuredMs: 2000, timeline: [second(0, { warmup: true }), second(1), second(2), second(3)], stopReason: 'done', failure: null,
    lostLanes: [], abandoned: 0, timelineOrigin: ORIGIN, allErrors: {}, errorLog: new ErrorLog(), ...over,
  };
}

/** A sampler holding hand-made samples (never started: no /proc reads). */
function sampler(samples: Array<[at: number, rssBytes: number, cpuPct: number]> = []): ResourceSampler {
  const s = new ResourceSampler([]);
  for (const [at, rssBytes, cpuPct] of samples) s.samples.push({ at, rssBytes, cpuPct, processes: 1 });
  return s;
}

const laneWithPid = (index: number, pid: number): Lane =>
  new Lane(index, { session: { transport: { pendingOutBytes: 0 } }, process: { pid } } as unknown as Target);

describe('buildFigures', () => {
  it('computes rates over the measured window (closed loop: no target, no sustained verdict)', () => {
    const f = buildFigures(benchOptions(), outcome(), [stubLane(0)], sampler(), healthy);
    expect(f.throughput).toEqual({ measuredSeconds: 2, targetRps: null, sentRps: 100, succeededRps: 95, rateErrorPct: null, sustained: null, lateBoundMs: null, lateBeyondBound: null });
    const slower = buildFigures(benchOptions(), outcome({ measuredMs: 3000 }), [stubLane(0)], sampler(), healthy);
    expect(slower.throughput).toMatchObject({ measuredSeconds: 3, sentRps: 66.67, succeededRps: 63.33 });
  });

  it('counts requests: scheduled = sent + dropped, errors by class, error rate over answered', () => {
    const f = buildFigures(benchOptions({ loop: open(100) }), outcome({ dropped: 3, abandoned: 2, lateSends: 7 }), [stubLane(0)], sampler(), healthy);
    expect(f.requests).toEqual({
      scheduled: 203, sent: 200, succeeded: 190, failed: 10, dropped: 3, lateSends: 7, abandoned: 2,
      errors: { timeout: 4, 'jsonrpc:-32000': 6 }, errorRatePct: 5, errorSamples: {}, errorLike: null,
    });
  });

  it('copies the error counts (the result does not alias the engine\'s counters)', () => {
    const o = outcome();
    const f = buildFigures(benchOptions(), o, [stubLane(0)], sampler(), healthy);
    o.total.errors['timeout'] = 99;
    expect(f.requests.errors['timeout']).toBe(4);
    expect(f.byOperation[0]!.errors['timeout']).toBe(4);
  });

  it('an open loop at its target rate is sustained, with rateErrorPct 0', () => {
    const f = buildFigures(benchOptions({ loop: open(100) }), outcome(), [stubLane(0)], sampler(), healthy);
    expect(f.throughput).toMatchObject({ targetRps: 100, sentRps: 100, rateErrorPct: 0, sustained: true });
  });

  it(`is still sustained up to ${SUSTAINED_RATE_TOLERANCE_PCT} % short, and not beyond`, () => {
    const at = (rps: number) => buildFigures(benchOptions({ loop: open(rps) }), outcome(), [stubLane(0)], sampler(), healthy).throughput;
    expect(at(101)).toMatchObject({ rateErrorPct: -0.99, sustained: true });
    expect(at(102)).toMatchObject({ rateErrorPct: -1.96, sustained: false });
    expect(at(50)).toMatchObject({ rateErrorPct: 100, sustained: true });
  });

  it('is not sustained when more than 5 % of sends left later than one interval (at least 20 ms), whatever the count', () => {
    const o = outcome({ lateBeyondBound: 11 });
    const f = buildFigures(benchOptions({ loop: open(100) }), o, [stubLane(0)], sampler(), healthy);
    expect(f.throughput).toMatchObject({ rateErrorPct: 0, sustained: false, lateBoundMs: 20, lateBeyondBound: 11 });
    const r = { ...benchResult(), requests: f.requests, throughput: f.throughput } as BenchResult;
    expect(warningsOf(benchOptions({ loop: open(100) }), r, o).join('\n')).toMatch(/NOT sustained: 100 req\/s were sent, 11 of 200 sends \(5.5 %\) left late by more than 20 ms/);
    expect(buildFigures(benchOptions({ loop: open(100) }), outcome({ lateBeyondBound: 10 }), [stubLane(0)], sampler(), healthy).throughput.sustained).toBe(true);
  });

  it('is not sustained when any due request was dropped, even at the full sent rate', () => {
    const f = buildFigures(benchOptions({ loop: open(100) }), outcome({ dropped: 1 }), [stubLane(0)], sampler(), healthy);
    expect(f.throughput).toMatchObject({ rateErrorPct: 0, sustained: false });
  });

  it('an open loop that measured nothing has zero rates and is not sustained', () => {
    const f = buildFigures(benchOptions({ loop: open(100) }), outcome({ measuredMs: 0 }), [stubLane(0)], sampler(), healthy);
    expect(f.throughput).toEqual({ measuredSeconds: 0, targetRps: 100, sentRps: 0, succeededRps: 0, rateErrorPct: null, sustained: false, lateBoundMs: 20, lateBeyondBound: 0 });
  });

  it('takes the distributions from the recorders, successes and failures apart', () => {
    const o = outcome();
    const f = buildFigures(benchOptions(), o, [stubLane(0)], sampler(), healthy);
    expect(f.latency).toEqual(o.total.corrected.toDistribution());
    expect(f.serviceTime).toEqual(o.total.service.toDistribution());
    expect(f.latency!.n).toBe(190);
    expect(f.failedLatency).toMatchObject({ n: 10, min: 1_000_000 });
    expect(f.sendLateness).toMatchObject({ n: 4, max: 2500 });
    expect(buildFigures(benchOptions(), outcome({ total: new OpStats() }), [stubLane(0)], sampler(), healthy).latency).toBeNull();
  });

  it('lists every operation with its own figures', () => {
    const total = fill(new OpStats(), 150, { timeout: 5 });
    const ping = fill(new OpStats(), 100, {});
    const call = fill(new OpStats(), 50, { timeout: 5 });
    const f = buildFigures(benchOptions(), outcome({ total, byOp: new Map([['ping', ping], ['tools/call:a.b', call]]) }), [stubLane(0)], sampler(), healthy);
    expect(f.byOperation.map((b) => [b.op, b.requests, b.succeeded, b.failed, b.errors, b.latency?.n, b.serviceTime?.n])).toEqual([
      ['ping', 100, 100, 0, {}, 100, 100],
      ['tools/call:a.b', 55, 50, 5, { timeout: 5 }, 50, 50],
    ]);
  });

  it('timeline entries carry the RSS at the end of each second and the CPU of a sample taken in it', () => {
    const s = sampler([[10_500, 100, 10], [11_000, 200, 20], [11_900, 300, 30], [13_000, 400, 40]]);
    const f = buildFigures(benchOptions({ warmupMs: 1000 }), outcome(), [stubLane(0)], s, healthy);
    expect(f.timeline.map((e) => [e.second, e.warmup, e.rssBytes, e.cpuPct])).toEqual([
      [0, true, 200, 20], // sample at 11 000 (the second's end)
      [1, false, 300, 30], // sample at 11 900
      [2, false, 400, 40], // sample at 13 000
      [3, false, 400, null], // no new sample in second 3: RSS carries over, CPU unknown
    ]);
    expect(f.timeline[1]).toMatchObject({ sent: 100, completed: 95, errors: 5, inflight: 2, p50Us: 21_000, p99Us: 30_000 });
  });

  it('without samples (a server on another host), timeline RSS/CPU and resources are null', () => {
    const f = buildFigures(benchOptions(), outcome(), [stubLane(0)], sampler(), healthy);
    expect(f.timeline.every((e) => e.rssBytes === null && e.cpuPct === null)).toBe(true);
    expect(f.resources).toBeNull();
  });

  it('resources summarise the measured window only (warm-up samples excluded, peak over all)', () => {
    const s = sampler([[10_500, 900, 10], [11_000, 200, 20], [11_900, 300, 30], [13_000, 400, 40]]);
    const f = buildFigures(benchOptions({ warmupMs: 1000 }), outcome(), [stubLane(0)], s, healthy);
    expect(f.resources).toMatchObject({ rssStartBytes: 200, rssEndBytes: 400, rssGrowthBytes: 200, rssPeakBytes: 900, cpuPctMean: 35, cpuPctMax: 40 });
  });

  it('one instance reports the total service time; a pool reports each lane\'s', () => {
    const o = outcome();
    const single = buildFigures(benchOptions(), o, [laneWithPid(0, 4321)], sampler(), healthy);
    expect(single.pool.instances).toEqual([
      { index: 0, pid: 4321, sent: 0, succeeded: 0, failed: 0, serviceTime: single.serviceTime, alive: true, connections: null, sessionReinits: null },
    ]);
    const a = stubLane(0);
    const b = stubLane(1);
    Object.assign(a, { sent: 120, succeeded: 118, failed: 2 });
    Object.assign(b, { sent: 80, succeeded: 72, failed: 8, alive: false });
    a.service.record(5000);
    const pool = buildFigures(benchOptions({ balance: 'least-inflight', instances: 2 }), o, [a, b], sampler(), healthy).pool;
    expect(pool.balance).toBe('least-inflight');
    expect(pool.instances.map((i) => [i.index, i.pid, i.sent, i.succeeded, i.failed, i.serviceTime?.n ?? null, i.alive])).toEqual([
      [0, null, 120, 118, 2, 1, true],
      [1, null, 80, 72, 8, null, false],
    ]);
  });

  it('passes the generator health through', () => {
    expect(buildFigures(benchOptions(), outcome(), [stubLane(0)], sampler(), healthy).generator).toBe(healthy);
  });
});

describe('warningsOf', () => {
  /** A result built from the outcome, over a complete hand-made one. */
  const resultOf = (opts: ReturnType<typeof benchOptions>, o: EngineOutcome, generator: GeneratorHealth = healthy): BenchResult =>
    Object.assign(benchResult(), buildFigures(opts, o, [stubLane(0)], sampler(), generator));

  it('nothing to say about a clean closed-loop run', () => {
    const opts = benchOptions();
    const o = outcome();
    expect(warningsOf(opts, resultOf(opts, o), o)).toEqual([]);
  });

  it('says when the target rate was not sustained, and how many due requests were never sent', () => {
    const opts = benchOptions({ loop: open(102) });
    const o = outcome({ lateSends: 0 });
    const w = warningsOf(opts, resultOf(opts, o), o);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/target rate of 102 req\/s was NOT sustained: 100 req\/s were sent\. Latencies still count from the intended send times/);
    const dropped = outcome({ lateSends: 0, dropped: 12 });
    expect(warningsOf(opts, resultOf(opts, dropped), dropped)[0]).toContain(', 12 due requests were never sent.');
  });

  it('counts late sends in an open loop, naming --max-inflight when it held sends back', () => {
    const o = outcome({ lateSends: 7 });
    const uncapped = benchOptions({ loop: open(100) });
    expect(warningsOf(uncapped, resultOf(uncapped, o), o)).toEqual(['7 of 200 sends left more than 1 ms after their intended time.']);
    const capped = benchOptions({ loop: open(100, 4) });
    expect(warningsOf(capped, resultOf(capped, o), o)).toEqual(['7 of 200 sends left more than 1 ms after their intended time (--max-inflight 4 held some back).']);
    const closed = benchOptions();
    expect(warningsOf(closed, resultOf(closed, o), o)).toEqual([]);
  });

  it('repeats the generator\'s bottleneck reason', () => {
    const opts = benchOptions();
    const o = outcome();
    const reason = 'its scheduler woke 9.0 ms late (p99): the generator, not the server, may be the limit';
    expect(warningsOf(opts, resultOf(opts, o, { ...healthy, bottleneck: true, reason }), o)).toEqual([reason]);
    expect(warningsOf(opts, resultOf(opts, o, { ...healthy, bottleneck: false, reason }), o)).toEqual([]);
  });

  it('names lost instances, and mentions --keep-going when the run went on', () => {
    const o = outcome({ lostLanes: [1, 3] });
    const stopped = benchOptions({ instances: 4 });
    expect(warningsOf(stopped, resultOf(stopped, o), o)).toEqual(['2 of 4 server instances died during the run (#2, #4).']);
    const goingOn = benchOptions({ instances: 4, keepGoing: true });
    expect(warningsOf(goingOn, resultOf(goingOn, o), o)).toEqual(['2 of 4 server instances died during the run (#2, #4); the run went on with the others (--keep-going).']);
  });

  it('warns when no request succeeded, but not when nothing was sent', () => {
    const opts = benchOptions();
    const allFailed = outcome({ total: fill(new OpStats(), 0, { closed: 5 }) });
    expect(warningsOf(opts, resultOf(opts, allFailed), allFailed)).toEqual(['No request succeeded: every latency figure is empty and every budget fails.']);
    const nothing = outcome({ total: new OpStats() });
    expect(warningsOf(opts, resultOf(opts, nothing), nothing)).toEqual([]);
  });

  it('counts abandoned requests', () => {
    const opts = benchOptions();
    const o = outcome({ abandoned: 3 });
    expect(warningsOf(opts, resultOf(opts, o), o)).toEqual(['3 requests were still unanswered when the run stopped waiting; they are not counted.']);
  });

  it('lists several warnings in a fixed order', () => {
    const opts = benchOptions({ loop: open(200, 2), instances: 2, keepGoing: true });
    const o = outcome({ dropped: 5, lateSends: 3, lostLanes: [0], abandoned: 1, total: fill(new OpStats(), 0, { closed: 200 }) });
    const w = warningsOf(opts, resultOf(opts, o, { ...healthy, bottleneck: true, reason: 'CPU' }), o);
    expect(w.map((x) => x.slice(0, 12))).toEqual([
      'The target r', '3 of 200 sen', 'CPU', '1 of 2 serve', 'No request s', '1 requests w',
    ]);
  });
});
