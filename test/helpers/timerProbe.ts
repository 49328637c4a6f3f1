/**
 * What the machine's own timers achieve while a test runs: a worker thread sets a timer every
 * `periodMs` and records how late each one fired. A test that bounds a measured lateness or
 * duration adds the probe's lateness to its bound, so a busy machine widens the bound by what it
 * did to everything else in the same moment, and a quiet one keeps it tight.
 */
import { Worker } from 'node:worker_threads';

/** Timer lateness seen by the probe, ms. */
export interface TimerLateness {
  /** Timers that fired. */
  samples: number;
  /** Largest lateness. */
  maxMs: number;
  /** 99th percentile of lateness. */
  p99Ms: number;
}

/** A running probe. */
export interface TimerProbe {
  /** Stop the probe and return what it saw. */
  stop(): Promise<TimerLateness>;
}

// In a worker thread, so that neither the test's event loop nor an in-process CLI delays it.
const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const period = workerData.periodMs;
const late = [];
let due = performance.now() + period;
let timer;
function tick() {
  const now = performance.now();
  late.push(Math.max(0, now - due));
  due = now + period;
  timer = setTimeout(tick, period);
}
timer = setTimeout(tick, period);
parentPort.once('message', () => {
  clearTimeout(timer);
  parentPort.postMessage(late);
});
`;

/** Start a probe that sets a timer every `periodMs` (default 1 ms) until stopped. */
export function startTimerProbe(periodMs = 1): TimerProbe {
  const worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { periodMs } });
  const ready = new Promise<void>((resolve) => worker.once('online', () => resolve()));
  return {
    async stop(): Promise<TimerLateness> {
      await ready;
      const late = await new Promise<number[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage('stop');
      });
      await worker.terminate();
      return summarize(late);
    },
  };
}

/** Run a probe for as long as `work` takes; returns the work's value and the probe's figures. */
export async function withTimerProbe<T>(work: () => Promise<T>, periodMs = 1): Promise<{ value: T; lateness: TimerLateness }> {
  const probe = startTimerProbe(periodMs);
  try {
    const value = await work();
    return { value, lateness: await probe.stop() };
  } catch (err) {
    await probe.stop().catch(() => undefined);
    throw err;
  }
}

function summarize(late: number[]): TimerLateness {
  const sorted = [...late].sort((a, b) => a - b);
  const at = (q: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { samples: sorted.length, maxMs: sorted.at(-1) ?? 0, p99Ms: at(0.99) };
}
