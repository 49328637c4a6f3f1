/**
 * --profile-interval's units and bounds (the flag named in every error); --profile through the
 * config file's sections.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseIntervalUs } from '../../src/options/profileOptions.js';

describe('parseIntervalUs', () => {
  it('reads microseconds, with or without a unit, and milliseconds', () => {
    expect(parseIntervalUs('500')).toBe(500);
    expect(parseIntervalUs('500us')).toBe(500);
    expect(parseIntervalUs('250µs')).toBe(250);
    expect(parseIntervalUs('1ms')).toBe(1000);
    expect(parseIntervalUs('2.5ms')).toBe(2500);
  });

  it('refuses what is out of bounds or not an interval, naming the flag', () => {
    for (const bad of ['10us', '0', '200ms', 'fast', '1s', '-5']) {
      expect(() => parseIntervalUs(bad)).toThrow(UsageError);
      expect(() => parseIntervalUs(bad)).toThrow(/--profile-interval must be a sampling interval from 50us to 100ms/);
    }
  });
});
