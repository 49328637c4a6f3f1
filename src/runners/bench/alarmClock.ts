/**
 * A sub-millisecond alarm for the open-loop scheduler. Node's timers have 1 ms granularity: a
 * setTimeout-driven scheduler measured here sends with p99 lateness ~1.1 ms at 1000 req/s, over the
 * < 1 ms goal. Spinning on setImmediate would meet it but burn a core that the server under test
 * needs. So a worker thread sleeps in Atomics.wait (a futex with a sub-ms timeout) until the next
 * intended send time and wakes the main thread through its MessagePort.
 *
 * Wake-ups are what an idle-most-of-the-time generator pays for (on a VM a thread woken from idle
 * costs tens of µs of CPU): the first version was re-armed by the main thread after every firing,
 * so each send cost two wake-ups of the worker (the timeout, then the re-arming's notify) and a
 * futex syscall on the main thread. Now the main thread also says when the alarm after the next
 * is due (`set(next, following)`) and the spacing it wants between firings (`minGapMs`): the worker
 * goes on to the following time by itself, and the main thread's arming is a few shared-memory
 * stores, with a notify only when it asks for a time earlier than the one the worker sleeps
 * towards. `npm run bench:generator` prints what a run costs.
 *
 * Memory is shared through Atomics on a BigInt64Array (times in ns, main thread's
 * performance.now() basis), so the handshake below is sequentially consistent: the worker
 * publishes when it will sleep until, then re-reads the armed times; the main thread stores the
 * armed times, then reads when the worker sleeps until. One of the two always sees the other.
 */
import { Worker } from 'node:worker_threads';

/** Slots of the shared times (ns; NONE is "not armed"). */
const NEXT = 0;
const FOLLOWING = 1;
const SLEEPING_UNTIL = 2;
/** Slots of the shared control words. */
const GENERATION = 0;
const CLOSED = 1;
/** 1 from a firing until the main thread has taken it: the worker does not fire again meanwhile. */
const PENDING = 2;
/** 1 while the worker sleeps until the pending firing is taken (the main thread then notifies). */
const WAITING_TAKE = 3;
/** A time that is never reached. */
const NONE = 2n ** 62n;

/** The worker (see the module comment): fires at the armed times, once each, one firing pending at most. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const times = new BigInt64Array(workerData.buffer, 0, 3);
const ctl = new Int32Array(workerData.buffer, 24, 4);
const NONE = 2n ** 62n;
const gapNs = BigInt(Math.round(workerData.minGapMs * 1e6));
const skew = performance.timeOrigin - workerData.mainOrigin;
const now = () => BigInt(Math.round((performance.now() + skew) * 1e6));
let firedFor = -1n; // the armed time the last firing was for
let lastFired = -NONE;
// The armed time to fire for next: NEXT, or FOLLOWING once NEXT has fired; NONE when neither.
const armed = () => {
  const next = Atomics.load(times, ${NEXT});
  const t = next > firedFor ? next : Atomics.load(times, ${FOLLOWING});
  return t > firedFor && t < NONE ? t : NONE;
};
// When to wake for it: not closer than the gap after the last firing.
const wakeFor = (t) => (t >= NONE ? NONE : t > lastFired + gapNs ? t : lastFired + gapNs);
for (;;) {
  if (Atomics.load(ctl, ${CLOSED}) === 1) break;
  const gen = Atomics.load(ctl, ${GENERATION});
  const at = now();
  const t = armed();
  const wake = wakeFor(t);
  if (wake > at) {
    Atomics.store(times, ${SLEEPING_UNTIL}, t);
    // Re-read after publishing (see the module comment): an arming stored meanwhile is seen here,
    // or the main thread saw SLEEPING_UNTIL and notifies.
    if (wakeFor(armed()) < wake) continue;
    if (wake >= NONE) Atomics.wait(ctl, ${GENERATION}, gen);
    else Atomics.wait(ctl, ${GENERATION}, gen, Number(wake - at) / 1e6);
    Atomics.store(times, ${SLEEPING_UNTIL}, -NONE);
    continue;
  }
  if (Atomics.load(ctl, ${PENDING}) === 1) {
    // Due, but the main thread has not taken the last firing yet (it is busy, or starved of CPU):
    // sleep until it does (it notifies when it sees WAITING_TAKE), rather than poll and take CPU
    // from it. Published, then re-checked, as SLEEPING_UNTIL is.
    Atomics.store(ctl, ${WAITING_TAKE}, 1);
    if (Atomics.load(ctl, ${PENDING}) === 1) Atomics.wait(ctl, ${GENERATION}, gen);
    Atomics.store(ctl, ${WAITING_TAKE}, 0);
    continue;
  }
  firedFor = t;
  lastFired = at;
  Atomics.store(ctl, ${PENDING}, 1);
  parentPort.postMessage([Number(t) / 1e6, Number(wake) / 1e6]);
}`;

/** Options of an AlarmClock. */
export interface AlarmOptions {
  /** Least spacing between two firings, ms (0: none): at high rates one firing serves several sends. */
  minGapMs?: number;
}

