/**
 * The default bailout: a run in which nothing has succeeded stops early instead of failing for its
 * whole length (a run whose 10 000 requests all failed ran to the end and, before the exit-3 rule,
 * passed). It stops once no request has succeeded and either GIVE_UP_FAILURES requests have failed
 * or a failure arrives `giveUpMs` (--give-up-after, default BENCH_DEFAULTS.giveUpMs) after the first send. One success
 * disarms it for the rest of the run. --bailout N is the explicit bound on failures of any run.
 */

/** Failures without one success after which a run stops, whatever the time. */
export const GIVE_UP_FAILURES = 1000;

/** True when a run without one success should stop now. `giveUpMs` null: never (--give-up-after off). */
export function shouldGiveUp(successes: number, failures: number, msSinceFirstSend: number, giveUpMs: number | null): boolean {
  if (giveUpMs === null || successes > 0 || failures === 0) return false;
  return failures >= GIVE_UP_FAILURES || msSinceFirstSend >= giveUpMs;
}
