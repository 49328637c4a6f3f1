/**
 * bench's options, resolved once from flags and config before any I/O on the server.
 */
import type { BenchResult } from '../result/benchResult.js';
import type { ResolvedBudget } from '../budgets/gate.js';
import type { ClientIdentity } from '../target/handshake.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import type { Era } from '../target/protocol.js';
import type { WriteBatching } from '../target/stdioTransport.js';
import type { WorkloadSpec } from '../workload/workloadSpec.js';
import type { OutputOptions } from './analyzeOptions.js';

/** Defaults, in one place (README lists them). */
export const BENCH_DEFAULTS = {
  /** Closed loop when no --rps: requests in flight. */
  concurrency: 8,
  /** Measured duration, ms. */
  durationMs: 10_000,
  /** Warm-up, excluded from figures, ms. */
  warmupMs: 2_000,
  /** Per-request timeout, ms. */
  timeoutMs: 10_000,
  /** Seed of the arrival process and argument templates. */
  seed: 1,
  /** Load spreading over instances. */
  balance: 'round-robin' as Balance,
  /** --give-up-after, ms: a run without one success stops at its first failure this long after the first send. */
  giveUpMs: 5000,
} as const;

/** Balancing strategies (--balance of bench and proxy, the balance knob of tune): util/balancer.ts. */
export { BALANCES, type Balance } from '../util/balancer.js';
import type { Balance } from '../util/balancer.js';
import type { ProfileOptions } from './profileOptions.js';

/** Arrival process of an open loop (--arrival). */
export type Arrival = 'uniform' | 'poisson';

/** Open or closed loop. */
export type LoopMode =
  | {
      /** Open loop (--rps): requests go out on schedule whatever the answers. */
      kind: 'open';
      /** Target rate, requests/s (--rps). */
      rps: number;
      /** How sends are spaced (--arrival, default uniform). */
      arrival: Arrival;
      /** Cap on requests in flight across all instances (--max-inflight; later sends wait and count as late), or null: no cap. */
      maxInflight: number | null;
    }
  | {
      /** Closed loop: a fixed number of requests kept in flight. */
      kind: 'closed';
      /** Requests kept in flight across all instances (--concurrency, default 8). */
      concurrency: number;
    };

/** Everything bench needs. */
export interface BenchOptions {
  /** What to launch or reach. */
  readonly spec: LaunchSpec;
  /** Open loop (fixed rate, arrivals, in-flight cap) or closed loop (fixed concurrency). */
  readonly loop: LoopMode;
  /** Measured duration, ms, or null when --requests sets the length (exactly one of the two is set). */
  readonly durationMs: number | null;
  /** Measured requests (--requests), or null when --duration sets the length. */
  readonly requests: number | null;
  /** Warm-up before the measured window, excluded from figures, ms. */
  readonly warmupMs: number;
  /** Start-up and per-request timeout, ms. */
  readonly timeoutMs: number;
  /** stdio server instances (--pool) or HTTP sessions (--connections). */
  readonly instances: number;
  /** How requests spread over instances (--balance). */
  readonly balance: Balance;
  /**
   * Who sends HTTP load: mcp-opt's own engine (the default), or autocannon in a closed loop on one
   * http:// session (asked for, or for --pipelining; results folded into mcp-opt's histograms).
   * Open loops always use the engine.
   */
  readonly httpClient: 'autocannon' | 'mcp-opt';
  /** HTTP/1.1 requests in flight per connection (autocannon only). */
  readonly pipelining: number;
  /** stdio write batching across ticks (set by tune's batch / batchDelay knobs); undefined: one write per tick. */
  readonly writeBatching?: WriteBatching;
  /** Stop after this many failed requests, warm-up included (--bailout); null: never. */
  readonly bailout: number | null;
  /** Stop a run without one success at a failure this long after the first send (or after 1000 failures), ms; null: never (--give-up-after off). */
  readonly giveUpMs: number | null;
  /** With --pool: go on with the other instances when one dies (--keep-going). */
  readonly keepGoing: boolean;
  /** Seed of poisson arrivals, the mix and argument templates. */
  readonly seed: number;
  /** URL targets: the server's pid (--pid), whose process tree's resources are sampled; null = the owner of the URL's port. */
  readonly pid: number | null;
  /** Era to speak; 'auto' probes. */
  readonly era: 'auto' | Era;
  /** What to send: methods, named calls, auto, from flags or a workload file. */
  readonly workload: WorkloadSpec;
  /** Budgets in force (defaults merged with the user's), tied to bench's metrics. */
  readonly budgets: readonly ResolvedBudget<BenchResult>[];
  /** Identity sent to servers. */
  readonly client: ClientIdentity;
  /** Output settings. */
  readonly output: OutputOptions;
  /** CPU profile of the server (--profile, --profile-interval), or null: not profiled. */
  readonly profile: ProfileOptions | null;
}
