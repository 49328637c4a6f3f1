import { afterEach, describe, expect, it } from 'vitest';
import { AlarmClock } from '../../../src/runners/bench/alarmClock.js';
import { startTimerProbe, type TimerProbe } from '../../helpers/timerProbe.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait (polling every ms, up to 5 s) until `fired` holds `n` firings. */
async function firings(fired: number[], n: number): Promise<void> {
  const deadline = performance.now() + 5000;
  while (fired.length < n && performance.now() < deadline) await sleep(1);
}

/** A 1 ms timer probe per test: how late a timer in another thread was meanwhile, ms. */
let probe: TimerProbe | undefined;
async function probeLateMs(): Promise<number> {
  const seen = await probe!.stop();
  probe = undefined;
  return seen.maxMs;
}

/** An alarm whose firings (performance.now() on the main thread) are recorded. */
interface Probe {
  clock: AlarmClock;
  fired: number[];
}

const open: AlarmClock[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await probe?.stop();
  probe = undefined;
});

/** A started clock: the worker has booted (one arming fired), so timings below exclude its start-up. */
async function started(): Promise<Probe> {
  const fired: number[] = [];
  let first: () => void = () => {};
  const booted = new Promise<void>((r) => (first = r));
  const clock = new AlarmClock(() => {
    fired.push(performance.now());
    first();
  });
  open.push(clock);
  clock.set(performance.now());
  await booted;
  fired.length = 0;
  return { clock, fired };
}

describe('AlarmClock (real worker thread)', () => {
  it('fires once, no earlier than the armed time and well within 100 ms of it', async () => {
    const { clock, fired } = await started();
    probe = startTimerProbe();
    const armedAt = performance.now() + 20;
    clock.set(armedAt);
    await firings(fired, 1);
    await sleep(50);
    expect(fired).toHaveLength(1);
    expect(fired[0]! - armedAt).toBeGreaterThanOrEqual(0);
    // 80 ms past the armed time, plus what a busy machine did meanwhile to a timer in another thread.
    expect(fired[0]! - (armedAt - 20)).toBeLessThan(100 + (await probeLateMs()));
  });

  it('fires at once for a time already past, and again on each new arming', async () => {
    const { clock, fired } = await started();
    clock.set(performance.now() - 5);
    await firings(fired, 1);
    await sleep(20);
    expect(fired).toHaveLength(1);
    clock.set(performance.now() + 5);
    await firings(fired, 2);
    await sleep(20);
    expect(fired).toHaveLength(2);
  });

  it('re-arming replaces the armed time, later or earlier', async () => {
    const { clock, fired } = await started();
    const t = performance.now();
    clock.set(t + 20);
    clock.set(t + 70); // later: nothing at +20
    await sleep(40);
    expect(fired).toHaveLength(0);
    await firings(fired, 1);
    expect(fired).toHaveLength(1);
    expect(fired[0]! - t).toBeGreaterThanOrEqual(70);

    probe = startTimerProbe();
    const u = performance.now();
    clock.set(u + 300);
    clock.set(u + 15); // earlier: fires at +15, not again at +300
    await firings(fired, 2);
    expect(fired).toHaveLength(2);
    expect(fired[1]! - u).toBeGreaterThanOrEqual(15);
    expect(fired[1]! - u).toBeLessThan(100 + (await probeLateMs()));
    await sleep(u + 340 - performance.now());
    expect(fired).toHaveLength(2);
  });

  it('set(Infinity) disarms', async () => {
    const { clock, fired } = await started();
    clock.set(performance.now() + 20);
    clock.set(Infinity);
    await sleep(80);
    expect(fired).toHaveLength(0);
    clock.set(performance.now() + 5); // and it can be armed again
    await firings(fired, 1);
    expect(fired).toHaveLength(1);
  });

  it('close() stops it: an armed alarm never fires, set() after close is ignored, close twice is fine', async () => {
    const { clock, fired } = await started();
    clock.set(performance.now() + 20);
    await clock.close();
    clock.set(performance.now());
    await sleep(70);
    expect(fired).toHaveLength(0);
    await expect(clock.close()).resolves.toBeUndefined();
  });

  it('no callback after close(), even for an alarm already due when it closed', async () => {
    const { clock, fired } = await started();
    clock.set(performance.now() - 1); // due now: the worker may already be posting
    const closing = clock.close();
    await closing;
    await sleep(30);
    expect(fired).toHaveLength(0);
  });
});

