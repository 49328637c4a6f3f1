/**
 * The load engine. Open loop: request i is due at its scheduled time whatever the answers (its
 * latency counts from then, as wrk2 does); sends wait only for --max-inflight or a server that
 * stopped reading, and what is still unsent when the run ends is "dropped". Closed loop: C requests
 * in flight, each answer sends the next. It measures and emits; it decides nothing about budgets.
 */
import { TargetError, type McpOptError } from '../../errors.js';
import { withExit } from '../../target/target.js';
import { Recorder } from '../../measure/histogram.js';
import type { Hygiene } from '../../target/hygiene.js';
import type { Reply } from '../../target/session.js';
import type { Operation } from '../../workload/operations.js';
import type { Balance, LoopMode } from '../../options/benchOptions.js';
import type { ErrorLog } from '../replyClass.js';
import { AlarmClock } from './alarmClock.js';
import { makeBalancer, type Lane } from './lanes.js';
import { Schedule } from './schedule.js';
import { LoadBook } from './loadBook.js';
import { lateBoundMs } from './sustained.js';
import { shouldGiveUp } from './giveUp.js';
import { failureClass, isSynthesised, LATE_SEND_MS, type OpStats, type TimelineSecond } from './recording.js';

/** What the engine needs. */
export interface EngineOptions {
  lanes: Lane[];
  balance: Balance;
  /** Next operation of the mix. */
  nextOp: () => Operation;
  /** Labels of the mix's operations (one label: its figures are the totals, recorded once). */
  opLabels: readonly string[];
  loop: LoopMode;
  /** Excluded from figures, ms. */
  warmupMs: number;
  /** Measured length: a duration (ms) or a number of requests (one of them is set). */
  durationMs: number | null;
  requests: number | null;
  timeoutMs: number;
  /** Stop after this many failures (null: never). */
  bailout: number | null;
  /** Stop a run without one success at a failure this long after the first send, ms (giveUp.ts); null: never. */
  giveUpMs: number | null;
  /** Go on when a pool instance dies (else the run stops). */
  keepGoing: boolean;
  seed: number;
  signal: AbortSignal;
  /** Called with each finished second, and the totals so far. */
  onSecond: (second: TimelineSecond, total: OpStats) => void;
}

/** Why sending stopped. */
/** 'no-success': nothing succeeded and the default bailout stopped the run (giveUp.ts). */
export type StopReason = 'done' | 'interrupted' | 'bailout' | 'no-success' | 'target-failed';

/** What the engine measured. */
export interface EngineOutcome {
  total: OpStats;
  byOp: Map<string, OpStats>;
  /** Lateness of measured sends (actual − intended), µs; open loop only. */
  lateness: Recorder;
  /** Measured sends more than LATE_SEND_MS late. */
  lateSends: number;
  /** Measured sends later than sustained.ts lateBoundMs of the rate (0 in a closed loop). */
  lateBeyondBound: number;
  /** How late the scheduler woke after its alarm time, µs: the generator's own error (open loop). */
  wakeLateness: Recorder;
  /** Measured requests that were due but never sent (open loop). */
  dropped: number;
  /** Measured window actually covered: from the end of warm-up to when sending stopped, ms. */
  measuredMs: number;
  timeline: TimelineSecond[];
  stopReason: StopReason;
  failure: McpOptError | null;
  /** Lanes lost during the run (pool indices). */
  lostLanes: number[];
  /** Requests still unanswered when the engine stopped waiting (after Ctrl-C or the drain limit). */
  abandoned: number;
  /** performance.now() of second 0 of the timeline (the first send). */
  timelineOrigin: number;
  /** Failures by class of every request, warm-up included (what --bailout counts). */
  allErrors: Record<string, number>;
  /** First measured reply of each failure class, and successes whose text reads like an error. */
  errorLog: ErrorLog;
  /** Wire checks of a generator that reads the answers itself (autocannon); absent when the sessions did (theirs). */
  hygiene?: Hygiene;
}

/** No alarm closer than this: at very high rates one wake-up sends a small batch instead of one. */
const MIN_TICK_MS = 0.1;
/** Housekeeping period: close seconds, end a closed loop on time, retry blocked lanes. */
const HOUSEKEEPING_MS = 50;
/** After Ctrl-C, how long in-flight replies are awaited. */
const INTERRUPT_DRAIN_MS = 2000;

