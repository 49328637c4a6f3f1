/**
 * --profile / --profile-interval (flags or the config's section) → ProfileOptions, for analyze,
 * bench and tune's resolvers.
 */
import { UsageError } from '../errors.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import type { FlagReader } from './commandInputs.js';
import { DEFAULT_PROFILE_INTERVAL_US, parseIntervalUs, type ProfileOptions } from './profileOptions.js';

/** Config keys of the profile settings (camelCase flag names). */
export const PROFILE_CONFIG_KEYS: readonly string[] = ['profile', 'profileInterval'];

/** --profile / --profile-interval → ProfileOptions, or null when profiling was not asked for. */
export function profileOption(r: FlagReader, spec: LaunchSpec): ProfileOptions | null {
  const intervalRaw = r.raw('profileInterval');
  const on = r.bool('profile') || intervalRaw !== undefined;
  if (!on) return null;
  if (spec.kind === 'http') {
    throw new UsageError(
      `--profile samples the server's processes, so mcp-opt must launch them; ${spec.origin} is a URL (a process mcp-opt did not start). ` +
        'Profile a stdio launch of the same server (give its directory, file or command), or run the server with node --cpu-prof yourself.',
    );
  }
  return Object.freeze({ intervalUs: intervalRaw === undefined ? DEFAULT_PROFILE_INTERVAL_US : parseIntervalUs(String(intervalRaw)) });
}

