/**
 * The load engine: the lanes, the book and stopping, shared by its two drivers (loopDriver.ts).
 * Open loop (openLoop.ts): request i is due at its scheduled time whatever the answers (its
 * latency counts from then, as wrk2 does); sends wait only for --max-inflight or a server that
 * stopped reading, and what is still unsent when the run ends is "dropped". Closed loop
 * (closedLoop.ts): C requests in flight, each answer sends the next. It measures and emits; it
 * decides nothing about budgets.
 */
import { TargetError, type McpOptError } from '../../errors.js';
import { withExit } from '../../target/target.js';
import type { Recorder } from '../../measure/histogram.js';
import type { Hygiene } from '../../target/hygiene.js';
import type { Reply } from '../../target/session.js';
import type { Operation } from '../../workload/operations.js';
import type { Balance, LoopMode } from '../../options/benchOptions.js';
import type { ErrorLog } from '../replyClass.js';
import { ClosedLoop } from './closedLoop.js';
import { makeBalancer, type Balancer, type Lane } from './lanes.js';
import { failureStop, HOUSEKEEPING_MS, INTERRUPT_DRAIN_MS, StopRecord, type LoadLimits, type StopReason } from './loadLimits.js';
import type { LoopDriver, LoopHost } from './loopDriver.js';
import { OpenLoop } from './openLoop.js';
import { LoadBook } from './loadBook.js';
import { failureClass, isSynthesised, type OpStats, type TimelineSecond } from './recording.js';

/** What the engine needs. */
export interface EngineOptions extends LoadLimits {
  /** The sessions the load goes through: one Lane per server instance (--pool) or HTTP session (--connections). */
  lanes: Lane[];
  /** How requests spread over the lanes (--balance). */
  balance: Balance;
  /** Next operation of the mix. */
  nextOp: () => Operation;
  /** Labels of the mix's operations (one label: its figures are the totals, recorded once). */
  opLabels: readonly string[];
  /** Open loop (rate, arrivals, in-flight cap) or closed loop (concurrency). */
  loop: LoopMode;
  /** Go on when a pool instance dies (else the run stops). */
  keepGoing: boolean;
  /** Seed of the open loop's poisson arrivals (unused by uniform arrivals and closed loops). */
  seed: number;
  /** Called with each finished second, and the totals so far. */
  onSecond: (second: TimelineSecond, total: OpStats) => void;
  /** Called with each measured answer (operation label, sent and answered at, performance.now() ms): --profile's per-tool windows. */
  onMeasuredAnswer?: ((op: string, sentAt: number, doneAt: number) => void) | undefined;
}

export type { StopReason } from './loadLimits.js';

/** What the engine measured. */
export interface EngineOutcome {
  /** Figures of all measured requests together (warm-up excluded). */
  total: OpStats;
  /** Figures of measured requests per operation label; with one label its entry is `total` itself. */
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
  /** One entry per second since the first send, warm-up included (the result adds the server's RSS and CPU). */
  timeline: TimelineSecond[];
  /** Why sending stopped. */
  stopReason: StopReason;
  /** The error that stopped the run (stopReason 'target-failed'); null otherwise. */
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

/**
 * Run the load. Resolves when sending stopped and in-flight requests were answered or gave up.
 * The driver is ready (its alarm thread runs) before t0 is fixed.
 */
export async function runEngine(o: EngineOptions): Promise<EngineOutcome> {
  const driver = o.loop.kind === 'open' ? new OpenLoop(o.loop.rps, o.loop.arrival, o.loop.maxInflight, o.seed) : new ClosedLoop(o.loop.concurrency);
  await driver.ready;
  return new EngineRun(o, driver).run();
}

/** One run of the engine: sends through the lanes, books the answers, decides when to stop. */
class EngineRun implements LoopHost {
  readonly t0 = performance.now() + 5;
  readonly measureFrom: number;
  readonly endAt: number;
  readonly requests: number | null;
  private readonly halt = new StopRecord();
  private readonly book: LoadBook;
  private readonly pick: Balancer;
  private seq = 0;
  private readonly lostLanes: number[] = [];
  /** Set once run() returned: later answers (abandoned at the drain limit) no longer count. */
  private over = false;
  private resolveDrained: () => void = () => {};
  private readonly drained = new Promise<void>((r) => (this.resolveDrained = r));
  private resolveSendingStopped: () => void = () => {};
  /** Resolves when sending stops, for whatever reason. */
  private readonly sendingStopped = new Promise<void>((r) => (this.resolveSendingStopped = r));

  constructor(private readonly o: EngineOptions, private readonly driver: LoopDriver) {
    this.pick = makeBalancer(o.lanes, o.balance);
    this.measureFrom = this.t0 + o.warmupMs;
    this.endAt = o.durationMs === null ? Infinity : this.measureFrom + o.durationMs;
    this.requests = o.requests;
    this.book = new LoadBook(this.t0, this.measureFrom, o.opLabels, o.onSecond, o.lanes.length > 1);
  }