/** Wakes the main thread at armed performance.now() times, from a worker thread (see the module comment). */
export class AlarmClock {
  /** Resolves once the worker thread runs (it takes ~15–45 ms to start; arm only after this). */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly times: BigInt64Array;
  private readonly ctl: Int32Array;
  /** What the main thread armed last (ms), to tell a firing of a replaced arming. */
  private next = Infinity;
  private following = Infinity;
  private closed = false;

  /**
   * `onAlarm` runs on the main thread when an armed time has come, with that time and the time the
   * worker meant to wake for it (later by the spacing asked for), ms.
   */
  constructor(onAlarm: (armedAt: number, wakeAt: number) => void, options: AlarmOptions = {}) {
    const buffer = new SharedArrayBuffer(24 + 16);
    this.times = new BigInt64Array(buffer, 0, 3);
    this.ctl = new Int32Array(buffer, 24, 4);
    Atomics.store(this.times, NEXT, NONE);
    Atomics.store(this.times, FOLLOWING, NONE);
    Atomics.store(this.times, SLEEPING_UNTIL, -NONE);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { buffer, mainOrigin: performance.timeOrigin, minGapMs: options.minGapMs ?? 0 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('online', () => resolve());
      this.worker.once('error', reject);
    });
    this.worker.on('message', ([armedAt, wakeAt]: [number, number]) => {
      Atomics.store(this.ctl, PENDING, 0);
      if (Atomics.load(this.ctl, WAITING_TAKE) === 1) this.wake();
      if (this.closed) return;
      // A firing for an arming that was since replaced by a later one is stale: its time has not
      // come yet (the worker fires again for it).
      const ns = (ms: number): number => Math.round(ms * 1e6);
      if (ns(armedAt) === ns(this.next)) {
        this.next = this.following;
        this.following = Infinity;
      } else if (ns(armedAt) === ns(this.following)) {
        this.next = Infinity;
        this.following = Infinity;
      } else {
        return;
      }
      onAlarm(armedAt, wakeAt);
    });
  }

  /**
   * Arm for `atMs` (performance.now() basis), then for `followingMs` unless armed again
   * meanwhile. Infinity disarms. Re-arming replaces both times.
   */
  set(atMs: number, followingMs = Infinity): void {
    if (this.closed || (atMs === this.next && followingMs === this.following)) return;
    this.next = atMs;
    this.following = followingMs;
    Atomics.store(this.times, NEXT, toNs(atMs));
    Atomics.store(this.times, FOLLOWING, toNs(followingMs));
    // The worker sleeps towards a later time (or for good): wake it to look again.
    if (toNs(atMs) < Atomics.load(this.times, SLEEPING_UNTIL)) this.wake();
  }

  /** Wake the worker to look at the shared state again. */
  private wake(): void {
    Atomics.add(this.ctl, GENERATION, 1);
    Atomics.notify(this.ctl, GENERATION);
  }

  /** Stop the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, CLOSED, 1);
    this.wake();
    await this.worker.terminate();
  }
}

function toNs(ms: number): bigint {
  return ms < Infinity ? BigInt(Math.round(ms * 1e6)) : NONE;
}
