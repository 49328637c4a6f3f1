/**
 * analyze's options, resolved once from flags and config before any I/O on the server. Runners
 * receive this frozen object and never see commander.
 */
import type { ResolvedBudget } from '../budgets/analyzeBudgets.js';
import type { ClientIdentity } from '../target/handshake.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import type { Era } from '../target/protocol.js';
import type { CallSpec } from '../workload/callSpec.js';
import type { ProfileOptions } from './profileOptions.js';

/** Defaults, in one place (README lists them). */
export const ANALYZE_DEFAULTS = {
  /** Measured cold starts. */
  runs: 10,
  /** Warm-up starts, excluded (hyperfine's --warmup). */
  warmupRuns: 1,
  /** Start-up and per-request timeout, ms. */
  timeoutMs: 10_000,
  /** Requests in flight in the concurrent latency pass. */
  concurrency: 4,
  /** Pairs of lookup probes (baseline + unknown name). */
  lookupSamples: 2000,
  /** Samples per operation per latency pass. */
  latencySamples: 200,
} as const;

/** Output settings shared by every command. */
export interface OutputOptions {
  /** Print the result JSON on stdout and nothing else there. */
  json: boolean;
  /** Save the result file. */
  save: boolean;
  /** Result file path (default reports/<kind>-<timestamp>.json). */
  outFile: string | null;
  /** Folder for default result files. */
  reportsDir: string;
  /** Colour in terminal output (TTY and no NO_COLOR). */
  color: boolean;
  /** Spinners on stderr (TTY, not --json). */
  spinners: boolean;
}

/** Everything analyze needs. */
export interface AnalyzeOptions {
  /** What to launch or reach. */
  readonly spec: LaunchSpec;
  /** Measured cold-start runs. */
  readonly runs: number;
  /** Warm-up runs. */
  readonly warmupRuns: number;
  /** Start-up and per-request timeout, ms. */
  readonly timeoutMs: number;
  /** Era to speak; 'auto' probes. */
  readonly era: 'auto' | Era;
  /** URL targets: the server's pid (--pid), whose process tree's resources are measured; null = the owner of the URL's port. */
  readonly pid: number | null;
  /** Tools the user named, with arguments. */
  readonly calls: readonly CallSpec[];
  /** No tools/call at all: no tool, and no lookup probe (an unknown or missing name). */
  readonly noCalls: boolean;
  /** No lookup probes (tools/call of an unknown name, or without a name); named and safe tools are still called. */
  readonly noProbes: boolean;
  /** Requests in flight in the concurrent latency pass. */
  readonly concurrency: number;
  /** Lookup probe pairs. */
  readonly lookupSamples: number;
  /** Samples per operation per latency pass. */
  readonly latencySamples: number;
  /** Budgets in force (defaults merged with the user's). */
  readonly budgets: readonly ResolvedBudget[];
  /** Identity sent to servers. */
  readonly client: ClientIdentity;
  /** Output settings. */
  readonly output: OutputOptions;
  /** CPU profile of the server (--profile, --profile-interval), or null: not profiled. */
  readonly profile: ProfileOptions | null;
}
