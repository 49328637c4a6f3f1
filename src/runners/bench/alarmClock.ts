/**
 * A sub-millisecond alarm for the open-loop scheduler. Node's timers have 1 ms granularity: a
 * setTimeout-driven scheduler measured here sends with p99 lateness ~1.1 ms at 1000 req/s, over the
 * < 1 ms goal. Spinning on setImmediate would meet it but burn a core that the server under test
 * needs. So a worker thread sleeps in Atomics.wait (a futex with a sub-ms timeout) until the next
 * intended send time and wakes the main thread through its MessagePort: p99 lateness ~0.2 ms at
 * ~6 % of a core (`npm run bench:client` prints the scheduling error it achieves).
 */
import { Worker } from 'node:worker_threads';

/** The worker: waits until the armed time (main thread's performance.now() basis), posts once per arming. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const at = new Float64Array(workerData.buffer, 0, 1);
const ctl = new Int32Array(workerData.buffer, 8, 2); // [generation, closed]
const skew = performance.timeOrigin - workerData.mainOrigin;
const now = () => performance.now() + skew;
for (;;) {
  if (Atomics.load(ctl, 1) === 1) break;
  const gen = Atomics.load(ctl, 0);
  const wait = at[0] - now();
  if (!(wait < Infinity)) { Atomics.wait(ctl, 0, gen); continue; }
  if (wait > 0) { Atomics.wait(ctl, 0, gen, wait); continue; }
  parentPort.postMessage(gen);
  // Fire once per arming: sleep until the main thread arms again (or closes).
  Atomics.wait(ctl, 0, gen);
}`;

/** Wakes the main thread at an armed performance.now() time, from a worker thread (see the module comment). */
export class AlarmClock {
  /** Resolves once the worker thread runs (it takes ~15–45 ms to start; arm only after this). */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly at: Float64Array;
  private readonly ctl: Int32Array;
  private closed = false;

  /** `onAlarm` runs on the main thread when the armed time has come. */
  constructor(onAlarm: () => void) {
    const buffer = new SharedArrayBuffer(16);
    this.at = new Float64Array(buffer, 0, 1);
    this.ctl = new Int32Array(buffer, 8, 2);
    this.at[0] = Infinity;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { buffer, mainOrigin: performance.timeOrigin } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('online', () => resolve());
      this.worker.once('error', reject);
    });
    // A firing for an arming that was since replaced (the worker posts the generation it slept on)
    // is stale: the new time has not come yet.
    this.worker.on('message', (gen: number) => {
      if (!this.closed && gen === Atomics.load(this.ctl, 0)) onAlarm();
    });
  }

  /** Arm for `atMs` (performance.now() basis); Infinity disarms. Re-arming replaces the previous time. */
  set(atMs: number): void {
    if (this.closed) return;
    this.at[0] = atMs;
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
  }

  /** Stop the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, 1, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    await this.worker.terminate();
  }
}
