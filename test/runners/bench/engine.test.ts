/**
 * The load engine in process, against in-memory servers (DelayTransport) that answer after a set
 * delay: real time and the real alarm thread, short runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TargetError } from '../../../src/errors.js';
import { GIVE_UP_FAILURES } from '../../../src/runners/bench/giveUp.js';
import { runEngine, type EngineOptions } from '../../../src/runners/bench/engine.js';
import type { Lane } from '../../../src/runners/bench/lanes.js';
import type { TimelineSecond } from '../../../src/runners/bench/recording.js';
import { withTimerProbe } from '../../helpers/timerProbe.js';
import { PING, memoryLane, type DelayTransport, type ServerBehaviour } from './helpers.js';

const lanesMade: Lane[] = [];
afterEach(async () => {
  await Promise.all(lanesMade.splice(0).map((l) => l.target.close()));
});

/** Lanes over in-memory servers, one per behaviour. */
function lanes(...behaviours: ServerBehaviour[]): { lanes: Lane[]; transports: DelayTransport[] } {
  const made = behaviours.map((b, i) => memoryLane(i, b));
  lanesMade.push(...made.map((m) => m.lane));
  return { lanes: made.map((m) => m.lane), transports: made.map((m) => m.transport) };
}

function options(l: Lane[], over: Partial<EngineOptions>): EngineOptions {
  return {
    lanes: l, balance: 'round-robin', nextOp: () => PING, opLabels: ['ping'], loop: { kind: 'closed', concurrency: 1 },
    warmupMs: 0, durationMs: null, requests: null, timeoutMs: 1000, bailout: null, giveUpMs: null, keepGoing: false, seed: 1,
    signal: new AbortController().signal, onSecond: () => {}, ...over,
  };
}

describe('runEngine: closed loop', () => {
  it('keeps at most `concurrency` in flight and stops at `requests`', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 3 });
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 3 }, requests: 30 }));
    expect(o.stopReason).toBe('done');
    expect(t!.maxOutstanding).toBe(3);
    expect(o.total.requests).toBe(30);
    expect(o.total.succeeded).toBe(30);
    expect(o.total.failed).toBe(0);
    expect(o.abandoned).toBe(0);
    expect(t!.sends).toBeGreaterThanOrEqual(30);
    expect(t!.sends).toBeLessThanOrEqual(33); // the first round may go before t0, unmeasured (bug below)
    // One operation: its figures are the totals, recorded once.
    expect(o.byOp.get('ping')).toBe(o.total);
    // A closed loop measures from the actual send: corrected = service, both ≥ the server's delay.
    expect(o.total.service.toDistribution()!.min).toBeGreaterThanOrEqual(3000);
    expect(o.total.corrected.n).toBe(30);
    expect(o.dropped).toBe(0);
    expect(o.lateness.n).toBe(0);
  });

  it('stops at the duration', async () => {
    const { lanes: l } = lanes({ delayMs: 2 });
    const started = performance.now();
    const { value: o, lateness } = await withTimerProbe(() => runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, durationMs: 300 })));
    const took = performance.now() - started;
    expect(o.stopReason).toBe('done');
    expect(took).toBeGreaterThanOrEqual(300);
    // 700 ms of slack, plus what the machine did meanwhile to a timer in another thread.
    expect(took).toBeLessThan(1000 + lateness.maxMs);
    expect(o.measuredMs).toBeGreaterThanOrEqual(295);
    expect(o.measuredMs).toBeLessThanOrEqual(300 + 1e-6);
    expect(o.total.succeeded).toBeGreaterThan(50);
  });
});

