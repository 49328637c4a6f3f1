import { describe, expect, it } from 'vitest';
import { judgeSustained, LATE_FLOOR_MS, lateBoundMs } from '../../../src/runners/bench/sustained.js';

const onTime = { complete: true, sent: 10_000, dropped: 0, rateErrorPct: 0, lateBeyondBound: 0, boundMs: LATE_FLOOR_MS };

describe('lateBoundMs', () => {
  it('is one interval at low rates and the floor at high ones', () => {
    expect(lateBoundMs(1)).toBe(1000);
    expect(lateBoundMs(40)).toBe(25);
    expect(lateBoundMs(50)).toBe(LATE_FLOOR_MS);
    expect(lateBoundMs(200_000)).toBe(LATE_FLOOR_MS);
  });
});

describe('judgeSustained', () => {
  it('a complete run sent on time, in full, is sustained', () => {
    expect(judgeSustained(onTime)).toEqual({ sustained: true, reasons: [] });
  });

  it('every send went out but most of them late (the 200 000 req/s case: count right, a second late) is not sustained', () => {
    const v = judgeSustained({ ...onTime, sent: 200_000, lateBeyondBound: 85_050 });
    expect(v.sustained).toBe(false);
    expect(v.reasons).toEqual([{ kind: 'late', text: '85050 of 200000 sends (42.5 %) left late by more than 20 ms (one interval, at least 20 ms)' }]);
  });

  it('up to 5 % of sends beyond the bound is still sustained (a pause of the machine), more is not', () => {
    expect(judgeSustained({ ...onTime, lateBeyondBound: 500 }).sustained).toBe(true);
    expect(judgeSustained({ ...onTime, lateBeyondBound: 501 }).sustained).toBe(false);
  });

  it('drops and a short rate each make it not sustained, with their reason', () => {
    expect(judgeSustained({ ...onTime, dropped: 1 })).toEqual({ sustained: false, reasons: [{ kind: 'dropped', text: '1 due requests were never sent' }] });
    expect(judgeSustained({ ...onTime, rateErrorPct: -1.5 }).reasons).toEqual([{ kind: 'shortfall', text: 'the sent rate fell short by more than 1 %' }]);
    expect(judgeSustained({ ...onTime, rateErrorPct: null }).sustained).toBe(false);
  });

  it('a run cut short is not judged', () => {
    expect(judgeSustained({ ...onTime, complete: false, lateBeyondBound: 9000 })).toEqual({ sustained: null, reasons: [] });
  });
});
