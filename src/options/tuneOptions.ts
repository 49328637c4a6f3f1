/**
 * tune's options, resolved once from flags and config ("tune" section) before anything runs.
 */
import type { Balance } from './benchOptions.js';
import type { Affinity } from './proxyOptions.js';
import type { Knob } from './knobs.js';
import type { ClientIdentity } from '../target/handshake.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import type { Era } from '../target/protocol.js';
import type { TuneObjective, TuneResult } from '../result/tuneResult.js';
import type { WorkloadSpec } from '../workload/workloadSpec.js';
import type { OutputOptions } from './analyzeOptions.js';
import type { ProfileOptions } from './profileOptions.js';

/** Defaults, in one place (README lists them). */
export const TUNE_DEFAULTS = {
  /** Points measured at most; a larger grid gets a guided search. */
  maxPoints: 30,
  /** Measured length of each point, ms. */
  pointDurationMs: 5_000,
  /** Warm-up of each point, ms (excluded from its figures). */
  pointWarmupMs: 1_000,
  /** Runs per point at most, when noise makes the ranking unclear. */
  maxRepeats: 3,
  /**
   * Smallest difference, %, counted as real between two points, below the spread of repeated runs.
   * Measured on this 2-core machine: `npm run bench:tune` repeats each 5 s point within 1 % (220,
   * 220, 221 req/s); worker-pool's saturated points (4, 8, 16 in flight) differ by ~2 %; 5 % leaves
   * room for a busier machine. Repeats widen it when their own spread is larger.
   */
  noisePct: 5,
  /** The product's latency target when neither --slo nor a config budget names one. */
  slo: 'p95<100ms',
  /** Error rate a point may not exceed, %. */
  maxErrorPct: 1,
  timeoutMs: 10_000,
  seed: 1,
  /** Settings a knob does not vary. */
  pool: 1,
  concurrency: 8,
  balance: 'round-robin' as Balance,
  /** The default space when no knob is given: the concurrency ramp. */
  knobs: ['concurrency=1,2,4,8,16,32,64'],
  /**
   * --via-proxy's affinity: the load comes from one client session, as from an MCP client over
   * stdio, and with session or client affinity every request of it goes to one instance, so only
   * `none` lets a pool serve it (right for servers that keep no state between requests).
   */
  proxyAffinity: 'none' as Affinity,
} as const;

/** Where --apply writes, and how. */
export interface ApplyOptions {
  /** Files to write the recommendation into (as given; resolved against cwd). */
  files: string[];
  /** Write (--yes / --write); otherwise print the diff only. */
  write: boolean;
  /** Write through symlinks and outside the config's folder. */
  force: boolean;
  /** The entry of an MCP client config (--server). */
  serverName: string | undefined;
}

/** Everything tune needs. */
export interface TuneOptions {
  /** What to launch or reach. */
  readonly spec: LaunchSpec;
  /** The knobs, file knobs' paths resolved (absolute) in `filePaths`. */
  readonly knobs: readonly Knob[];
  /** File knob id → absolute path of the file it edits. */
  readonly filePaths: Readonly<Record<string, string>>;
  /** What to optimise, and the SLO. */
  readonly objective: TuneObjective;
  /** Points measured at most; a larger grid gets a guided search. */
  readonly maxPoints: number;
  /** Runs per point at most when noise makes the ranking unclear. */
  readonly maxRepeats: number;
  /** Requests the whole tune may send (--max-calls; warm-ups included), or null for no cap. */
  readonly maxCalls: number | null;
  /** Smallest difference counted as real between two points, percent. */
  readonly noisePct: number;
  /** Measured length of each point, ms. */
  readonly pointDurationMs: number;
  /** Warm-up of each point, excluded from its figures, ms. */
  readonly pointWarmupMs: number;
  /** Start-up and per-request timeout, ms. */
  readonly timeoutMs: number;
  /** Seed of the mix and argument templates. */
  readonly seed: number;
  /** Era to speak; 'auto' probes. */
  readonly era: 'auto' | Era;
  /** Settings the knobs do not vary. */
  readonly base: {
    /** Server instances (--pool). */
    pool: number;
    /** Requests in flight per instance (--concurrency). */
    concurrency: number;
    /** How requests spread over instances (--balance). */
    balance: Balance;
  };
  /**
   * Each point runs the server through `mcp-opt proxy` (--via-proxy), which pools it: `pool` and
   * `balance` are then the proxy's, these its other settings (knobs of the same names win); null:
   * bench starts the instances itself.
   */
  readonly viaProxy: {
    /** --affinity of the proxy. */
    affinity: Affinity;
    /** --max-inflight-per-instance of the proxy (0: no cap). */
    maxInflightPerInstance: number;
  } | null;
  /** What each point sends, as in bench. */
  readonly workload: WorkloadSpec;
  /** The result to continue (--resume), already checked against these options. */
  readonly resume: {
    /** Absolute path of the result file. */
    path: string;
    /** The tune result read from it. */
    result: TuneResult;
  } | null;
  /** Print the points that would be measured, and run nothing. */
  readonly dryRun: boolean;
  /** Where --apply writes the recommendation, or null without --apply. */
  readonly apply: ApplyOptions | null;
  /** mcp-opt's own config as loaded (the base of the patch of its "bench" settings), or null. */
  readonly mcpOptConfig: {
    /** Absolute path of the config file. */
    path: string;
    /** Its parsed content. */
    data: Record<string, unknown>;
  } | null;
  /** Identity sent to servers. */
  readonly client: ClientIdentity;
  /** Output settings. */
  readonly output: OutputOptions;
  /** Profile the recommended point, measured once more with the profiler on (--profile), or null. */
  readonly profile: ProfileOptions | null;
}