/** Run the load. Resolves when sending stopped and in-flight requests were answered or gave up. */
export async function runEngine(o: EngineOptions): Promise<EngineOutcome> {
  // The alarm thread takes tens of ms to start: the schedule's t0 is fixed only once it runs, or
  // the first sends would leave late by mcp-opt's own start-up.
  let onAlarm = (): void => {};
  const alarm = o.loop.kind === 'open' ? new AlarmClock(() => onAlarm()) : null;
  await alarm?.ready;
  const pick = makeBalancer(o.lanes, o.balance);
  const lateness = new Recorder('us');
  const t0 = performance.now() + 5;
  const measureFrom = t0 + o.warmupMs;
  const endAt = o.durationMs === null ? Infinity : measureFrom + o.durationMs;
  const book = new LoadBook(t0, measureFrom, o.opLabels, o.onSecond, o.lanes.length > 1);
  const { total, byOp, timeline } = book;
  const out: EngineOutcome = {
    total, byOp, lateness, lateSends: 0, lateBeyondBound: 0, wakeLateness: new Recorder('us'), dropped: 0, measuredMs: 0, timeline: timeline.seconds,
    stopReason: 'done', failure: null, lostLanes: [], abandoned: 0, timelineOrigin: t0, allErrors: book.allErrors,
    errorLog: book.log,
  };
  let seq = 0;
  let stopped = false;
  let finished = false;
  let stoppedAt = 0;
  let resolveDrained: () => void = () => {};
  const drained = new Promise<void>((r) => (resolveDrained = r));

  const stop = (reason: StopReason, failure: McpOptError | null = null): void => {
    if (stopped) return;
    stopped = true;
    stoppedAt = performance.now();
    out.stopReason = reason;
    out.failure = failure;
    if (book.inflight === 0) resolveDrained();
  };

  /** Send one request intended at `intendedAt`; false when no lane can take it. */
  const issue = (intendedAt: number, now: number): boolean => {
    const lane = pick();
    if (lane === null) return false;
    const op = o.nextOp();
    const s = book.sent(op.op, intendedAt >= measureFrom, now, lane);
    const params = op.params(seq++);
    lane.target.session.send(op.method, params, (reply) => done(reply, intendedAt, lane, s, op, params), o.timeoutMs, op.name);
    return true;
  };

  const done = (reply: Reply, intendedAt: number, lane: Lane, s: OpStats | null, op: Operation, params: string | undefined): void => {
    // Answers after the engine returned (abandoned at the drain limit) no longer count.
    if (finished) return;
    const cls = failureClass(reply, params);
    if (s) book.log.note(cls, reply, op.op, params, isSynthesised(op));
    const now = reply.doneAt;
    book.done(s, cls, (now - intendedAt) * 1000, (now - reply.sentAt) * 1000, now, lane);
    if (cls !== null) {
      // An SSE stream cut before its reply is 'closed' too, on a session that lives on.
      if (cls === 'closed' && lane.target.session.closeInfo) laneLost(lane);
      if (o.bailout !== null && book.failures >= o.bailout) stop('bailout');
      else if (shouldGiveUp(book.successes, book.failures, now - t0, o.giveUpMs)) stop('no-success');
    }
    if (stopped) {
      if (book.inflight === 0) resolveDrained();
      return;
    }
    if (o.loop.kind === 'closed') fillClosed(now);
    else pumpOpen();
  };

  const laneLost = (lane: Lane): void => {
    if (!lane.alive) return;
    lane.alive = false;
    out.lostLanes.push(lane.index);
    const survivors = o.lanes.filter((l) => l.alive).length;
    if (!o.keepGoing || survivors === 0) {
      const info = lane.target.session.closeInfo;
      const err = new TargetError(
        `Server instance ${lane.index + 1} of ${o.lanes.length} closed the connection during the run (${info?.reason ?? 'closed'})` +
          (survivors > 0 ? '; add --keep-going to continue on the other instances.' : '.'),
      );
      const proc = lane.target.process;
      stop('target-failed', (proc && !proc.running ? withExit(err, proc, true, 'during the run') : err) as McpOptError);
    }
  };

  // Closed loop: keep `concurrency` in flight until the end.
  const fillClosed = (now: number): void => {
    if (o.loop.kind !== 'closed') return;
    if (now >= endAt || (o.requests !== null && book.measuredSent >= o.requests)) return stop('done');
    while (book.inflight < o.loop.concurrency) {
      if (o.requests !== null && book.measuredSent >= o.requests && now >= measureFrom) return stop('done');
      if (!issue(now, now)) break;
    }
  };

  // Open loop: send everything due, within the in-flight cap.
  const schedule = o.loop.kind === 'open' ? new Schedule(t0, o.loop.rps, o.loop.arrival, o.seed) : null;
  const cap = o.loop.kind === 'open' ? o.loop.maxInflight : null;
  const boundUs = o.loop.kind === 'open' ? lateBoundMs(o.loop.rps) * 1000 : Infinity;
  // How late the alarm woke the pump: the generator's own scheduling error (its CPU, its event loop),
  // apart from waits the server causes (--max-inflight, a server that stops reading).
  let armedAt = Infinity;
  onAlarm = (): void => {
    if (armedAt !== Infinity) out.wakeLateness.record((performance.now() - armedAt) * 1000);
    armedAt = Infinity;
    pumpOpen();
  };
  // Due times (t0 + i/R) and the end (t0 + warm-up + duration) are sums of floats that can differ in
  // the last bit: compare with a tolerance far below a microsecond, or the last request of a
  // perfectly timed run could count as dropped.
  const EPSILON_MS = 1e-6;
  const pastEnd = (due: number): boolean =>
    due >= endAt - EPSILON_MS || (o.requests !== null && due >= measureFrom && book.measuredSent >= o.requests);
  function pumpOpen(): void {
    if (!schedule || stopped) return;
    const now = performance.now();
    // Once the window has ended, what was due before its end still goes out (late) if it can;
    // what the cap or blocked instances hold back then is dropped.
    const ending = now >= endAt;
    let blocked = false;
    for (;;) {
      const due = schedule.peek();
      if (pastEnd(due)) return stop('done');
      if (due > now) break;
      if (cap !== null && book.inflight >= cap) break;
      if (!issue(due, now)) {
        blocked = true;
        break;
      }
      if (due >= measureFrom) {
        const lateUs = (now - due) * 1000;
        lateness.record(lateUs);
        if (lateUs > LATE_SEND_MS * 1000) out.lateSends++;
        if (lateUs > boundUs) out.lateBeyondBound++;
      }
      schedule.advance();
    }
    if (ending) return stop('done');
    // At the cap, an answer wakes the pump; with every lane blocked, housekeeping retries;
    // otherwise sleep until the next due time.
    if (blocked || (cap !== null && book.inflight >= cap)) return;
    armedAt = Math.max(schedule.peek(), now + MIN_TICK_MS);
    alarm!.set(armedAt);
  }

  const housekeeping = setInterval(() => {
    const now = performance.now();
    timeline.roll(now, book.inflight);
    if (o.signal.aborted) return stop('interrupted');
    if (stopped) return;
    if (o.loop.kind === 'closed') fillClosed(now);
    else pumpOpen();
  }, HOUSEKEEPING_MS);
  const onAbort = (): void => stop('interrupted');
  o.signal.addEventListener('abort', onAbort, { once: true });

  try {
    if (o.signal.aborted) stop('interrupted');
    else if (o.loop.kind === 'closed') {
      // Timers round their delay down to whole ms: wait until t0 has really come, or the first
      // round would count as warm-up even with --warmup 0.
      const start = (): void => {
        const now = performance.now();
        if (now < t0) setTimeout(start, Math.max(1, Math.ceil(t0 - now)));
        else fillClosed(now);
      };
      start();
    }
    else alarm!.set((armedAt = t0));
    await drainedOrTimeout(drained, () => (out.stopReason === 'interrupted' ? INTERRUPT_DRAIN_MS : o.timeoutMs + 500), () => stopped);
  } finally {
    clearInterval(housekeeping);
    o.signal.removeEventListener('abort', onAbort);
    await alarm?.close();
  }
  finished = true;
  out.abandoned = book.inflight;
  if (schedule && out.stopReason === 'done') {
    // Due in the measured window but never sent: the generator or the server fell behind.
    while (!pastEnd(schedule.peek()) && schedule.peek() < Math.min(stoppedAt, endAt)) {
      if (schedule.peek() >= measureFrom) out.dropped++;
      schedule.advance();
    }
  }
  timeline.finish(book.inflight);
  out.measuredMs = Math.max(0, Math.min(stoppedAt, endAt) - measureFrom);
  return out;
}

/** Wait for `drained`; once sending has stopped, give up after the drain allowance. */
async function drainedOrTimeout(drained: Promise<void>, allowanceMs: () => number, isStopped: () => boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const poll = new Promise<void>((resolve) => {
    const check = (): void => {
      if (isStopped()) {
        timer = setTimeout(resolve, allowanceMs());
        return;
      }
      timer = setTimeout(check, 20);
    };
    check();
  });
  await Promise.race([drained, poll]);
  clearTimeout(timer);
}
