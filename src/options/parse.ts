/**
 * Parsers for flag values. Each names the flag in its error, says what was wrong and shows a
 * correct example (one paragraph, exit 2).
 */
import { UsageError } from '../errors.js';

/** Parse a duration: `500ms`, `10s`, `2m`, `1.5s`, `250us`; a bare number is milliseconds. Zero only when `allowZero`. */
export function parseDurationMs(value: string, flag: string, allowZero = false): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min)?\s*$/.exec(value);
  if (!m) throw new UsageError(`${flag} "${value}" is not a duration. Write a number with a unit, e.g. ${flag} 10s or ${flag} 500ms.`);
  const n = Number(m[1]);
  const factor = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000 }[m[2] ?? 'ms']!;
  const ms = n * factor;
  if (ms < 0 || (ms === 0 && !allowZero)) throw new UsageError(`${flag} must be longer than zero, got "${value}".`);
  return ms;
}

/** Parse a whole number within [min, max]. */
export function parseIntIn(value: string | number, flag: string, min: number, max: number): number {
  // Number('') is 0: require digits, so an empty value is an error rather than a silent zero.
  const n = typeof value === 'number' ? value : /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

/** Parse a percentage within [0, max]: `10%`, `10` or `2.5%`; `example` is shown in the error. */
export function parsePercent(value: string, flag: string, max: number, example: number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n > max) throw new UsageError(`${flag} must be a percentage from 0 to ${max}, e.g. ${flag} ${example}%, not "${value}".`);
  return n;
}

/** Parse a size: `512MiB`, `1GiB`, `300MB`, `64KiB`; a bare number is bytes. */
export function parseSizeBytes(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(value);
  if (!m) throw new UsageError(`${flag} "${value}" is not a size. Write a number with a unit, e.g. ${flag} 512MiB or ${flag} 1GiB.`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const factor = { b: 1, kb: 1e3, kib: 2 ** 10, mb: 1e6, mib: 2 ** 20, gb: 1e9, gib: 2 ** 30 }[unit]!;
  return Math.round(Number(m[1]) * factor);
}
