/**
 * `--profile` and `--profile-interval`, shared by analyze, bench and tune: resolved once into
 * ProfileOptions (or null: never on by default, since sampling costs the server CPU).
 */
import { UsageError } from '../errors.js';

/** Profiling settings of a run. */
export interface ProfileOptions {
  /** V8 sampling interval, microseconds (--profile-interval; V8's and DevTools' default is 1000). */
  readonly intervalUs: number;
}

/** Default sampling interval, µs: what `node --cpu-prof` and Chrome DevTools use. */
export const DEFAULT_PROFILE_INTERVAL_US = 1000;
/** Shortest --profile-interval, µs: below 50 µs the sampler's own cost swamps the server. */
export const MIN_INTERVAL_US = 50;
/** Longest --profile-interval, µs. */
export const MAX_INTERVAL_US = 100_000;

/** '500us', '500µs', '1ms', '250' (µs) → microseconds; a UsageError naming the flag otherwise. */
export function parseIntervalUs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms)?\s*$/.exec(text);
  const us = m ? Number(m[1]) * (m[2] === 'ms' ? 1000 : 1) : NaN;
  if (!Number.isFinite(us) || us < MIN_INTERVAL_US || us > MAX_INTERVAL_US) {
    throw new UsageError(`--profile-interval must be a sampling interval from ${MIN_INTERVAL_US}us to ${MAX_INTERVAL_US / 1000}ms (e.g. 500us, 1ms), not "${text}".`);
  }
  return Math.round(us);
}