describe('runEngine: open loop', () => {
  it('sends ~R requests per second, each answered no sooner than the server delay', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 10 });
    const seconds: TimelineSecond[] = [];
    const o = await runEngine(options(l, {
      loop: { kind: 'open', rps: 200, arrival: 'uniform', maxInflight: null }, durationMs: 1000,
      onSecond: (s) => seconds.push(s),
    }));
    expect(o.stopReason).toBe('done');
    // Due at t0 + i × 5 ms for i < 200: every one sent, or counted as dropped.
    expect(o.total.requests + o.dropped).toBe(200);
    expect(o.total.requests).toBeGreaterThanOrEqual(195);
    expect(t!.sends).toBe(o.total.requests);
    expect(o.total.succeeded).toBe(o.total.requests);
    const latency = o.total.corrected.toDistribution()!;
    const service = o.total.service.toDistribution()!;
    expect(service.min).toBeGreaterThanOrEqual(10_000);
    expect(latency.min).toBeGreaterThanOrEqual(10_000);
    // Latency from the intended time ≥ from the actual send.
    expect(latency.mean).toBeGreaterThanOrEqual(service.mean);
    expect(o.measuredMs).toBeGreaterThan(990);
    expect(o.measuredMs).toBeLessThanOrEqual(1000 + 1e-6);
    expect(o.lateness.n).toBe(o.total.requests);
    expect(o.wakeLateness.n).toBeGreaterThan(100);
    expect(seconds.length).toBeGreaterThanOrEqual(1);
    expect(seconds[0]).toMatchObject({ second: 0, warmup: false });
    expect(seconds.reduce((n, s) => n + s.sent, 0)).toBe(t!.sends);
  });

  it('warm-up requests are sent but not measured', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 1 });
    const seconds: TimelineSecond[] = [];
    const o = await runEngine(options(l, {
      loop: { kind: 'open', rps: 100, arrival: 'uniform', maxInflight: null }, warmupMs: 200, durationMs: 300,
      onSecond: (s) => seconds.push(s),
    }));
    // 20 due in the warm-up, 30 in the measured window.
    expect(o.total.requests + o.dropped).toBe(30);
    expect(t!.sends).toBe(o.total.requests + 20);
    expect(o.measuredMs).toBeLessThanOrEqual(300 + 1e-6);
  });

  it('maxInflight 1 against a 50 ms server at 100 req/s: corrected latency grows far beyond service time', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 50 });
    const o = await runEngine(options(l, { loop: { kind: 'open', rps: 100, arrival: 'uniform', maxInflight: 1 }, durationMs: 1000 }));
    expect(o.stopReason).toBe('done');
    expect(t!.maxOutstanding).toBe(1);
    // One at a time, 50 ms each: ~20 of the 100 due requests are sent; the rest are dropped.
    expect(o.total.requests).toBeGreaterThanOrEqual(15);
    expect(o.total.requests).toBeLessThanOrEqual(21);
    expect(o.dropped).toBeGreaterThan(70);
    expect(o.total.requests + o.dropped).toBe(100);
    expect(o.lateSends).toBeGreaterThan(10);
    const service = o.total.service.toDistribution()!;
    const corrected = o.total.corrected.toDistribution()!;
    expect(service.max).toBeLessThan(100_000);
    // Request k waits for k earlier answers: its latency from its intended time is ~40 ms × k.
    expect(corrected.max).toBeGreaterThan(10 * service.p50);
    expect(corrected.p50).toBeGreaterThan(4 * service.p50);
  });

  it('poisson arrivals keep the mean rate', async () => {
    const { lanes: l } = lanes({ delayMs: 1 });
    const o = await runEngine(options(l, { loop: { kind: 'open', rps: 400, arrival: 'poisson', maxInflight: null }, durationMs: 500, seed: 3 }));
    expect(o.total.requests + o.dropped).toBeGreaterThan(150);
    expect(o.total.requests + o.dropped).toBeLessThan(250);
  });
});

