/**
 * The bench result: the same versioned contract as analyze's (header, target, server), with the
 * load figures. `latency` is measured from each request's intended send time (corrected for
 * coordinated omission, as wrk2 does); `serviceTime` from its actual send. Errors never mix with
 * the latencies of successes. Every distribution carries its encoded HDR histogram, so runs from
 * several machines can be merged.
 */
import type { Distribution } from '../measure/histogram.js';
import type { Era } from '../target/protocol.js';
import type { BudgetResult } from './budgetResult.js';
import type { ErrorLikeResults, ErrorSample } from './errorSample.js';
import type { ResultHeader, ServerProcessField, ServerSection, TargetSection } from './header.js';

/** The bench result. */
export interface BenchResult extends ResultHeader<'bench'>, ServerProcessField {
  config: BenchConfigEcho;
  target: TargetSection;
  server: ServerSection | null;
  /** The operations of the mix. */
  workload: { seed: number; operations: Array<{ op: string; weight: number; argsSource: string }> };
  requests: RequestCounts;
  throughput: Throughput;
  /** Latency from the intended send time, successes, µs (corrected for coordinated omission). */
  latency: Distribution | null;
  /** Latency from the actual send, successes, µs (what a closed loop reports). */
  serviceTime: Distribution | null;
  /** Time until failures were declared, µs (timeouts at ≥ the timeout). */
  failedLatency: Distribution | null;
  /** How late sends left after their intended time, µs (open loop; the generator's scheduling error). */
  sendLateness: Distribution | null;
  byOperation: OperationFigures[];
  /** One entry per second since the first send (warm-up seconds marked). */
  timeline: TimelineEntry[];
  pool: PoolSection;
  resources: BenchResources | null;
  generator: GeneratorHealth;
  /** Every budget evaluated (defaults and the user's). */
  budgets: BudgetResult[];
  /** Present when `report --merge` combined several bench results: the files and how many (absent in a single run). */
  merged?: { files: string[]; count: number };
}

/** Settings of the run. */
export interface BenchConfigEcho {
  /** 'open' (fixed rate, --rps) or 'closed' (fixed concurrency). */
  mode: 'open' | 'closed';
  /** Target rate, requests/s (open loop). */
  rps: number | null;
  arrival: 'uniform' | 'poisson' | null;
  /** Cap on requests in flight (open loop), or null. */
  maxInflight: number | null;
  /** Requests in flight (closed loop). */
  concurrency: number | null;
  /** Measured duration, ms, or null when --requests set the length. */
  durationMs: number | null;
  /** Measured requests, or null when --duration set the length. */
  requests: number | null;
  warmupMs: number;
  timeoutMs: number;
  /** Server instances (stdio --pool) or sessions (HTTP --connections). */
  instances: number;
  balance: string;
  /** Who generated HTTP load in a closed loop: 'autocannon' or 'mcp-opt' (always mcp-opt for stdio and open loops). */
  httpClient: 'autocannon' | 'mcp-opt';
  /** HTTP/1.1 requests in flight per connection (autocannon). */
  pipelining: number;
  bailout: number | null;
  /** A run without one success stops at a failure this long after the first send, or after 1000 failures, ms; null: --give-up-after off (absent in older results). */
  giveUpMs?: number | null;
  keepGoing: boolean;
  seed: number;
  era: 'auto' | Era;
}

/** Counts of measured requests (warm-up excluded). */
export interface RequestCounts {
  /** Due in the measured window (open loop: sent + dropped). */
  scheduled: number;
  sent: number;
  succeeded: number;
  failed: number;
  /** Due but never sent because the generator or the server fell behind (open loop). */
  dropped: number;
  /** Sent more than 1 ms after their intended time (open loop). */
  lateSends: number;
  /** Still unanswered when the run stopped waiting (Ctrl-C, drain limit). */
  abandoned: number;
  /** Failures by class: 'argument-rejected' (the server refused the arguments sent), 'jsonrpc:<code>', 'isError', 'timeout', 'closed', 'http:<status>'. */
  errors: Record<string, number>;
  /** Server failures (failed − argument-rejected) / (succeeded + failed − argument-rejected), percent. */
  errorRatePct: number;
  /** First failure of each class in `errors`: the server's text and, for synthesised arguments, the arguments (absent in older results). */
  errorSamples?: Record<string, ErrorSample>;
  /** Successes whose first text reads like an error (heuristic), or null (absent in older results). */
  errorLike?: ErrorLikeResults | null;
  /** Responses that matched no request in flight, over the load (warm-up included): an id never sent, a second answer to one id, an answer after its timeout (absent in older results). */
  strayResponses?: StrayResponses;
}