describe('AlarmClock: re-arming while a firing is on its way', () => {
  it('a firing of a replaced arming is not delivered', async () => {
    const { clock, fired } = await started();
    clock.set(performance.now() - 1);
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // keep the main thread busy while the worker fires and posts
    }
    const t = performance.now();
    clock.set(t + 60); // replaces the arming whose message is queued
    await sleep(30);
    expect(fired).toHaveLength(0);
    await firings(fired, 1);
    expect(fired).toHaveLength(1);
    expect(fired[0]! - t).toBeGreaterThanOrEqual(60);
  });
});

describe('AlarmClock: the following time and the spacing', () => {
  it('fires at the armed time, then at the following one without being armed again, then stops', async () => {
    const { clock, fired } = await started();
    const t = performance.now();
    clock.set(t + 10, t + 40);
    await firings(fired, 2);
    await sleep(60);
    expect(fired).toHaveLength(2);
    expect(fired[0]! - t).toBeGreaterThanOrEqual(10);
    expect(fired[1]! - t).toBeGreaterThanOrEqual(40);
  });

  it('arming again after the first firing replaces the following time', async () => {
    const fired: number[] = [];
    let clock: AlarmClock | undefined;
    const t = performance.now() + 200; // after the worker has booted
    clock = new AlarmClock(() => {
      fired.push(performance.now());
      if (fired.length === 1) clock!.set(t + 30, Infinity); // not t + 15
    });
    open.push(clock);
    await clock.ready;
    clock.set(t, t + 15);
    await firings(fired, 2);
    await sleep(40);
    expect(fired).toHaveLength(2);
    expect(fired[1]! - t).toBeGreaterThanOrEqual(30);
  });

  it('a main thread too busy to take a firing gets the following one after it took the first (none lost, none doubled)', async () => {
    const { clock, fired } = await started();
    const t = performance.now();
    clock.set(t + 1, t + 5);
    const until = t + 40;
    while (performance.now() < until) {
      // busy: the worker fires for t + 1, then finds t + 5 due with that firing not taken yet
    }
    await firings(fired, 2);
    await sleep(30);
    expect(fired).toHaveLength(2);
    expect(fired[0]! - t).toBeGreaterThanOrEqual(40);
    expect(fired[1]!).toBeGreaterThanOrEqual(fired[0]!);
  });

  it('minGapMs spaces firings: times closer than the gap fire that far apart, reporting when they were meant to wake', async () => {
    const fired: number[] = [];
    const wakes: Array<[number, number]> = [];
    const clock = new AlarmClock((armedAt, wakeAt) => {
      fired.push(performance.now());
      wakes.push([armedAt, wakeAt]);
    }, { minGapMs: 30 });
    open.push(clock);
    await clock.ready;
    const t = performance.now() + 5;
    clock.set(t, t + 1);
    await firings(fired, 2);
    expect(fired).toHaveLength(2);
    expect(fired[1]! - fired[0]!).toBeGreaterThanOrEqual(29);
    expect(wakes[0]![0]).toBeCloseTo(t, 3);
    expect(wakes[1]![0]).toBeCloseTo(t + 1, 3);
    // The second was held back by the gap: it was meant to wake well after its armed time.
    expect(wakes[1]![1] - wakes[1]![0]).toBeGreaterThan(20);
  });
});