describe('runEngine: stopping early', () => {
  it('bailout: stops after that many failures, with stopReason "bailout"', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 2, error: { code: -32000, message: 'boom' } });
    const started = performance.now();
    const { value: o, lateness } = await withTimerProbe(() => runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, durationMs: 5000, bailout: 5 })));
    expect(o.stopReason).toBe('bailout');
    expect(performance.now() - started).toBeLessThan(1000 + lateness.maxMs);
    // Five failures stop it; the other request in flight still ends.
    expect(t!.sends).toBeGreaterThanOrEqual(5);
    expect(t!.sends).toBeLessThanOrEqual(6);
    // Measured ones: all but the first round, which the closed-loop start bug below may leave unmeasured.
    expect(o.total.failed).toBeGreaterThanOrEqual(t!.sends - 2);
    expect(o.total.errors).toEqual({ 'jsonrpc:-32000': o.total.failed });
    expect(o.total.succeeded).toBe(0);
    expect(o.total.corrected.n).toBe(0);
    expect(o.total.failedLatency.n).toBe(o.total.failed);
    expect(o.failure).toBeNull();
  });

  it(`no success: stops after ${GIVE_UP_FAILURES} failures ("no-success"), long before the run's end`, async () => {
    const { lanes: l } = lanes({ delayMs: 0, error: { code: -32603, message: 'down' } });
    const started = performance.now();
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 4 }, durationMs: 30_000, giveUpMs: 60_000 }));
    expect(o.stopReason).toBe('no-success');
    expect(performance.now() - started).toBeLessThan(20_000);
    // The 1000th failure stops sending; the 3 others in flight still end.
    expect(o.total.failed).toBeGreaterThanOrEqual(GIVE_UP_FAILURES);
    expect(o.total.failed).toBeLessThanOrEqual(GIVE_UP_FAILURES + 3);
    expect(o.total.succeeded).toBe(0);
    expect(o.failure).toBeNull();
  });

  it('no success: stops at the first failure after giveUpMs, with fewer failures', async () => {
    const { lanes: l } = lanes({ delayMs: 40, error: { code: -32603, message: 'down' } });
    const started = performance.now();
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 1 }, durationMs: 30_000, giveUpMs: 300 }));
    const took = performance.now() - started;
    expect(o.stopReason).toBe('no-success');
    expect(took).toBeGreaterThanOrEqual(300);
    // At 40 ms (or more, on a busy machine) per failure, one at a time, 300 ms give at most 8: far from the count rule.
    expect(o.total.failed).toBeGreaterThanOrEqual(2);
    expect(o.total.failed).toBeLessThanOrEqual(Math.ceil(took / 40) + 1);
    expect(o.total.failed).toBeLessThan(GIVE_UP_FAILURES);
  });

  it('one success disarms it; giveUpMs null never gives up', async () => {
    const once = lanes({ delayMs: 20, error: { code: -32603, message: 'down' }, okFirst: 1 });
    const a = await runEngine(options(once.lanes, { loop: { kind: 'closed', concurrency: 1 }, durationMs: 600, giveUpMs: 100 }));
    expect(a.stopReason).toBe('done');
    expect(a.total.succeeded).toBe(1);
    const never = lanes({ delayMs: 20, error: { code: -32603, message: 'down' } });
    const b = await runEngine(options(never.lanes, { loop: { kind: 'closed', concurrency: 1 }, durationMs: 600, giveUpMs: null }));
    expect(b.stopReason).toBe('done');
    expect(b.total.succeeded).toBe(0);
  });

  it('a signal already aborted: "interrupted", nothing sent', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 1 });
    const ac = new AbortController();
    ac.abort();
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, durationMs: 5000, signal: ac.signal }));
    expect(o.stopReason).toBe('interrupted');
    expect(t!.sends).toBe(0);
    expect(o.total.requests).toBe(0);
  });

  it('a signal aborted mid-run: "interrupted" promptly, in-flight requests drained', async () => {
    const { lanes: l, transports: [t] } = lanes({ delayMs: 5 });
    const ac = new AbortController();
    // Aborted once load is flowing (6 sends), not at a fixed time: on a busy machine the alarm
    // thread may take longer than a fixed delay to start, and nothing would have been sent.
    let abortedAfterMs = 0;
    const started = performance.now();
    const poll = setInterval(() => {
      if (t!.sends < 6) return;
      clearInterval(poll);
      abortedAfterMs = performance.now() - started;
      ac.abort();
    }, 2);
    const o = await runEngine(options(l, { loop: { kind: 'open', rps: 200, arrival: 'uniform', maxInflight: null }, durationMs: 5000, signal: ac.signal }));
    clearInterval(poll);
    expect(o.stopReason).toBe('interrupted');
    expect(abortedAfterMs).toBeGreaterThan(0);
    // Promptly: well within the 5 s duration, measured from the abort.
    expect(performance.now() - started - abortedAfterMs).toBeLessThan(1000);
    expect(o.total.requests).toBeGreaterThan(5);
    expect(o.abandoned).toBe(0);
    expect(o.total.succeeded).toBe(o.total.requests);
    expect(o.measuredMs).toBeLessThan(abortedAfterMs + 400);
  });

  it('a lane whose connection closes mid-run: "target-failed" with a TargetError naming the instance', async () => {
    const { lanes: l } = lanes({ delayMs: 2, closeOnSend: 5 });
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 1 }, durationMs: 5000 }));
    expect(o.stopReason).toBe('target-failed');
    expect(o.failure).toBeInstanceOf(TargetError);
    expect(o.failure!.message).toMatch(/^Server instance 1 of 1 closed the connection during the run \(the test server exited\)\.$/);
    expect(o.lostLanes).toEqual([0]);
    expect(l[0]!.alive).toBe(false);
    expect(o.total.errors['closed']).toBe(1);
    // 4 answered; the first may be unmeasured (see the closed-loop start bug below).
    expect(o.total.succeeded).toBeGreaterThanOrEqual(3);
    expect(o.total.succeeded).toBeLessThanOrEqual(4);
  });

  it('with 2 lanes and no --keep-going, one lost lane stops the run and suggests --keep-going', async () => {
    const { lanes: l } = lanes({ delayMs: 2, closeOnSend: 3 }, { delayMs: 2 });
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, durationMs: 5000 }));
    expect(o.stopReason).toBe('target-failed');
    expect(o.failure!.message).toContain('Server instance 1 of 2 closed the connection');
    expect(o.failure!.message).toContain('add --keep-going to continue on the other instances.');
    expect(o.lostLanes).toEqual([0]);
  });

  it('with 2 lanes and keepGoing, the run goes on with the survivor to the end', async () => {
    const { lanes: l, transports } = lanes({ delayMs: 2, closeOnSend: 3 }, { delayMs: 2 });
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, requests: 60, keepGoing: true }));
    expect(o.stopReason).toBe('done');
    expect(o.failure).toBeNull();
    expect(o.lostLanes).toEqual([0]);
    expect(l.map((x) => x.alive)).toEqual([false, true]);
    expect(o.total.requests).toBe(60);
    expect(o.total.failed).toBe(o.total.errors['closed']);
    expect(o.total.succeeded + o.total.failed).toBe(60);
    expect(transports[1]!.sends).toBeGreaterThan(50);
    expect(l[1]!.succeeded).toBe(o.total.succeeded - l[0]!.succeeded);
  });

  it('with keepGoing, losing the last lane still fails the run', async () => {
    const { lanes: l } = lanes({ delayMs: 2, closeOnSend: 2 }, { delayMs: 2, closeOnSend: 4 });
    const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, durationMs: 5000, keepGoing: true }));
    expect(o.stopReason).toBe('target-failed');
    expect(o.lostLanes.sort()).toEqual([0, 1]);
    expect(o.failure!.message).toMatch(/of 2 closed the connection during the run \(the test server exited\)\.$/);
  });
});

describe('runEngine: the closed loop\'s first round', () => {
  it('with warmupMs 0, the very first requests are measured and `requests` are all that is sent', async () => {
    for (let run = 0; run < 6; run++) {
      const { lanes: l, transports: [t] } = lanes({ delayMs: 2 });
      const o = await runEngine(options(l, { loop: { kind: 'closed', concurrency: 2 }, requests: 4 }));
      expect(o.total.requests).toBe(4);
      expect(t!.sends).toBe(4);
    }
  });
});
