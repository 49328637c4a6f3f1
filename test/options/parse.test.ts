import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { parseDurationMs, parseIntIn, parsePercent } from '../../src/options/parse.js';

/** Run `fn`, expect a UsageError (exit 2), and return its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(EXIT_CODES.USAGE);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseDurationMs', () => {
  const valid: Array<[string, number]> = [
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['2min', 120_000],
    ['250us', 0.25],
    ['250µs', 0.25],
    ['42', 42],
    [' 10 s ', 10_000],
  ];
  for (const [text, ms] of valid) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => {
      expect(parseDurationMs(text, '--timeout')).toBeCloseTo(ms, 12);
    });
  }

  for (const text of ['abc', '10h', '', '-1s', '1e3', '1,5s', 's']) {
    it(`rejects ${JSON.stringify(text)}, naming the flag and value with an example`, () => {
      const msg = usageMessage(() => parseDurationMs(text, '--timeout'));
      expect(msg).toContain(`--timeout "${text}" is not a duration`);
      expect(msg).toContain('--timeout 10s');
    });
  }

  for (const text of ['0', '0s', '0.0ms']) {
    it(`rejects the zero duration ${JSON.stringify(text)}`, () => {
      expect(usageMessage(() => parseDurationMs(text, '--timeout'))).toContain('--timeout must be longer than zero');
    });
  }
});

describe('parseIntIn', () => {
  it('accepts whole numbers in range, as strings or numbers, inclusive bounds', () => {
    expect(parseIntIn('1', '--runs', 1, 1000)).toBe(1);
    expect(parseIntIn('1000', '--runs', 1, 1000)).toBe(1000);
    expect(parseIntIn(17, '--runs', 1, 1000)).toBe(17);
    expect(parseIntIn('0', '--warmup', 0, 100)).toBe(0);
  });

  for (const value of ['0', '1001', '2.5', 'ten', 'NaN', 'Infinity', -3]) {
    it(`rejects ${JSON.stringify(value)} naming the flag, range and value`, () => {
      expect(usageMessage(() => parseIntIn(value, '--runs', 1, 1000))).toBe(
        `--runs must be a whole number from 1 to 1000, got "${value}".`,
      );
    });
  }

  it('rejects an empty or blank value instead of reading it as 0', () => {
    expect(() => parseIntIn('', '--warmup', 0, 100)).toThrow(UsageError);
    expect(() => parseIntIn('  ', '--warmup', 0, 100)).toThrow(UsageError);
  });
});

describe('parsePercent', () => {
  it('reads 10%, 10 and 2.5%', () => {
    expect(parsePercent('10%', '--x', 100, 5)).toBe(10);
    expect(parsePercent(' 10 ', '--x', 100, 5)).toBe(10);
    expect(parsePercent('2.5%', '--x', 100, 5)).toBe(2.5);
  });

  it.each(['ten', '-5%', '101%', '', '5%%'])('refuses %j, naming the flag, the range and an example', (value) => {
    expect(() => parsePercent(value, '--noise', 100, 5)).toThrow(UsageError);
    expect(() => parsePercent(value, '--noise', 100, 5)).toThrow(`--noise must be a percentage from 0 to 100, e.g. --noise 5%, not "${value}".`);
  });
});