  get stopped(): boolean {
    return this.halt.stopped;
  }

  get measuredSent(): number {
    return this.book.measuredSent;
  }

  get inflight(): number {
    return this.book.inflight;
  }

  /** Drive the load until it stopped and drained, then report. */
  async run(): Promise<EngineOutcome> {
    const o = this.o;
    const housekeeping = setInterval(() => this.housekeep(), HOUSEKEEPING_MS);
    const onAbort = (): void => this.stop('interrupted');
    o.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (o.signal.aborted) this.stop('interrupted');
      else this.driver.start(this);
      await drainedOrTimeout(this.drained, this.sendingStopped, () => (this.halt.reason === 'interrupted' ? INTERRUPT_DRAIN_MS : o.timeoutMs + 500));
    } finally {
      clearInterval(housekeeping);
      o.signal.removeEventListener('abort', onAbort);
      await this.driver.close();
    }
    this.over = true;
    return this.outcome();
  }

  finished(): void {
    this.stop('done');
  }

  issue(intendedAt: number, now: number): boolean {
    const lane = this.pick();
    if (lane === null) return false;
    const op = this.o.nextOp();
    const s = this.book.sent(op.op, intendedAt >= this.measureFrom, now, lane);
    const params = op.params(this.seq++);
    lane.target.session.send(op.method, params, (reply) => this.answered(reply, intendedAt, lane, s, op, params), this.o.timeoutMs, op.name);
    return true;
  }

  private answered(reply: Reply, intendedAt: number, lane: Lane, s: OpStats | null, op: Operation, params: string | undefined): void {
    if (this.over) return;
    const book = this.book;
    const cls = failureClass(reply, params);
    if (s) {
      book.log.note(cls, reply, op.op, params, isSynthesised(op));
      this.o.onMeasuredAnswer?.(op.op, reply.sentAt, reply.doneAt);
    }
    const now = reply.doneAt;
    book.done(s, cls, (now - intendedAt) * 1000, (now - reply.sentAt) * 1000, now, lane);
    if (cls !== null) {
      // An SSE stream cut before its reply is 'closed' too, on a session that lives on.
      if (cls === 'closed' && lane.target.session.closeInfo) this.laneLost(lane);
      const reason = failureStop(book, this.o, now - this.t0);
      if (reason !== null) this.stop(reason);
    }
    if (!this.stopped) this.driver.pump(now);
    else if (book.inflight === 0) this.resolveDrained();
  }

  private stop(reason: StopReason, failure: McpOptError | null = null): void {
    if (!this.halt.stop(reason, failure)) return;
    this.resolveSendingStopped();
    if (this.book.inflight === 0) this.resolveDrained();
  }

  private laneLost(lane: Lane): void {
    if (!lane.alive) return;
    lane.alive = false;
    this.lostLanes.push(lane.index);
    const lanes = this.o.lanes;
    const survivors = lanes.filter((l) => l.alive).length;
    if (this.o.keepGoing && survivors > 0) return;
    const info = lane.target.session.closeInfo;
    const err = new TargetError(
      `Server instance ${lane.index + 1} of ${lanes.length} closed the connection during the run (${info?.reason ?? 'closed'})` +
        (survivors > 0 ? '; add --keep-going to continue on the other instances.' : '.'),
    );
    const proc = lane.target.process;
    this.stop('target-failed', (proc && !proc.running ? withExit(err, proc, true, 'during the run') : err) as McpOptError);
  }

  private housekeep(): void {
    const now = performance.now();
    this.book.timeline.roll(now, this.book.inflight);
    if (this.o.signal.aborted) return this.stop('interrupted');
    if (!this.stopped) this.driver.pump(now);
  }

  private outcome(): EngineOutcome {
    const book = this.book;
    const abandoned = book.inflight;
    if (this.halt.reason === 'done') this.driver.countDropped(this.halt.at);
    book.timeline.finish(book.inflight);
    return {
      total: book.total, byOp: book.byOp, ...this.driver.timing,
      measuredMs: Math.max(0, Math.min(this.halt.at, this.endAt) - this.measureFrom), timeline: book.timeline.seconds,
      stopReason: this.halt.reason, failure: this.halt.failure, lostLanes: this.lostLanes, abandoned, timelineOrigin: this.t0,
      allErrors: book.allErrors, errorLog: book.log,
    };
  }
}

/**
 * Wait for `drained`; once sending has stopped, give up after the drain allowance. Event-driven:
 * a poll here was 50 wake-ups a second of an otherwise idle generator (bench:generator).
 */
async function drainedOrTimeout(drained: Promise<void>, sendingStopped: Promise<void>, allowanceMs: () => number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = sendingStopped.then(() => new Promise<void>((resolve) => (timer = setTimeout(resolve, allowanceMs()))));
  await Promise.race([drained, giveUp]);
  clearTimeout(timer);
}
