import { describe, expect, it } from 'vitest';
import type { Balance } from '../../../src/options/benchOptions.js';
import { Lane, MAX_PENDING_OUT_BYTES, makeBalancer } from '../../../src/runners/bench/lanes.js';
import { stubLane } from './helpers.js';

/** Indices of the next `n` picks (-1 for null). */
const picks = (pick: () => Lane | null, n: number): number[] => Array.from({ length: n }, () => pick()?.index ?? -1);

describe('Lane', () => {
  it('starts alive, idle, with nothing counted', () => {
    const l = stubLane(0);
    expect(l).toMatchObject({ index: 0, inflight: 0, sent: 0, succeeded: 0, failed: 0, ewmaUs: 0, alive: true });
    expect(l.ready).toBe(true);
  });

  it('is ready only alive and with a server backlog below MAX_PENDING_OUT_BYTES', () => {
    const l = stubLane(0, MAX_PENDING_OUT_BYTES - 1);
    expect(l.ready).toBe(true);
    l.transport.pendingOutBytes = MAX_PENDING_OUT_BYTES;
    expect(l.ready).toBe(false);
    l.transport.pendingOutBytes = 0;
    expect(l.ready).toBe(true);
    l.alive = false;
    expect(l.ready).toBe(false);
  });

  it('observe(): the first sample sets the EWMA, later ones move it by 0.2 of the difference', () => {
    const l = stubLane(0);
    l.observe(1000);
    expect(l.ewmaUs).toBe(1000);
    l.observe(2000);
    expect(l.ewmaUs).toBeCloseTo(1200, 9);
    l.observe(200);
    expect(l.ewmaUs).toBeCloseTo(1000, 9);
    for (let i = 0; i < 100; i++) l.observe(500);
    expect(l.ewmaUs).toBeCloseTo(500, 6);
  });

  it('is a class usable with any Target', () => {
    expect(stubLane(3)).toBeInstanceOf(Lane);
  });
});

describe('makeBalancer', () => {
  const all: Balance[] = ['round-robin', 'least-inflight', 'latency-ewma'];

  it.each(all)('%s: one lane is picked while ready, else null', (balance) => {
    const l = stubLane(0);
    const pick = makeBalancer([l], balance);
    expect(picks(pick, 3)).toEqual([0, 0, 0]);
    l.alive = false;
    expect(pick()).toBeNull();
  });

  it.each(all)('%s: null when no lane is ready (dead or backlogged)', (balance) => {
    const lanes = [stubLane(0), stubLane(1, MAX_PENDING_OUT_BYTES), stubLane(2)];
    lanes[0]!.alive = false;
    lanes[2]!.transport.pendingOutBytes = MAX_PENDING_OUT_BYTES + 1;
    const pick = makeBalancer(lanes, balance);
    expect(picks(pick, 4)).toEqual([-1, -1, -1, -1]);
    lanes[1]!.transport.pendingOutBytes = 0; // the server read its stdin again
    expect(pick()?.index).toBe(1);
  });

  it('round-robin cycles through the lanes in order', () => {
    const pick = makeBalancer([stubLane(0), stubLane(1), stubLane(2)], 'round-robin');
    expect(picks(pick, 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('round-robin skips a dead lane and a backlogged one, and takes them back when ready', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2), stubLane(3)];
    const pick = makeBalancer(lanes, 'round-robin');
    lanes[1]!.alive = false;
    lanes[3]!.transport.pendingOutBytes = MAX_PENDING_OUT_BYTES;
    expect(picks(pick, 4)).toEqual([0, 2, 0, 2]);
    lanes[3]!.transport.pendingOutBytes = 10;
    expect(picks(pick, 3)).toEqual([3, 0, 2]);
  });

  it('round-robin ignores load (inflight) by design', () => {
    const lanes = [stubLane(0), stubLane(1)];
    lanes[0]!.inflight = 100;
    expect(picks(makeBalancer(lanes, 'round-robin'), 4)).toEqual([0, 1, 0, 1]);
  });

  it('least-inflight picks the lane with the fewest in flight', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2)];
    lanes[0]!.inflight = 2;
    lanes[1]!.inflight = 0;
    lanes[2]!.inflight = 1;
    const pick = makeBalancer(lanes, 'least-inflight');
    expect(picks(pick, 3)).toEqual([1, 1, 1]);
    lanes[1]!.inflight = 5;
    expect(pick()?.index).toBe(2);
  });

  it('least-inflight rotates among tied lanes so equal lanes share the load', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2)];
    const pick = makeBalancer(lanes, 'least-inflight');
    expect(picks(pick, 6)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('least-inflight, driven like the engine (inflight++ on pick), spreads evenly', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2)];
    const pick = makeBalancer(lanes, 'least-inflight');
    for (let i = 0; i < 9; i++) pick()!.inflight++;
    expect(lanes.map((l) => l.inflight)).toEqual([3, 3, 3]);
  });

  it('least-inflight skips lanes that are not ready even when they are idle', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2)];
    lanes[0]!.alive = false;
    lanes[1]!.transport.pendingOutBytes = MAX_PENDING_OUT_BYTES;
    lanes[2]!.inflight = 50;
    expect(picks(makeBalancer(lanes, 'least-inflight'), 3)).toEqual([2, 2, 2]);
  });

  it('latency-ewma prefers the lowest ewma × (inflight + 1)', () => {
    const lanes = [stubLane(0), stubLane(1)];
    lanes[0]!.ewmaUs = 1000; // cost 1000
    lanes[1]!.ewmaUs = 300;
    lanes[1]!.inflight = 2; // cost 900
    const pick = makeBalancer(lanes, 'latency-ewma');
    expect(picks(pick, 3)).toEqual([1, 1, 1]);
    lanes[1]!.inflight = 3; // cost 1200
    expect(picks(pick, 2)).toEqual([0, 0]);
    lanes[0]!.inflight = 1; // cost 2000
    expect(pick()?.index).toBe(1);
  });

  it('latency-ewma tries a lane without samples first (ewma 0 counts as 1 µs)', () => {
    const lanes = [stubLane(0), stubLane(1)];
    lanes[0]!.ewmaUs = 50;
    const pick = makeBalancer(lanes, 'latency-ewma');
    expect(pick()?.index).toBe(1);
    lanes[1]!.inflight = 60; // 1 × 61 > 50 × 1
    expect(pick()?.index).toBe(0);
  });

  it('latency-ewma rotates among tied lanes and skips lanes that are not ready', () => {
    const lanes = [stubLane(0), stubLane(1), stubLane(2)];
    for (const l of lanes) l.ewmaUs = 400;
    const pick = makeBalancer(lanes, 'latency-ewma');
    expect(picks(pick, 3)).toEqual([0, 1, 2]);
    lanes[1]!.alive = false;
    lanes[2]!.ewmaUs = 1;
    lanes[0]!.ewmaUs = 1;
    expect(new Set(picks(pick, 4))).toEqual(new Set([0, 2]));
  });
});