/** Responses the load received that belong to no request in flight. */
export interface StrayResponses {
  /** Carrying an id mcp-opt never sent. */
  unknownId: number;
  /** A second response to an id already answered. */
  duplicate: number;
  /** Arriving after their request had timed out (counted as a timeout). */
  late: number;
}

/** Rates over the measured window. */
export interface Throughput {
  /** Seconds of the measured window actually run. */
  measuredSeconds: number;
  targetRps: number | null;
  sentRps: number;
  /** Successes per second: what the server delivered. */
  succeededRps: number;
  /** (sentRps − target) / target, percent (open loop). */
  rateErrorPct: number | null;
  /** False when the target rate was not sustained (dropped sends, sent rate > 1 % short, or > 5 % of sends later than `lateBoundMs`); null in a closed loop. */
  sustained: boolean | null;
  /** A send later than this, ms, counts against `sustained`: one interval (1/rate), at least 20 ms; null in a closed loop (absent in older results). */
  lateBoundMs?: number | null;
  /** Measured sends later than `lateBoundMs`; null in a closed loop (absent in older results). */
  lateBeyondBound?: number | null;
}

/** One operation of the mix. */
export interface OperationFigures {
  op: string;
  requests: number;
  succeeded: number;
  failed: number;
  errors: Record<string, number>;
  latency: Distribution | null;
  serviceTime: Distribution | null;
}

/** One second of the run. */
export interface TimelineEntry {
  /** Seconds since the first send (0-based). */
  second: number;
  /** True for seconds of the warm-up. */
  warmup: boolean;
  /** Requests sent, answered (success or failure) and failed in this second. */
  sent: number;
  completed: number;
  errors: number;
  /** Requests in flight at the end of the second. */
  inflight: number;
  /** Corrected latency of successes answered in this second, µs (null when none; from a 4096-sample reservoir). */
  p50Us: number | null;
  p99Us: number | null;
  /** Server process-tree RSS at the end of the second, bytes (stdio). */
  rssBytes: number | null;
  /** Server process-tree CPU over the second, percent of one core (stdio). */
  cpuPct: number | null;
}

/** Server instances (or HTTP sessions) and how the load was spread. */
export interface PoolSection {
  balance: string;
  instances: Array<{
    index: number;
    pid: number | null;
    sent: number;
    succeeded: number;
    failed: number;
    serviceTime: Distribution | null;
    /** False when it died during the run. */
    alive: boolean;
    /** HTTP: connections opened and requests sent on them over the whole run (keep-alive reuse); null for stdio. */
    connections: { opened: number; requests: number } | null;
    /** HTTP: sessions re-initialized after the server expired one (404); null for stdio. */
    sessionReinits: number | null;
  }>;
  /** autocannon's side when it generated the load: its connections and their counts (warm-up included). */
  autocannon: {
    connections: number;
    pipelining: number;
    perConnection: Array<{ index: number; sent: number; answered: number }>;
    statusCounts: Record<string, number>;
  } | null;
}

/** The server's process tree over the run (stdio targets), sampled every 250 ms. */
export interface BenchResources {
  sampleIntervalMs: number;
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
  rssGrowthBytes: number;
  /** Least-squares slope of RSS over the measured window, bytes per second. */
  rssSlopeBytesPerSec: number | null;
  /** CPU of the tree, percent of one core: mean and highest 250 ms sample. */
  cpuPctMean: number;
  cpuPctMax: number;
  processCount: number;
}

/** The load generator's own health: when it is the bottleneck, the figures measure mcp-opt. */
export interface GeneratorHealth {
  /** mcp-opt's CPU over the run, percent of one core (main thread and the alarm thread). */
  cpuPct: number;
  /** Event-loop delay of mcp-opt's main thread, ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** True when the generator, not the server, limited the run. */
  bottleneck: boolean;
  /** Why, in one sentence, or null. */
  reason: string | null;
}
